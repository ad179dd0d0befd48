package token_test

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"rolegate/internal/token"
)

var (
	akidShape   = regexp.MustCompile(`^ASIA[A-Z2-7]{16}$`)
	secretShape = regexp.MustCompile(`^[A-Za-z0-9/+]{40}$`)
)

func TestSealOpenRoundTrip(t *testing.T) {
	t.Parallel()
	webIdentity := roleSession()
	webIdentity.Provider = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
	webIdentity.SourceIdentity = "octocat"
	instance := roleSession()
	instance.Name = "i-0123456789abcdef0"
	instance.ARN = "arn:aws:sts::111122223333:assumed-role/demo/i-0123456789abcdef0"
	instance.SourceInstanceARN = "arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0"
	chained := largeSession()
	chained.ChainDepth = 3
	cases := []struct {
		name string
		s    token.Session
	}{
		{"assumed role", roleSession()},
		{"web identity", webIdentity},
		{"instance profile", instance},
		{"federated user", token.Session{
			Kind: token.KindFederatedUser, Account: "111122223333",
			ARN:     "arn:aws:sts::111122223333:federated-user/vault-bob",
			UserARN: "arn:aws:iam::111122223333:user/vault", UserID: "AIDAEXAMPLEUSERID0001",
			Name: "vault-bob", Issued: t0, Expires: t0.Add(12 * time.Hour),
			Policy:     `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`,
			PolicyARNs: []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"},
		}},
		{"session token for root with MFA", token.Session{
			Kind: token.KindSessionToken, Account: "111122223333",
			ARN: "arn:aws:iam::111122223333:root", UserARN: "arn:aws:iam::111122223333:root",
			UserID: "111122223333", Issued: t0, Expires: t0.Add(time.Hour),
			MFA: true, MFAAuthTime: t0,
		}},
		{"large compressed session", largeSession()},
		{"chained", chained},
	}
	ring := newRing(t, 1)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := seal(t, ring, tc.s)
			if !akidShape.MatchString(c.AccessKeyID) {
				t.Errorf("AccessKeyID = %q, want ASIA + 16 base32 characters", c.AccessKeyID)
			}
			if !secretShape.MatchString(c.SecretAccessKey) {
				t.Errorf("SecretAccessKey has length %d or characters outside base64", len(c.SecretAccessKey))
			}
			if _, err := base64.StdEncoding.DecodeString(c.SessionToken); err != nil {
				t.Errorf("SessionToken is not base64: %v", err)
			}
			if !c.Expiration.Equal(tc.s.Expires) {
				t.Errorf("Expiration = %v, want %v", c.Expiration, tc.s.Expires)
			}
			got, secret, err := ring.Open(c.AccessKeyID, c.SessionToken, t0.Add(time.Minute))
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if secret != c.SecretAccessKey {
				t.Errorf("Open secret differs from the secret Seal issued")
			}
			if !reflect.DeepEqual(got, tc.s) {
				t.Errorf("Open session =\n%+v\nwant\n%+v", got, tc.s)
			}
		})
	}
}

func TestSealRecordsTimesToTheSecond(t *testing.T) {
	t.Parallel()
	ring := newRing(t, 1)
	s := roleSession()
	s.Issued = t0.Add(300 * time.Millisecond).In(time.FixedZone("x", 3600))
	s.Expires = s.Issued.Add(time.Hour)
	c := seal(t, ring, s)
	got, _, err := ring.Open(c.AccessKeyID, c.SessionToken, t0)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if got.Issued != t0 || got.Expires != t0.Add(time.Hour) {
		t.Errorf("times = %v, %v; want %v, %v in UTC", got.Issued, got.Expires, t0, t0.Add(time.Hour))
	}
}

func TestSealIssuesDistinctCredentials(t *testing.T) {
	t.Parallel()
	ring := newRing(t, 1)
	rnd := seeded(7)
	a, err := ring.Seal(roleSession(), rnd)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ring.Seal(roleSession(), rnd)
	if err != nil {
		t.Fatal(err)
	}
	if a.AccessKeyID == b.AccessKeyID || a.SecretAccessKey == b.SecretAccessKey || a.SessionToken == b.SessionToken {
		t.Errorf("two seals of one session share an ID, secret or token")
	}
}

