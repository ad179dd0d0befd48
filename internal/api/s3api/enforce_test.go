package s3api_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"rolegate/internal/testkit"
)

// newUser creates an IAM user in the account of root with an inline policy (none when "") and
// returns its access key.
func newUser(t testing.TB, srv *testkit.Server, root testkit.Creds, name, policy string) testkit.Creds {
	t.Helper()
	ctx := context.Background()
	c := srv.IAM(root)
	_, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)})
	must(t, "CreateUser", err)
	if policy != "" {
		_, err = c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(name), PolicyName: aws.String("p"), PolicyDocument: aws.String(policy)})
		must(t, "PutUserPolicy", err)
	}
	k, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
	must(t, "CreateAccessKey", err)
	return testkit.Creds{AccessKeyID: aws.ToString(k.AccessKey.AccessKeyId), SecretAccessKey: aws.ToString(k.AccessKey.SecretAccessKey)}
}

func createBucket(t *testing.T, c *s3.Client, name string, objects ...string) {
	t.Helper()
	ctx := context.Background()
	_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(name)})
	must(t, "CreateBucket "+name, err)
	for _, k := range objects {
		_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(name), Key: aws.String(k), Body: strings.NewReader("data of " + k)})
		must(t, "PutObject "+k, err)
	}
}

func putPolicy(t *testing.T, c *s3.Client, bucket, policy string) {
	t.Helper()
	_, err := c.PutBucketPolicy(context.Background(), &s3.PutBucketPolicyInput{Bucket: aws.String(bucket), Policy: aws.String(policy)})
	must(t, "PutBucketPolicy", err)
}

func names(out *s3.ListBucketsOutput) []string {
	var n []string
	for _, b := range out.Buckets {
		n = append(n, aws.ToString(b.Name))
	}
	return n
}

