package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"rolegate/internal/api/orgapi"
	"rolegate/internal/client"
	"rolegate/internal/testkit"
)

func TestAccessDeniedDecodesToTheDecision(t *testing.T) {
	s := testkit.NewServer(t)
	dev := s.CreateAccount(t, "dev")
	bob := s.User(t, dev.Root, "bob", map[string]string{
		"deny": testkit.Deny("*", "iam:ListUsers"), "decode": testkit.Allow("*", "sts:DecodeAuthorizationMessage")})
	err := s.Client(bob).Query(context.Background(), "iam", "2010-05-08", "ListUsers", nil, nil)
	var ae *client.APIError
	if !errors.As(err, &ae) || ae.Code != "AccessDenied" || ae.EncodedMessage == "" {
		t.Fatalf("ListUsers = %v; want AccessDenied with an encoded message", err)
	}
	out, err := s.STS(bob).DecodeAuthorizationMessage(context.Background(), &sts.DecodeAuthorizationMessageInput{EncodedMessage: aws.String(ae.EncodedMessage)})
	if err != nil {
		t.Fatalf("DecodeAuthorizationMessage: %v", err)
	}
	var m struct {
		Allowed           bool
		ExplicitDeny      bool
		MatchedStatements struct {
			Items []struct{ Policy, Effect string }
		}
		Context struct {
			Action, Resource string
			Principal        struct{ Arn string }
		}
	}
	if err := json.Unmarshal([]byte(aws.ToString(out.DecodedMessage)), &m); err != nil {
		t.Fatal(err)
	}
	if m.Allowed || !m.ExplicitDeny || m.Context.Action != "iam:ListUsers" || len(m.MatchedStatements.Items) != 1 ||
		m.MatchedStatements.Items[0].Policy != "deny" || m.MatchedStatements.Items[0].Effect != "Deny" {
		t.Fatalf("decoded message = %s", aws.ToString(out.DecodedMessage))
	}
	_, err = s.STS(bob).DecodeAuthorizationMessage(context.Background(), &sts.DecodeAuthorizationMessageInput{EncodedMessage: aws.String(ae.EncodedMessage[:20] + "x")})
	wantCode(t, "a tampered message", err, "InvalidAuthorizationMessageException")
}

func TestRevokedSessionIsRefused(t *testing.T) {
	s, dev, prod, alice := twoAccounts(t)
	role := s.Role(t, prod.Root, "r", testkit.Trust("arn:aws:iam::"+dev.ID+":root", ""), map[string]string{"p": testkit.Allow("*", "iam:ListRoles")})
	sess, _, err := assume(s, alice, &sts.AssumeRoleInput{RoleArn: aws.String(role)})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	must[*iam.ListRolesOutput](t, "before revocation")(s.IAM(sess).ListRoles(ctx, &iam.ListRolesInput{}))
	err = s.Client(dev.Root).Query(ctx, orgapi.Name, orgapi.Version, "RevokeSession", url.Values{"AccessKeyId": {sess.AccessKeyID}}, nil)
	if err == nil {
		t.Fatal("a member account revoked a session; only the management account may")
	}
	if err := s.Client(s.Management.Root).Query(ctx, orgapi.Name, orgapi.Version, "RevokeSession", url.Values{"AccessKeyId": {sess.AccessKeyID}}, nil); err != nil {
		t.Fatal(err)
	}
	_, err = s.IAM(sess).ListRoles(ctx, &iam.ListRolesInput{})
	wantCode(t, "revoked session", err, "InvalidClientTokenId")
}