// TestOpenRejectsEveryCharacterChange replaces each character of a token with every other
// byte value: no variant may open.
func TestOpenRejectsEveryCharacterChange(t *testing.T) {
	t.Parallel()
	ring := newRing(t, 1)
	c := seal(t, ring, roleSession())
	tok := []byte(c.SessionToken)
	for i := range tok {
		orig := tok[i]
		for v := 0; v < 256; v++ {
			if byte(v) == orig {
				continue
			}
			tok[i] = byte(v)
			if _, _, err := ring.Open(c.AccessKeyID, string(tok), t0); !errors.Is(err, token.ErrInvalid) {
				t.Fatalf("token with byte %d set to %#x: err = %v, want ErrInvalid", i, v, err)
			}
		}
		tok[i] = orig
	}
}

// TestOpenRejectsEveryBitFlip flips each bit of the decoded token, header, nonce, ciphertext and
// tag alike, for a raw and a compressed record.
func TestOpenRejectsEveryBitFlip(t *testing.T) {
	t.Parallel()
	ring := newRing(t, 1)
	for _, s := range []token.Session{roleSession(), largeSession()} {
		c := seal(t, ring, s)
		raw, err := base64.StdEncoding.DecodeString(c.SessionToken)
		if err != nil {
			t.Fatal(err)
		}
		for i := range raw {
			for bit := range 8 {
				raw[i] ^= 1 << bit
				_, _, err := ring.Open(c.AccessKeyID, base64.StdEncoding.EncodeToString(raw), t0)
				if !errors.Is(err, token.ErrInvalid) {
					t.Fatalf("byte %d bit %d flipped: err = %v, want ErrInvalid", i, bit, err)
				}
				raw[i] ^= 1 << bit
			}
		}
	}
}

func TestOpenRejectsTruncationAndExtension(t *testing.T) {
	t.Parallel()
	ring := newRing(t, 1)
	for _, s := range []token.Session{roleSession(), largeSession()} {
		c := seal(t, ring, s)
		for n := 0; n < len(c.SessionToken); n++ {
			if _, _, err := ring.Open(c.AccessKeyID, c.SessionToken[:n], t0); !errors.Is(err, token.ErrInvalid) {
				t.Fatalf("token cut to %d of %d characters: err = %v, want ErrInvalid", n, len(c.SessionToken), err)
			}
		}
		for _, extra := range []string{"A", "AAAA", "====", "\n", c.SessionToken} {
			if _, _, err := ring.Open(c.AccessKeyID, c.SessionToken+extra, t0); !errors.Is(err, token.ErrInvalid) {
				t.Errorf("token + %q: err = %v, want ErrInvalid", extra, err)
			}
		}
	}
}

func TestOpenRejectsOtherAccessKeyID(t *testing.T) {
	t.Parallel()
	ring := newRing(t, 1)
	c := seal(t, ring, roleSession())
	other, err := ring.Seal(roleSession(), seeded(3))
	if err != nil {
		t.Fatal(err)
	}
	flip := []byte(c.AccessKeyID)
	if flip[10] == 'A' {
		flip[10] = 'B'
	} else {
		flip[10] = 'A'
	}
	for _, id := range []string{
		other.AccessKeyID,
		string(flip),
		"AKIA" + c.AccessKeyID[4:],
		strings.ToLower(c.AccessKeyID),
		c.AccessKeyID[:19],
		c.AccessKeyID + "A",
		"",
	} {
		if _, _, err := ring.Open(id, c.SessionToken, t0); !errors.Is(err, token.ErrInvalid) {
			t.Errorf("Open(%q, token of %q): err = %v, want ErrInvalid", id, c.AccessKeyID, err)
		}
	}
}

func TestOpenExpired(t *testing.T) {
	t.Parallel()
	ring := newRing(t, 1)
	s := roleSession()
	c := seal(t, ring, s)
	if _, _, err := ring.Open(c.AccessKeyID, c.SessionToken, s.Expires.Add(-time.Second)); err != nil {
		t.Fatalf("one second before expiry: %v", err)
	}
	for _, now := range []time.Time{s.Expires, s.Expires.Add(time.Hour)} {
		got, secret, err := ring.Open(c.AccessKeyID, c.SessionToken, now)
		if !errors.Is(err, token.ErrExpired) || errors.Is(err, token.ErrInvalid) {
			t.Fatalf("Open at %v: err = %v, want ErrExpired only", now, err)
		}
		if got.ARN != s.ARN || secret != "" {
			t.Errorf("expired Open returned ARN %q and a secret of %d characters; want the session and no secret", got.ARN, len(secret))
		}
	}
	// A forged token is invalid even when the session inside would have expired.
	raw, _ := base64.StdEncoding.DecodeString(c.SessionToken)
	raw[len(raw)-1] ^= 1
	if _, _, err := ring.Open(c.AccessKeyID, base64.StdEncoding.EncodeToString(raw), s.Expires); !errors.Is(err, token.ErrInvalid) {
		t.Errorf("tampered expired token: err = %v, want ErrInvalid", err)
	}
}

