package server_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/smithy-go"

	"rolegate/internal/testkit"
)

// code returns the AWS error code of err, or "" when err is nil or not an API error.
func code(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func wantCode(t *testing.T, what string, err error, want string) {
	t.Helper()
	if got := code(err); got != want {
		t.Fatalf("%s: error code %q (%v), want %q", what, got, err, want)
	}
}

func must[T any](t *testing.T, what string) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
}

func TestIAMLifecycleWithSDK(t *testing.T) {
	s := testkit.NewServer(t)
	dev := s.CreateAccount(t, "dev")
	c := s.IAM(dev.Root)
	ctx := context.Background()

	must[*iam.CreateUserOutput](t, "CreateUser")(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice"), Path: aws.String("/eng/"),
		Tags: []iamtypes.Tag{{Key: aws.String("team"), Value: aws.String("red")}}}))
	_, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("ALICE")})
	wantCode(t, "CreateUser with a name differing only in case", err, "EntityAlreadyExists")
	must[*iam.CreateGroupOutput](t, "CreateGroup")(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("devs")}))
	must[*iam.AddUserToGroupOutput](t, "AddUserToGroup")(c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("devs"), UserName: aws.String("alice")}))
	role := must[*iam.CreateRoleOutput](t, "CreateRole")(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("app"),
		AssumeRolePolicyDocument: aws.String(testkit.Trust("arn:aws:iam::"+dev.ID+":root", "")), MaxSessionDuration: aws.Int32(7200)}))
	if got := aws.ToString(role.Role.Arn); got != "arn:aws:iam::"+dev.ID+":role/app" {
		t.Fatalf("role ARN %s", got)
	}
	got := must[*iam.GetRoleOutput](t, "GetRole")(c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("app")}))
	if aws.ToString(got.Role.AssumeRolePolicyDocument) == "" || aws.ToInt32(got.Role.MaxSessionDuration) != 7200 {
		t.Fatalf("GetRole = %+v", got.Role)
	}

	pol := must[*iam.CreatePolicyOutput](t, "CreatePolicy")(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("s3read"),
		PolicyDocument: aws.String(testkit.Allow("*", "s3:Get*"))}))
	arn := pol.Policy.Arn
	for i := 2; i <= 5; i++ {
		must[*iam.CreatePolicyVersionOutput](t, "CreatePolicyVersion")(c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: arn,
			PolicyDocument: aws.String(testkit.Allow("*", fmt.Sprintf("s3:List%d*", i))), SetAsDefault: i == 3}))
	}
	_, err = c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: arn, PolicyDocument: aws.String(testkit.Allow("*", "s3:x"))})
	wantCode(t, "a sixth policy version", err, "LimitExceeded")
	p := must[*iam.GetPolicyOutput](t, "GetPolicy")(c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: arn}))
	if aws.ToString(p.Policy.DefaultVersionId) != "v3" {
		t.Fatalf("default version %s, want v3", aws.ToString(p.Policy.DefaultVersionId))
	}
	_, err = c.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v3")})
	wantCode(t, "deleting the default version", err, "DeleteConflict")

	must[*iam.PutUserPolicyOutput](t, "PutUserPolicy")(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("inline"), PolicyDocument: aws.String(testkit.Allow("*", "iam:Get*"))}))
	must[*iam.PutGroupPolicyOutput](t, "PutGroupPolicy")(c.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("devs"), PolicyName: aws.String("inline"), PolicyDocument: aws.String(testkit.Allow("*", "iam:List*"))}))
	must[*iam.PutRolePolicyOutput](t, "PutRolePolicy")(c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String("inline"), PolicyDocument: aws.String(testkit.Allow("*", "s3:*"))}))
	must[*iam.AttachUserPolicyOutput](t, "AttachUserPolicy")(c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: arn}))
	must[*iam.AttachGroupPolicyOutput](t, "AttachGroupPolicy")(c.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("devs"), PolicyArn: arn}))
	must[*iam.AttachRolePolicyOutput](t, "AttachRolePolicy")(c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: arn}))
	ents := must[*iam.ListEntitiesForPolicyOutput](t, "ListEntitiesForPolicy")(c.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: arn}))
	if len(ents.PolicyUsers) != 1 || len(ents.PolicyGroups) != 1 || len(ents.PolicyRoles) != 1 {
		t.Fatalf("ListEntitiesForPolicy = %+v", ents)
	}
	k1 := must[*iam.CreateAccessKeyOutput](t, "CreateAccessKey")(c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")}))
	must[*iam.CreateAccessKeyOutput](t, "CreateAccessKey")(c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")}))
	_, err = c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")})
	wantCode(t, "a third access key", err, "LimitExceeded")

	// The user can now read IAM through its group's and its own policies.
	alice := testkit.Creds{AccessKeyID: aws.ToString(k1.AccessKey.AccessKeyId), SecretAccessKey: aws.ToString(k1.AccessKey.SecretAccessKey)}
	me := must[*iam.GetUserOutput](t, "GetUser as alice")(s.IAM(alice).GetUser(ctx, &iam.GetUserInput{}))
	if aws.ToString(me.User.Arn) != "arn:aws:iam::"+dev.ID+":user/eng/alice" {
		t.Fatalf("GetUser without a name = %s", aws.ToString(me.User.Arn))
	}

	// Deleting in the wrong order is refused with AWS's conflicts.
	steps := []struct {
		name string
		call func() error
		want string
	}{
		{"DeletePolicy while attached", func() error {
			_, err := c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: arn})
			return err
		}, "DeleteConflict"},
		{"DeleteGroup with members", func() error {
			_, err := c.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("devs")})
			return err
		}, "DeleteConflict"},
		{"DeleteUser with keys", func() error {
			_, err := c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("alice")})
			return err
		}, "DeleteConflict"},
		{"DeleteRole with policies", func() error {
			_, err := c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("app")})
			return err
		}, "DeleteConflict"},
		{"DeleteUser of a missing user", func() error {
			_, err := c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("nobody")})
			return err
		}, "NoSuchEntity"},
	}
	for _, st := range steps {
		wantCode(t, st.name, st.call(), st.want)
	}
}

