package imds_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"rolegate/internal/client"
	"rolegate/internal/testkit"
)

// TestSDKConfiguredOnlyWithTheMetadataEndpoint resolves credentials the way a program on an
// instance does: the default chain, with nothing but AWS_EC2_METADATA_SERVICE_ENDPOINT set.
func TestSDKConfiguredOnlyWithTheMetadataEndpoint(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	id, endpoint := f.launch(t, "app", types.HttpTokensStateRequired)
	dir := t.TempDir()
	for k, v := range map[string]string{"AWS_EC2_METADATA_SERVICE_ENDPOINT": endpoint, "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "",
		"AWS_SESSION_TOKEN": "", "AWS_PROFILE": "", "AWS_CONFIG_FILE": filepath.Join(dir, "none"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "none"),
		"AWS_CONTAINER_CREDENTIALS_FULL_URI": "", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "", "AWS_WEB_IDENTITY_TOKEN_FILE": "",
		"AWS_EC2_METADATA_DISABLED": "", "AWS_REGION": "us-east-1"} {
		t.Setenv(k, v)
	}
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRetryMaxAttempts(1), config.WithBaseEndpoint(f.srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	who, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("GetCallerIdentity through IMDS: %v", err)
	}
	if want := "arn:aws:sts::" + f.srv.Management.ID + ":assumed-role/app/" + id; aws.ToString(who.Arn) != want {
		t.Errorf("Arn = %s, want %s", aws.ToString(who.Arn), want)
	}
	if !strings.HasPrefix(aws.ToString(who.UserId), "AROA") || !strings.HasSuffix(aws.ToString(who.UserId), ":"+id) {
		t.Errorf("UserId = %s", aws.ToString(who.UserId))
	}
	ic := iam.NewFromConfig(cfg)
	if _, err := ic.ListRoles(ctx, &iam.ListRolesInput{}); err != nil {
		t.Errorf("ListRoles, which the role allows: %v", err)
	}
	_, err = ic.ListUsers(ctx, &iam.ListUsersInput{})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "AccessDenied" || !strings.Contains(ae.ErrorMessage(), "assumed-role/app/"+id) {
		t.Errorf("ListUsers, which the role does not allow: %v", err)
	}
	region, err := awsRegion(ctx, endpoint)
	if err != nil || region != "us-east-1" {
		t.Errorf("region = %q %v", region, err)
	}
}

func TestIMDSv1WhenTheInstanceAllowsIt(t *testing.T) {
	f := newFixture(t)
	id, optional := f.launch(t, "app", types.HttpTokensStateOptional)
	_, required := f.launch(t, "app", types.HttpTokensStateRequired)
	status, body, _ := get(t, http.MethodGet, optional+"/latest/meta-data/iam/security-credentials/")
	if status != 200 || body != "app" {
		t.Fatalf("v1 role list: %d %q", status, body)
	}
	status, body, _ = get(t, http.MethodGet, optional+"/latest/meta-data/iam/security-credentials/app")
	if status != 200 {
		t.Fatalf("v1 credentials: %d", status)
	}
	var doc map[string]string
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	stamp := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)
	if doc["Code"] != "Success" || doc["Type"] != "AWS-HMAC" || !strings.HasPrefix(doc["AccessKeyId"], "ASIA") ||
		doc["SecretAccessKey"] == "" || doc["Token"] == "" || !stamp.MatchString(doc["Expiration"]) || !stamp.MatchString(doc["LastUpdated"]) {
		t.Errorf("credentials document %v", keys(doc))
	}
	exp, _ := time.Parse(time.RFC3339, doc["Expiration"])
	if left := exp.Sub(f.srv.Clock.Now()); left < 5*time.Hour+50*time.Minute || left > 6*time.Hour {
		t.Errorf("credentials last %s, want about six hours", left)
	}
	arn, err := f.callerARN(t, aws.Credentials{AccessKeyID: doc["AccessKeyId"], SecretAccessKey: doc["SecretAccessKey"], SessionToken: doc["Token"]})
	if err != nil || !strings.HasSuffix(arn, ":assumed-role/app/"+id) {
		t.Errorf("v1 credentials identify as %q (%v)", arn, err)
	}
	if status, _, _ := get(t, http.MethodGet, required+"/latest/meta-data/instance-id"); status != 401 {
		t.Errorf("v1 request on a v2-only instance: %d, want 401", status)
	}
	tok := token(t, required, "21600")
	if status, _, _ := get(t, http.MethodGet, required+"/latest/meta-data/instance-id", "X-aws-ec2-metadata-token", tok); status != 200 {
		t.Errorf("v2 request with a token: %d", status)
	}
	if status, _, _ := get(t, http.MethodGet, optional+"/latest/meta-data/instance-id", "X-aws-ec2-metadata-token", tok); status != 401 {
		t.Errorf("another instance's token: %d, want 401", status)
	}
}