func TestOpenRejectsTokenOfAnotherRing(t *testing.T) {
	t.Parallel()
	a, b := newRing(t, 1), newRing(t, 2)
	c := seal(t, a, roleSession())
	// Both rings call their first key 1, so this reaches the cipher.
	if _, _, err := b.Open(c.AccessKeyID, c.SessionToken, t0); !errors.Is(err, token.ErrInvalid) || errors.Is(err, token.ErrUnknownKey) {
		t.Errorf("err = %v, want ErrInvalid from authentication", err)
	}
}

func TestSealRejectsIncompleteSession(t *testing.T) {
	t.Parallel()
	ring := newRing(t, 1)
	cases := []struct {
		name string
		edit func(*token.Session)
	}{
		{"no kind", func(s *token.Session) { s.Kind = 0 }},
		{"unknown kind", func(s *token.Session) { s.Kind = 9 }},
		{"no account", func(s *token.Session) { s.Account = "" }},
		{"no ARN", func(s *token.Session) { s.ARN = "" }},
		{"no role ID", func(s *token.Session) { s.RoleID = "" }},
		{"no role ARN", func(s *token.Session) { s.RoleARN = "" }},
		{"no session name", func(s *token.Session) { s.Name = "" }},
		{"no issue time", func(s *token.Session) { s.Issued = time.Time{} }},
		{"expires at issue", func(s *token.Session) { s.Expires = s.Issued.Add(500 * time.Millisecond) }},
		{"longer than MaxLifetime", func(s *token.Session) { s.Expires = s.Issued.Add(token.MaxLifetime + time.Second) }},
		{"negative chain depth", func(s *token.Session) { s.ChainDepth = -1 }},
		{"federated without user", func(s *token.Session) { s.Kind = token.KindFederatedUser }},
		{"session token without user ID", func(s *token.Session) {
			s.Kind, s.UserARN = token.KindSessionToken, "arn:aws:iam::111122223333:user/u"
		}},
	}
	for _, tc := range cases {
		s := roleSession()
		tc.edit(&s)
		if _, err := ring.Seal(s, seeded(1)); err == nil {
			t.Errorf("%s: Seal succeeded", tc.name)
		}
	}
	if _, err := ring.Seal(roleSession(), errReader{}); err == nil {
		t.Errorf("Seal with a failing random source succeeded")
	}
}

// TestTokenSizes measures tokens for the session shapes STS issues and pins the 4 KiB budget for
// the largest normal session.
func TestTokenSizes(t *testing.T) {
	t.Parallel()
	ring := newRing(t, 1)
	policyOnly := roleSession()
	policyOnly.Policy = largePolicy(2048)
	tagsOnly := roleSession()
	tagsOnly.Tags = manyTags(50)
	cases := []struct {
		name string
		s    token.Session
		max  int
	}{
		{"role session, 2 tags", roleSession(), 400},
		{"2 KiB policy", policyOnly, 1200},
		{"50 tags", tagsOnly, 3000},
		{"2 KiB policy, 10 ARNs, 50 tags", largeSession(), token.MaxTokenLen - 512},
	}
	for _, tc := range cases {
		if n := len(tc.s.Policy); tc.s.Policy != "" && (n < 1900 || n > 2048) {
			t.Fatalf("%s: policy is %d bytes, want about 2 KiB", tc.name, n)
		}
		c := seal(t, ring, tc.s)
		t.Logf("%-32s token %4d characters", tc.name, len(c.SessionToken))
		if len(c.SessionToken) > tc.max {
			t.Errorf("%s: token is %d characters, budget %d", tc.name, len(c.SessionToken), tc.max)
		}
	}
}

func TestSealTooLarge(t *testing.T) {
	t.Parallel()
	ring := newRing(t, 1)
	s := roleSession()
	// 50 maximum-size tags of incompressible text cannot fit: STS answers PackedPolicyTooLarge.
	s.Tags = nil
	rnd := seeded(5)
	for i := range 50 {
		var v [192]byte
		rnd.Read(v[:])
		s.Tags = append(s.Tags, token.Tag{Key: fmt.Sprintf("k%03d", i), Value: base64.StdEncoding.EncodeToString(v[:])})
	}
	if _, err := ring.Seal(s, seeded(1)); !errors.Is(err, token.ErrTooLarge) {
		t.Errorf("err = %v, want ErrTooLarge", err)
	}
}

