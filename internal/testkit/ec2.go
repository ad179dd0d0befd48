package testkit

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// EC2Trust is a trust policy that lets EC2 assume a role.
const EC2Trust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

// EC2 returns an EC2 client for c.
func (s *Server) EC2(c Creds) *ec2.Client { return ec2.NewFromConfig(s.Config(c)) }

// InstanceProfile creates, with c's IAM permissions, a role named name with trust policy trust
// and inline policy permissions (when not empty), and an instance profile of the same name
// holding it. It returns the role's and the profile's ARNs.
func (s *Server) InstanceProfile(t testing.TB, c Creds, name, trust, permissions string) (roleARN, profileARN string) {
	t.Helper()
	ctx := context.Background()
	client := s.IAM(c)
	role, err := client.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust)})
	if err != nil {
		t.Fatalf("CreateRole %s: %v", name, err)
	}
	if permissions != "" {
		if _, err := client.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String("permissions"),
			PolicyDocument: aws.String(permissions)}); err != nil {
			t.Fatalf("PutRolePolicy %s: %v", name, err)
		}
	}
	prof, err := client.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String(name)})
	if err != nil {
		t.Fatalf("CreateInstanceProfile %s: %v", name, err)
	}
	if _, err := client.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String(name),
		RoleName: aws.String(name)}); err != nil {
		t.Fatalf("AddRoleToInstanceProfile %s: %v", name, err)
	}
	return aws.ToString(role.Role.Arn), aws.ToString(prof.InstanceProfile.Arn)
}
