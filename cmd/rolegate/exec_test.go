package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"rolegate/internal/client"
	"rolegate/internal/imds"
	"rolegate/internal/sigv4"
	"rolegate/internal/testkit"
)

func TestExecRunsTheCommandAsTheRole(t *testing.T) {
	cli := needAWSCLI(t)
	cleanEnv(t)
	srv := testkit.NewServer(t)
	opsUser(t, srv)
	roleARN, _ := srv.InstanceProfile(t, srv.Management.Root, "reader", accountTrust(srv.Management.ID),
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ListRoles","s3:ListAllMyBuckets"],"Resource":"*"}]}`)
	// Keys in the parent's environment must not reach the child.
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAPARENTKEY0000000")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "parent-secret")
	execute := func(command ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		args := append([]string{"exec", "--data", srv.Dir, "--profile", "ops", "--role", roleARN, "--"}, command...)
		code := run(args, strings.NewReader(""), &out, &errOut)
		return code, out.String(), errOut.String()
	}
	code, out, stderr := execute(cli, "sts", "get-caller-identity", "--output", "json")
	if code != 0 {
		t.Fatalf("exec aws sts get-caller-identity: %d %s", code, stderr)
	}
	var who struct{ Arn string }
	if err := json.Unmarshal([]byte(out), &who); err != nil || !strings.HasPrefix(who.Arn, "arn:aws:sts::"+srv.Management.ID+":assumed-role/reader/rolegate-exec-") {
		t.Errorf("child identity %q (%v)", out, err)
	}
	if code, _, stderr := execute(cli, "iam", "list-roles"); code != 0 {
		t.Errorf("exec aws iam list-roles: %d %s", code, stderr)
	}
	if _, err := srv.S3(srv.Management.Root).CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String("exec-visible")}); err != nil {
		t.Fatal(err)
	}
	if code, out, stderr := execute(cli, "s3", "ls"); code != 0 || !strings.Contains(out, "exec-visible") {
		t.Errorf("exec aws s3 ls: %d %s %s", code, out, stderr)
	}
	if code, _, stderr := execute(cli, "iam", "list-users"); code == 0 || !strings.Contains(stderr, "AccessDenied") {
		t.Errorf("exec aws iam list-users: %d %s", code, stderr)
	}
	code, out, _ = execute("sh", "-c", "env")
	if code != 0 {
		t.Fatalf("exec env: %d", code)
	}
	env := "\n" + out
	for _, k := range []string{"AWS_ACCESS_KEY_ID=", "AWS_SECRET_ACCESS_KEY=", "AWS_SESSION_TOKEN=", "AWS_PROFILE="} {
		if strings.Contains(env, "\n"+k) {
			t.Errorf("the child's environment holds %s", k)
		}
	}
	for _, k := range []string{"AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:", "AWS_CONTAINER_AUTHORIZATION_TOKEN=", "AWS_ENDPOINT_URL=" + srv.URL} {
		if !strings.Contains(env, "\n"+k) {
			t.Errorf("the child's environment lacks %s", k)
		}
	}
	if code, _, _ := execute("sh", "-c", "exit 7"); code != 7 {
		t.Errorf("exit status %d, want the child's 7", code)
	}
	if code, _, _ := execute("sh", "-c", "kill -TERM $$"); code != 128+15 {
		t.Errorf("exit status %d of a child killed by SIGTERM, want 143", code)
	}
	if code, _, stderr := execute("no-such-command-here"); code != 127 {
		t.Errorf("missing command: %d %s", code, stderr)
	}
	var errOut bytes.Buffer
	if code := run([]string{"exec", "--data", srv.Dir, "--profile", "ops", "--role", "arn:aws:iam::" + srv.Management.ID + ":role/nope", "--", "true"},
		nil, io.Discard, &errOut); code != 1 || !strings.Contains(errOut.String(), "AccessDenied") {
		t.Errorf("exec with a role that cannot be assumed: %d %s", code, errOut.String())
	}
}