func TestIAMPaginationWithSDK(t *testing.T) {
	s := testkit.NewServer(t)
	dev := s.CreateAccount(t, "dev")
	c := s.IAM(dev.Root)
	ctx := context.Background()
	for i := range 7 {
		must[*iam.CreateUserOutput](t, "CreateUser")(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(fmt.Sprintf("u%02d", i))}))
	}
	pages, names := 0, []string{}
	pg := iam.NewListUsersPaginator(c, &iam.ListUsersInput{MaxItems: aws.Int32(3)})
	for pg.HasMorePages() {
		out, err := pg.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, u := range out.Users {
			names = append(names, aws.ToString(u.UserName))
		}
	}
	if pages != 3 || len(names) != 7 || names[0] != "u00" || names[6] != "u06" {
		t.Fatalf("pages=%d names=%v", pages, names)
	}
}

func TestUserPermissionsDecideListUsers(t *testing.T) {
	s := testkit.NewServer(t)
	dev := s.CreateAccount(t, "dev")
	ctx := context.Background()
	admin := s.IAM(dev.Root)
	bob := s.User(t, dev.Root, "bob", nil)
	_, err := s.IAM(bob).ListUsers(ctx, &iam.ListUsersInput{})
	wantCode(t, "ListUsers with no policy", err, "AccessDenied")
	must[*iam.PutUserPolicyOutput](t, "grant")(admin.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("list"), PolicyDocument: aws.String(testkit.Allow("*", "iam:ListUsers"))}))
	must[*iam.ListUsersOutput](t, "ListUsers granted")(s.IAM(bob).ListUsers(ctx, &iam.ListUsersInput{}))
	must[*iam.PutUserPolicyOutput](t, "deny")(admin.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("deny"), PolicyDocument: aws.String(testkit.Deny("*", "iam:ListUsers"))}))
	_, err = s.IAM(bob).ListUsers(ctx, &iam.ListUsersInput{})
	wantCode(t, "ListUsers with an explicit deny", err, "AccessDenied")
	// Cross-account IAM calls are denied: the root of another account cannot read dev's users.
	prod := s.CreateAccount(t, "prod")
	_, err = s.IAM(prod.Root).GetUser(ctx, &iam.GetUserInput{UserName: aws.String("bob")})
	wantCode(t, "GetUser of another account's user", err, "NoSuchEntity")
}

// tamper replaces request bodies after they were signed.
type tamper struct{ next http.RoundTripper }

func (tp tamper) RoundTrip(r *http.Request) (*http.Response, error) {
	const body = "Action=ListUsers&Version=2010-05-08&MaxItems=1"
	r2 := r.Clone(r.Context())
	r2.Body = io.NopCloser(strings.NewReader(body))
	r2.ContentLength = int64(len(body))
	return tp.next.RoundTrip(r2)
}

func TestAuthenticationFailuresGetAWSCodes(t *testing.T) {
	s := testkit.NewServer(t)
	dev := s.CreateAccount(t, "dev")
	ctx := context.Background()
	wrong := dev.Root
	// A different first character: "0" + secret[1:] would be the same secret for one in 64.
	first := "0"
	if wrong.SecretAccessKey[0] == '0' {
		first = "1"
	}
	wrong.SecretAccessKey = first + wrong.SecretAccessKey[1:]
	_, err := s.IAM(wrong).ListUsers(ctx, &iam.ListUsersInput{})
	wantCode(t, "wrong secret", err, "SignatureDoesNotMatch")
	_, err = s.IAM(testkit.Creds{AccessKeyID: "AKIAAAAAAAAAAAAAAAAA", SecretAccessKey: "x"}).ListUsers(ctx, &iam.ListUsersInput{})
	wantCode(t, "unknown key", err, "InvalidClientTokenId")
	cfg := s.Config(dev.Root)
	cfg.HTTPClient = &http.Client{Transport: tamper{http.DefaultTransport}}
	_, err = iam.NewFromConfig(cfg).ListUsers(ctx, &iam.ListUsersInput{})
	wantCode(t, "tampered body", err, "SignatureDoesNotMatch")
	s.Clock.Advance(16 * time.Minute)
	_, err = s.IAM(dev.Root).ListUsers(ctx, &iam.ListUsersInput{})
	wantCode(t, "clock skewed by 16 minutes", err, "SignatureDoesNotMatch")
	if err == nil || !strings.Contains(err.Error(), "Signature expired") {
		t.Fatalf("skew message: %v", err)
	}
}
