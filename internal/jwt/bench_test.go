package jwt_test

import (
	"testing"

	"rolegate/internal/jwt"
)

// BenchmarkParseVerify measures what AssumeRoleWithWebIdentity spends on a token once the JWKS
// is in hand.
func BenchmarkParseVerify(b *testing.B) {
	ks := keysOnce().keySet(b)
	for _, alg := range []string{jwt.RS256, jwt.ES256} {
		b.Run(alg, func(b *testing.B) {
			tok := mint(b, idClaims(), alg)
			b.ReportAllocs()
			for b.Loop() {
				t, err := jwt.Parse(tok)
				if err != nil {
					b.Fatal(err)
				}
				if err := t.Verify(ks); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