func TestTokenRules(t *testing.T) {
	f := newFixture(t)
	_, ep := f.launch(t, "", types.HttpTokensStateRequired)
	for _, tc := range []struct {
		name   string
		header []string
		want   int
	}{
		{"no ttl", nil, 400},
		{"zero", []string{"X-aws-ec2-metadata-token-ttl-seconds", "0"}, 400},
		{"too long", []string{"X-aws-ec2-metadata-token-ttl-seconds", "21601"}, 400},
		{"not a number", []string{"X-aws-ec2-metadata-token-ttl-seconds", "six"}, 400},
		{"proxied", []string{"X-aws-ec2-metadata-token-ttl-seconds", "60", "X-Forwarded-For", "10.0.0.1"}, 403},
		{"shortest", []string{"X-aws-ec2-metadata-token-ttl-seconds", "1"}, 200},
	} {
		if status, _, _ := get(t, http.MethodPut, ep+"/latest/api/token", tc.header...); status != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, status, tc.want)
		}
	}
	if status, _, _ := get(t, http.MethodGet, ep+"/latest/api/token"); status != 405 {
		t.Errorf("GET of the token path: %d", status)
	}
	tok := token(t, ep, "60")
	for _, tc := range []struct {
		name string
		tok  string
		want int
	}{{"fresh", tok, 200}, {"tampered", tok[:len(tok)-2] + "AA", 401}, {"garbage", "nope", 401}} {
		if status, _, _ := get(t, http.MethodGet, ep+"/latest/meta-data/", "X-aws-ec2-metadata-token", tc.tok); status != tc.want {
			t.Errorf("%s token: %d, want %d", tc.name, status, tc.want)
		}
	}
	f.srv.Clock.Advance(61 * time.Second)
	if status, _, _ := get(t, http.MethodGet, ep+"/latest/meta-data/", "X-aws-ec2-metadata-token", tok); status != 401 {
		t.Errorf("expired token: %d, want 401", status)
	}
}

func TestMetadataDocuments(t *testing.T) {
	f := newFixture(t)
	id, ep := f.launch(t, "", types.HttpTokensStateOptional, types.Tag{Key: aws.String("team"), Value: aws.String("blue")})
	cases := []struct{ path, want string }{
		{"/latest/meta-data/instance-id", id},
		{"/latest/meta-data/placement/region", "us-east-1"},
		{"/latest/meta-data/placement/availability-zone", "us-east-1a"},
		{"/latest/meta-data/instance-type", "t2.micro"},
		{"/latest/meta-data/ami-id", ubuntu},
		{"/latest/meta-data/tags/instance/team", "blue"},
		{"/latest/meta-data/tags/instance", "team"},
		{"/latest/meta-data/placement/", "availability-zone\nregion"},
		{"/latest/user-data", "echo hello"},
		{"/latest/", "dynamic\nmeta-data\nuser-data"},
	}
	for _, tc := range cases {
		status, body, _ := get(t, http.MethodGet, ep+tc.path)
		if status != 200 || body != tc.want {
			t.Errorf("%s: %d %q, want %q", tc.path, status, body, tc.want)
		}
	}
	_, listing, _ := get(t, http.MethodGet, ep+"/latest/meta-data/")
	for _, entry := range []string{"instance-id", "local-ipv4", "placement/", "hostname", "mac"} {
		if !strings.Contains("\n"+listing+"\n", "\n"+entry+"\n") {
			t.Errorf("meta-data/ lacks %s:\n%s", entry, listing)
		}
	}
	if strings.Contains(listing, "iam/") {
		t.Error("meta-data/ lists iam/ for an instance without a profile")
	}
	if status, _, _ := get(t, http.MethodGet, ep+"/latest/meta-data/iam/info"); status != 404 {
		t.Errorf("iam/info without a profile: %d", status)
	}
	_, ip, _ := get(t, http.MethodGet, ep+"/latest/meta-data/local-ipv4")
	if net.ParseIP(ip) == nil {
		t.Errorf("local-ipv4 = %q", ip)
	}
	_, doc, _ := get(t, http.MethodGet, ep+"/latest/dynamic/instance-identity/document")
	var ident struct{ InstanceID, Region, AccountID, PrivateIP string }
	if err := json.Unmarshal([]byte(strings.NewReplacer(`"instanceId"`, `"InstanceID"`, `"accountId"`, `"AccountID"`, `"privateIp"`, `"PrivateIP"`).Replace(doc)), &ident); err != nil ||
		ident.InstanceID != id || ident.Region != "us-east-1" || ident.AccountID != f.srv.Management.ID || ident.PrivateIP != ip {
		t.Errorf("identity document %s (%v)", doc, err)
	}
	if status, _, _ := get(t, http.MethodGet, ep+"/latest/meta-data/nothing-here"); status != 404 {
		t.Errorf("unknown path: %d", status)
	}
}

