package testkit

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// User creates an IAM user in the account of admin with the given inline policies (name → JSON)
// and returns its access key.
func (s *Server) User(t testing.TB, admin Creds, name string, policies map[string]string) Creds {
	t.Helper()
	ctx := context.Background()
	c := s.IAM(admin)
	if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
		t.Fatalf("CreateUser %s: %v", name, err)
	}
	for pn, doc := range policies {
		if _, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(name), PolicyName: aws.String(pn), PolicyDocument: aws.String(doc)}); err != nil {
			t.Fatalf("PutUserPolicy %s/%s: %v", name, pn, err)
		}
	}
	k, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
	if err != nil {
		t.Fatalf("CreateAccessKey %s: %v", name, err)
	}
	return Creds{AccessKeyID: aws.ToString(k.AccessKey.AccessKeyId), SecretAccessKey: aws.ToString(k.AccessKey.SecretAccessKey)}
}

// Role creates a role with a trust policy and inline permission policies and returns its ARN.
func (s *Server) Role(t testing.TB, admin Creds, name, trust string, policies map[string]string) string {
	t.Helper()
	ctx := context.Background()
	c := s.IAM(admin)
	out, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust)})
	if err != nil {
		t.Fatalf("CreateRole %s: %v", name, err)
	}
	for pn, doc := range policies {
		if _, err := c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String(pn), PolicyDocument: aws.String(doc)}); err != nil {
			t.Fatalf("PutRolePolicy %s/%s: %v", name, pn, err)
		}
	}
	return aws.ToString(out.Role.Arn)
}

// Allow returns a policy document allowing actions on resource.
func Allow(resource string, actions ...string) string {
	return statementDoc("Allow", resource, actions)
}

// Deny returns a policy document denying actions on resource.
func Deny(resource string, actions ...string) string {
	return statementDoc("Deny", resource, actions)
}

func statementDoc(effect, resource string, actions []string) string {
	list := ""
	for i, a := range actions {
		if i > 0 {
			list += ","
		}
		list += `"` + a + `"`
	}
	return `{"Version":"2012-10-17","Statement":[{"Effect":"` + effect + `","Action":[` + list + `],"Resource":"` + resource + `"}]}`
}

// Trust returns a trust policy letting principal (an ARN or account root) assume the role, with
// optional extra JSON for a Condition element (e.g. `"Condition":{...}`).
func Trust(principal string, extra string, actions ...string) string {
	if len(actions) == 0 {
		actions = []string{"sts:AssumeRole"}
	}
	list := ""
	for i, a := range actions {
		if i > 0 {
			list += ","
		}
		list += `"` + a + `"`
	}
	cond := ""
	if extra != "" {
		cond = "," + extra
	}
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + principal + `"},"Action":[` + list + `]` + cond + `}]}`
}
