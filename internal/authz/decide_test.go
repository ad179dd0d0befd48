package authz

import (
	"errors"
	"testing"

	"rolegate/internal/policy"
	"rolegate/internal/policy/cond"
)

const (
	local = "111122223333"
	other = "444455556666"
)

func compile(t testing.TB, name, doc string) *policy.Compiled {
	t.Helper()
	d, err := policy.Parse([]byte(doc))
	if err != nil {
		t.Fatalf("Parse(%s) = %v", doc, err)
	}
	c, err := policy.Compile(d, name)
	if err != nil {
		t.Fatalf("Compile(%s) = %v", doc, err)
	}
	return c
}

func set(t testing.TB, kind string, docs ...string) *policy.Set {
	var cs []*policy.Compiled
	for i, d := range docs {
		cs = append(cs, compile(t, kind+"["+string(rune('0'+i))+"]", d))
	}
	return policy.NewSet(cs...)
}

const (
	allowS3Get   = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`
	allowAll     = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`
	denyS3Get    = `{"Version":"2012-10-17","Statement":{"Sid":"NoGet","Effect":"Deny","Action":"s3:GetObject","Resource":"*"}}`
	allowEC2Only = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:*","Resource":"*"}}`
)

func bucketPolicy(principal string) string {
	return `{"Version":"2012-10-17","Statement":{"Sid":"Grant","Effect":"Allow","Principal":` + principal + `,"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`
}

