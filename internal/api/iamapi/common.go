package iamapi

import (
	"context"
	"strings"
	"time"

	"rolegate/internal/api/awserr"
	"rolegate/internal/api/query"
	"rolegate/internal/gate"
	"rolegate/internal/iam"
	"rolegate/internal/org"
)

// API holds what the IAM operations need.
type API struct {
	IAM *iam.Service
	Org *org.Service
}

// accountCreated returns when the caller's account was created (the root user's CreateDate).
func (a *API) accountCreated(c *gate.Call) time.Time {
	if acct, err := a.Org.Account(c.Ctx, c.Account()); err == nil {
		return acct.Created
	}
	return time.Time{}
}

// Service returns the IAM Query service with its full operation table.
func (a *API) Service() *query.Service {
	var ops []query.Op
	families := [][]query.Op{a.userOps(), a.groupOps(), a.roleOps(), a.policyOps(), a.attachOps(),
		a.inlineOps(), a.keyOps(), a.loginOps(), a.profileOps(), a.oidcOps(), a.mfaOps(), a.detailsOps(),
		a.miscOps()}
	for _, family := range families {
		ops = append(ops, family...)
	}
	return query.NewService("iam", query.IAMNamespace, "2010-05-08", ops)
}

// arn builds an IAM ARN in the caller's account: arn:aws:iam::ACCOUNT:<resource>.
func arn(c *gate.Call, resource string) string {
	return "arn:aws:iam::" + c.Account() + ":" + resource
}

// page reads Marker and MaxItems (1..1000).
func page(ck *query.Check, p query.Params) iam.Page {
	var pg iam.Page
	if m, ok := p.Opt("Marker"); ok {
		ck.Len("marker", m, 1, 320)
		pg.Marker = m
	}
	if n, ok := ck.Int(p, "MaxItems", "maxItems", 1, 1000); ok {
		pg.MaxItems = int(n)
	}
	return pg
}

// listResult carries IAM's pagination members.
type listResult struct {
	IsTruncated bool
	Marker      string `xml:",omitempty"`
}

func truncated(next string) listResult { return listResult{IsTruncated: next != "", Marker: next} }

// name reads a required IAM name parameter (users, groups, roles, policies, profiles).
func name(ck *query.Check, p query.Params, param, field string, max int) string {
	v := ck.Required(p, param, field)
	if p.Has(param) {
		ck.Len(field, v, 1, max)
		ck.Chars(field, v, query.NameChar, query.NamePattern)
	}
	return v
}

// path reads an optional Path parameter: "/" or "/a/b/".
func path(ck *query.Check, p query.Params, param, field string) string {
	v, ok := p.Opt(param)
	if !ok {
		return ""
	}
	ck.Len(field, v, 1, 512)
	if v != "/" && (!strings.HasPrefix(v, "/") || !strings.HasSuffix(v, "/") || len(v) < 3) {
		ck.Fail(field, v, `must satisfy regular expression pattern: (\u002F)|(\u002F[\u0021-\u007E]+\u002F)`)
	} else {
		ck.Chars(field, v, func(r rune) bool { return r >= 0x21 && r <= 0x7E }, `(\u002F)|(\u002F[\u0021-\u007E]+\u002F)`)
	}
	return v
}

// pathPrefix reads an optional PathPrefix parameter.
func pathPrefix(ck *query.Check, p query.Params) string {
	v, ok := p.Opt("PathPrefix")
	if !ok {
		return "/"
	}
	ck.Len("pathPrefix", v, 1, 512)
	if !strings.HasPrefix(v, "/") {
		ck.Fail("pathPrefix", v, `must satisfy regular expression pattern: \u002F[\u0021-\u007F]*`)
	}
	return v
}

// document reads a required policy document parameter.
func document(ck *query.Check, p query.Params, param, field string) string {
	v := ck.Required(p, param, field)
	if p.Has(param) {
		ck.Len(field, v, 1, 131072)
		ck.Chars(field, v, query.PolicyChar, query.PolicyPattern)
	}
	return v
}

// policyARN reads a required policy ARN parameter.
func policyARN(ck *query.Check, p query.Params, param, field string) string {
	v := ck.Required(p, param, field)
	if p.Has(param) {
		ck.Len(field, v, 20, 2048)
	}
	return v
}

// tags reads a Tags list and checks it as the model and IAM do.
func tags(ck *query.Check, p query.Params) []iam.Tag {
	var out []iam.Tag
	for i, t := range p.Structs("Tags") {
		k, v := t.String("Key"), t.String("Value")
		field := "tags." + itoa(i+1) + ".member"
		ck.Len(field+".key", k, 1, 128)
		ck.Chars(field+".key", k, tagChar, `[\p{L}\p{Z}\p{N}_.:/=+\-@]+`)
		ck.Len(field+".value", v, 0, 256)
		ck.Chars(field+".value", v, tagChar, `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`)
		out = append(out, iam.Tag{Key: k, Value: v})
	}
	if len(out) > 50 {
		ck.Fail("tags", itoa(len(out)), "must have length less than or equal to 50")
	}
	return out
}

