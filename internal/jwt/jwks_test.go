package jwt_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"testing"

	"rolegate/internal/jwt"
)

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func TestKeySetJSONRoundTrip(t *testing.T) {
	t.Parallel()
	k := keysOnce()
	in := jwt.KeySet{Keys: []jwt.Key{
		{ID: "r", Alg: jwt.RS256, Use: "sig", Public: &k.rsa.PublicKey},
		{ID: "e1", Public: &k.p256.PublicKey},
		{ID: "e2", Public: &k.p384.PublicKey},
		{ID: "e3", Public: &k.p521.PublicKey},
	}}
	doc, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jwt.ParseKeySet(doc)
	if err != nil {
		t.Fatalf("ParseKeySet: %v", err)
	}
	if len(out.Keys) != len(in.Keys) {
		t.Fatalf("%d keys, want %d", len(out.Keys), len(in.Keys))
	}
	for i, got := range out.Keys {
		want := in.Keys[i]
		eq, _ := got.Public.(interface{ Equal(crypto.PublicKey) bool })
		if got.ID != want.ID || got.Alg != want.Alg || got.Use != want.Use || eq == nil || !eq.Equal(want.Public) {
			t.Errorf("key %d = %+v, want %+v", i, got, want)
		}
	}
}

func TestParseKeySetSkipsUnusableKeys(t *testing.T) {
	t.Parallel()
	k := keysOnce()
	good, _ := json.Marshal(jwt.KeySet{Keys: []jwt.Key{{ID: "good", Public: &k.p256.PublicKey}}})
	var doc struct{ Keys []map[string]any }
	json.Unmarshal(good, &doc)
	goodKey := doc.Keys[0]
	p256 := func(edit func(m map[string]any)) map[string]any {
		m := map[string]any{}
		for key, v := range goodKey {
			m[key] = v
		}
		edit(m)
		return m
	}
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	rsaKey := func(n *big.Int, e []byte) map[string]any {
		return map[string]any{"kty": "RSA", "kid": "r", "n": b64(n.Bytes()), "e": b64(e)}
	}
	x, _ := base64.RawURLEncoding.DecodeString(goodKey["x"].(string))
	offCurve := append([]byte(nil), x...)
	offCurve[len(offCurve)-1] ^= 1
	bad := map[string]map[string]any{
		"symmetric":        {"kty": "oct", "k": b64([]byte("secret"))},
		"Ed25519":          {"kty": "OKP", "crv": "Ed25519", "x": b64(make([]byte, 32))},
		"encryption use":   p256(func(m map[string]any) { m["use"] = "enc" }),
		"secp256k1":        p256(func(m map[string]any) { m["crv"] = "secp256k1" }),
		"short x":          p256(func(m map[string]any) { m["x"] = b64(x[1:]) }),
		"off the curve":    p256(func(m map[string]any) { m["x"] = b64(offCurve) }),
		"x not base64url":  p256(func(m map[string]any) { m["x"] = "!!" }),
		"RSA 1024 bits":    rsaKey(small.N, []byte{1, 0, 1}),
		"RSA even e":       rsaKey(k.rsa.N, []byte{1, 0, 0}),
		"RSA e of 1":       rsaKey(k.rsa.N, []byte{1}),
		"RSA e too long":   rsaKey(k.rsa.N, []byte{1, 0, 0, 0, 1}),
		"RSA no n":         {"kty": "RSA", "e": "AQAB"},
		"kid not a string": p256(func(m map[string]any) { m["kid"] = 7 }),
	}
	for name, key := range bad {
		only, _ := json.Marshal(map[string]any{"keys": []any{key}})
		if _, err := jwt.ParseKeySet(only); !errors.Is(err, jwt.ErrBadKeySet) {
			t.Errorf("%s alone: err = %v, want ErrBadKeySet", name, err)
		}
		mixed, _ := json.Marshal(map[string]any{"keys": []any{key, goodKey}})
		ks, err := jwt.ParseKeySet(mixed)
		if err != nil || len(ks.Keys) != 1 || ks.Keys[0].ID != "good" {
			t.Errorf("%s next to a good key: %+v, %v; want only the good key", name, ks, err)
		}
	}
	for _, doc := range []string{``, `[]`, `{"keys":{}}`, `{"keys":[]}`, `{}`, `null`} {
		if _, err := jwt.ParseKeySet([]byte(doc)); !errors.Is(err, jwt.ErrBadKeySet) {
			t.Errorf("ParseKeySet(%q): err = %v, want ErrBadKeySet", doc, err)
		}
	}
}

func TestMarshalKeySetRejectsUnknownKeys(t *testing.T) {
	t.Parallel()
	for _, pub := range []any{"not a key", &ecdsa.PublicKey{}} {
		if _, err := json.Marshal(jwt.KeySet{Keys: []jwt.Key{{ID: "x", Public: pub}}}); err == nil {
			t.Errorf("marshal of %T succeeded", pub)
		}
	}
}

func FuzzParse(f *testing.F) {
	ks := keysOnce().keySet(f)
	var inputs []string
	for _, alg := range algs {
		tok := mint(f, idClaims(), alg)
		f.Add(tok)
		inputs = append(inputs, tok[:len(tok)-len(lastSegment(tok))])
	}
	f.Add(unsigned(`{"alg":"none"}`, `{"aud":["a",1]}`))
	f.Add("..")
	f.Add(seg(`{"alg":"RS256"}`) + "." + seg(`{"exp":1e400}`) + ".AA")
	f.Fuzz(func(t *testing.T, compact string) {
		tok, err := jwt.Parse(compact)
		if err != nil {
			return
		}
		_ = tok.Claims.CheckTime(t0)
		_, _ = tok.Claims.CheckAudience([]string{"sts.amazonaws.com"})
		if tok.Verify(ks) != nil {
			return
		}
		// Only what the keys signed verifies: header and claims are exactly a minted token's.
		signed := compact[:len(compact)-len(lastSegment(compact))]
		for _, in := range inputs {
			if in == signed {
				return
			}
		}
		t.Fatalf("forged token verified: %q", compact)
	})
}

func FuzzParseKeySet(f *testing.F) {
	doc, _ := json.Marshal(keysOnce().keySet(f))
	f.Add(doc)
	f.Add([]byte(`{"keys":[{"kty":"EC","crv":"P-256","x":"","y":""},{"kty":"RSA","n":"AQ","e":"AQAB"}]}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		ks, err := jwt.ParseKeySet(doc)
		if err != nil {
			return
		}
		// A parsed set serializes and parses to the same number of keys.
		again, err := json.Marshal(ks)
		if err != nil {
			t.Fatalf("marshal parsed set: %v", err)
		}
		back, err := jwt.ParseKeySet(again)
		if err != nil || len(back.Keys) != len(ks.Keys) {
			t.Fatalf("re-parse: %d keys, %v; want %d", len(back.Keys), err, len(ks.Keys))
		}
	})
}

func lastSegment(tok string) string {
	for i := len(tok) - 1; i >= 0; i-- {
		if tok[i] == '.' {
			return tok[i+1:]
		}
	}
	return tok
}
