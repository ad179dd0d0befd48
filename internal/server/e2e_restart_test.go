package server_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
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

func TestS3CallsAreAudited(t *testing.T) {
	s := testkit.NewServer(t)
	dev := s.CreateAccount(t, "dev")
	ctx := context.Background()
	if _, err := s.S3(dev.Root).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("audited-bucket")}); err != nil {
		t.Fatal(err)
	}
	_, err := s.S3(dev.Root).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("audited-bucket"), Key: aws.String("missing")})
	wantCode(t, "GetObject of a missing key", err, "NoSuchKey")
	s.Stop()
	raw, err := os.ReadFile(filepath.Join(s.Dir, "audit.log"))
	if err != nil {
		t.Fatal(err)
	}
	log := string(raw)
	for _, want := range []string{`"eventSource":"s3.amazonaws.com","eventName":"CreateBucket"`, `"eventName":"GetObject"`, `"errorCode":"NoSuchKey"`} {
		if !strings.Contains(log, want) {
			t.Errorf("audit log lacks %s", want)
		}
	}
}
