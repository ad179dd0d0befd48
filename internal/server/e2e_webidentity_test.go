package server_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"rolegate/internal/jwt"
	"rolegate/internal/testkit"
)

func TestAssumeRoleWithWebIdentity(t *testing.T) {
	s := testkit.NewServer(t)
	dev := s.CreateAccount(t, "dev")
	ctx := context.Background()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	// The issuer's key set, supplied for offline use in the data directory.
	ks, err := json.Marshal(jwt.KeySet{Keys: []jwt.Key{{ID: "k1", Alg: "RS256", Use: "sig", Public: &key.PublicKey}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(s.Dir, "oidc"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(s.Dir, "oidc", "token.example.com_ci.json"), ks, 0o600); err != nil {
		t.Fatal(err)
	}
	p := must[*iam.CreateOpenIDConnectProviderOutput](t, "CreateOpenIDConnectProvider")(s.IAM(dev.Root).CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{
		Url: aws.String("https://token.example.com/ci"), ClientIDList: []string{"sts.amazonaws.com"}}))
	provider := aws.ToString(p.OpenIDConnectProviderArn)
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + provider + `"},"Action":"sts:AssumeRoleWithWebIdentity",` +
		`"Condition":{"StringEquals":{"token.example.com/ci:aud":"sts.amazonaws.com"},"StringLike":{"token.example.com/ci:sub":"repo:acme/*"}}}]}`
	role := s.Role(t, dev.Root, "deploy", trust, map[string]string{"p": testkit.Allow("*", "iam:ListRoles")})
	mint := func(sub, aud string, exp time.Time) string {
		tok, err := jwt.Sign(map[string]any{"iss": "https://token.example.com/ci", "sub": sub, "aud": aud,
			"iat": s.Clock.Now().Unix(), "exp": exp.Unix()}, "RS256", "k1", key, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	call := func(tok string) (*sts.AssumeRoleWithWebIdentityOutput, error) {
		return s.STS(testkit.Creds{}).AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{
			RoleArn: aws.String(role), RoleSessionName: aws.String("ci-run"), WebIdentityToken: aws.String(tok)})
	}
	later := s.Clock.Now().Add(time.Hour)
	out, err := call(mint("repo:acme/app", "sts.amazonaws.com", later))
	if err != nil {
		t.Fatalf("AssumeRoleWithWebIdentity: %v", err)
	}
	if aws.ToString(out.SubjectFromWebIdentityToken) != "repo:acme/app" || aws.ToString(out.Audience) != "sts.amazonaws.com" ||
		!strings.HasSuffix(aws.ToString(out.AssumedRoleUser.Arn), ":assumed-role/deploy/ci-run") {
		t.Fatalf("result = %+v", out)
	}
	creds := testkit.FromSTS(out.Credentials.AccessKeyId, out.Credentials.SecretAccessKey, out.Credentials.SessionToken)
	must[*iam.ListRolesOutput](t, "the role's permission")(s.IAM(creds).ListRoles(ctx, &iam.ListRolesInput{}))

	_, err = call(mint("repo:other/app", "sts.amazonaws.com", later))
	wantCode(t, "a subject the trust policy does not allow", err, "AccessDenied")
	_, err = call(mint("repo:acme/app", "someone-else", later))
	wantCode(t, "an audience the provider does not list", err, "InvalidIdentityToken")
	_, err = call(mint("repo:acme/app", "sts.amazonaws.com", s.Clock.Now().Add(-time.Minute)))
	wantCode(t, "an expired token", err, "ExpiredTokenException")
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	forged, err := jwt.Sign(map[string]any{"iss": "https://token.example.com/ci", "sub": "repo:acme/app", "aud": "sts.amazonaws.com",
		"exp": later.Unix()}, "RS256", "k1", other, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	_, err = call(forged)
	wantCode(t, "a token signed by another key", err, "InvalidIdentityToken")
}

func TestRotatedKeyRingKeepsSessionsUntilTheyExpire(t *testing.T) {
	dir := t.TempDir()
	clock := &testkit.Clock{}
	s := testkit.OpenServer(t, dir, clock)
	dev := s.CreateAccount(t, "dev")
	alice := s.User(t, dev.Root, "alice", map[string]string{"p": testkit.Allow("*", "iam:GetUser")})
	out := must[*sts.GetSessionTokenOutput](t, "GetSessionToken")(s.STS(alice).GetSessionToken(context.Background(), &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(129600)}))
	sess := testkit.FromSTS(out.Credentials.AccessKeyId, out.Credentials.SecretAccessKey, out.Credentials.SessionToken)
	s.Stop()
	// A day later the restarted server rotates its session key ring; the 36-hour session, sealed
	// under the old key, still works. Clients sign with the server's time here.
	clock.Advance(25 * time.Hour)
	s2 := testkit.OpenServer(t, dir, clock)
	if n := len(s2.Srv.SessionKeys()); n != 2 {
		t.Fatalf("after a day the ring holds %d keys, want 2 (the new current one and the one still sealing live sessions)", n)
	}
	c := s2.Client(sess)
	if err := c.Query(context.Background(), "sts", "2011-06-15", "GetCallerIdentity", nil, nil); err != nil {
		t.Fatalf("session sealed under the rotated-out key: %v", err)
	}
	s2.Stop()
	clock.Advance(12 * time.Hour)
	s3 := testkit.OpenServer(t, dir, clock)
	err := s3.Client(sess).Query(context.Background(), "sts", "2011-06-15", "GetCallerIdentity", nil, nil)
	if err == nil || !strings.Contains(err.Error(), "ExpiredToken") {
		t.Fatalf("36 hours later the session must be expired, got %v", err)
	}
}
