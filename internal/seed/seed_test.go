package seed_test

import (
	"context"
	"crypto/rand"
	"errors"
	"io"
	"log/slog"
	"net/url"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"rolegate/internal/api/orgapi"
	"rolegate/internal/client"
	"rolegate/internal/secretbox"
	"rolegate/internal/seed"
	"rolegate/internal/server"
	"rolegate/internal/sigv4"
	"rolegate/internal/store/sqlite"
	"rolegate/internal/testkit"
)

// seedDir bootstraps a data directory as a first start does, then seeds it.
func seedDir(t *testing.T, policies int) (string, *seed.Manifest) {
	t.Helper()
	dir := t.TempDir()
	ctx := context.Background()
	srv, err := server.New(ctx, server.Config{DataDir: dir, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	key, err := secretbox.LoadOrCreateKey(filepath.Join(dir, "kek"), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	box, err := secretbox.New(key)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(filepath.Join(dir, "rolegate.db"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := seed.Fill(ctx, db, box, seed.Plan{Policies: policies}, time.Now(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	// A second seeding of the same store is refused rather than duplicated.
	if _, err := seed.Fill(ctx, db, box, seed.Plan{Policies: 1}, time.Now(), rand.Reader); !errors.Is(err, seed.ErrSeeded) {
		t.Errorf("seeding twice: %v, want ErrSeeded", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return dir, m
}

// A seeded directory must read back through the API exactly as if every entity had been created
// through it: accounts, policies with their versions and attachment counts, roles with trust
// policies, users with keys, tags and groups. The bench principal can assume its role, and only
// with the right external ID, so trust policy conditions are evaluated on seeded records.
func TestSeededDirectoryReadsBackThroughTheAPI(t *testing.T) {
	dir, m := seedDir(t, seed.PoliciesPerAccount+30)
	if m.Accounts != 2 || m.Policies != seed.PoliciesPerAccount+30 || m.Roles != 2*seed.RolesPerAccount+1 {
		t.Fatalf("manifest %+v", m)
	}
	s := testkit.OpenServer(t, dir, &testkit.Clock{})
	ctx := context.Background()
	bench := testkit.Creds{AccessKeyID: m.Bench.AccessKeyID, SecretAccessKey: m.Bench.SecretAccessKey}

	who, err := s.STS(bench).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("GetCallerIdentity with the seeded key: %v", err)
	}
	if aws.ToString(who.Arn) != seed.BenchUserARN(seed.AccountID(0)) || aws.ToString(who.Account) != seed.AccountID(0) {
		t.Errorf("caller %s in %s", aws.ToString(who.Arn), aws.ToString(who.Account))
	}

	assume := func(external string) error {
		_, err := s.STS(bench).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(m.Bench.RoleARN),
			RoleSessionName: aws.String("seed-test"), ExternalId: aws.String(external)})
		return err
	}
	if err := assume(seed.BenchExternal); err != nil {
		t.Errorf("AssumeRole with the external ID: %v", err)
	}
	var ae smithy.APIError
	if err := assume("wrong"); !errors.As(err, &ae) || ae.ErrorCode() != "AccessDenied" {
		t.Errorf("AssumeRole with a wrong external ID: %v, want AccessDenied", err)
	}

	c := s.IAM(bench)
	role, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(seed.BenchRole)})
	if err != nil {
		t.Fatal(err)
	}
	trust, _ := url.QueryUnescape(aws.ToString(role.Role.AssumeRolePolicyDocument))
	if trust != seed.BenchTrustPolicy(seed.AccountID(0)) {
		t.Errorf("trust policy read back as %s", trust)
	}

	var local []types.Policy
	for p := iam.NewListPoliciesPaginator(c, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal}); p.HasMorePages(); {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		local = append(local, page.Policies...)
	}
	if len(local) != seed.PoliciesPerAccount+1 {
		t.Fatalf("ListPolicies Local: %d policies, want %d", len(local), seed.PoliciesPerAccount+1)
	}
	for _, p := range local[:5] {
		ents, err := c.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: p.Arn})
		if err != nil {
			t.Fatal(err)
		}
		if n := len(ents.PolicyGroups) + len(ents.PolicyUsers) + len(ents.PolicyRoles); int32(n) != aws.ToInt32(p.AttachmentCount) {
			t.Errorf("%s: AttachmentCount %d, %d entities", aws.ToString(p.Arn), aws.ToInt32(p.AttachmentCount), n)
		}
		v, err := c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: p.Arn, VersionId: p.DefaultVersionId})
		if err != nil {
			t.Fatal(err)
		}
		if doc, _ := url.QueryUnescape(aws.ToString(v.PolicyVersion.Document)); len(doc) < 200 {
			t.Errorf("%s: default version %q", aws.ToString(p.Arn), doc)
		}
	}

	attached, err := c.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("role-0007")})
	if err != nil || len(attached.AttachedPolicies) != 3 {
		t.Errorf("role-0007 attached policies: %v, %v", attached, err)
	}
	inline, err := c.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String("role-0008"), PolicyName: aws.String("inline")})
	if err != nil || aws.ToString(inline.PolicyDocument) == "" {
		t.Errorf("role-0008 inline policy: %v", err)
	}
	user, err := c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("user-0003")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(user.User.Path) != "/people/" || len(user.User.Tags) != 2 {
		t.Errorf("user-0003: path %s, tags %v", aws.ToString(user.User.Path), user.User.Tags)
	}
	groups, err := c.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: aws.String(seed.BenchUser)})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, g := range groups.Groups {
		names = append(names, aws.ToString(g.GroupName))
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{seed.BenchGroup, "group-0000"}) {
		t.Errorf("bench user's groups: %v", names)
	}
	keys, err := c.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("user-0011")})
	if err != nil || len(keys.AccessKeyMetadata) != 1 || keys.AccessKeyMetadata[0].Status != types.StatusTypeActive {
		t.Errorf("user-0011 keys: %v, %v", keys, err)
	}
	gg, err := c.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("group-0002")})
	if err != nil || len(gg.Users) != seed.UsersPerAccount/seed.GroupsPerAccount {
		t.Errorf("group-0002 members: %v, %v", gg, err)
	}

	// The accounts are in the organization, next to the management account.
	admin := &client.Client{Endpoint: s.URL, Credentials: sigv4.Credentials{AccessKeyID: s.Management.Root.AccessKeyID,
		SecretAccessKey: s.Management.Root.SecretAccessKey}}
	var res struct {
		Accounts []struct{ Id, Name string } `xml:"Accounts>member"`
	}
	if err := admin.Query(ctx, orgapi.Name, orgapi.Version, "ListAccounts", nil, &res); err != nil {
		t.Fatal(err)
	}
	found := map[string]string{}
	for _, a := range res.Accounts {
		found[a.Id] = a.Name
	}
	if len(found) != 3 || found[seed.AccountID(0)] != "bench" || found[seed.AccountID(1)] != "seed-1" {
		t.Errorf("accounts %v", found)
	}
}
