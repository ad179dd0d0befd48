package gate

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"rolegate/internal/api/awserr"
	"rolegate/internal/authn"
	"rolegate/internal/authz"
	"rolegate/internal/iam"
	"rolegate/internal/token"
)

// directory is an in-memory Directory: users and roles by name with their policy texts.
type directory struct {
	users map[string]*iam.Permissions
	roles map[string]*iam.Permissions
	gen   uint64
	reads int
}

func (d *directory) UserPermissions(_ context.Context, _, name string) (*iam.User, *iam.Permissions, error) {
	d.reads++
	p, ok := d.users[name]
	if !ok {
		return nil, nil, awserr.New(awserr.NoSuchEntity, "no user")
	}
	return &iam.User{Name: name}, p, nil
}

func (d *directory) RolePermissions(_ context.Context, _, name string) (*iam.Role, *iam.Permissions, error) {
	d.reads++
	p, ok := d.roles[name]
	if !ok {
		return nil, nil, awserr.New(awserr.NoSuchEntity, "no role")
	}
	return &iam.Role{Name: name}, p, nil
}

func (d *directory) ManagedPolicyText(context.Context, string) (*iam.PolicyText, error) {
	return nil, awserr.New(awserr.NoSuchEntity, "no policy")
}

func (d *directory) Generation(string) uint64 { return d.gen }

const acct = "111122223333"

func allow(action, resource, condition string) iam.PolicyText {
	c := ""
	if condition != "" {
		c = `,"Condition":` + condition
	}
	return iam.PolicyText{Name: "p", Text: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"` + action + `","Resource":"` + resource + `"` + c + `}]}`}
}

func newCall(g *Gate, id *authn.Identity) *Call {
	return g.NewCall(Call{Ctx: context.Background(), RequestID: "r", Service: "iam", Region: "us-east-1", Identity: id,
		SourceIP: "203.0.113.7", Now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)})
}

func user(name string) *authn.Identity {
	return &authn.Identity{Kind: authn.User, Account: acct, ARN: "arn:aws:iam::" + acct + ":user/" + name, UserID: "AIDAX", UserName: name}
}

func TestGlobalKeysReachPolicies(t *testing.T) {
	cases := []struct {
		name      string
		condition string
		id        *authn.Identity
		want      bool
	}{
		{"aws:username of a user", `{"StringEquals":{"aws:username":"alice"}}`, user("alice"), true},
		{"aws:SourceIp", `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, user("alice"), true},
		{"aws:SourceIp outside", `{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, user("alice"), false},
		{"aws:PrincipalTag of the user", `{"StringEquals":{"aws:PrincipalTag/team":"red"}}`, user("alice"), true},
		{"aws:CurrentTime", `{"DateGreaterThan":{"aws:CurrentTime":"2026-01-01T00:00:00Z"}}`, user("alice"), true},
		{"aws:EpochTime", `{"NumericEquals":{"aws:EpochTime":"1767323045"}}`, user("alice"), true},
		{"aws:MultiFactorAuthPresent is absent for long-term keys", `{"Null":{"aws:MultiFactorAuthPresent":"true"}}`, user("alice"), true},
		{"aws:PrincipalType", `{"StringEquals":{"aws:PrincipalType":"User"}}`, user("alice"), true},
		{"aws:RequestedRegion of IAM is us-east-1", `{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}`, user("alice"), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := &directory{users: map[string]*iam.Permissions{"alice": {
				Identity: []iam.PolicyText{allow("iam:GetUser", "*", tc.condition)},
				Tags:     []iam.Tag{{Key: "team", Value: "red"}},
			}}}
			g := New(Config{Directory: d})
			err := newCall(g, tc.id).Authorize(Check{Action: "iam:GetUser", Resource: "arn:aws:iam::" + acct + ":user/alice"})
			if got := err == nil; got != tc.want {
				t.Fatalf("allowed = %v (%v), want %v", got, err, tc.want)
			}
		})
	}
}

func TestSessionTagsOverrideRoleTags(t *testing.T) {
	d := &directory{roles: map[string]*iam.Permissions{"app": {
		Identity: []iam.PolicyText{allow("s3:ListBucket", "*", `{"StringEquals":{"aws:PrincipalTag/env":"prod"}}`)},
		Tags:     []iam.Tag{{Key: "env", Value: "dev"}},
	}}}
	g := New(Config{Directory: d})
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s := &token.Session{Kind: token.KindAssumedRole, Account: acct, ARN: "arn:aws:sts::" + acct + ":assumed-role/app/s",
		RoleARN: "arn:aws:iam::" + acct + ":role/app", RoleID: "AROAX", Name: "s", Issued: now, Expires: now.Add(time.Hour),
		Tags: []token.Tag{{Key: "ENV", Value: "prod"}}}
	id := authn.SessionIdentity(s, "ASIAX")
	if err := newCall(g, id).Authorize(Check{Action: "s3:ListBucket", Resource: "arn:aws:s3:::b"}); err != nil {
		t.Fatalf("a session tag (keys compare case-insensitively) must override the role's tag: %v", err)
	}
	s.Tags = nil
	if err := newCall(g, authn.SessionIdentity(s, "ASIAX")).Authorize(Check{Action: "s3:ListBucket", Resource: "arn:aws:s3:::b"}); err == nil {
		t.Fatal("without the session tag the role's own tag applies and the condition fails")
	}
}

func TestFailsClosed(t *testing.T) {
	d := &directory{users: map[string]*iam.Permissions{"alice": {Identity: []iam.PolicyText{allow("*", "*", "")}}}}
	g := New(Config{Directory: d})
	cases := []struct {
		name string
		id   *authn.Identity
		chk  Check
	}{
		{"no action named", user("alice"), Check{Resource: "*"}},
		{"no resource named", user("alice"), Check{Action: "iam:GetUser"}},
		{"a user that no longer exists", user("bob"), Check{Action: "iam:GetUser", Resource: "*"}},
		{"a role session whose role is gone", &authn.Identity{Kind: authn.AssumedRole, Account: acct, ARN: "arn:aws:sts::" + acct + ":assumed-role/gone/s",
			RoleARN: "arn:aws:iam::" + acct + ":role/gone", RoleName: "gone", Session: &token.Session{}}, Check{Action: "iam:GetUser", Resource: "*"}},
		{"a resource policy that does not parse", user("alice"), Check{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", ResourcePolicy: "{not json"}},
		{"an anonymous caller", &authn.Identity{Kind: authn.Anonymous}, Check{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", ResourceAccount: acct}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := newCall(g, tc.id).Authorize(tc.chk)
			var e *awserr.Error
			if !errors.As(err, &e) || e.Code != awserr.AccessDenied {
				t.Fatalf("Authorize = %v, want AccessDenied", err)
			}
		})
	}
}

func TestDenialsSayWhy(t *testing.T) {
	d := &directory{users: map[string]*iam.Permissions{"alice": {Identity: []iam.PolicyText{
		{Name: "deny", Text: `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:DeleteUser","Resource":"*"}]}`}}}}}
	var seen *authz.Decision
	g := New(Config{Directory: d, Encode: func(p []byte) string { return "enc:" + string(p) },
		Decided: func(_ *Call, _ *Check, dec *authz.Decision) { c := *dec; seen = &c }})
	err := newCall(g, user("alice")).Authorize(Check{Action: "iam:DeleteUser", Resource: "arn:aws:iam::" + acct + ":user/bob"})
	var e *awserr.Error
	if !errors.As(err, &e) || !strings.Contains(e.Message, "with an explicit deny in an identity-based policy") {
		t.Fatalf("denial = %v", err)
	}
	if seen == nil || seen.Effect != authz.ExplicitDeny {
		t.Fatalf("decision observed = %+v", seen)
	}
	if len(e.Fields) != 1 || e.Fields[0].Name != EncodedMessageField || !strings.Contains(e.Fields[0].Value, `"explicitDeny":true`) {
		t.Fatalf("encoded message = %+v", e.Fields)
	}
	web := &authn.Identity{Kind: authn.WebIdentity, ARN: "arn:aws:iam::" + acct + ":oidc-provider/x"}
	err = newCall(g, web).Authorize(Check{Action: "sts:AssumeRoleWithWebIdentity", Resource: "arn:aws:iam::" + acct + ":role/r", ResourceAccount: acct})
	if !errors.As(err, &e) || e.Message != "Not authorized to perform sts:AssumeRoleWithWebIdentity" {
		t.Fatalf("web identity denial = %v", err)
	}
}

