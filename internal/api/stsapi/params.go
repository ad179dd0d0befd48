package stsapi

import (
	"strings"
	"time"

	"rolegate/internal/api/query"
	"rolegate/internal/gate"
	"rolegate/internal/token"
)

// sessionParams are the parameters AssumeRole* and GetFederationToken share.
type sessionParams struct {
	duration   time.Duration
	policy     string
	policyARNs []string
	tags       []token.Tag
	transitive []string
}

func wordChar(extra string) func(rune) bool {
	return func(r rune) bool {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || strings.ContainsRune(extra, r)
	}
}

func tagChar(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r > 0x7f ||
		strings.ContainsRune(" _.:/=+-@", r)
}

// readSession reads DurationSeconds (within min..max), Policy, PolicyArns, Tags and
// TransitiveTagKeys.
func readSession(ck *query.Check, p query.Params, min, max int64) sessionParams {
	var sp sessionParams
	if n, ok := ck.Int(p, "DurationSeconds", "durationSeconds", min, max); ok {
		sp.duration = time.Duration(n) * time.Second
	}
	if p.Has("Policy") {
		sp.policy = p.String("Policy")
		ck.Len("policy", sp.policy, 1, -1)
		ck.Chars("policy", sp.policy, query.PolicyChar, `[\u0009\u000A\u000D\u0020-\u00FF]+`)
	}
	for i, d := range p.Structs("PolicyArns") {
		a := d.String("arn")
		ck.Len("policyArns."+itoa(i+1)+".member.arn", a, 20, 2048)
		sp.policyARNs = append(sp.policyARNs, a)
	}
	if len(sp.policyARNs) > 10 {
		ck.Fail("policyArns", itoa(len(sp.policyARNs)), "must have length less than or equal to 10")
	}
	for i, t := range p.Structs("Tags") {
		k, v := t.String("Key"), t.String("Value")
		f := "tags." + itoa(i+1) + ".member"
		ck.Len(f+".key", k, 1, 128)
		ck.Chars(f+".key", k, tagChar, `[\p{L}\p{Z}\p{N}_.:/=+\-@]+`)
		ck.Len(f+".value", v, 0, 256)
		ck.Chars(f+".value", v, tagChar, `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`)
		sp.tags = append(sp.tags, token.Tag{Key: k, Value: v})
	}
	if len(sp.tags) > 50 {
		ck.Fail("tags", itoa(len(sp.tags)), "must have length less than or equal to 50")
	}
	for i, k := range p.List("TransitiveTagKeys") {
		ck.Len("transitiveTagKeys."+itoa(i+1)+".member", k, 1, 128)
		sp.transitive = append(sp.transitive, k)
	}
	if len(sp.transitive) > 50 {
		ck.Fail("transitiveTagKeys", itoa(len(sp.transitive)), "must have length less than or equal to 50")
	}
	return sp
}

// tagKeys returns the condition keys of session tags: aws:RequestTag/K, aws:TagKeys and
// sts:TransitiveTagKeys.
func (sp *sessionParams) tagKeys() []gate.Key {
	var keys []gate.Key
	if len(sp.tags) > 0 {
		names := make([]string, len(sp.tags))
		for i, t := range sp.tags {
			keys = append(keys, gate.Key{Name: "aws:RequestTag/" + t.Key, Values: []string{t.Value}})
			names[i] = t.Key
		}
		keys = append(keys, gate.Key{Name: "aws:TagKeys", Values: names})
	}
	if sp.transitive != nil {
		keys = append(keys, gate.Key{Name: "sts:TransitiveTagKeys", Values: sp.transitive})
	}
	return keys
}

// tagged reports whether the request passes session tags (which needs sts:TagSession).
func (sp *sessionParams) tagged() bool { return len(sp.tags) > 0 || len(sp.transitive) > 0 }

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
