package imds_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	awsimds "github.com/aws/aws-sdk-go-v2/feature/ec2/imds"

	"rolegate/internal/client"
	"rolegate/internal/sigv4"
	"rolegate/internal/testkit"
)

const ubuntu = "ami-0a1b2c3d4e5f60004"

// appPolicy lets the instance role list roles and nothing else.
const appPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListRoles","Resource":"*"}]}`

type fixture struct {
	srv *testkit.Server
	ec2 *ec2.Client
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	srv := testkit.NewServer(t)
	srv.InstanceProfile(t, srv.Management.Root, "app", testkit.EC2Trust, appPolicy)
	srv.InstanceProfile(t, srv.Management.Root, "audit", testkit.EC2Trust, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}`)
	return &fixture{srv: srv, ec2: srv.EC2(srv.Management.Root)}
}

// launch starts an instance with profile (or none) and tokens (optional|required) and returns
// its ID and its metadata endpoint's base URL.
func (f *fixture) launch(t testing.TB, profile string, tokens types.HttpTokensState, tags ...types.Tag) (string, string) {
	t.Helper()
	in := &ec2.RunInstancesInput{ImageId: aws.String(ubuntu), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		MetadataOptions: &types.InstanceMetadataOptionsRequest{HttpTokens: tokens, InstanceMetadataTags: types.InstanceMetadataTagsStateEnabled},
		UserData:        aws.String("ZWNobyBoZWxsbw==")}
	if profile != "" {
		in.IamInstanceProfile = &types.IamInstanceProfileSpecification{Name: aws.String(profile)}
	}
	if len(tags) > 0 {
		in.TagSpecifications = []types.TagSpecification{{ResourceType: types.ResourceTypeInstance, Tags: tags}}
	}
	out, err := f.ec2.RunInstances(context.Background(), in)
	if err != nil {
		t.Fatalf("RunInstances: %v", err)
	}
	id := aws.ToString(out.Instances[0].InstanceId)
	d, err := f.ec2.DescribeInstances(context.Background(), &ec2.DescribeInstancesInput{InstanceIds: []string{id}})
	if err != nil {
		t.Fatal(err)
	}
	return id, "http://" + aws.ToString(d.Reservations[0].Instances[0].PublicDnsName)
}

// roleCreds retrieves the instance's role credentials as aws-sdk-go-v2 does.
func roleCreds(t testing.TB, endpoint string) (aws.Credentials, error) {
	t.Helper()
	p := ec2rolecreds.New(func(o *ec2rolecreds.Options) {
		o.Client = awsimds.New(awsimds.Options{Endpoint: endpoint, Retryer: aws.NopRetryer{}})
	})
	return p.Retrieve(context.Background())
}

func asTestkit(c aws.Credentials) testkit.Creds {
	return testkit.Creds{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken}
}

// callerARN asks STS who c is, signing with the server's clock.
func (f *fixture) callerARN(t testing.TB, c aws.Credentials) (string, error) {
	t.Helper()
	cl := &client.Client{Endpoint: f.srv.URL, Now: f.srv.Clock.Now, Credentials: sigv4.Credentials{AccessKeyID: c.AccessKeyID,
		SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken}}
	var out struct{ Arn, UserId string }
	err := cl.Query(context.Background(), "sts", "2011-06-15", "GetCallerIdentity", nil, &out)
	return out.Arn, err
}

// get sends a metadata request and returns status and body.
func get(t testing.TB, method, url string, header ...string) (int, string, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

// token gets an IMDSv2 token.
func token(t testing.TB, endpoint string, ttl string) string {
	t.Helper()
	status, body, h := get(t, http.MethodPut, endpoint+"/latest/api/token", "X-aws-ec2-metadata-token-ttl-seconds", ttl)
	if status != 200 || h.Get("X-Aws-Ec2-Metadata-Token-Ttl-Seconds") != ttl || strings.TrimSpace(body) == "" {
		t.Fatalf("token: %d %q ttl header %q", status, body, h.Get("X-Aws-Ec2-Metadata-Token-Ttl-Seconds"))
	}
	return body
}

// awsRegion asks the metadata service for the region as aws-sdk-go-v2 does.
func awsRegion(ctx context.Context, endpoint string) (string, error) {
	out, err := awsimds.New(awsimds.Options{Endpoint: endpoint}).GetRegion(ctx, &awsimds.GetRegionInput{})
	if err != nil {
		return "", err
	}
	return out.Region, nil
}