func TestListAllMyBucketsOnly(t *testing.T) {
	srv := testkit.NewServer(t)
	ctx := context.Background()
	a := srv.CreateAccount(t, "a")
	createBucket(t, srv.S3(a.Root), "a-one", "k")
	createBucket(t, srv.S3(a.Root), "a-two")
	createBucket(t, srv.S3(srv.Management.Root), "mgmt-bucket")
	u := newUser(t, srv, a.Root, "lister", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}`)
	out, err := srv.S3(u).ListBuckets(ctx, &s3.ListBucketsInput{})
	must(t, "ListBuckets", err)
	if got := strings.Join(names(out), ","); got != "a-one,a-two" {
		t.Errorf("ListBuckets = %s, want a-one,a-two", got)
	}
	_, err = srv.S3(u).ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("a-one")})
	wantCode(t, "ListObjectsV2 without s3:ListBucket", err, "AccessDenied")
	_, err = srv.S3(u).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("a-one"), Key: aws.String("k")})
	wantCode(t, "GetObject without s3:GetObject", err, "AccessDenied")
	nobody := newUser(t, srv, a.Root, "nobody", "")
	_, err = srv.S3(nobody).ListBuckets(ctx, &s3.ListBucketsInput{})
	wantCode(t, "ListBuckets without policy", err, "AccessDenied")
}

func TestCrossAccountBucketPolicy(t *testing.T) {
	srv := testkit.NewServer(t)
	ctx := context.Background()
	a := srv.CreateAccount(t, "a")
	b := srv.CreateAccount(t, "b")
	createBucket(t, srv.S3(b.Root), "b-data", "report.csv")
	reader := newUser(t, srv, a.Root, "reader", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::b-data","arn:aws:s3:::b-data/*"]}]}`)
	unprivileged := newUser(t, srv, a.Root, "unprivileged", "")
	read := func(c testkit.Creds) error {
		out, err := srv.S3(c).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("b-data"), Key: aws.String("report.csv")})
		if err == nil {
			io.Copy(io.Discard, out.Body)
			out.Body.Close()
		}
		return err
	}
	wantCode(t, "A's user, identity allow, no bucket policy", read(reader), "AccessDenied")

	putPolicy(t, srv.S3(b.Root), "b-data", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::`+a.ID+`:root"},"Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::b-data","arn:aws:s3:::b-data/*"]}]}`)
	must(t, "A's user, identity allow + bucket policy grant", read(reader))
	_, err := srv.S3(reader).ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("b-data")})
	must(t, "ListObjectsV2 cross-account", err)
	wantCode(t, "A's user without identity allow", read(unprivileged), "AccessDenied")
	must(t, "A's root, bucket policy grants its account", read(a.Root))
	_, err = srv.S3(reader).PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("b-data"), Key: aws.String("x"), Body: strings.NewReader("x")})
	wantCode(t, "PutObject not granted", err, "AccessDenied")

	// An explicit Deny in the bucket policy wins over every Allow, the owner's included.
	putPolicy(t, srv.S3(b.Root), "b-data", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::`+a.ID+`:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b-data/*"},
		{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b-data/report.csv"}]}`)
	wantCode(t, "explicit Deny for the caller", read(reader), "AccessDenied")
	wantCode(t, "explicit Deny for the owner", read(b.Root), "AccessDenied")
}

func TestAnonymousAccess(t *testing.T) {
	srv := testkit.NewServer(t)
	createBucket(t, srv.S3(srv.Management.Root), "public-site", "index.html")
	get := func() int {
		resp, err := http.Get(srv.URL + "/public-site/index.html")
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := get(); got != http.StatusForbidden {
		t.Fatalf("anonymous GET without policy: %d, want 403", got)
	}
	putPolicy(t, srv.S3(srv.Management.Root), "public-site", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::public-site/*"}]}`)
	if got := get(); got != http.StatusOK {
		t.Fatalf("anonymous GET with Principal *: %d, want 200", got)
	}
	resp, err := http.Get(srv.URL + "/public-site?list-type=2")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("anonymous list (not granted): %d, want 403", resp.StatusCode)
	}
	st, err := srv.S3(srv.Management.Root).GetBucketPolicyStatus(context.Background(), &s3.GetBucketPolicyStatusInput{Bucket: aws.String("public-site")})
	must(t, "GetBucketPolicyStatus", err)
	if !aws.ToBool(st.PolicyStatus.IsPublic) {
		t.Errorf("policy status not public")
	}
}

func TestPrefixCondition(t *testing.T) {
	srv := testkit.NewServer(t)
	ctx := context.Background()
	createBucket(t, srv.S3(srv.Management.Root), "homes", "home/alice/a", "home/bob/b")
	alice := newUser(t, srv, srv.Management.Root, "alice", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::homes",
		"Condition":{"StringLike":{"s3:prefix":["home/alice/*"]}}}]}`)
	out, err := srv.S3(alice).ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("homes"), Prefix: aws.String("home/alice/")})
	must(t, "list own prefix", err)
	if len(out.Contents) != 1 {
		t.Errorf("listed %d objects", len(out.Contents))
	}
	_, err = srv.S3(alice).ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("homes"), Prefix: aws.String("home/bob/")})
	wantCode(t, "list other prefix", err, "AccessDenied")
	_, err = srv.S3(alice).ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("homes")})
	wantCode(t, "list root", err, "AccessDenied")
}

func TestRoleInOtherAccount(t *testing.T) {
	srv := testkit.NewServer(t)
	ctx := context.Background()
	a := srv.CreateAccount(t, "a")
	b := srv.CreateAccount(t, "b")
	createBucket(t, srv.S3(a.Root), "a-bucket")
	createBucket(t, srv.S3(b.Root), "b-bucket", "obj")
	_, err := srv.IAM(b.Root).CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("s3-admin"),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + a.ID + `:root"},"Action":"sts:AssumeRole"}]}`)})
	must(t, "CreateRole", err)
	_, err = srv.IAM(b.Root).PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("s3-admin"), PolicyName: aws.String("s3"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)})
	must(t, "PutRolePolicy", err)
	u := newUser(t, srv, a.Root, "operator", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"},
		{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::`+b.ID+`:role/s3-admin"}]}`)
	mine, err := srv.S3(u).ListBuckets(ctx, &s3.ListBucketsInput{})
	must(t, "ListBuckets in A", err)
	if got := strings.Join(names(mine), ","); got != "a-bucket" {
		t.Errorf("A's buckets = %s", got)
	}
	ar, err := srv.STS(u).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::" + b.ID + ":role/s3-admin"), RoleSessionName: aws.String("op")})
	must(t, "AssumeRole", err)
	role := testkit.FromSTS(ar.Credentials.AccessKeyId, ar.Credentials.SecretAccessKey, ar.Credentials.SessionToken)
	theirs, err := srv.S3(role).ListBuckets(ctx, &s3.ListBucketsInput{})
	must(t, "ListBuckets via role", err)
	if got := strings.Join(names(theirs), ","); got != "b-bucket" {
		t.Errorf("B's buckets via role = %s", got)
	}
	got, err := srv.S3(role).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("b-bucket"), Key: aws.String("obj")})
	must(t, "GetObject with temporary credentials", err)
	io.Copy(io.Discard, got.Body)
	got.Body.Close()
	_, err = srv.S3(role).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("made-by-role")})
	must(t, "CreateBucket via role", err)
	theirs, err = srv.S3(b.Root).ListBuckets(ctx, &s3.ListBucketsInput{})
	must(t, "ListBuckets B", err)
	if got := strings.Join(names(theirs), ","); got != "b-bucket,made-by-role" {
		t.Errorf("bucket made via role not owned by B: %s", got)
	}
	// A's own keys still cannot read B's bucket (no bucket policy grants A).
	_, err = srv.S3(u).ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("b-bucket")})
	wantCode(t, "A's keys on B's bucket", err, "AccessDenied")
}
