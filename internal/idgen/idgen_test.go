package idgen

import (
	"crypto/rand"
	"regexp"
	"testing"
)

func TestFormats(t *testing.T) {
	g := New(rand.Reader)
	cases := []struct {
		name string
		got  func() string
		want string
	}{
		{"user id", func() string { return g.Unique(User) }, `^AIDA[A-Z0-9]{17}$`},
		{"role id", func() string { return g.Unique(Role) }, `^AROA[A-Z0-9]{17}$`},
		{"access key", func() string { return g.AccessKeyID(LongTermKey) }, `^AKIA[A-Z2-7]{16}$`},
		{"temporary key", func() string { return g.AccessKeyID(TemporaryKey) }, `^ASIA[A-Z2-7]{16}$`},
		{"secret", g.Secret, `^[A-Za-z0-9+/]{40}$`},
		{"account", g.Account, `^[1-9][0-9]{11}$`},
		{"request id", g.RequestID, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`},
		{"hex", func() string { return g.Hex(17) }, `^[0-9a-f]{17}$`},
	}
	for _, tc := range cases {
		re := regexp.MustCompile(tc.want)
		seen := map[string]bool{}
		for range 200 {
			s := tc.got()
			if !re.MatchString(s) {
				t.Fatalf("%s: %q does not match %s", tc.name, s, tc.want)
			}
			if seen[s] {
				t.Fatalf("%s: %q drawn twice", tc.name, s)
			}
			seen[s] = true
		}
	}
}