func principal(t testing.TB, s string) policy.Principal {
	t.Helper()
	p, err := ParsePrincipal(s, "", "")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDecide(t *testing.T) {
	aliceARN := "arn:aws:iam::" + local + ":user/alice"
	sessionARN := "arn:aws:sts::" + local + ":assumed-role/app/s1"
	roleARN := "arn:aws:iam::" + local + ":role/app"
	otherUser := "arn:aws:iam::" + other + ":user/bob"
	parentARN := "arn:aws:iam::" + local + ":user/carol-parent"
	fed := &Request{Principal: Principal{Kind: policy.FederatedUser, ARN: "arn:aws:sts::" + local + ":federated-user/carol", Account: local, ParentUserARN: parentARN},
		Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", ResourceAccount: local}
	get := func(p string) *Request {
		return &Request{Principal: principal(t, p), Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", ResourceAccount: local}
	}
	tests := []struct {
		name   string
		req    *Request
		pol    func() *Policies
		effect Effect
		reason Reason
	}{
		{"no policies", get(aliceARN), func() *Policies { return &Policies{} }, ImplicitDeny, ReasonNoIdentityPolicyAllows},
		{"identity allows", get(aliceARN), func() *Policies { return &Policies{Identity: set(t, "identity", allowS3Get)} }, Allowed, ReasonIdentityAllows},
		{"other service only", get(aliceARN), func() *Policies { return &Policies{Identity: set(t, "identity", allowEC2Only)} }, ImplicitDeny, ReasonNoIdentityPolicyAllows},
		{"explicit deny wins", get(aliceARN), func() *Policies { return &Policies{Identity: set(t, "identity", allowAll, denyS3Get)} }, ExplicitDeny, ReasonDenyInIdentityPolicy},
		{"boundary limits", get(aliceARN), func() *Policies {
			return &Policies{Identity: set(t, "identity", allowAll), Boundary: compile(t, "boundary", allowEC2Only)}
		}, ImplicitDeny, ReasonNoBoundaryAllows},
		{"boundary allows", get(aliceARN), func() *Policies {
			return &Policies{Identity: set(t, "identity", allowS3Get), Boundary: compile(t, "boundary", allowAll)}
		}, Allowed, ReasonIdentityAllows},
		{"bucket policy naming the user bypasses identity and boundary", get(aliceARN), func() *Policies {
			return &Policies{Resource: compile(t, "resource", bucketPolicy(`{"AWS":"`+aliceARN+`"}`)), Boundary: compile(t, "boundary", allowEC2Only)}
		}, Allowed, ReasonResourceAllows},
		{"bucket policy naming the account needs identity", get(aliceARN), func() *Policies {
			return &Policies{Resource: compile(t, "resource", bucketPolicy(`{"AWS":"`+local+`"}`))}
		}, ImplicitDeny, ReasonNoIdentityPolicyAllows},
		{"bucket policy naming the role is limited by the session policy", get(sessionARN), func() *Policies {
			return &Policies{Resource: compile(t, "resource", bucketPolicy(`{"AWS":"`+roleARN+`"}`)), Session: set(t, "session", allowEC2Only)}
		}, ImplicitDeny, ReasonNoSessionPolicyAllows},
		{"bucket policy naming the role without session policy", get(sessionARN), func() *Policies {
			return &Policies{Resource: compile(t, "resource", bucketPolicy(`{"AWS":"`+roleARN+`"}`))}
		}, Allowed, ReasonResourceAllows},
		{"bucket policy naming the session is not limited by the session policy", get(sessionARN), func() *Policies {
			return &Policies{Resource: compile(t, "resource", bucketPolicy(`{"AWS":"`+sessionARN+`"}`)), Session: set(t, "session", allowEC2Only)}
		}, Allowed, ReasonResourceAllows},
		{"empty session policy set denies", get(sessionARN), func() *Policies {
			return &Policies{Identity: set(t, "identity", allowAll), Session: policy.NewSet()}
		}, ImplicitDeny, ReasonNoSessionPolicyAllows},
		// AWS: a federated user's session without a session policy has no permissions except
		// through policies naming the federated user; a grant to the parent user is limited
		// by the (missing) session policy.
		{"parent user named without a session policy", fed, func() *Policies {
			return &Policies{Resource: compile(t, "resource", bucketPolicy(`{"AWS":"`+parentARN+`"}`))}
		}, ImplicitDeny, ReasonNoSessionPolicyAllows},
		{"parent user named with a session policy", fed, func() *Policies {
			return &Policies{Resource: compile(t, "resource", bucketPolicy(`{"AWS":"`+parentARN+`"}`)), Session: set(t, "session", allowS3Get)}
		}, Allowed, ReasonResourceAllows},
		{"parent user named, session policy without the action", fed, func() *Policies {
			return &Policies{Resource: compile(t, "resource", bucketPolicy(`{"AWS":"`+parentARN+`"}`)), Session: set(t, "session", allowEC2Only)}
		}, ImplicitDeny, ReasonNoSessionPolicyAllows},
		{"cross-account needs the resource side", get(otherUser), func() *Policies { return &Policies{Identity: set(t, "identity", allowAll)} }, ImplicitDeny, ReasonNoResourcePolicyAllows},
		{"cross-account needs the identity side", get(otherUser), func() *Policies {
			return &Policies{Resource: compile(t, "resource", bucketPolicy(`{"AWS":"`+otherUser+`"}`))}
		}, ImplicitDeny, ReasonNoIdentityPolicyAllows},
		{"cross-account both sides", get(otherUser), func() *Policies {
			return &Policies{Identity: set(t, "identity", allowS3Get), Resource: compile(t, "resource", bucketPolicy(`{"AWS":"`+other+`"}`))}
		}, Allowed, ReasonBothAllow},
		{"anonymous with public bucket", get(""), func() *Policies { return &Policies{Resource: compile(t, "resource", bucketPolicy(`"*"`))} }, Allowed, ReasonResourceAllows},
		{"anonymous without grant", get(""), func() *Policies { return &Policies{} }, ImplicitDeny, ReasonNoResourcePolicyAllows},
		{"SCPs do not apply to anonymous", get(""), func() *Policies {
			return &Policies{Resource: compile(t, "resource", bucketPolicy(`"*"`)), SCPs: []*policy.Set{set(t, "scp", denyS3Get)}}
		}, Allowed, ReasonResourceAllows},
		{"root user in its own account", get("arn:aws:iam::" + local + ":root"), func() *Policies { return &Policies{} }, Allowed, ReasonRootUser},
		{"SCP limits the root user", get("arn:aws:iam::" + local + ":root"), func() *Policies { return &Policies{SCPs: []*policy.Set{set(t, "scp", allowEC2Only)}} }, ImplicitDeny, ReasonNoSCPAllows},
		{"SCP level without allow", get(aliceARN), func() *Policies {
			return &Policies{Identity: set(t, "identity", allowAll), SCPs: []*policy.Set{set(t, "scp", allowAll), set(t, "scp", allowEC2Only)}}
		}, ImplicitDeny, ReasonNoSCPAllows},
		{"SCP deny", get(aliceARN), func() *Policies {
			return &Policies{Identity: set(t, "identity", allowAll), SCPs: []*policy.Set{set(t, "scp", allowAll, denyS3Get)}}
		}, ExplicitDeny, ReasonDenyInSCP},
		{"empty SCP level denies", get(aliceARN), func() *Policies {
			return &Policies{Identity: set(t, "identity", allowAll), SCPs: []*policy.Set{policy.NewSet()}}
		}, ImplicitDeny, ReasonNoSCPAllows},
		{"RCP without allow", get(aliceARN), func() *Policies {
			return &Policies{Identity: set(t, "identity", allowAll), RCPs: []*policy.Set{policy.NewSet()}}
		}, ImplicitDeny, ReasonNoRCPAllows},
		{"GetCallerIdentity cannot be denied", &Request{Principal: principal(t, aliceARN), Action: "sts:GetCallerIdentity", Resource: "*"}, func() *Policies {
			return &Policies{Identity: set(t, "identity", `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}`)}
		}, Allowed, ReasonNoPermissionRequired},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := Decide(tc.req, tc.pol())
			if d.Effect != tc.effect || d.Reason != tc.reason {
				t.Errorf("Decide = %v (%s), want %v (%s)", d.Effect, d.Clause(), tc.effect, expand(clauses[tc.reason], tc.req.Action))
			}
		})
	}
}

func TestTrustPolicy(t *testing.T) {
	role := "arn:aws:iam::" + local + ":role/target"
	trustUser := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + local + `:user/alice"},"Action":"sts:AssumeRole"}}`
	trustAccount := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + local + `:root"},"Action":"sts:AssumeRole"}}`
	allowAssume := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"` + role + `"}}`
	req := &Request{Principal: principal(t, "arn:aws:iam::"+local+":user/alice"), Action: "sts:AssumeRole", Resource: role, ResourceAccount: local}
	tests := []struct {
		name   string
		pol    *Policies
		effect Effect
		reason Reason
	}{
		{"identity alone is never enough", &Policies{Identity: set(t, "identity", allowAssume)}, ImplicitDeny, ReasonNoResourcePolicyAllows},
		{"trust naming the user suffices", &Policies{Resource: compile(t, "resource", trustUser)}, Allowed, ReasonResourceAllows},
		{"trust naming the account needs identity", &Policies{Resource: compile(t, "resource", trustAccount)}, ImplicitDeny, ReasonNoIdentityPolicyAllows},
		{"trust naming the account with identity", &Policies{Resource: compile(t, "resource", trustAccount), Identity: set(t, "identity", allowAssume)}, Allowed, ReasonIdentityAllows},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := Decide(req, tc.pol)
			if d.Effect != tc.effect || d.Reason != tc.reason {
				t.Errorf("Decide = %v (%s), want %v", d.Effect, d.Clause(), tc.effect)
			}
		})
	}
}

// AWS: the "update a role trust policy" page says a caller named in the trust policy still
// needs a boundary that allows sts:AssumeRole; the general rule says resource
// policies naming a user are not limited by its boundary. The specific page is followed.
func TestTrustPolicyNamingUserIsLimitedByBoundary(t *testing.T) {
	role := "arn:aws:iam::" + local + ":role/target"
	p := &Policies{
		Resource: compile(t, "resource", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::`+local+`:user/alice"},"Action":"sts:AssumeRole"}}`),
		Boundary: compile(t, "boundary", allowS3Get),
	}
	req := &Request{Principal: principal(t, "arn:aws:iam::"+local+":user/alice"), Action: "sts:AssumeRole", Resource: role, ResourceAccount: local}
	if d := Decide(req, p); d.Effect != ImplicitDeny || d.Reason != ReasonNoBoundaryAllows {
		t.Errorf("Decide = %v (%s)", d.Effect, d.Clause())
	}
}

