package authz

import (
	"fmt"
	"testing"

	"rolegate/internal/policy"
	"rolegate/internal/policy/cond"
)

// benchPolicies returns n identity policies of five statements each. The first ten are a
// realistic mix over ten services with conditions and policy variables; the rest name
// other services (svc0..svc199), as a principal's unrelated policies would.
func benchPolicies(t testing.TB, n int) []*policy.Compiled {
	return benchPoliciesFor(t, n, []string{"s3", "ec2", "dynamodb", "iam", "sts", "kms", "lambda", "sqs", "sns", "logs"})
}

func benchPoliciesFor(t testing.TB, n int, services []string) []*policy.Compiled {
	var out []*policy.Compiled
	for i := range n {
		svc := services[i%len(services)]
		if i >= 10 {
			svc = fmt.Sprintf("svc%d", i%200)
		}
		doc := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[
			{"Sid":"Read","Effect":"Allow","Action":["%[1]s:Get*","%[1]s:List*","%[1]s:Describe*"],"Resource":"arn:aws:%[1]s:::home/${aws:username}/*","Condition":{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","198.51.100.0/24"]}}},
			{"Sid":"Write","Effect":"Allow","Action":["%[1]s:Put*","%[1]s:Create*"],"Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"},"Bool":{"aws:SecureTransport":"true"}}},
			{"Sid":"Window","Effect":"Allow","Action":"%[1]s:Update*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"},"ForAllValues:StringEquals":{"aws:TagKeys":["team","env"]}}},
			{"Sid":"NoDelete","Effect":"Deny","Action":"%[1]s:Delete*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalTag/role":"admin"}}},
			{"Sid":"Region","Effect":"Deny","Action":"%[1]s:*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["eu-west-1","eu-central-1"]}}}
		]}`, svc)
		out = append(out, compile(t, fmt.Sprintf("identity[%d]", i), doc))
	}
	return out
}

func benchRequest() *Request {
	ctx := &cond.Context{}
	for k, v := range map[string]string{
		"aws:username":          "alice",
		"aws:userid":            "AIDAEXAMPLEALICE",
		"aws:PrincipalArn":      "arn:aws:iam::111122223333:user/alice",
		"aws:PrincipalAccount":  "111122223333",
		"aws:PrincipalType":     "User",
		"aws:PrincipalTag/team": "blue",
		"aws:SourceIp":          "203.0.113.7",
		"aws:SecureTransport":   "true",
		"aws:CurrentTime":       "2025-06-01T12:00:00Z",
		"aws:EpochTime":         "1748779200",
		"aws:RequestedRegion":   "eu-west-1",
		"aws:ViaAWSService":     "false",
		"aws:UserAgent":         "aws-cli/2.15",
		"aws:ResourceAccount":   "111122223333",
		"aws:ResourceTag/team":  "blue",
	} {
		ctx.Set(k, v)
	}
	ctx.SetMulti("aws:TagKeys", []string{"team"})
	return &Request{
		Principal:       policy.Principal{Kind: policy.User, ARN: "arn:aws:iam::111122223333:user/alice", Account: "111122223333"},
		Action:          "s3:GetObject",
		Resource:        "arn:aws:s3:::home/alice/report.csv",
		ResourceAccount: "111122223333",
		Context:         ctx,
	}
}

func benchmarkDecide(b *testing.B, policies []*policy.Compiled) {
	p := &Policies{
		Identity: policy.NewSet(policies...),
		SCPs:     []*policy.Set{set(b, "scp", allowAll)},
	}
	req := benchRequest()
	if d := Decide(req, p); !d.Allowed() {
		b.Fatalf("benchmark request denied: %s", d.Message())
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		Decide(req, p)
	}
}

// BenchmarkDecide10Policies decides for a principal with 10 policies and 50 statements.
func BenchmarkDecide10Policies(b *testing.B) { benchmarkDecide(b, benchPolicies(b, 10)) }

// BenchmarkDecide1000Policies adds 990 policies about unrelated services.
func BenchmarkDecide1000Policies(b *testing.B) { benchmarkDecide(b, benchPolicies(b, 1000)) }

// BenchmarkDecide50S3Statements is the worst case for 10 policies: all 50 statements are
// about the request's service, so the index skips none of them.
func BenchmarkDecide50S3Statements(b *testing.B) {
	benchmarkDecide(b, benchPoliciesFor(b, 10, []string{"s3"}))
}

// BenchmarkDecideDenied measures an implicit deny, which walks the same statements.
func BenchmarkDecideDenied(b *testing.B) {
	p := &Policies{Identity: policy.NewSet(benchPolicies(b, 10)...)}
	req := benchRequest()
	req.Resource = "arn:aws:s3:::home/bob/report.csv"
	if d := Decide(req, p); d.Allowed() {
		b.Fatal("benchmark request allowed")
	}
	b.ReportAllocs()
	for b.Loop() {
		Decide(req, p)
	}
}

func TestBenchmarkPoliciesHaveFiftyStatements(t *testing.T) {
	n := 0
	for _, c := range benchPolicies(t, 10) {
		n += len(c.Document().Statement)
	}
	if n != 50 {
		t.Errorf("statements = %d, want 50", n)
	}
}

func TestDecideWithManyPoliciesAllocatesNothing(t *testing.T) {
	p := &Policies{Identity: policy.NewSet(benchPolicies(t, 1000)...)}
	req := benchRequest()
	if n := testing.AllocsPerRun(50, func() { Decide(req, p) }); n != 0 {
		t.Errorf("allocs = %v", n)
	}
}
