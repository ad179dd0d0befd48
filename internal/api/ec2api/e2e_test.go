package ec2api_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/smithy-go"

	"rolegate/internal/testkit"
)

const (
	ubuntu = "ami-0a1b2c3d4e5f60004"
	al2023 = "ami-0a1b2c3d4e5f60001"
)

// fixture is a server with an instance profile "app" (its role trusts EC2) and a user "dev" who
// may use EC2 but may pass only roles named app*.
type fixture struct {
	srv        *testkit.Server
	root       *ec2.Client
	dev        *ec2.Client
	roleARN    string
	profileARN string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	srv := testkit.NewServer(t)
	f := &fixture{srv: srv, root: srv.EC2(srv.Management.Root)}
	f.roleARN, f.profileARN = srv.InstanceProfile(t, srv.Management.Root, "app", testkit.EC2Trust, "")
	srv.InstanceProfile(t, srv.Management.Root, "other", testkit.EC2Trust, "")
	f.dev = srv.EC2(user(t, srv, "dev", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"ec2:*","Resource":"*"},
		{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::*:role/app*","Condition":{"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}}]}`))
	return f
}

// user creates an IAM user with an inline policy and returns its keys.
func user(t *testing.T, srv *testkit.Server, name, policy string) testkit.Creds {
	t.Helper()
	ctx := context.Background()
	c := srv.IAM(srv.Management.Root)
	if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(name), PolicyName: aws.String("p"), PolicyDocument: aws.String(policy)}); err != nil {
		t.Fatal(err)
	}
	k, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	return testkit.Creds{AccessKeyID: aws.ToString(k.AccessKey.AccessKeyId), SecretAccessKey: aws.ToString(k.AccessKey.SecretAccessKey)}
}

func (f *fixture) run(t *testing.T, c *ec2.Client, in *ec2.RunInstancesInput) types.Instance {
	t.Helper()
	if in.ImageId == nil {
		in.ImageId = aws.String(ubuntu)
	}
	in.MinCount, in.MaxCount = aws.Int32(1), aws.Int32(1)
	out, err := c.RunInstances(context.Background(), in)
	if err != nil {
		t.Fatalf("RunInstances: %v", err)
	}
	return out.Instances[0]
}

func (f *fixture) describe(t *testing.T, id string) types.Instance {
	t.Helper()
	out, err := f.root.DescribeInstances(context.Background(), &ec2.DescribeInstancesInput{InstanceIds: []string{id}})
	if err != nil {
		t.Fatalf("DescribeInstances: %v", err)
	}
	if len(out.Reservations) != 1 || len(out.Reservations[0].Instances) != 1 {
		t.Fatalf("DescribeInstances %s: %d reservations", id, len(out.Reservations))
	}
	return out.Reservations[0].Instances[0]
}

// apiError returns the error code and HTTP status of an SDK error.
func apiError(t *testing.T, err error) (string, string, int) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want an API error", err)
	}
	status := 0
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		status = re.HTTPStatusCode()
	}
	return ae.ErrorCode(), ae.ErrorMessage(), status
}

func TestRunDescribeTerminate(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	got := f.run(t, f.dev, &ec2.RunInstancesInput{InstanceType: types.InstanceTypeT3Micro,
		IamInstanceProfile: &types.IamInstanceProfileSpecification{Name: aws.String("app")},
		TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeInstance,
			Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("web")}}}}})
	id := aws.ToString(got.InstanceId)
	if got.State.Name != types.InstanceStateNamePending || aws.ToInt32(got.State.Code) != 0 || !strings.HasPrefix(id, "i-") {
		t.Errorf("RunInstances answered %s %d %s", got.State.Name, aws.ToInt32(got.State.Code), id)
	}
	in := f.describe(t, id)
	if in.State.Name != types.InstanceStateNameRunning || aws.ToInt32(in.State.Code) != 16 {
		t.Errorf("state = %s", in.State.Name)
	}
	if in.IamInstanceProfile == nil || aws.ToString(in.IamInstanceProfile.Arn) != f.profileARN {
		t.Errorf("profile = %+v", in.IamInstanceProfile)
	}
	endpoint := aws.ToString(in.PublicDnsName)
	if !strings.HasPrefix(endpoint, "127.0.0.1:") {
		t.Fatalf("PublicDnsName = %q, want the metadata endpoint", endpoint)
	}
	if in.MetadataOptions == nil || in.MetadataOptions.HttpTokens != types.HttpTokensStateOptional || in.InstanceType != types.InstanceTypeT3Micro {
		t.Errorf("options = %+v type %s", in.MetadataOptions, in.InstanceType)
	}
	if len(in.Tags) != 1 || aws.ToString(in.Tags[0].Value) != "web" || in.LaunchTime == nil || in.Placement == nil ||
		aws.ToString(in.Placement.AvailabilityZone) != "us-east-1a" {
		t.Errorf("tags %+v launch %v placement %+v", in.Tags, in.LaunchTime, in.Placement)
	}
	for _, tc := range []struct {
		name    string
		filters []types.Filter
		want    int
	}{
		{"tag", []types.Filter{{Name: aws.String("tag:Name"), Values: []string{"web"}}}, 1},
		{"tag miss", []types.Filter{{Name: aws.String("tag:Name"), Values: []string{"db"}}}, 0},
		{"state", []types.Filter{{Name: aws.String("instance-state-name"), Values: []string{"running"}}}, 1},
		{"profile", []types.Filter{{Name: aws.String("iam-instance-profile.arn"), Values: []string{f.profileARN}}}, 1},
	} {
		out, err := f.root.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: tc.filters})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		n := 0
		for _, r := range out.Reservations {
			n += len(r.Instances)
		}
		if n != tc.want {
			t.Errorf("%s: %d instances, want %d", tc.name, n, tc.want)
		}
	}
	term, err := f.dev.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{id}})
	if err != nil {
		t.Fatal(err)
	}
	if ch := term.TerminatingInstances[0]; ch.CurrentState.Name != types.InstanceStateNameShuttingDown || ch.PreviousState.Name != types.InstanceStateNameRunning {
		t.Errorf("terminate: %s -> %s", ch.PreviousState.Name, ch.CurrentState.Name)
	}
	if in := f.describe(t, id); in.State.Name != types.InstanceStateNameTerminated || aws.ToString(in.PublicDnsName) != "" {
		t.Errorf("after terminate: %s %q", in.State.Name, aws.ToString(in.PublicDnsName))
	}
	if conn, err := net.DialTimeout("tcp", endpoint, time.Second); err == nil {
		conn.Close()
		t.Errorf("metadata endpoint %s still accepts connections after terminate", endpoint)
	}
	// The SDK's waiter sees the instance terminated.
	w := ec2.NewInstanceTerminatedWaiter(f.root, func(o *ec2.InstanceTerminatedWaiterOptions) { o.MinDelay = time.Millisecond })
	if err := w.Wait(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}}, 5*time.Second); err != nil {
		t.Errorf("terminated waiter: %v", err)
	}
}

func TestLaunchWithProfileNeedsPassRole(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// dev may pass app* roles only.
	_, err := f.dev.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(ubuntu), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		IamInstanceProfile: &types.IamInstanceProfileSpecification{Name: aws.String("other")}})
	code, msg, status := apiError(t, err)
	if code != "UnauthorizedOperation" || status != 403 || !strings.HasPrefix(msg, "You are not authorized to perform this operation.") ||
		!strings.Contains(msg, "iam:PassRole") || !strings.Contains(msg, "Encoded authorization failure message: ") {
		t.Errorf("%s %d %q", code, status, msg)
	}
	// A user with EC2 rights and no iam:PassRole at all can launch without a profile only.
	ops := f.srv.EC2(user(t, f.srv, "ops", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]}`))
	_, err = ops.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(ubuntu), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		IamInstanceProfile: &types.IamInstanceProfileSpecification{Arn: aws.String(f.profileARN)}})
	if code, _, _ := apiError(t, err); code != "UnauthorizedOperation" {
		t.Errorf("launch without iam:PassRole: %s", code)
	}
	plain := f.run(t, ops, &ec2.RunInstancesInput{})
	// Associating a profile is passing a role too.
	_, err = ops.AssociateIamInstanceProfile(ctx, &ec2.AssociateIamInstanceProfileInput{InstanceId: plain.InstanceId,
		IamInstanceProfile: &types.IamInstanceProfileSpecification{Name: aws.String("app")}})
	if code, msg, _ := apiError(t, err); code != "UnauthorizedOperation" || !strings.Contains(msg, "iam:PassRole") {
		t.Errorf("associate without iam:PassRole: %s %q", code, msg)
	}
	// No EC2 rights at all.
	nobody := f.srv.EC2(user(t, f.srv, "nobody", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`))
	_, err = nobody.DescribeInstances(ctx, &ec2.DescribeInstancesInput{})
	if code, msg, _ := apiError(t, err); code != "UnauthorizedOperation" || !strings.Contains(msg, "ec2:DescribeInstances") {
		t.Errorf("describe without rights: %s %q", code, msg)
	}
	_, err = f.dev.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(ubuntu), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		IamInstanceProfile: &types.IamInstanceProfileSpecification{Name: aws.String("ghost")}})
	if code, msg, status := apiError(t, err); code != "InvalidParameterValue" || status != 400 ||
		msg != "Value (ghost) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name" {
		t.Errorf("missing profile: %s %d %q", code, status, msg)
	}
}

func TestAssociationsThroughTheAPI(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	in := f.run(t, f.root, &ec2.RunInstancesInput{})
	id := aws.ToString(in.InstanceId)
	a, err := f.dev.AssociateIamInstanceProfile(ctx, &ec2.AssociateIamInstanceProfileInput{InstanceId: in.InstanceId,
		IamInstanceProfile: &types.IamInstanceProfileSpecification{Name: aws.String("app")}})
	if err != nil {
		t.Fatal(err)
	}
	assoc := a.IamInstanceProfileAssociation
	if assoc.State != types.IamInstanceProfileAssociationStateAssociating || aws.ToString(assoc.InstanceId) != id ||
		aws.ToString(assoc.IamInstanceProfile.Arn) != f.profileARN {
		t.Errorf("associate = %+v", assoc)
	}
	list, err := f.dev.DescribeIamInstanceProfileAssociations(ctx, &ec2.DescribeIamInstanceProfileAssociationsInput{
		Filters: []types.Filter{{Name: aws.String("instance-id"), Values: []string{id}}}})
	if err != nil || len(list.IamInstanceProfileAssociations) != 1 ||
		list.IamInstanceProfileAssociations[0].State != types.IamInstanceProfileAssociationStateAssociated {
		t.Fatalf("describe associations = %+v %v", list, err)
	}
	_, err = f.root.ReplaceIamInstanceProfileAssociation(ctx, &ec2.ReplaceIamInstanceProfileAssociationInput{AssociationId: assoc.AssociationId,
		IamInstanceProfile: &types.IamInstanceProfileSpecification{Name: aws.String("other")}})
	if err != nil {
		t.Fatal(err)
	}
	if got := f.describe(t, id); !strings.HasSuffix(aws.ToString(got.IamInstanceProfile.Arn), ":instance-profile/other") {
		t.Errorf("after replace: %s", aws.ToString(got.IamInstanceProfile.Arn))
	}
	list, _ = f.root.DescribeIamInstanceProfileAssociations(ctx, &ec2.DescribeIamInstanceProfileAssociationsInput{})
	newID := list.IamInstanceProfileAssociations[0].AssociationId
	if _, err := f.root.DisassociateIamInstanceProfile(ctx, &ec2.DisassociateIamInstanceProfileInput{AssociationId: newID}); err != nil {
		t.Fatal(err)
	}
	if got := f.describe(t, id); got.IamInstanceProfile != nil {
		t.Errorf("after disassociate: %+v", got.IamInstanceProfile)
	}
	_, err = f.root.DisassociateIamInstanceProfile(ctx, &ec2.DisassociateIamInstanceProfileInput{AssociationId: newID})
	if code, _, _ := apiError(t, err); code != "InvalidAssociationID.NotFound" {
		t.Errorf("second disassociate: %s", code)
	}
}
