package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"

	"rolegate/internal/testkit"
	"rolegate/internal/totp"
)

// twoAccounts sets up dev (with user alice allowed to assume any role) and prod.
func twoAccounts(t *testing.T) (*testkit.Server, testkit.Account, testkit.Account, testkit.Creds) {
	s := testkit.NewServer(t)
	dev, prod := s.CreateAccount(t, "dev"), s.CreateAccount(t, "prod")
	alice := s.User(t, dev.Root, "alice", map[string]string{"assume": testkit.Allow("*", "sts:AssumeRole", "sts:TagSession")})
	return s, dev, prod, alice
}

func assume(s *testkit.Server, c testkit.Creds, in *sts.AssumeRoleInput) (testkit.Creds, *sts.AssumeRoleOutput, error) {
	if in.RoleSessionName == nil {
		in.RoleSessionName = aws.String("sess")
	}
	out, err := s.STS(c).AssumeRole(context.Background(), in)
	if err != nil {
		return testkit.Creds{}, nil, err
	}
	return testkit.FromSTS(out.Credentials.AccessKeyId, out.Credentials.SecretAccessKey, out.Credentials.SessionToken), out, nil
}

func TestAssumeRoleTrustAndIdentityBothDecide(t *testing.T) {
	s, dev, prod, alice := twoAccounts(t)
	ctx := context.Background()
	role := s.Role(t, prod.Root, "list", testkit.Trust("arn:aws:iam::"+dev.ID+":root", ""), map[string]string{"p": testkit.Allow("*", "iam:ListRoles")})
	creds, out, err := assume(s, alice, &sts.AssumeRoleInput{RoleArn: aws.String(role), RoleSessionName: aws.String("alice-session")})
	if err != nil {
		t.Fatalf("cross-account AssumeRole: %v", err)
	}
	if got := aws.ToString(out.AssumedRoleUser.Arn); got != "arn:aws:sts::"+prod.ID+":assumed-role/list/alice-session" {
		t.Fatalf("assumed role ARN %s", got)
	}
	if id := aws.ToString(out.AssumedRoleUser.AssumedRoleId); !strings.HasPrefix(id, "AROA") || !strings.HasSuffix(id, ":alice-session") {
		t.Fatalf("AssumedRoleId %s", id)
	}
	who := must[*sts.GetCallerIdentityOutput](t, "GetCallerIdentity")(s.STS(creds).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
	if aws.ToString(who.Account) != prod.ID || aws.ToString(who.Arn) != aws.ToString(out.AssumedRoleUser.Arn) {
		t.Fatalf("GetCallerIdentity = %+v", who)
	}
	must[*iam.ListRolesOutput](t, "the role's permission")(s.IAM(creds).ListRoles(ctx, &iam.ListRolesInput{}))
	_, err = s.IAM(creds).ListUsers(ctx, &iam.ListUsersInput{})
	wantCode(t, "an action the role lacks", err, "AccessDenied")

	// Trust without identity permission: carol has no policy.
	carol := s.User(t, dev.Root, "carol", nil)
	_, _, err = assume(s, carol, &sts.AssumeRoleInput{RoleArn: aws.String(role)})
	wantCode(t, "trust without identity permission", err, "AccessDenied")
	// Identity permission without trust: a role that trusts only its own account.
	closed := s.Role(t, prod.Root, "closed", testkit.Trust("arn:aws:iam::"+prod.ID+":root", ""), nil)
	_, _, err = assume(s, alice, &sts.AssumeRoleInput{RoleArn: aws.String(closed)})
	wantCode(t, "identity permission without trust", err, "AccessDenied")
	// A role that does not exist.
	_, _, err = assume(s, alice, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::" + prod.ID + ":role/nope")})
	wantCode(t, "missing role", err, "AccessDenied")

	// Same account: a trust policy naming the user allows without any identity policy.
	self := s.Role(t, dev.Root, "self", testkit.Trust("arn:aws:iam::"+dev.ID+":user/carol", ""), nil)
	if _, _, err := assume(s, carol, &sts.AssumeRoleInput{RoleArn: aws.String(self)}); err != nil {
		t.Fatalf("same-account AssumeRole with the user named in the trust policy: %v", err)
	}
}

func TestAssumeRoleParameters(t *testing.T) {
	s, dev, prod, alice := twoAccounts(t)
	root := "arn:aws:iam::" + dev.ID + ":root"
	ext := s.Role(t, prod.Root, "ext", testkit.Trust(root, `"Condition":{"StringEquals":{"sts:ExternalId":"abc-123"}}`), nil)
	_, _, err := assume(s, alice, &sts.AssumeRoleInput{RoleArn: aws.String(ext)})
	wantCode(t, "ExternalId required but absent", err, "AccessDenied")
	_, _, err = assume(s, alice, &sts.AssumeRoleInput{RoleArn: aws.String(ext), ExternalId: aws.String("wrong-1")})
	wantCode(t, "wrong ExternalId", err, "AccessDenied")
	if _, _, err := assume(s, alice, &sts.AssumeRoleInput{RoleArn: aws.String(ext), ExternalId: aws.String("abc-123")}); err != nil {
		t.Fatalf("right ExternalId: %v", err)
	}

	plain := s.Role(t, prod.Root, "plain", testkit.Trust(root, ""), map[string]string{"p": testkit.Allow("*", "iam:*", "sts:AssumeRole")})
	_, _, err = assume(s, alice, &sts.AssumeRoleInput{RoleArn: aws.String(plain), DurationSeconds: aws.Int32(7200)})
	wantCode(t, "duration above the role's maximum", err, "ValidationError")
	_, _, err = assume(s, alice, &sts.AssumeRoleInput{RoleArn: aws.String(plain), RoleSessionName: aws.String("bad name")})
	wantCode(t, "bad session name", err, "ValidationError")

	// Role chaining is capped at one hour.
	chainTarget := s.Role(t, prod.Root, "target", testkit.Trust("arn:aws:iam::"+prod.ID+":role/plain", ""), nil)
	must[*iam.UpdateRoleOutput](t, "UpdateRole")(s.IAM(prod.Root).UpdateRole(context.Background(), &iam.UpdateRoleInput{RoleName: aws.String("target"), MaxSessionDuration: aws.Int32(14400)}))
	first, _, err := assume(s, alice, &sts.AssumeRoleInput{RoleArn: aws.String(plain)})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = assume(s, first, &sts.AssumeRoleInput{RoleArn: aws.String(chainTarget), DurationSeconds: aws.Int32(7200)})
	wantCode(t, "chained session over an hour", err, "ValidationError")
	if _, _, err := assume(s, first, &sts.AssumeRoleInput{RoleArn: aws.String(chainTarget), DurationSeconds: aws.Int32(3600)}); err != nil {
		t.Fatalf("chained session of an hour: %v", err)
	}

	// A session policy narrows what the role can do.
	narrow, _, err := assume(s, alice, &sts.AssumeRoleInput{RoleArn: aws.String(plain), Policy: aws.String(testkit.Allow("*", "iam:ListRoles"))})
	if err != nil {
		t.Fatal(err)
	}
	must[*iam.ListRolesOutput](t, "allowed by role and session policy")(s.IAM(narrow).ListRoles(context.Background(), &iam.ListRolesInput{}))
	_, err = s.IAM(narrow).ListUsers(context.Background(), &iam.ListUsersInput{})
	wantCode(t, "allowed by the role but not the session policy", err, "AccessDenied")
	_, _, err = assume(s, alice, &sts.AssumeRoleInput{RoleArn: aws.String(plain), Policy: aws.String(`{"Statement":"nope"}`)})
	wantCode(t, "malformed session policy", err, "MalformedPolicyDocument")

	// Session tags need sts:TagSession in the trust policy.
	tagIn := &sts.AssumeRoleInput{RoleArn: aws.String(plain), Tags: []ststypes.Tag{{Key: aws.String("team"), Value: aws.String("red")}}}
	_, _, err = assume(s, alice, tagIn)
	wantCode(t, "tags without sts:TagSession", err, "AccessDenied")
	tagged := s.Role(t, prod.Root, "tagged", testkit.Trust(root, "", "sts:AssumeRole", "sts:TagSession"), map[string]string{
		"p": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListRoles","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"red"}}}]}`})
	tagIn.RoleArn = aws.String(tagged)
	red, out, err := assume(s, alice, tagIn)
	if err != nil {
		t.Fatalf("tags with sts:TagSession: %v", err)
	}
	if out.PackedPolicySize == nil {
		t.Fatal("PackedPolicySize missing for a tagged session")
	}
	must[*iam.ListRolesOutput](t, "session tag as aws:PrincipalTag")(s.IAM(red).ListRoles(context.Background(), &iam.ListRolesInput{}))
}

func TestAssumeRoleWithMFA(t *testing.T) {
	s, dev, prod, _ := twoAccounts(t)
	ctx := context.Background()
	admin := s.IAM(dev.Root)
	mallory := s.User(t, dev.Root, "mallory", map[string]string{"assume": testkit.Allow("*", "sts:AssumeRole")})
	dev1 := must[*iam.CreateVirtualMFADeviceOutput](t, "CreateVirtualMFADevice")(admin.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("mallory")}))
	seed := string(dev1.VirtualMFADevice.Base32StringSeed)
	serial := aws.ToString(dev1.VirtualMFADevice.SerialNumber)
	now := s.Clock.Now()
	c1, _ := totp.Code(seed, now.Add(-30*time.Second))
	c2, _ := totp.Code(seed, now)
	must[*iam.EnableMFADeviceOutput](t, "EnableMFADevice")(admin.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("mallory"),
		SerialNumber: aws.String(serial), AuthenticationCode1: aws.String(c1), AuthenticationCode2: aws.String(c2)}))
	role := s.Role(t, prod.Root, "mfa", testkit.Trust("arn:aws:iam::"+dev.ID+":root", `"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}`), nil)
	_, _, err := assume(s, mallory, &sts.AssumeRoleInput{RoleArn: aws.String(role)})
	wantCode(t, "MFA required but absent", err, "AccessDenied")
	_, _, err = assume(s, mallory, &sts.AssumeRoleInput{RoleArn: aws.String(role), SerialNumber: aws.String(serial), TokenCode: aws.String("000000")})
	wantCode(t, "wrong TOTP code", err, "AccessDenied")
	s.Clock.Advance(30 * time.Second) // the enabling codes are spent; use the next step
	good, _ := totp.Code(seed, s.Clock.Now())
	if _, _, err := assume(s, mallory, &sts.AssumeRoleInput{RoleArn: aws.String(role), SerialNumber: aws.String(serial), TokenCode: aws.String(good)}); err != nil {
		t.Fatalf("right TOTP code: %v", err)
	}
	_, _, err = assume(s, mallory, &sts.AssumeRoleInput{RoleArn: aws.String(role), SerialNumber: aws.String(serial), TokenCode: aws.String(good)})
	wantCode(t, "the same code twice", err, "AccessDenied")
}

