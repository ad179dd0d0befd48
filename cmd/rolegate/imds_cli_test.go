package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"rolegate/internal/testkit"
)

// launch starts an instance with profile and returns its ID and metadata endpoint.
func launch(t *testing.T, srv *testkit.Server, profile string, tokens types.HttpTokensState) (string, string) {
	t.Helper()
	c := srv.EC2(srv.Management.Root)
	out, err := c.RunInstances(context.Background(), &ec2.RunInstancesInput{ImageId: aws.String("ami-0a1b2c3d4e5f60004"),
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1), IamInstanceProfile: &types.IamInstanceProfileSpecification{Name: aws.String(profile)},
		MetadataOptions: &types.InstanceMetadataOptionsRequest{HttpTokens: tokens}})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(out.Instances[0].InstanceId)
	d, err := c.DescribeInstances(context.Background(), &ec2.DescribeInstancesInput{InstanceIds: []string{id}})
	if err != nil {
		t.Fatal(err)
	}
	return id, "http://" + aws.ToString(d.Reservations[0].Instances[0].PublicDnsName)
}

// awsOnInstance runs the aws CLI as a program on an instance: no keys, no files, only the
// metadata endpoint (and where rolegate is).
func awsOnInstance(t *testing.T, cli, endpoint, url string, args ...string) (string, string, error) {
	t.Helper()
	cmd := exec.Command(cli, args...)
	cmd.Env = append(os.Environ(), "AWS_EC2_METADATA_SERVICE_ENDPOINT="+endpoint, "AWS_ENDPOINT_URL="+url,
		"AWS_DEFAULT_REGION=us-east-1", "AWS_CONFIG_FILE="+os.DevNull, "AWS_SHARED_CREDENTIALS_FILE="+os.DevNull)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	return out.String(), errOut.String(), err
}

func TestAWSCLIGetsInstanceCredentials(t *testing.T) {
	cli := needAWSCLI(t)
	cleanEnv(t)
	srv := testkit.NewServer(t)
	srv.InstanceProfile(t, srv.Management.Root, "app", testkit.EC2Trust, listRolesOnly)
	for _, tokens := range []types.HttpTokensState{types.HttpTokensStateRequired, types.HttpTokensStateOptional} {
		t.Run(string(tokens), func(t *testing.T) {
			id, ep := launch(t, srv, "app", tokens)
			out, stderr, err := awsOnInstance(t, cli, ep, srv.URL, "sts", "get-caller-identity", "--output", "json")
			if err != nil {
				t.Fatalf("aws sts get-caller-identity: %v\n%s", err, stderr)
			}
			var who struct{ Arn, UserId, Account string }
			if err := json.Unmarshal([]byte(out), &who); err != nil {
				t.Fatalf("output %q: %v", out, err)
			}
			if want := "arn:aws:sts::" + srv.Management.ID + ":assumed-role/app/" + id; who.Arn != want || !strings.HasSuffix(who.UserId, ":"+id) {
				t.Errorf("identity %+v, want %s", who, want)
			}
			if _, stderr, err := awsOnInstance(t, cli, ep, srv.URL, "iam", "list-roles"); err != nil {
				t.Errorf("aws iam list-roles, which the role allows: %v\n%s", err, stderr)
			}
			_, stderr, err = awsOnInstance(t, cli, ep, srv.URL, "iam", "list-users")
			if err == nil || !strings.Contains(stderr, "AccessDenied") {
				t.Errorf("aws iam list-users, which the role does not allow: %v\n%s", err, stderr)
			}
		})
	}
}

func TestInstanceListAndEnv(t *testing.T) {
	cleanEnv(t)
	srv := testkit.NewServer(t)
	srv.InstanceProfile(t, srv.Management.Root, "app", testkit.EC2Trust, "")
	id, ep := launch(t, srv, "app", types.HttpTokensStateOptional)
	var out, errOut bytes.Buffer
	if code := run([]string{"instance", "list", "--data", srv.Dir, "--endpoint", srv.URL}, nil, &out, &errOut); code != 0 {
		t.Fatalf("instance list: %d %s", code, errOut.String())
	}
	var row map[string]string
	if err := json.Unmarshal(out.Bytes(), &row); err != nil {
		t.Fatalf("%q: %v", out.String(), err)
	}
	if row["InstanceId"] != id || row["State"] != "running" || row["MetadataEndpoint"] != ep ||
		!strings.HasSuffix(row["InstanceProfileArn"], ":instance-profile/app") {
		t.Errorf("row = %v", row)
	}
	out.Reset()
	if code := run([]string{"instance", "env", id, "--data", srv.Dir, "--endpoint", srv.URL}, nil, &out, &errOut); code != 0 ||
		out.String() != "export AWS_EC2_METADATA_SERVICE_ENDPOINT="+ep+"\n" {
		t.Errorf("instance env: %d %q %s", code, out.String(), errOut.String())
	}
	if code := run([]string{"instance", "env", "i-0123456789abcdef0", "--data", srv.Dir, "--endpoint", srv.URL}, nil, &out, &errOut); code != 1 ||
		!strings.Contains(errOut.String(), "InvalidInstanceID.NotFound") {
		t.Errorf("unknown instance: %d %s", code, errOut.String())
	}
}

