package seed

import "strings"

// The fixed principal and role of the bench account, the same at every store size so that the
// harness measures the same request against more and more unrelated state.
const (
	BenchUser      = "bench-caller"
	BenchUserPath  = "/bench/"
	BenchGroup     = "bench-callers"
	BenchRole      = "bench-target"
	BenchPolicy    = "bench-caller-access"
	BenchTeam      = "platform-bench"
	BenchExternal  = "rolegate-bench"
	BenchRegion    = "us-east-1"
	benchInline    = "bench-target-inline"
	benchAccountNm = "bench"
)

// BenchUserARN returns the ARN of the bench user in account acct.
func BenchUserARN(acct string) string {
	return "arn:aws:iam::" + acct + ":user" + BenchUserPath + BenchUser
}

// BenchRoleARN returns the ARN of the bench role in account acct.
func BenchRoleARN(acct string) string { return "arn:aws:iam::" + acct + ":role/" + BenchRole }

// BenchBucket returns the bucket the harness reads its object from in account acct.
func BenchBucket(acct string) string { return "rolegate-bench-" + acct }

// BenchCallerPolicy is the bench user's own managed policy: it may assume the bench roles from
// loopback in the bench region, read its account's IAM entities, and read and write objects of the bench buckets when
// tagged with the bench team.
func BenchCallerPolicy(acct string) string {
	return strings.ReplaceAll(`{"Version":"2012-10-17","Statement":[`+
		`{"Sid":"AssumeBenchRoles","Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::ACCT:role/bench-*",`+
		`"Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"},"IpAddress":{"aws:SourceIp":["127.0.0.0/8","::1/128"]}}},`+
		`{"Sid":"ReadRoles","Effect":"Allow","Action":"iam:GetRole","Resource":"arn:aws:iam::ACCT:role/*"},`+
		`{"Sid":"ReadIAM","Effect":"Allow","Action":["iam:Get*","iam:List*"],"Resource":"*"},`+
		`{"Sid":"BenchObjects","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::rolegate-bench-*/*",`+
		`"Condition":{"StringEquals":{"aws:PrincipalTag/team":"platform-bench"}}},`+
		`{"Sid":"BenchBuckets","Effect":"Allow","Action":["s3:CreateBucket","s3:ListBucket"],"Resource":"arn:aws:s3:::rolegate-bench-*"}]}`,
		"ACCT", acct)
}

// BenchTrustPolicy is the bench role's trust policy: the bench user, with the external ID, tagged
// with a platform team, calling from loopback.
func BenchTrustPolicy(acct string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + BenchUserARN(acct) + `"},` +
		`"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"` + BenchExternal + `"},` +
		`"StringLike":{"aws:PrincipalTag/team":"platform-*"},"IpAddress":{"aws:SourceIp":["127.0.0.0/8","::1/128"]}}}]}`
}

// BenchRoleInline is the bench role's inline policy.
func BenchRoleInline(acct string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],` +
		`"Resource":["arn:aws:s3:::` + BenchBucket(acct) + `","arn:aws:s3:::` + BenchBucket(acct) + `/*"]}]}`
}