func TestCompiledPermissionsAreCachedPerGeneration(t *testing.T) {
	d := &directory{users: map[string]*iam.Permissions{"alice": {Identity: []iam.PolicyText{allow("iam:GetUser", "*", "")}}}}
	g := New(Config{Directory: d})
	for range 5 {
		if err := newCall(g, user("alice")).Authorize(Check{Action: "iam:GetUser", Resource: "*"}); err != nil {
			t.Fatal(err)
		}
	}
	if d.reads != 1 {
		t.Fatalf("permissions read %d times for one generation, want 1", d.reads)
	}
	d.gen++
	d.users["alice"] = &iam.Permissions{}
	if err := newCall(g, user("alice")).Authorize(Check{Action: "iam:GetUser", Resource: "*"}); err == nil {
		t.Fatal("a new generation must reload permissions: the policy was removed")
	}
}

func BenchmarkAuthorize(b *testing.B) {
	d := &directory{users: map[string]*iam.Permissions{"alice": {Identity: []iam.PolicyText{
		allow("sts:AssumeRole", "arn:aws:iam::*:role/*", `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`)}}}}
	g := New(Config{Directory: d})
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acct + `:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x1"}}}]}`
	c := newCall(g, user("alice"))
	chk := Check{Action: "sts:AssumeRole", Resource: "arn:aws:iam::" + acct + ":role/r", ResourcePolicy: trust,
		Keys: []Key{{Name: "sts:ExternalId", Values: []string{"x1"}}, {Name: "sts:RoleSessionName", Values: []string{"s"}}}}
	b.ReportAllocs()
	for b.Loop() {
		if err := c.Authorize(chk); err != nil {
			b.Fatal(err)
		}
	}
}
