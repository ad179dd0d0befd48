package jwt_test

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"rolegate/internal/jwt"
)

func TestVerifyEachAlgorithm(t *testing.T) {
	t.Parallel()
	ks := keysOnce().keySet(t)
	for _, alg := range algs {
		t.Run(alg, func(t *testing.T) {
			t.Parallel()
			tok, err := parseVerify(mint(t, idClaims(), alg), ks)
			if err != nil {
				t.Fatalf("verify: %v", err)
			}
			_, kid := keysOnce().signer(alg)
			if tok.Header.Alg != alg || tok.Header.Kid != kid || tok.Header.Typ != "JWT" {
				t.Errorf("Header = %+v", tok.Header)
			}
			c := tok.Claims
			if c.Issuer != "https://token.actions.githubusercontent.com" || c.Subject != "repo:octo-org/octo-repo:ref:refs/heads/main" ||
				len(c.Audience) != 1 || c.Audience[0] != "sts.amazonaws.com" || !c.Expiry.Equal(t0.Add(5*time.Minute)) {
				t.Errorf("Claims = %+v", c)
			}
		})
	}
}

func TestVerifyRejectsTampering(t *testing.T) {
	t.Parallel()
	ks := keysOnce().keySet(t)
	for _, alg := range algs {
		t.Run(alg, func(t *testing.T) {
			t.Parallel()
			tok := mint(t, idClaims(), alg)
			parts := strings.Split(tok, ".")
			_, kid := keysOnce().signer(alg)
			claims := idClaims()
			claims["sub"] = "repo:evil-org/evil-repo:ref:refs/heads/main"
			evil, _ := json.Marshal(claims)
			sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
			short := base64.RawURLEncoding.EncodeToString(sig[:len(sig)-3])
			cases := []struct {
				name string
				tok  string
				want error
			}{
				{"header typ changed", replaceSegment(tok, 0, seg(`{"alg":"`+alg+`","kid":"`+kid+`","typ":"at+jwt"}`)), jwt.ErrSignature},
				{"header kid removed", replaceSegment(tok, 0, seg(`{"alg":"`+alg+`","typ":"JWT"}`)), jwt.ErrSignature},
				{"claims changed", replaceSegment(tok, 1, seg(string(evil))), jwt.ErrSignature},
				{"signature of other claims", replaceSegment(tok, 2, strings.Split(mint(t, claims, alg), ".")[2]), jwt.ErrSignature},
				{"signature truncated", replaceSegment(tok, 2, short), jwt.ErrSignature},
				{"signature emptied", tok[:len(tok)-len(parts[2])], jwt.ErrMalformed},
			}
			if n := len(parts[2]); n%4 != 0 {
				// Setting a padding bit gives another string for the same bytes: not canonical.
				const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
				last := strings.IndexByte(alphabet, parts[2][n-1])
				cases = append(cases, struct {
					name string
					tok  string
					want error
				}{"signature not canonical base64", replaceSegment(tok, 2, parts[2][:n-1]+alphabet[last|1:last|1+1]), jwt.ErrMalformed})
			}
			for _, tc := range cases {
				_, err := parseVerify(tc.tok, ks)
				if !errors.Is(err, tc.want) {
					t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
				}
			}
			// Every byte of the signature matters.
			for i := range sig {
				sig[i] ^= 1 << (i % 8)
				if _, err := parseVerify(replaceSegment(tok, 2, base64.RawURLEncoding.EncodeToString(sig)), ks); !errors.Is(err, jwt.ErrSignature) {
					t.Fatalf("signature byte %d flipped: err = %v, want ErrSignature", i, err)
				}
				sig[i] ^= 1 << (i % 8)
			}
		})
	}
}