// TestChainedRoleKeepsWorkingPastItsLifetime follows exec's endpoint across two hours of a role
// chained from a source profile's role session (at most one hour long): every answer works.
func TestChainedRoleKeepsWorkingPastItsLifetime(t *testing.T) {
	cleanEnv(t)
	srv := testkit.NewServer(t)
	opsUser(t, srv)
	hopARN, _ := srv.InstanceProfile(t, srv.Management.Root, "hop", accountTrust(srv.Management.ID),
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`)
	targetARN, _ := srv.InstanceProfile(t, srv.Management.Root, "target", accountTrust(srv.Management.ID), listRolesOnly)
	cfg := filepath.Join(srv.Dir, "aws", "config")
	f, err := os.OpenFile(cfg, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("\n[profile chain]\nrole_arn = " + hopARN + "\nsource_profile = ops\nendpoint_url = " + srv.URL + "\n")
	f.Close()
	rs := &roleSource{role: targetARN, profile: "chain", data: srv.Dir, duration: 15 * time.Minute, sessionName: "chained", now: srv.Clock.Now}
	ref := &imds.Refresher{Fetch: rs.fetch, Now: srv.Clock.Now}
	ep, err := startCredentialEndpoint(ref)
	if err != nil {
		t.Fatal(err)
	}
	defer ep.close()
	// The endpoint speaks what aws-sdk-go-v2's container provider expects.
	sdk, err := endpointcreds.New(ep.url, func(o *endpointcreds.Options) { o.AuthorizationToken = ep.token }).Retrieve(context.Background())
	if err != nil || !strings.HasPrefix(sdk.AccessKeyID, "ASIA") || !sdk.CanExpire {
		t.Fatalf("endpointcreds: %+v %v", sdk.AccessKeyID, err)
	}
	var seen []string
	for step := 0; step < 10; step++ {
		c := fetchContainer(t, ep)
		if c.Expiration.Sub(srv.Clock.Now()) <= 0 {
			t.Fatalf("step %d: served expired credentials", step)
		}
		who := callerARN(t, srv, c)
		if !strings.HasSuffix(who, ":assumed-role/target/chained") {
			t.Fatalf("step %d: identity %q", step, who)
		}
		if len(seen) == 0 || seen[len(seen)-1] != c.AccessKeyId {
			seen = append(seen, c.AccessKeyId)
		}
		srv.Clock.Advance(13 * time.Minute)
	}
	if len(seen) < 5 {
		t.Errorf("%d credential sets over two hours of 15-minute sessions, want several", len(seen))
	}
	if status := getStatus(t, ep.url, "wrong-token"); status != http.StatusForbidden {
		t.Errorf("wrong token: %d", status)
	}
}

type containerCreds struct {
	AccessKeyId, SecretAccessKey, Token string
	Expiration                          time.Time
}

func fetchContainer(t *testing.T, ep *credentialEndpoint) containerCreds {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, ep.url, nil)
	req.Header.Set("Authorization", ep.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var c containerCreds
	if err := json.NewDecoder(resp.Body).Decode(&c); err != nil || resp.StatusCode != 200 {
		t.Fatalf("container endpoint: %d %v", resp.StatusCode, err)
	}
	return c
}

func getStatus(t *testing.T, url, token string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// callerARN asks STS who c is, signing with the server's clock.
func callerARN(t *testing.T, srv *testkit.Server, c containerCreds) string {
	t.Helper()
	cl := &client.Client{Endpoint: srv.URL, Now: srv.Clock.Now, Credentials: sigv4.Credentials{AccessKeyID: c.AccessKeyId,
		SecretAccessKey: c.SecretAccessKey, SessionToken: c.Token}}
	var out struct{ Arn string }
	if err := cl.Query(context.Background(), "sts", "2011-06-15", "GetCallerIdentity", nil, &out); err != nil {
		t.Fatalf("GetCallerIdentity: %v", err)
	}
	return out.Arn
}

func TestCredentialProcess(t *testing.T) {
	cleanEnv(t)
	srv := testkit.NewServer(t)
	opsUser(t, srv)
	roleARN, _ := srv.InstanceProfile(t, srv.Management.Root, "reader", accountTrust(srv.Management.ID), listRolesOnly)
	var out, errOut bytes.Buffer
	if code := run([]string{"credential-process", "--data", srv.Dir, "--profile", "ops", "--role", roleARN, "--duration", "30m"}, nil, &out, &errOut); code != 0 {
		t.Fatalf("credential-process: %d %s", code, errOut.String())
	}
	var doc map[string]any
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	exp, _ := time.Parse("2006-01-02T15:04:05Z", doc["Expiration"].(string))
	if doc["Version"] != float64(1) || !strings.HasPrefix(doc["AccessKeyId"].(string), "ASIA") || doc["SessionToken"] == "" ||
		doc["AccountId"] != srv.Management.ID || exp.Sub(srv.Clock.Now()) < 29*time.Minute {
		t.Errorf("document %v", doc)
	}
	for _, bad := range [][]string{{"credential-process"}, {"credential-process", "--role", roleARN, "--duration", "1m"}} {
		if code := run(bad, nil, io.Discard, io.Discard); code != 2 {
			t.Errorf("%v: exit %d, want 2", bad, code)
		}
	}
	// botocore runs it from a profile.
	cli := needAWSCLI(t)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(t.TempDir(), "config")
	os.WriteFile(cfg, []byte("[profile app]\nregion = us-east-1\ncredential_process = "+self+" credential-process --data "+srv.Dir+
		" --profile ops --role "+roleARN+"\n"), 0o600)
	cmd := execCommand(cli, "sts", "get-caller-identity", "--profile", "app", "--output", "json")
	cmd.Env = append(os.Environ(), "ROLEGATE_TEST_RUN_MAIN=1", "AWS_CONFIG_FILE="+cfg, "AWS_SHARED_CREDENTIALS_FILE="+os.DevNull, "AWS_ENDPOINT_URL="+srv.URL)
	got, err := cmd.Output()
	if err != nil {
		t.Fatalf("aws with credential_process: %v %s", err, stderrOf(err))
	}
	if !strings.Contains(string(got), ":assumed-role/reader/rolegate-process-") {
		t.Errorf("identity %s", got)
	}
}
