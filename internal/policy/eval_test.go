package policy

import (
	"fmt"
	"strings"
	"testing"

	"rolegate/internal/policy/cond"
)

var alice = Principal{Kind: User, ARN: "arn:aws:iam::111122223333:user/alice", Account: "111122223333"}

func mustCompile(t testing.TB, doc string) *Compiled {
	t.Helper()
	d, err := Parse([]byte(doc))
	if err != nil {
		t.Fatalf("Parse(%s) = %v", doc, err)
	}
	c, err := Compile(d, "p")
	if err != nil {
		t.Fatalf("Compile(%s) = %v", doc, err)
	}
	return c
}

// allowDoc is an identity policy with one Allow statement built from elements.
func allowDoc(elements string) string {
	return `{"Version":"2012-10-17","Statement":{"Effect":"Allow",` + elements + `}}`
}

func TestActionMatching(t *testing.T) {
	tests := []struct {
		elements string
		action   string
		want     bool
	}{
		{`"Action":"s3:GetObject","Resource":"*"`, "s3:GetObject", true},
		{`"Action":"IAM:listaccesskeys","Resource":"*"`, "iam:ListAccessKeys", true},
		{`"Action":"iam:*AccessKey*","Resource":"*"`, "iam:UpdateAccessKey", true},
		{`"Action":"iam:*AccessKey*","Resource":"*"`, "iam:ListUsers", false},
		{`"Action":"s3:Get?bject","Resource":"*"`, "s3:GetObject", true},
		{`"Action":"s3:Get*","Resource":"*"`, "s3:PutObject", false},
		{`"Action":"s3:*","Resource":"*"`, "s3express:CreateSession", false},
		{`"Action":"*","Resource":"*"`, "ec2:RunInstances", true},
		{`"Action":"*:Get*","Resource":"*"`, "dynamodb:GetItem", true},
		{`"Action":["s3:GetObject","ec2:Describe*"],"Resource":"*"`, "ec2:DescribeInstances", true},
		{`"NotAction":"iam:*","Resource":"*"`, "s3:GetObject", true},
		{`"NotAction":"iam:*","Resource":"*"`, "iam:CreateUser", false},
		{`"NotAction":["iam:*","sts:*"],"Resource":"*"`, "STS:AssumeRole", false},
		{`"Action":"GetObject","Resource":"*"`, "s3:GetObject", false},
	}
	for _, tc := range tests {
		c := mustCompile(t, allowDoc(tc.elements))
		r := &Request{Principal: alice, Action: tc.action, Resource: "*"}
		if got := NewSet(c).Eval(r, Identity, nil).Allow; got != tc.want {
			t.Errorf("%s on %s = %v, want %v", tc.elements, tc.action, got, tc.want)
		}
	}
}