func TestCallerIdentityOfEveryPrincipal(t *testing.T) {
	s, dev, prod, alice := twoAccounts(t)
	ctx := context.Background()
	id := func(c testkit.Creds) *sts.GetCallerIdentityOutput {
		return must[*sts.GetCallerIdentityOutput](t, "GetCallerIdentity")(s.STS(c).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
	}
	if r := id(dev.Root); aws.ToString(r.Arn) != "arn:aws:iam::"+dev.ID+":root" || aws.ToString(r.UserId) != dev.ID {
		t.Fatalf("root: %+v", r)
	}
	if u := id(alice); aws.ToString(u.Arn) != "arn:aws:iam::"+dev.ID+":user/alice" || !strings.HasPrefix(aws.ToString(u.UserId), "AIDA") {
		t.Fatalf("user: %+v", u)
	}
	role := s.Role(t, prod.Root, "r", testkit.Trust("arn:aws:iam::"+dev.ID+":root", ""), nil)
	sess, _, err := assume(s, alice, &sts.AssumeRoleInput{RoleArn: aws.String(role), RoleSessionName: aws.String("xx")})
	if err != nil {
		t.Fatal(err)
	}
	if r := id(sess); !strings.HasSuffix(aws.ToString(r.Arn), ":assumed-role/r/xx") {
		t.Fatalf("assumed role: %+v", r)
	}
	for _, k := range []string{alice.AccessKeyID, sess.AccessKeyID} {
		info := must[*sts.GetAccessKeyInfoOutput](t, "GetAccessKeyInfo")(s.STS(dev.Root).GetAccessKeyInfo(ctx, &sts.GetAccessKeyInfoInput{AccessKeyId: aws.String(k)}))
		want := dev.ID
		if k == sess.AccessKeyID {
			want = prod.ID
		}
		if aws.ToString(info.Account) != want {
			t.Fatalf("GetAccessKeyInfo(%s) = %s, want %s", k, aws.ToString(info.Account), want)
		}
	}
	fed := s.User(t, dev.Root, "fed", map[string]string{"p": testkit.Allow("*", "sts:GetFederationToken")})
	ft := must[*sts.GetFederationTokenOutput](t, "GetFederationToken")(s.STS(fed).GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("bob"), Policy: aws.String(testkit.Allow("*", "s3:*"))}))
	fc := testkit.FromSTS(ft.Credentials.AccessKeyId, ft.Credentials.SecretAccessKey, ft.Credentials.SessionToken)
	if r := id(fc); aws.ToString(r.Arn) != "arn:aws:sts::"+dev.ID+":federated-user/bob" || aws.ToString(r.UserId) != dev.ID+":bob" {
		t.Fatalf("federated user: %+v", r)
	}
	_, err = s.IAM(fc).ListRoles(ctx, &iam.ListRolesInput{})
	wantCode(t, "federated credentials on IAM", err, "InvalidClientTokenId")
	st := must[*sts.GetSessionTokenOutput](t, "GetSessionToken")(s.STS(alice).GetSessionToken(ctx, &sts.GetSessionTokenInput{}))
	stc := testkit.FromSTS(st.Credentials.AccessKeyId, st.Credentials.SecretAccessKey, st.Credentials.SessionToken)
	if r := id(stc); aws.ToString(r.Arn) != "arn:aws:iam::"+dev.ID+":user/alice" {
		t.Fatalf("session token: %+v", r)
	}
	_, err = s.IAM(stc).ListRoles(ctx, &iam.ListRolesInput{})
	wantCode(t, "GetSessionToken credentials without MFA on IAM", err, "InvalidClientTokenId")
	_, err = s.STS(sess).GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	wantCode(t, "GetSessionToken with session credentials", err, "AccessDenied")
}