func TestCredentialsNeverPrintSecrets(t *testing.T) {
	t.Parallel()
	c := seal(t, newRing(t, 1), roleSession())
	var logged strings.Builder
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("issued", "creds", c)
	outputs := []string{
		fmt.Sprint(c), fmt.Sprintf("%v %+v %#v %s", c, c, c, c), fmt.Sprint(&c), logged.String(),
	}
	for _, out := range outputs {
		if strings.Contains(out, c.SecretAccessKey) || strings.Contains(out, c.SessionToken[:40]) {
			t.Errorf("output reveals a secret: %s", out)
		}
		if !strings.Contains(out, c.AccessKeyID) {
			t.Errorf("output lacks the access key ID: %s", out)
		}
	}
}

func TestPrincipalID(t *testing.T) {
	t.Parallel()
	cases := []struct {
		s    token.Session
		want string
	}{
		{token.Session{Kind: token.KindAssumedRole, RoleID: "AROAEXAMPLE", Name: "s"}, "AROAEXAMPLE:s"},
		{token.Session{Kind: token.KindFederatedUser, Account: "111122223333", Name: "bob"}, "111122223333:bob"},
		{token.Session{Kind: token.KindSessionToken, UserID: "AIDAEXAMPLE"}, "AIDAEXAMPLE"},
		{token.Session{Kind: token.KindSessionToken, UserID: "111122223333"}, "111122223333"},
	}
	for _, tc := range cases {
		if got := tc.s.PrincipalID(); got != tc.want {
			t.Errorf("%v PrincipalID() = %q, want %q", tc.s.Kind, got, tc.want)
		}
	}
}

func TestOpenAllocations(t *testing.T) {
	ring := newRing(t, 1)
	c := seal(t, ring, roleSession())
	allocs := testing.AllocsPerRun(100, func() {
		if _, _, err := ring.Open(c.AccessKeyID, c.SessionToken, t0); err != nil {
			t.Fatal(err)
		}
	})
	// Decoded token, record text, tag list, additional data and secret.
	if allocs > 6 {
		t.Errorf("Open of a typical session allocates %v times, budget 6", allocs)
	}
}

func FuzzOpen(f *testing.F) {
	ring := newRing(f, 1)
	c := seal(f, ring, roleSession())
	big := seal(f, ring, largeSession())
	f.Add(c.AccessKeyID, c.SessionToken)
	f.Add(big.AccessKeyID, big.SessionToken)
	f.Add(c.AccessKeyID, c.SessionToken[:len(c.SessionToken)/2])
	f.Add("ASIAAAAAAAAAAAAAAAAA", "AQAAAAE=")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, akid, tok string) {
		s, secret, err := ring.Open(akid, tok, t0)
		if err != nil {
			if !errors.Is(err, token.ErrInvalid) || secret != "" {
				t.Fatalf("err = %v with a %d-character secret, want ErrInvalid and none", err, len(secret))
			}
			return
		}
		// Nothing but the exact credentials Seal issued can open.
		switch {
		case akid == c.AccessKeyID && tok == c.SessionToken && secret == c.SecretAccessKey:
		case akid == big.AccessKeyID && tok == big.SessionToken && secret == big.SecretAccessKey:
		default:
			t.Fatalf("forged token opened as %s", s.ARN)
		}
	})
}

func TestAccessKeyIDNamesItsAccount(t *testing.T) {
	ring, err := token.NewKeyRing(rand.Reader, time.Unix(1700000000, 0))
	if err != nil {
		t.Fatal(err)
	}
	for _, acct := range []string{"000000000001", "111122223333", "999999999999"} {
		now := time.Unix(1700000000, 0)
		s := token.Session{Kind: token.KindFederatedUser, Account: acct, ARN: "arn:aws:sts::" + acct + ":federated-user/u",
			UserARN: "arn:aws:iam::" + acct + ":user/u", UserID: "AIDAX", Name: "u", Issued: now, Expires: now.Add(time.Hour)}
		c, err := ring.Seal(s, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := token.AccountOfAccessKeyID(c.AccessKeyID); !ok || got != acct {
			t.Errorf("AccountOfAccessKeyID(%s) = %q, %v; want %s", c.AccessKeyID, got, ok, acct)
		}
	}
	for _, bad := range []string{"", "AKIAAAAAAAAAAAAAAAAA", "ASIA!!!!!!!!!!!!!!!!", "ASIA7777777777777777"} {
		if got, ok := token.AccountOfAccessKeyID(bad); ok {
			t.Errorf("AccountOfAccessKeyID(%q) = %q; want no account", bad, got)
		}
	}
}