func TestReplacingTheProfileChangesTheIdentity(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	id, ep := f.launch(t, "app", types.HttpTokensStateRequired)
	c, err := roleCreds(t, ep)
	if err != nil {
		t.Fatal(err)
	}
	if arn, err := f.callerARN(t, c); err != nil || !strings.HasSuffix(arn, ":assumed-role/app/"+id) {
		t.Fatalf("before: %q %v", arn, err)
	}
	list, err := f.ec2.DescribeIamInstanceProfileAssociations(ctx, &ec2.DescribeIamInstanceProfileAssociationsInput{})
	if err != nil || len(list.IamInstanceProfileAssociations) != 1 {
		t.Fatalf("associations %+v %v", list, err)
	}
	if _, err := f.ec2.ReplaceIamInstanceProfileAssociation(ctx, &ec2.ReplaceIamInstanceProfileAssociationInput{
		AssociationId:      list.IamInstanceProfileAssociations[0].AssociationId,
		IamInstanceProfile: &types.IamInstanceProfileSpecification{Name: aws.String("audit")}}); err != nil {
		t.Fatal(err)
	}
	c, err = roleCreds(t, ep)
	if err != nil {
		t.Fatal(err)
	}
	if arn, err := f.callerARN(t, c); err != nil || !strings.HasSuffix(arn, ":assumed-role/audit/"+id) {
		t.Errorf("after replace: %q %v", arn, err)
	}
	tok := token(t, ep, "300")
	_, info, _ := get(t, http.MethodGet, ep+"/latest/meta-data/iam/info", "X-aws-ec2-metadata-token", tok)
	if !strings.Contains(info, `"InstanceProfileArn": "arn:aws:iam::`+f.srv.Management.ID+`:instance-profile/audit"`) {
		t.Errorf("iam/info after replace: %s", info)
	}
}

