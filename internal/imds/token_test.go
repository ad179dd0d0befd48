package imds

import (
	"bytes"
	"crypto/rand"
	"testing"
	"time"
)

func TestTokens(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	k, err := newTokenKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := newTokenKey(rand.Reader)
	tok, err := k.mint(rand.Reader, now.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	again, _ := k.mint(rand.Reader, now.Add(time.Minute))
	flipped := []byte(tok)
	flipped[len(flipped)/2] ^= 1
	cases := []struct {
		name string
		key  *tokenKey
		tok  string
		at   time.Time
		want bool
	}{
		{"fresh", &k, tok, now, true},
		{"last second", &k, tok, now.Add(59 * time.Second), true},
		{"expired", &k, tok, now.Add(time.Minute), false},
		{"other instance", &other, tok, now, false},
		{"flipped bit", &k, string(flipped), now, false},
		{"truncated", &k, tok[:len(tok)-1], now, false},
		{"empty", &k, "", now, false},
	}
	for _, tc := range cases {
		if got := tc.key.valid(tc.tok, tc.at); got != tc.want {
			t.Errorf("%s: valid = %v", tc.name, got)
		}
	}
	if tok == again {
		t.Error("two tokens minted alike")
	}
}

func TestTokenMintFailsWithoutRandomness(t *testing.T) {
	k, _ := newTokenKey(rand.Reader)
	if _, err := k.mint(bytes.NewReader(nil), time.Now()); err == nil {
		t.Error("minted a token without randomness")
	}
}

func FuzzTokenValid(f *testing.F) {
	k, _ := newTokenKey(rand.Reader)
	now := time.Unix(1_700_000_000, 0)
	good, _ := k.mint(rand.Reader, now.Add(time.Hour))
	f.Add(good)
	f.Add("")
	f.Add("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
	f.Fuzz(func(t *testing.T, s string) {
		if k.valid(s, now) && s != good {
			t.Errorf("forged token %q accepted", s)
		}
	})
}