func TestResourceMatching(t *testing.T) {
	tests := []struct {
		name     string
		version  string
		resource string // Resource or NotResource element value (JSON)
		not      bool
		req      string
		ctx      map[string]string
		want     bool
	}{
		{"exact", Version2012, `"arn:aws:s3:::b/k"`, false, "arn:aws:s3:::b/k", nil, true},
		{"no prefix semantics", Version2012, `"arn:aws:s3:::bucket"`, false, "arn:aws:s3:::bucket/key", nil, false},
		{"star crosses slashes", Version2012, `"arn:aws:s3:::bucket/*/test/*"`, false, "arn:aws:s3:::bucket/1/2/test/object.jpg", nil, true},
		{"star needs its segments", Version2012, `"arn:aws:s3:::bucket/*/test/*"`, false, "arn:aws:s3:::bucket/test/object.jpg", nil, false},
		{"resource id is case-sensitive", Version2012, `"arn:aws:iam::111122223333:user/Alice"`, false, "arn:aws:iam::111122223333:user/alice", nil, false},
		// AWS: undocumented; real values are lower case, so the first five sections are
		// compared exactly.
		{"ARN sections compare exactly", Version2012, `"arn:aws:S3:::b/k"`, false, "arn:aws:s3:::b/k", nil, false},
		{"star in region and account", Version2012, `"arn:aws:dynamodb:*:*:table/T"`, false, "arn:aws:dynamodb:us-east-1:111122223333:table/T", nil, true},
		{"star does not cross sections", Version2012, `"arn:aws:dynamodb:*:table/T"`, false, "arn:aws:dynamodb:us-east-1:111122223333:table/T", nil, false},
		{"short ARN with trailing star is padded", Version2012, `"arn:aws:s3:*"`, false, "arn:aws:s3:::bucket/key", nil, true},
		{"resource part keeps colons", Version2012, `"arn:aws:sns:us-east-1:111122223333:topic*"`, false, "arn:aws:sns:us-east-1:111122223333:topic:sub", nil, true},
		{"star matches everything", Version2012, `"*"`, false, "arn:aws:s3:::b", nil, true},
		{"wildcard-only action matches only star", Version2012, `"arn:aws:s3:::*"`, false, "*", nil, false},
		{"star matches wildcard-only action", Version2012, `"*"`, false, "*", nil, true},
		{"variable", Version2012, `"arn:aws:s3:::b/home/${aws:username}/*"`, false, "arn:aws:s3:::b/home/alice/x", map[string]string{"aws:username": "alice"}, true},
		{"variable other user", Version2012, `"arn:aws:s3:::b/home/${aws:username}/*"`, false, "arn:aws:s3:::b/home/bob/x", map[string]string{"aws:username": "alice"}, false},
		{"unresolved variable matches nothing", Version2012, `"arn:aws:s3:::b/home/${aws:username}/*"`, false, "arn:aws:s3:::b/home//x", nil, false},
		{"2008 keeps variables literal", Version2008, `"arn:aws:s3:::b/home/${aws:username}/*"`, false, "arn:aws:s3:::b/home/${aws:username}/x", map[string]string{"aws:username": "alice"}, true},
		{"2008 does not substitute", Version2008, `"arn:aws:s3:::b/home/${aws:username}/*"`, false, "arn:aws:s3:::b/home/alice/x", map[string]string{"aws:username": "alice"}, false},
		{"missing version keeps variables literal", "", `"arn:aws:s3:::b/${aws:username}"`, false, "arn:aws:s3:::b/alice", map[string]string{"aws:username": "alice"}, false},
		{"variables only in the resource part", Version2012, `"arn:aws:iam::${aws:PrincipalAccount}:user/alice"`, false, "arn:aws:iam::111122223333:user/alice", map[string]string{"aws:PrincipalAccount": "111122223333"}, false},
		{"not resource excludes", Version2012, `"arn:aws:s3:::b/*"`, true, "arn:aws:s3:::b/k", nil, false},
		{"not resource covers others", Version2012, `"arn:aws:s3:::b/*"`, true, "arn:aws:s3:::other/k", nil, true},
		{"not resource covers wildcard-only actions", Version2012, `"arn:aws:s3:::b"`, true, "*", nil, true},
		{"not resource with unresolved variable excludes nothing", Version2012, `"arn:aws:s3:::b/${aws:username}"`, true, "arn:aws:s3:::b/", nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			elem := "Resource"
			if tc.not {
				elem = "NotResource"
			}
			ver := ""
			if tc.version != "" {
				ver = `"Version":"` + tc.version + `",`
			}
			doc := `{` + ver + `"Statement":{"Effect":"Allow","Action":"*","` + elem + `":` + tc.resource + `}}`
			c := mustCompile(t, doc)
			ctx := &cond.Context{}
			for k, v := range tc.ctx {
				ctx.Set(k, v)
			}
			r := &Request{Principal: alice, Action: "s3:GetObject", Resource: tc.req, Context: ctx}
			if got := c.Eval(r, Identity, nil).Allow; got != tc.want {
				t.Errorf("%s %s vs %s = %v, want %v", elem, tc.resource, tc.req, got, tc.want)
			}
		})
	}
}