func TestVerifyKeySelection(t *testing.T) {
	t.Parallel()
	k := keysOnce()
	tok := mint(t, idClaims(), jwt.RS256) // kid "rsa"
	es := mint(t, idClaims(), jwt.ES256)  // kid "ec256"
	noKid, err := jwt.Sign(idClaims(), jwt.RS256, "", k.rsa, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	set := func(keys ...jwt.Key) jwt.KeySet { return jwt.KeySet{Keys: keys} }
	cases := []struct {
		name string
		tok  string
		ks   jwt.KeySet
		want error
	}{
		{"kid picks the key", tok, set(jwt.Key{ID: "other", Public: &k.rsaOther.PublicKey}, jwt.Key{ID: "rsa", Public: &k.rsa.PublicKey}), nil},
		{"unknown kid", tok, set(jwt.Key{ID: "rotated", Public: &k.rsa.PublicKey}), jwt.ErrNoKey},
		{"kid names the wrong key", tok, set(jwt.Key{ID: "rsa", Public: &k.rsaOther.PublicKey}), jwt.ErrSignature},
		{"no kid tries every key", noKid, set(jwt.Key{ID: "a", Public: &k.rsaOther.PublicKey}, jwt.Key{ID: "b", Public: &k.p256.PublicKey}, jwt.Key{ID: "c", Public: &k.rsa.PublicKey}), nil},
		{"no kid and no right key", noKid, set(jwt.Key{ID: "a", Public: &k.rsaOther.PublicKey}), jwt.ErrSignature},
		{"RSA token, EC key under its kid", tok, set(jwt.Key{ID: "rsa", Public: &k.p256.PublicKey}), jwt.ErrNoKey},
		{"ES256 token, P-384 key under its kid", es, set(jwt.Key{ID: "ec256", Public: &k.p384.PublicKey}), jwt.ErrNoKey},
		{"key restricted to another alg", tok, set(jwt.Key{ID: "rsa", Alg: jwt.RS512, Public: &k.rsa.PublicKey}), jwt.ErrNoKey},
		{"encryption key", tok, set(jwt.Key{ID: "rsa", Use: "enc", Public: &k.rsa.PublicKey}), jwt.ErrNoKey},
		{"empty set", tok, jwt.KeySet{}, jwt.ErrNoKey},
	}
	for _, tc := range cases {
		if _, err := parseVerify(tc.tok, tc.ks); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
}

// TestRejectsUnsignedAndHMACTokens covers alg "none" and the RS256→HS256 confusion attack, where
// the public key is used as an HMAC secret.
func TestRejectsUnsignedAndHMACTokens(t *testing.T) {
	t.Parallel()
	ks := keysOnce().keySet(t)
	claims := seg(`{"iss":"https://issuer","sub":"x","aud":"a","exp":9999999999}`)
	pub, _ := json.Marshal(ks)
	input := seg(`{"alg":"HS256","kid":"rsa"}`) + "." + claims
	mac := hmac.New(sha256.New, pub)
	mac.Write([]byte(input))
	cases := map[string]string{
		"none":         seg(`{"alg":"none"}`) + "." + claims + ".",
		"none, signed": seg(`{"alg":"none"}`) + "." + claims + "." + seg("x"),
		"None":         seg(`{"alg":"None"}`) + "." + claims + "." + seg("x"),
		"HS256":        input + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil)),
		"PS256":        seg(`{"alg":"PS256"}`) + "." + claims + "." + seg("x"),
		"EdDSA":        seg(`{"alg":"EdDSA"}`) + "." + claims + "." + seg("x"),
		"lowercase":    seg(`{"alg":"rs256"}`) + "." + claims + "." + seg("x"),
		"missing alg":  seg(`{"kid":"rsa"}`) + "." + claims + "." + seg("x"),
	}
	for name, tok := range cases {
		if _, err := parseVerify(tok, ks); !errors.Is(err, jwt.ErrUnsupportedAlg) {
			t.Errorf("%s: err = %v, want ErrUnsupportedAlg", name, err)
		}
	}
	if _, err := jwt.Sign(map[string]any{}, "HS256", "", keysOnce().rsa, rand.Reader); !errors.Is(err, jwt.ErrUnsupportedAlg) {
		t.Errorf("Sign HS256: err = %v, want ErrUnsupportedAlg", err)
	}
}

func TestSignRejectsMismatchedKeys(t *testing.T) {
	t.Parallel()
	k := keysOnce()
	if _, err := jwt.Sign(idClaims(), jwt.ES256, "", k.rsa, rand.Reader); err == nil {
		t.Errorf("ES256 with an RSA key succeeded")
	}
	if _, err := jwt.Sign(idClaims(), jwt.ES384, "", k.p256, rand.Reader); err == nil {
		t.Errorf("ES384 with a P-256 key succeeded")
	}
	if _, err := jwt.Sign(idClaims(), jwt.RS256, "", k.p256, rand.Reader); err == nil {
		t.Errorf("RS256 with an EC key succeeded")
	}
	if _, err := jwt.Sign([]string{"not", "an", "object"}, jwt.RS256, "", k.rsa, rand.Reader); err == nil {
		t.Errorf("Sign of a JSON array succeeded")
	}
}