func TestTemporaryCredentialsExpireAndCanBeRevoked(t *testing.T) {
	s, dev, prod, alice := twoAccounts(t)
	ctx := context.Background()
	role := s.Role(t, prod.Root, "r", testkit.Trust("arn:aws:iam::"+dev.ID+":root", ""), map[string]string{"p": testkit.Allow("*", "iam:ListRoles")})
	sess, _, err := assume(s, alice, &sts.AssumeRoleInput{RoleArn: aws.String(role), DurationSeconds: aws.Int32(900)})
	if err != nil {
		t.Fatal(err)
	}
	must[*iam.ListRolesOutput](t, "fresh session")(s.IAM(sess).ListRoles(ctx, &iam.ListRolesInput{}))
	tampered := sess
	tampered.SessionToken = tampered.SessionToken[:20] + string(rune(tampered.SessionToken[20]^1)) + tampered.SessionToken[21:]
	_, err = s.IAM(tampered).ListRoles(ctx, &iam.ListRolesInput{})
	wantCode(t, "tampered session token", err, "InvalidClientTokenId")
	// AWS's own revocation: deny everything to sessions issued before now.
	revokeAt := s.Clock.Now().Add(time.Second).UTC().Format(time.RFC3339)
	must[*iam.PutRolePolicyOutput](t, "revoke")(s.IAM(prod.Root).PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String("AWSRevokeOlderSessions"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:TokenIssueTime":"` + revokeAt + `"}}}]}`)}))
	_, err = s.IAM(sess).ListRoles(ctx, &iam.ListRolesInput{})
	wantCode(t, "session issued before the revocation", err, "AccessDenied")
	s.Clock.Advance(901 * time.Second)
	_, err = s.IAM(sess).ListRoles(ctx, &iam.ListRolesInput{})
	wantCode(t, "expired session", err, "ExpiredToken")
}