func TestMessage(t *testing.T) {
	req := &Request{Principal: principal(t, "arn:aws:iam::"+local+":user/alice"), Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", ResourceAccount: local}
	d := Decide(req, &Policies{})
	want := "User: arn:aws:iam::111122223333:user/alice is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k because no identity-based policy allows the s3:GetObject action"
	if got := d.Message(); got != want {
		t.Errorf("Message = %q\nwant      %q", got, want)
	}
	d = Decide(req, &Policies{Identity: set(t, "identity", allowAll), SCPs: []*policy.Set{set(t, "scp", allowAll, denyS3Get)}})
	want = "User: arn:aws:iam::111122223333:user/alice is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k with an explicit deny in a service control policy"
	if got := d.Message(); got != want {
		t.Errorf("Message = %q\nwant      %q", got, want)
	}
	if m := d.Matched(); len(m) != 1 || m[0].PolicyName() != "scp[1]" || m[0].Statement() != "NoGet" || m[0].Effect() != policy.Deny {
		t.Errorf("Matched = %+v", m)
	}
	anon := Decide(&Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}, &Policies{})
	if got := anon.Message(); got != "User: anonymous is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k because no resource-based policy allows the s3:GetObject action" {
		t.Errorf("anonymous Message = %q", got)
	}
}

func TestDecideFailsClosed(t *testing.T) {
	if d := Decide(nil, &Policies{}); d.Allowed() || d.Reason != ReasonNotEvaluated {
		t.Errorf("nil request: %v", d.Effect)
	}
	if d := Decide(&Request{}, nil); d.Allowed() || d.Reason != ReasonNotEvaluated {
		t.Errorf("nil policies: %v", d.Effect)
	}
	var zero Decision
	if zero.Allowed() || zero.Effect != ImplicitDeny {
		t.Error("the zero Decision allows")
	}
}

