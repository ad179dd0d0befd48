package token

import (
	"crypto/hmac"
	"crypto/sha256"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
)

func TestMACMatchesHMAC(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		key := make([]byte, 1+rng.IntN(sha256.BlockSize))
		msg := make([]byte, rng.IntN(maxMACInput+1))
		for i := range key {
			key[i] = byte(rng.Uint32())
		}
		for i := range msg {
			msg[i] = byte(rng.Uint32())
		}
		k := newMACKey(key)
		got := k.sum(msg)
		m := hmac.New(sha256.New, key)
		m.Write(msg)
		if want := m.Sum(nil); !hmac.Equal(got[:], want) {
			t.Fatalf("sum(key %x, msg %x) = %x, want %x", key, msg, got, want)
		}
	}
}

func TestPackChoosesEncoding(t *testing.T) {
	t.Parallel()
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::bucket/*"}]}`
	s := Session{
		Kind: KindAssumedRole, Account: "111122223333", ARN: "arn:aws:sts::111122223333:assumed-role/r/s",
		RoleARN: "arn:aws:iam::111122223333:role/r", RoleID: "AROAEXAMPLE", Name: "s",
		Issued: time.Unix(1700000000, 0).UTC(), Expires: time.Unix(1700003600, 0).UTC(),
	}
	var c codecs
	if _, ok := c.compress(appendRecord(nil, &s)); ok {
		t.Errorf("small record compressed, want raw")
	}
	for len(s.Policy) < 3*compressAbove {
		s.Policy += policy
	}
	big, ok := c.compress(appendRecord(nil, &s))
	if !ok || big[0] != encodingDeflate {
		t.Fatalf("large record not compressed")
	}
	rec, err := c.unpack(big)
	if err != nil {
		t.Fatalf("unpack: %v", err)
	}
	got, err := decodeRecord(rec)
	if err != nil || !reflect.DeepEqual(got, s) {
		t.Errorf("decode(unpack(pack)) = %+v, %v; want %+v", got, err, s)
	}
	// Compression is used only when it makes the plaintext shorter than the raw record.
	noise := make([]byte, 2*compressAbove)
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range noise {
		noise[i] = byte(rng.Uint32())
	}
	s.Policy = string(noise)
	rec = string(appendRecord(nil, &s))
	if p, ok := c.compress([]byte(rec)); ok && len(p) > len(rec) {
		t.Errorf("incompressible record compressed to %d bytes from %d", len(p), len(rec))
	}
}

func TestUnpackRejectsGarbage(t *testing.T) {
	t.Parallel()
	for _, plain := range [][]byte{nil, {0}, {3, 1, 2}, {encodingDeflate, 0xff, 0xff}} {
		var c codecs
		if _, err := c.unpack(plain); err == nil {
			t.Errorf("unpack(%x) succeeded", plain)
		}
	}
}

func FuzzDecodeRecord(f *testing.F) {
	s := Session{Kind: KindAssumedRole, Account: "1", ARN: "a", Tags: []Tag{{"k", "v"}}, PolicyARNs: []string{"p"}}
	f.Add(appendRecord(nil, &s))
	f.Add([]byte{1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f})
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := decodeRecord(string(b))
		if err != nil {
			return
		}
		// Whatever decodes re-encodes to a record that decodes to the same session.
		again, err := decodeRecord(string(appendRecord(nil, &s)))
		if err != nil || !reflect.DeepEqual(again, s) {
			t.Fatalf("re-encoded record = %+v, %v; want %+v", again, err, s)
		}
	})
}
