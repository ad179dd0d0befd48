package main

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"rolegate/internal/awsconfig"
	"rolegate/internal/testkit"
)

// TestMain lets the test binary stand in for the rolegate binary in subprocesses (a
// credential_process command, for one): with ROLEGATE_TEST_RUN_MAIN=1 it runs the command line.
func TestMain(m *testing.M) {
	if os.Getenv("ROLEGATE_TEST_RUN_MAIN") == "1" {
		os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// needAWSCLI returns the aws CLI; its absence fails the test (scripts/install-deps installs it).
func needAWSCLI(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("aws")
	if err != nil {
		t.Fatal("the aws CLI is not installed")
	}
	return path
}

// cleanEnv removes every AWS setting of the test's own environment.
func cleanEnv(t *testing.T) {
	t.Helper()
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
		"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_EC2_METADATA_SERVICE_ENDPOINT", "ROLEGATE_DATA"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	t.Setenv("HOME", t.TempDir())
}

// opsUser creates IAM user "ops" who may assume any role, and writes its profile "ops" into the
// server's data directory.
func opsUser(t *testing.T, srv *testkit.Server) {
	t.Helper()
	ctx := context.Background()
	c := srv.IAM(srv.Management.Root)
	if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("ops")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("ops"), PolicyName: aws.String("assume"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`)}); err != nil {
		t.Fatal(err)
	}
	k, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("ops")})
	if err != nil {
		t.Fatal(err)
	}
	if err := awsconfig.InDir(srv.Dir).Write(awsconfig.Profile{Name: "ops", AccessKeyID: aws.ToString(k.AccessKey.AccessKeyId),
		SecretAccessKey: aws.ToString(k.AccessKey.SecretAccessKey), EndpointURL: srv.URL}); err != nil {
		t.Fatal(err)
	}
}

// accountTrust is a trust policy that delegates to the account's identity policies.
func accountTrust(account string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + account + `:root"},"Action":"sts:AssumeRole"}]}`
}

// listRolesOnly lets a role list roles and nothing else.
const listRolesOnly = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListRoles","Resource":"*"}]}`

func execCommand(name string, args ...string) *exec.Cmd { return exec.Command(name, args...) }

func stderrOf(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}