func TestParsePrincipal(t *testing.T) {
	tests := []struct {
		in, account, role string
		want              policy.Principal
	}{
		{"", "", "", policy.Principal{Kind: policy.Anonymous}},
		{"arn:aws:iam::111122223333:root", "", "", policy.Principal{Kind: policy.AccountRoot, ARN: "arn:aws:iam::111122223333:root", Account: local}},
		{"arn:aws:iam::111122223333:user/div/alice", "", "", policy.Principal{Kind: policy.User, ARN: "arn:aws:iam::111122223333:user/div/alice", Account: local}},
		{"arn:aws:sts::111122223333:assumed-role/app/s1", "", "arn:aws:iam::111122223333:role/path/app", policy.Principal{Kind: policy.AssumedRole, ARN: "arn:aws:sts::111122223333:assumed-role/app/s1", Account: local, RoleARN: "arn:aws:iam::111122223333:role/path/app"}},
		{"arn:aws:sts::111122223333:assumed-role/app/s1", "", "", policy.Principal{Kind: policy.AssumedRole, ARN: "arn:aws:sts::111122223333:assumed-role/app/s1", Account: local, RoleARN: "arn:aws:iam::111122223333:role/app"}},
		{"arn:aws:sts::111122223333:federated-user/carol", "", "", policy.Principal{Kind: policy.FederatedUser, ARN: "arn:aws:sts::111122223333:federated-user/carol", Account: local}},
		{"lambda.amazonaws.com", "", "", policy.Principal{Kind: policy.ServicePrincipal, ARN: "lambda.amazonaws.com"}},
		{"accounts.google.com", "", "", policy.Principal{Kind: policy.WebIdentity, ARN: "accounts.google.com"}},
		{"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com", "", "", policy.Principal{Kind: policy.WebIdentity, ARN: "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com", Account: local}},
		{"arn:aws:iam::111122223333:user/alice", other, "", policy.Principal{Kind: policy.User, ARN: "arn:aws:iam::111122223333:user/alice", Account: other}},
	}
	for _, tc := range tests {
		got, err := ParsePrincipal(tc.in, tc.account, tc.role)
		if err != nil || got != tc.want {
			t.Errorf("ParsePrincipal(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"arn:aws:iam::111122223333:role/app", "arn:aws:iam::111122223333:group/g", "arn:aws:sts::1:assumed-role/", "arn:bad"} {
		if _, err := ParsePrincipal(bad, "", ""); !errors.Is(err, ErrPrincipal) {
			t.Errorf("ParsePrincipal(%q) err = %v, want ErrPrincipal", bad, err)
		}
	}
}

func TestDecideAllocatesNothing(t *testing.T) {
	ctx := &cond.Context{}
	ctx.Set("aws:username", "alice")
	ctx.Set("aws:SourceIp", "203.0.113.7")
	p := &Policies{
		Identity: set(t, "identity", allowS3Get, `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}}`),
		Boundary: compile(t, "boundary", allowAll),
		SCPs:     []*policy.Set{set(t, "scp", allowAll)},
		Resource: compile(t, "resource", bucketPolicy(`{"AWS":"`+local+`"}`)),
	}
	req := &Request{Principal: principal(t, "arn:aws:iam::"+local+":user/alice"), Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", ResourceAccount: local, Context: ctx}
	n := testing.AllocsPerRun(200, func() {
		if d := Decide(req, p); !d.Allowed() {
			t.Fatalf("denied: %s", d.Message())
		}
	})
	if n != 0 {
		t.Errorf("Decide allocates %v times", n)
	}
}

// TestDecideConcurrently shares compiled policies between goroutines, as the server's
// cache does; run with -race.
func TestDecideConcurrently(t *testing.T) {
	p := &Policies{Identity: policy.NewSet(benchPolicies(t, 20)...), SCPs: []*policy.Set{set(t, "scp", allowAll)}}
	done := make(chan bool)
	for range 4 {
		go func() {
			req := benchRequest()
			ok := true
			for range 200 {
				ok = ok && Decide(req, p).Allowed()
			}
			done <- ok
		}()
	}
	for range 4 {
		if !<-done {
			t.Error("a concurrent decision was denied")
		}
	}
}
