package token_test

import (
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"rolegate/internal/token"
)

// t0 is the fixed "now" of these tests.
var t0 = time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)

// seeded returns a deterministic random source, so failures reproduce.
func seeded(seed byte) io.Reader {
	return rand.NewChaCha8([32]byte{seed})
}

func newRing(t testing.TB, seed byte) *token.KeyRing {
	t.Helper()
	r, err := token.NewKeyRing(seeded(seed), t0)
	if err != nil {
		t.Fatalf("NewKeyRing: %v", err)
	}
	return r
}

func seal(t testing.TB, r *token.KeyRing, s token.Session) token.Credentials {
	t.Helper()
	c, err := r.Seal(s, seeded(99))
	if err != nil {
		t.Fatalf("Seal: %v", err)
	}
	return c
}

// roleSession is a typical AssumeRole session: no session policy, two tags.
func roleSession() token.Session {
	return token.Session{
		Kind:    token.KindAssumedRole,
		Account: "111122223333",
		ARN:     "arn:aws:sts::111122223333:assumed-role/demo/sess",
		RoleARN: "arn:aws:iam::111122223333:role/service/demo",
		RoleID:  "AROA3XFRBF535PLBIFPI4",
		Name:    "sess",
		Issued:  t0,
		Expires: t0.Add(time.Hour),
		Tags:    []token.Tag{{Key: "team", Value: "payments"}, {Key: "env", Value: "prod"}},
	}
}

// largePolicy returns a compact JSON policy of about size bytes with varied statements and
// random bucket names, the kind of text a Terraform module passes as a session policy.
func largePolicy(size int) string {
	actions := []string{"s3:GetObject", "s3:PutObject", "s3:ListBucket", "dynamodb:Query",
		"dynamodb:PutItem", "sqs:SendMessage", "kms:Decrypt", "logs:CreateLogStream"}
	rng := rand.New(rand.NewPCG(7, 8))
	var b strings.Builder
	b.WriteString(`{"Version":"2012-10-17","Statement":[`)
	for i := 0; ; i++ {
		st := fmt.Sprintf(`{"Sid":"Stmt%03d","Effect":"Allow","Action":["%s","%s"],`+
			`"Resource":"arn:aws:s3:::data-%08x/prefix-%d/*",`+
			`"Condition":{"StringEquals":{"aws:PrincipalTag/team":"team-%d"}}}`,
			i, actions[i%len(actions)], actions[(i*3+1)%len(actions)], rng.Uint32(), i, i%5)
		if b.Len()+len(st)+3 > size {
			break
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(st)
	}
	b.WriteString(`]}`)
	return b.String()
}

// manyTags returns n tags whose values are UUID-like hex: text that compresses poorly.
func manyTags(n int) []token.Tag {
	rng := rand.New(rand.NewPCG(1, 2))
	tags := make([]token.Tag, n)
	for i := range tags {
		tags[i] = token.Tag{
			Key: fmt.Sprintf("attribute-%02d", i),
			Value: fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", rng.Uint32(), rng.Uint32()&0xffff,
				rng.Uint32()&0xffff, rng.Uint32()&0xffff, rng.Uint64()&0xffffffffffff),
		}
	}
	return tags
}

// largeSession is the largest session STS normally issues: a 2 KiB session policy, ten
// managed session policies, 50 session tags, some transitive, and a source identity.
func largeSession() token.Session {
	s := roleSession()
	s.Policy = largePolicy(2048)
	for i := range 10 {
		s.PolicyARNs = append(s.PolicyARNs, fmt.Sprintf("arn:aws:iam::111122223333:policy/boundary/session-%d", i))
	}
	s.Tags = manyTags(50)
	for _, t := range s.Tags[:10] {
		s.TransitiveTagKeys = append(s.TransitiveTagKeys, t.Key)
	}
	s.SourceIdentity = "alice@example.com"
	s.MFA = true
	s.MFAAuthTime = t0.Add(-time.Minute)
	s.ChainDepth = 1
	return s
}

// errReader fails every read.
type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }
