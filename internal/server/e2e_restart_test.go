package server_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"rolegate/internal/testkit"
)

func TestRestartKeepsEntitiesKeysAndSessions(t *testing.T) {
	dir := t.TempDir()
	clock := &testkit.Clock{}
	s := testkit.OpenServer(t, dir, clock)
	dev := s.CreateAccount(t, "dev")
	alice := s.User(t, dev.Root, "alice", map[string]string{"p": testkit.Allow("*", "sts:AssumeRole", "iam:Get*")})
	role := s.Role(t, dev.Root, "r", testkit.Trust("arn:aws:iam::"+dev.ID+":root", ""), map[string]string{"p": testkit.Allow("*", "iam:ListRoles")})
	sess, _, err := assume(s, alice, &sts.AssumeRoleInput{RoleArn: aws.String(role)})
	if err != nil {
		t.Fatal(err)
	}
	s.Stop()

	s2 := testkit.OpenServer(t, dir, clock)
	ctx := context.Background()
	if _, err := s2.IAM(alice).GetUser(ctx, &iam.GetUserInput{}); err != nil {
		t.Fatalf("long-term key after restart: %v", err)
	}
	if _, err := s2.IAM(dev.Root).GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("r")}); err != nil {
		t.Fatalf("role after restart: %v", err)
	}
	if _, err := s2.IAM(sess).ListRoles(ctx, &iam.ListRolesInput{}); err != nil {
		t.Fatalf("session issued before the restart: %v", err)
	}
}
