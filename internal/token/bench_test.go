package token_test

import (
	"testing"

	"rolegate/internal/token"
)

var benchSessions = []struct {
	name string
	s    func() token.Session
}{
	{"typical", roleSession},
	{"large", largeSession},
}

func BenchmarkSeal(b *testing.B) {
	for _, bs := range benchSessions {
		b.Run(bs.name, func(b *testing.B) {
			ring := newRing(b, 1)
			s := bs.s()
			rnd := seeded(1)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ring.Seal(s, rnd); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkOpen(b *testing.B) {
	for _, bs := range benchSessions {
		b.Run(bs.name, func(b *testing.B) {
			ring := newRing(b, 1)
			c := seal(b, ring, bs.s())
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := ring.Open(c.AccessKeyID, c.SessionToken, t0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkOpenRejected measures the cost an attacker can impose with forged tokens.
func BenchmarkOpenRejected(b *testing.B) {
	ring := newRing(b, 1)
	c := seal(b, ring, largeSession())
	forged := []byte(c.SessionToken)
	forged[len(forged)/2] ^= 1
	tok := string(forged)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := ring.Open(c.AccessKeyID, tok, t0); err == nil {
			b.Fatal("forged token opened")
		}
	}
}
