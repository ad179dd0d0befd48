package jwt_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"rolegate/internal/jwt"
)

// t0 is the fixed "now" of these tests.
var t0 = time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)

// testKeys are generated once per test binary: RSA generation is slow.
type testKeys struct {
	rsa, rsaOther               *rsa.PrivateKey
	p256, p384, p521, p256Other *ecdsa.PrivateKey
}

var keysOnce = sync.OnceValue(func() testKeys {
	must := func(k *ecdsa.PrivateKey, err error) *ecdsa.PrivateKey {
		if err != nil {
			panic(err)
		}
		return k
	}
	r1, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	r2, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return testKeys{
		rsa: r1, rsaOther: r2,
		p256:      must(ecdsa.GenerateKey(elliptic.P256(), rand.Reader)),
		p384:      must(ecdsa.GenerateKey(elliptic.P384(), rand.Reader)),
		p521:      must(ecdsa.GenerateKey(elliptic.P521(), rand.Reader)),
		p256Other: must(ecdsa.GenerateKey(elliptic.P256(), rand.Reader)),
	}
})

// signer returns the key that signs alg in these tests and its kid.
func (k testKeys) signer(alg string) (crypto.Signer, string) {
	switch alg {
	case jwt.ES256:
		return k.p256, "ec256"
	case jwt.ES384:
		return k.p384, "ec384"
	case jwt.ES512:
		return k.p521, "ec521"
	}
	return k.rsa, "rsa"
}

// keySet is the provider's JWKS, passed through JSON as a provider would serve it.
func (k testKeys) keySet(t testing.TB) jwt.KeySet {
	t.Helper()
	ks := jwt.KeySet{Keys: []jwt.Key{
		{ID: "rsa", Use: "sig", Public: &k.rsa.PublicKey},
		{ID: "ec256", Alg: jwt.ES256, Public: &k.p256.PublicKey},
		{ID: "ec384", Public: &k.p384.PublicKey},
		{ID: "ec521", Public: &k.p521.PublicKey},
	}}
	doc, err := json.Marshal(ks)
	if err != nil {
		t.Fatalf("marshal JWKS: %v", err)
	}
	parsed, err := jwt.ParseKeySet(doc)
	if err != nil {
		t.Fatalf("ParseKeySet: %v", err)
	}
	return parsed
}

var algs = []string{jwt.RS256, jwt.RS384, jwt.RS512, jwt.ES256, jwt.ES384, jwt.ES512}

// idClaims are typical GitHub Actions-like ID token claims.
func idClaims() map[string]any {
	return map[string]any{
		"iss":              "https://token.actions.githubusercontent.com",
		"sub":              "repo:octo-org/octo-repo:ref:refs/heads/main",
		"aud":              "sts.amazonaws.com",
		"exp":              t0.Add(5 * time.Minute).Unix(),
		"iat":              t0.Add(-time.Minute).Unix(),
		"nbf":              t0.Add(-time.Minute).Unix(),
		"job_workflow_ref": "octo-org/octo-repo/.github/workflows/deploy.yml@refs/heads/main",
	}
}

func mint(t testing.TB, claims any, alg string) string {
	t.Helper()
	key, kid := keysOnce().signer(alg)
	tok, err := jwt.Sign(claims, alg, kid, key, rand.Reader)
	if err != nil {
		t.Fatalf("Sign(%s): %v", alg, err)
	}
	return tok
}

// seg builds a compact-JWS segment from JSON text.
func seg(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// replaceSegment swaps part i (0 header, 1 claims, 2 signature) of a token.
func replaceSegment(tok string, i int, with string) string {
	parts := strings.Split(tok, ".")
	parts[i] = with
	return strings.Join(parts, ".")
}

// parseVerify is what STS does before looking at claims.
func parseVerify(tok string, ks jwt.KeySet) (*jwt.Token, error) {
	t, err := jwt.Parse(tok)
	if err != nil {
		return nil, err
	}
	return t, t.Verify(ks)
}