// tagKeys reads a TagKeys list (at most 50 keys of 1..128 tag characters).
func tagKeys(ck *query.Check, p query.Params) []string {
	keys := p.List("TagKeys")
	if keys == nil {
		ck.Required(p, "TagKeys", "tagKeys")
	}
	if len(keys) > 50 {
		ck.Fail("tagKeys", listValue(keys), "must have length less than or equal to 50")
	}
	members(ck, "tagKeys", keys, lengthRule(1, 128), charsRule(tagChar, `[\p{L}\p{Z}\p{N}_.:/=+\-@]+`))
	return keys
}

// checkTags rejects reserved tag keys.
func checkTags(ts []iam.Tag) error {
	for _, t := range ts {
		if strings.HasPrefix(strings.ToLower(t.Key), "aws:") {
			return awserr.New(awserr.InvalidInput, "User-provided tag keys cannot start with 'aws:'.")
		}
	}
	return iam.CheckNewTags(ts)
}

func tagChar(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r > 0x7f ||
		strings.ContainsRune(" _.:/=+-@", r)
}

func itoa(n int) string {
	const digits = "0123456789"
	if n < 10 {
		return digits[n : n+1]
	}
	return itoa(n/10) + digits[n%10:n%10+1]
}

// requestTagKeys returns the condition keys a request carrying tags adds: aws:RequestTag/K per
// tag and aws:TagKeys.
func requestTagKeys(ts []iam.Tag) []gate.Key {
	if len(ts) == 0 {
		return nil
	}
	keys := make([]gate.Key, 0, len(ts)+1)
	names := make([]string, len(ts))
	for i, t := range ts {
		keys = append(keys, gate.Key{Name: "aws:RequestTag/" + t.Key, Values: []string{t.Value}})
		names[i] = t.Key
	}
	return append(keys, gate.Key{Name: "aws:TagKeys", Values: names})
}

// members returns the tags of a possibly nil list.
func (l *tagListXML) members() []tagXML {
	if l == nil {
		return nil
	}
	return l.Member
}

type tagXML struct {
	Key   string
	Value string
}

// tagListXML is an optional Tags member: <Tags><member>…</member></Tags>.
type tagListXML struct {
	Member []tagXML `xml:"member"`
}

// tagList renders tags; nil when there are none so that a `xml:",omitempty"` field leaves the
// element out. (A "Tags>member,omitempty" path would still write an empty <Tags></Tags>.)
func tagList(ts []iam.Tag) *tagListXML {
	if len(ts) == 0 {
		return nil
	}
	out := &tagListXML{Member: make([]tagXML, len(ts))}
	for i, t := range ts {
		out.Member[i] = tagXML{t.Key, t.Value}
	}
	return out
}

// tagsPage returns one page of a tag list for the List*Tags operations.
func tagsPage(ts []iam.Tag, pg iam.Page) (any, error) {
	start := 0
	if pg.Marker != "" {
		n := 0
		for _, ch := range pg.Marker {
			if ch < '0' || ch > '9' {
				return nil, awserr.New(awserr.InvalidInput, "Invalid Marker.")
			}
			n = n*10 + int(ch-'0')
		}
		start = n
	}
	if start > len(ts) {
		start = len(ts)
	}
	max := pg.MaxItems
	if max <= 0 {
		max = 100
	}
	end := min(start+max, len(ts))
	next := ""
	if end < len(ts) {
		next = itoa(end)
	}
	return struct {
		Tags tagListXML
		listResult
	}{Tags: tagListXML{Member: tagList(ts[start:end]).members()}, listResult: truncated(next)}, nil
}

// boundaryXML is the PermissionsBoundary member of users and roles.
type boundaryXML struct {
	PermissionsBoundaryType string
	PermissionsBoundaryArn  string
}

func boundary(arn string) *boundaryXML {
	if arn == "" {
		return nil
	}
	return &boundaryXML{"PermissionsBoundaryPolicy", arn}
}

// ctx returns the request context.
func ctx(c *gate.Call) context.Context { return c.Ctx }

// described completes chk with what the entity load finds adds to it (its ARN with its path, its
// tags); an entity that does not exist leaves chk as built, since AWS authorizes before it looks.
func described[T any](chk gate.Check, load func() (*T, error), describe func(*gate.Check, *T)) (gate.Check, error) {
	v, err := load()
	switch {
	case err == nil:
		describe(&chk, v)
	case !iam.IsNoSuchEntity(err):
		return chk, err
	}
	return chk, nil
}

// boundaryKey adds iam:PermissionsBoundary for the actions AWS documents it on, when the entity
// has a boundary.
func boundaryKey(chk *gate.Check, action, boundary string) {
	if boundary != "" && boundaryKeyed(action) {
		chk.Keys = append(chk.Keys, gate.Key{Name: "iam:PermissionsBoundary", Values: []string{boundary}})
	}
}