// TestNotActionWithResourceScope follows the IAM User Guide's NotAction example: Allow
// NotAction s3:DeleteBucket on arn:aws:s3:::* grants no wildcard-only action and no EC2
// action, because their resources are not S3 ARNs.
func TestNotActionWithResourceScope(t *testing.T) {
	c := mustCompile(t, allowDoc(`"NotAction":"s3:DeleteBucket","Resource":"arn:aws:s3:::*"`))
	for _, tc := range []struct {
		action, resource string
		want             bool
	}{
		{"s3:GetObject", "arn:aws:s3:::b/k", true},
		{"s3:DeleteBucket", "arn:aws:s3:::b", false},
		{"s3:ListAllMyBuckets", "*", false},
		{"ec2:RunInstances", "arn:aws:ec2:us-east-1:111122223333:instance/*", false},
	} {
		r := &Request{Principal: alice, Action: tc.action, Resource: tc.resource}
		if got := c.Eval(r, Identity, nil).Allow; got != tc.want {
			t.Errorf("%s on %s = %v, want %v", tc.action, tc.resource, got, tc.want)
		}
	}
}

func TestPrincipalMatching(t *testing.T) {
	session := Principal{Kind: AssumedRole, ARN: "arn:aws:sts::111122223333:assumed-role/app/s1", Account: "111122223333", RoleARN: "arn:aws:iam::111122223333:role/path/app"}
	fed := Principal{Kind: FederatedUser, ARN: "arn:aws:sts::111122223333:federated-user/carol", Account: "111122223333", ParentUserARN: "arn:aws:iam::111122223333:user/carol-parent"}
	root := Principal{Kind: AccountRoot, ARN: "arn:aws:iam::111122223333:root", Account: "111122223333"}
	svc := Principal{Kind: ServicePrincipal, ARN: "lambda.amazonaws.com"}
	anon := Principal{Kind: Anonymous}
	web := Principal{Kind: WebIdentity, ARN: "accounts.google.com"}
	tests := []struct {
		name      string
		principal string
		caller    Principal
		want      Grant
	}{
		{"star", `"*"`, anon, GrantAnyone},
		{"AWS star is star", `{"AWS":"*"}`, anon, GrantAnyone},
		{"user ARN", `{"AWS":"arn:aws:iam::111122223333:user/alice"}`, alice, GrantDirect},
		{"user ARN is case-sensitive", `{"AWS":"arn:aws:iam::111122223333:user/Alice"}`, alice, 0},
		{"account id", `{"AWS":"111122223333"}`, alice, GrantAccount},
		{"account root ARN means the account", `{"AWS":"arn:aws:iam::111122223333:root"}`, session, GrantAccount},
		{"other account", `{"AWS":"444455556666"}`, alice, 0},
		{"role ARN matches its sessions", `{"AWS":"arn:aws:iam::111122223333:role/path/app"}`, session, GrantRole},
		{"session ARN", `{"AWS":"arn:aws:sts::111122223333:assumed-role/app/s1"}`, session, GrantDirect},
		{"other session", `{"AWS":"arn:aws:sts::111122223333:assumed-role/app/s2"}`, session, 0},
		{"federated user", `{"AWS":"arn:aws:sts::111122223333:federated-user/carol"}`, fed, GrantDirect},
		{"parent user of federated user", `{"AWS":"arn:aws:iam::111122223333:user/carol-parent"}`, fed, GrantParentUser},
		{"root as account", `{"AWS":"111122223333"}`, root, GrantAccount},
		{"service", `{"Service":"lambda.amazonaws.com"}`, svc, GrantDirect},
		{"service does not match AWS account", `{"AWS":"111122223333"}`, svc, 0},
		{"federated provider", `{"Federated":"accounts.google.com"}`, web, GrantDirect},
		{"anonymous not matched by account", `{"AWS":"111122223333"}`, anon, 0},
		{"several grants", `{"AWS":["111122223333","arn:aws:iam::111122223333:user/alice"]}`, alice, GrantAccount | GrantDirect},
		{"canonical user names the account", `{"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}`, Principal{Kind: User, ARN: alice.ARN, Account: alice.Account, CanonicalUser: "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}, GrantAccount},
		{"canonical user unknown to the caller", `{"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}`, alice, 0},
		{"unique id of a deleted user matches nothing", `{"AWS":"AIDAJQABLZS4A3QDU576Q"}`, alice, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := mustCompile(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":`+tc.principal+`,"Action":"s3:GetObject","Resource":"*"}}`)
			r := &Request{Principal: tc.caller, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}
			out := c.Eval(r, Resource, nil)
			if out.Grants != tc.want || out.Allow != (tc.want != 0) {
				t.Errorf("grants = %b (allow %v), want %b", out.Grants, out.Allow, tc.want)
			}
		})
	}
}

// TestNotPrincipalLayers follows the documented model: a caller is exempt only when each
// layer of its identity (account; role for a session; user or session) is listed.
func TestNotPrincipalLayers(t *testing.T) {
	session := Principal{Kind: AssumedRole, ARN: "arn:aws:sts::111122223333:assumed-role/app/s1", Account: "111122223333", RoleARN: "arn:aws:iam::111122223333:role/app"}
	bob := Principal{Kind: User, ARN: "arn:aws:iam::111122223333:user/Bob", Account: "111122223333"}
	tests := []struct {
		name     string
		list     string
		caller   Principal
		boundary bool
		applies  bool
	}{
		{"user and account listed", `{"AWS":["arn:aws:iam::111122223333:user/Bob","arn:aws:iam::111122223333:root"]}`, bob, false, false},
		{"other user of the account", `{"AWS":["arn:aws:iam::111122223333:user/Bob","arn:aws:iam::111122223333:root"]}`, alice, false, true},
		{"user listed without account", `{"AWS":"arn:aws:iam::111122223333:user/Bob"}`, bob, false, true},
		{"account alone exempts nobody", `{"AWS":"111122223333"}`, bob, false, true},
		{"session with all layers", `{"AWS":["111122223333","arn:aws:iam::111122223333:role/app","arn:aws:sts::111122223333:assumed-role/app/s1"]}`, session, false, false},
		{"session without the session layer", `{"AWS":["111122223333","arn:aws:iam::111122223333:role/app"]}`, session, false, true},
		{"anonymous is never exempt", `{"AWS":"111122223333"}`, Principal{Kind: Anonymous}, false, true},
		{"star exempts everyone", `"*"`, Principal{Kind: Anonymous}, false, false},
		{"boundary makes it apply", `{"AWS":["arn:aws:iam::111122223333:user/Bob","111122223333"]}`, bob, true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := mustCompile(t, `{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":`+tc.list+`,"Action":"s3:*","Resource":"*"}}`)
			r := &Request{Principal: tc.caller, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", Boundary: tc.boundary}
			if got := c.Eval(r, Resource, nil).Deny; got != tc.applies {
				t.Errorf("deny applies = %v, want %v", got, tc.applies)
			}
		})
	}
}

func TestConditionsAreANDedAcrossOperatorsAndKeys(t *testing.T) {
	c := mustCompile(t, allowDoc(`"Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":["a","b"],"aws:RequestedRegion":"eu-west-1"},"Bool":{"aws:SecureTransport":"true"}}`))
	tests := []struct {
		ctx  map[string]string
		want bool
	}{
		{map[string]string{"aws:PrincipalTag/team": "b", "aws:RequestedRegion": "eu-west-1", "aws:SecureTransport": "true"}, true},
		{map[string]string{"aws:PrincipalTag/team": "c", "aws:RequestedRegion": "eu-west-1", "aws:SecureTransport": "true"}, false},
		{map[string]string{"aws:PrincipalTag/team": "a", "aws:RequestedRegion": "us-east-1", "aws:SecureTransport": "true"}, false},
		{map[string]string{"aws:PrincipalTag/team": "a", "aws:RequestedRegion": "eu-west-1", "aws:SecureTransport": "false"}, false},
	}
	for _, tc := range tests {
		ctx := &cond.Context{}
		for k, v := range tc.ctx {
			ctx.Set(k, v)
		}
		r := &Request{Principal: alice, Action: "s3:GetObject", Resource: "*", Context: ctx}
		if got := c.Eval(r, Identity, nil).Allow; got != tc.want {
			t.Errorf("%v: allow = %v, want %v", tc.ctx, got, tc.want)
		}
	}
}

func TestSetRecordsMatchesInOrder(t *testing.T) {
	p1 := mustCompile(t, `{"Version":"2012-10-17","Statement":[{"Sid":"Any","Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Allow","Action":"ec2:*","Resource":"*"},{"Sid":"S3","Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}`)
	p2 := mustCompile(t, `{"Version":"2012-10-17","Statement":[{"Sid":"Deny","Effect":"Deny","NotAction":"iam:*","Resource":"arn:aws:s3:::secret/*"}]}`)
	set := NewSet(p1, nil, p2)
	var acc Matches
	r := &Request{Principal: alice, Action: "s3:GetObject", Resource: "arn:aws:s3:::secret/k"}
	out := set.Eval(r, Identity, &acc)
	if !out.Allow || !out.Deny {
		t.Fatalf("outcome = %+v", out)
	}
	var got []string
	for _, m := range acc.Allows() {
		got = append(got, m.PolicyName()+"/"+m.Statement())
	}
	for _, m := range acc.Denies() {
		got = append(got, m.PolicyName()+"/"+m.Statement())
	}
	if want := "p/Any p/S3 p/Deny"; strings.Join(got, " ") != want {
		t.Errorf("matches = %v, want %s", got, want)
	}
	if set.Len() != 2 {
		t.Errorf("Len = %d", set.Len())
	}
}

func TestIndexSkipsUnrelatedServices(t *testing.T) {
	var ps []*Compiled
	for i := range 100 {
		ps = append(ps, mustCompile(t, fmt.Sprintf(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"svc%d:Get*","Resource":"*"}}`, i)))
	}
	set := NewSet(ps...)
	svc, any := set.idx.candidates("svc7")
	if len(svc) != 1 || len(any) != 0 {
		t.Errorf("candidates = %d + %d, want 1 + 0", len(svc), len(any))
	}
	r := &Request{Principal: alice, Action: "SVC7:GetThing", Resource: "*"}
	if !set.Eval(r, Identity, nil).Allow {
		t.Error("upper-case service prefix missed the index")
	}
}

func TestCompileRejectsUnknownOperator(t *testing.T) {
	d, err := Parse([]byte(allowDoc(`"Action":"*","Resource":"*","Condition":{"StringEqual":{"k":"v"}}`)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Compile(d, "p"); err == nil || err.Error() != MsgSyntax {
		t.Errorf("Compile = %v, want %q", err, MsgSyntax)
	}
}

func TestEvalAllocatesNothing(t *testing.T) {
	c := mustCompile(t, allowDoc(`"Action":["s3:Get*","s3:List*"],"Resource":"arn:aws:s3:::b/home/${aws:username}/*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"},"StringLike":{"aws:PrincipalTag/team":"${aws:username}*"}}`))
	set := NewSet(c)
	ctx := &cond.Context{}
	ctx.Set("aws:username", "alice")
	ctx.Set("aws:SourceIp", "203.0.113.9")
	ctx.Set("aws:PrincipalTag/team", "alice-team")
	r := &Request{Principal: alice, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/home/alice/x", Context: ctx}
	var acc Matches
	n := testing.AllocsPerRun(100, func() {
		acc = Matches{}
		if !set.Eval(r, Identity, &acc).Allow {
			t.Fatal("not allowed")
		}
	})
	if n != 0 {
		t.Errorf("allocs = %v", n)
	}
}