// TestAWSCLIDrivesEC2 launches, describes, re-associates and terminates with the aws CLI, whose
// botocore serializes and parses the ec2 dialect on its own.
func TestAWSCLIDrivesEC2(t *testing.T) {
	cli := needAWSCLI(t)
	cleanEnv(t)
	srv := testkit.NewServer(t)
	srv.InstanceProfile(t, srv.Management.Root, "app", testkit.EC2Trust, listRolesOnly)
	srv.InstanceProfile(t, srv.Management.Root, "audit", testkit.EC2Trust, "")
	awsJSON := func(out any, args ...string) {
		t.Helper()
		cmd := exec.Command(cli, append(args, "--output", "json")...)
		cmd.Env = append(os.Environ(), "AWS_CONFIG_FILE="+srv.Dir+"/aws/config", "AWS_SHARED_CREDENTIALS_FILE="+srv.Dir+"/aws/credentials",
			"AWS_PROFILE=management")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("aws %v: %v\n%s", args, err, stderr.String())
		}
		if out != nil {
			if err := json.Unmarshal(stdout.Bytes(), out); err != nil {
				t.Fatalf("aws %v: %v\n%s", args, err, stdout.String())
			}
		}
	}
	type instance struct {
		InstanceId, PublicDnsName string
		State                     struct{ Name string }
		IamInstanceProfile        struct{ Arn string }
		Tags                      []struct{ Key, Value string }
	}
	var run struct{ Instances []instance }
	awsJSON(&run, "ec2", "run-instances", "--image-id", "ami-0a1b2c3d4e5f60004", "--count", "1", "--instance-type", "t3.micro",
		"--iam-instance-profile", "Name=app", "--metadata-options", "HttpTokens=required",
		"--tag-specifications", "ResourceType=instance,Tags=[{Key=Name,Value=cli}]")
	if len(run.Instances) != 1 || run.Instances[0].State.Name != "pending" {
		t.Fatalf("run-instances: %+v", run)
	}
	id := run.Instances[0].InstanceId
	var desc struct {
		Reservations []struct{ Instances []instance }
	}
	awsJSON(&desc, "ec2", "describe-instances", "--filters", "Name=tag:Name,Values=cli", "Name=instance-state-name,Values=running")
	if len(desc.Reservations) != 1 || desc.Reservations[0].Instances[0].InstanceId != id {
		t.Fatalf("describe-instances: %+v", desc)
	}
	got := desc.Reservations[0].Instances[0]
	if !strings.HasPrefix(got.PublicDnsName, "127.0.0.1:") || !strings.HasSuffix(got.IamInstanceProfile.Arn, ":instance-profile/app") ||
		len(got.Tags) != 1 || got.Tags[0].Value != "cli" {
		t.Errorf("described %+v", got)
	}
	var assoc struct {
		IamInstanceProfileAssociations []struct{ AssociationId, State string }
	}
	awsJSON(&assoc, "ec2", "describe-iam-instance-profile-associations", "--filters", "Name=instance-id,Values="+id)
	if len(assoc.IamInstanceProfileAssociations) != 1 || assoc.IamInstanceProfileAssociations[0].State != "associated" {
		t.Fatalf("associations: %+v", assoc)
	}
	awsJSON(nil, "ec2", "replace-iam-instance-profile-association", "--association-id", assoc.IamInstanceProfileAssociations[0].AssociationId,
		"--iam-instance-profile", "Name=audit")
	out, stderr, err := awsOnInstance(t, cli, "http://"+got.PublicDnsName, srv.URL, "sts", "get-caller-identity", "--output", "json")
	if err != nil || !strings.Contains(out, ":assumed-role/audit/"+id) {
		t.Errorf("identity after replace: %s %v %s", out, err, stderr)
	}
	var term struct {
		TerminatingInstances []struct{ CurrentState struct{ Name string } }
	}
	awsJSON(&term, "ec2", "terminate-instances", "--instance-ids", id)
	if len(term.TerminatingInstances) != 1 || term.TerminatingInstances[0].CurrentState.Name != "shutting-down" {
		t.Errorf("terminate-instances: %+v", term)
	}
	if _, _, err := awsOnInstance(t, cli, "http://"+got.PublicDnsName, srv.URL, "sts", "get-caller-identity"); err == nil {
		t.Error("credentials from a terminated instance's endpoint")
	}
}