func TestRoleThatDoesNotTrustEC2GetsNoCredentials(t *testing.T) {
	f := newFixture(t)
	f.srv.InstanceProfile(t, f.srv.Management.Root, "lambda-only",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`, "")
	_, ep := f.launch(t, "lambda-only", types.HttpTokensStateOptional)
	_, info, _ := get(t, http.MethodGet, ep+"/latest/meta-data/iam/info")
	var doc map[string]string
	if err := json.Unmarshal([]byte(info), &doc); err != nil || doc["Code"] != "AssumeRoleUnauthorizedAccess" ||
		!strings.Contains(doc["Message"], "EC2 cannot assume the role lambda-only.") || doc["LastUpdated"] == "" {
		t.Errorf("iam/info = %s", info)
	}
	status, body, _ := get(t, http.MethodGet, ep+"/latest/meta-data/iam/security-credentials/lambda-only")
	if status != 200 || strings.Contains(body, "AccessKeyId") || !strings.Contains(body, "AssumeRoleUnauthorizedAccess") {
		t.Errorf("credentials of an untrusting role: %d %s", status, body)
	}
	if _, err := roleCreds(t, ep); err == nil {
		t.Error("the SDK got credentials for a role that does not trust EC2")
	}
}

func TestCredentialsRotateBeforeExpiry(t *testing.T) {
	f := newFixture(t)
	_, ep := f.launch(t, "app", types.HttpTokensStateOptional)
	first, err := roleCreds(t, ep)
	if err != nil {
		t.Fatal(err)
	}
	f.srv.Clock.Advance(5 * time.Hour)
	same, err := roleCreds(t, ep)
	if err != nil || same.AccessKeyID != first.AccessKeyID {
		t.Fatalf("credentials changed with an hour left: %v", err)
	}
	f.srv.Clock.Advance(31 * time.Minute)
	next, err := roleCreds(t, ep)
	if err != nil {
		t.Fatal(err)
	}
	if next.AccessKeyID == first.AccessKeyID || !next.Expires.After(first.Expires) {
		t.Fatalf("not rotated 29 minutes before expiry: %s until %s", next.AccessKeyID, next.Expires)
	}
	if _, err := f.callerARN(t, first); err != nil {
		t.Errorf("the previous credentials stopped working before their expiry: %v", err)
	}
	f.srv.Clock.Advance(30 * time.Minute)
	_, err = f.callerARN(t, first)
	var ae *client.APIError
	if !errors.As(err, &ae) || ae.Code != "ExpiredToken" {
		t.Errorf("expired previous credentials: %v", err)
	}
	if _, err := f.callerARN(t, next); err != nil {
		t.Errorf("rotated credentials: %v", err)
	}
}

func TestEndpointFollowsTheInstanceState(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	id, ep := f.launch(t, "app", types.HttpTokensStateOptional)
	addr := strings.TrimPrefix(ep, "http://")
	if _, err := f.ec2.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{id}}); err != nil {
		t.Fatal(err)
	}
	if !refused(addr) {
		t.Error("a stopped instance's endpoint accepts connections")
	}
	if _, err := f.ec2.StartInstances(ctx, &ec2.StartInstancesInput{InstanceIds: []string{id}}); err != nil {
		t.Fatal(err)
	}
	if status, body, _ := get(t, http.MethodGet, ep+"/latest/meta-data/instance-id"); status != 200 || body != id {
		t.Errorf("restarted instance on its old port: %d %q", status, body)
	}
	if _, err := f.ec2.ModifyInstanceMetadataOptions(ctx, &ec2.ModifyInstanceMetadataOptionsInput{InstanceId: aws.String(id),
		HttpEndpoint: types.InstanceMetadataEndpointStateDisabled}); err != nil {
		t.Fatal(err)
	}
	if status, _, _ := get(t, http.MethodGet, ep+"/latest/meta-data/instance-id"); status != 403 {
		t.Errorf("disabled endpoint: %d, want 403", status)
	}
	if _, err := f.ec2.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{id}}); err != nil {
		t.Fatal(err)
	}
	if !refused(addr) {
		t.Error("a terminated instance's endpoint accepts connections")
	}
	if _, err := roleCreds(t, ep); err == nil {
		t.Error("credentials from a terminated instance")
	}
}

func refused(addr string) bool {
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return true
	}
	conn.Close()
	return false
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestSessionsCarryTheSourceInstance pins a permission to one instance with ec2:SourceInstanceARN:
// the same role's credentials from another instance are refused.
func TestSessionsCarryTheSourceInstance(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.srv.InstanceProfile(t, f.srv.Management.Root, "pinned", testkit.EC2Trust, "")
	a, epA := f.launch(t, "pinned", types.HttpTokensStateRequired)
	_, epB := f.launch(t, "pinned", types.HttpTokensStateRequired)
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListRoles","Resource":"*",
		"Condition":{"StringEquals":{"ec2:SourceInstanceARN":"arn:aws:ec2:us-east-1:` + f.srv.Management.ID + `:instance/` + a + `"}}}]}`
	if _, err := f.srv.IAM(f.srv.Management.Root).PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("pinned"),
		PolicyName: aws.String("pin"), PolicyDocument: aws.String(policy)}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, endpoint string
		allowed        bool
	}{{"pinned instance", epA, true}, {"other instance", epB, false}} {
		c, err := roleCreds(t, tc.endpoint)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.srv.IAM(asTestkit(c)).ListRoles(ctx, &iam.ListRolesInput{})
		if (err == nil) != tc.allowed {
			t.Errorf("%s: ListRoles err = %v, want allowed %v", tc.name, err, tc.allowed)
		}
	}
}

// TestConcurrentFirstRequestsShareOneSession starts many credential fetches at once on a fresh
// endpoint: they all get the same session.
func TestConcurrentFirstRequestsShareOneSession(t *testing.T) {
	f := newFixture(t)
	_, ep := f.launch(t, "app", types.HttpTokensStateOptional)
	const n = 16
	keys := make(chan string, n)
	for i := 0; i < n; i++ {
		go func() {
			c, err := roleCreds(t, ep)
			if err != nil {
				keys <- "error: " + err.Error()
				return
			}
			keys <- c.AccessKeyID
		}()
	}
	first := <-keys
	for i := 1; i < n; i++ {
		if k := <-keys; k != first {
			t.Fatalf("concurrent fetches got %q and %q", first, k)
		}
	}
	if !strings.HasPrefix(first, "ASIA") {
		t.Errorf("fetch: %s", first)
	}
}
