package terraformreplay

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"rolegate/internal/testkit"
	"rolegate/internal/totp"
)

// userConfig is an aws_iam_user block (force_destroy is set in every test here).
type userConfig struct {
	name, path, permissionsBoundary string
	tags                            map[string]string
}

type userState struct {
	arn, name, path, uniqueID, permissionsBoundary string
	tags                                           map[string]string
}

func (p *provider) createUser(t *testing.T, c userConfig) string {
	t.Helper()
	in := &iam.CreateUserInput{UserName: aws.String(c.name), Path: aws.String(c.path), Tags: iamTags(c.tags)}
	if c.permissionsBoundary != "" {
		in.PermissionsBoundary = aws.String(c.permissionsBoundary)
	}
	_, err := p.iam.CreateUser(context.Background(), in)
	mustOK(t, "CreateUser "+c.name, err)
	return c.name
}

func (p *provider) readUser(t *testing.T, id string) *userState {
	t.Helper()
	out, err := p.iam.GetUser(context.Background(), &iam.GetUserInput{UserName: aws.String(id)})
	if notFound(err, "NoSuchEntity") {
		return nil
	}
	mustOK(t, "GetUser "+id, err)
	u := out.User
	checkCreated(t, "GetUser", u.CreateDate)
	st := &userState{arn: aws.ToString(u.Arn), name: aws.ToString(u.UserName), path: aws.ToString(u.Path),
		uniqueID: aws.ToString(u.UserId), tags: tagMap(u.Tags)}
	if u.PermissionsBoundary != nil {
		st.permissionsBoundary = aws.ToString(u.PermissionsBoundary.PermissionsBoundaryArn)
	}
	return st
}

func (p *provider) userDiff(c userConfig, st *userState) diff {
	var d diff
	d.str("arn", p.arn("iam", "user"+c.path+c.name), st.arn)
	d.str("name", c.name, st.name)
	d.str("path", c.path, st.path)
	d.str("permissions_boundary", c.permissionsBoundary, st.permissionsBoundary)
	d.tags("tags", c.tags, st.tags)
	return d
}

// updateUser renames and moves with UpdateUser, then boundary and tags; the id becomes the new
// name.
func (p *provider) updateUser(t *testing.T, id string, old, c userConfig) string {
	t.Helper()
	ctx := context.Background()
	if old.name != c.name || old.path != c.path {
		_, err := p.iam.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String(id), NewUserName: aws.String(c.name), NewPath: aws.String(c.path)})
		mustOK(t, "UpdateUser", err)
		id = c.name
	}
	if old.permissionsBoundary != c.permissionsBoundary {
		if c.permissionsBoundary == "" {
			_, err := p.iam.DeleteUserPermissionsBoundary(ctx, &iam.DeleteUserPermissionsBoundaryInput{UserName: aws.String(id)})
			mustOK(t, "DeleteUserPermissionsBoundary", err)
		} else {
			_, err := p.iam.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{UserName: aws.String(id), PermissionsBoundary: aws.String(c.permissionsBoundary)})
			mustOK(t, "PutUserPermissionsBoundary", err)
		}
	}
	remove, set := tagChanges(old.tags, c.tags)
	if len(remove) > 0 {
		_, err := p.iam.UntagUser(ctx, &iam.UntagUserInput{UserName: aws.String(id), TagKeys: remove})
		mustOK(t, "UntagUser", err)
	}
	if len(set) > 0 {
		_, err := p.iam.TagUser(ctx, &iam.TagUserInput{UserName: aws.String(id), Tags: iamTags(set)})
		mustOK(t, "TagUser", err)
	}
	return id
}

// deleteUser is the provider's delete with force_destroy: everything the user holds goes first,
// each list answered (even when empty), then DeleteUser; NoSuchEntity counts as deleted.
func (p *provider) deleteUser(t *testing.T, id string) {
	t.Helper()
	ctx := context.Background()
	u := aws.String(id)
	groups, err := p.iam.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: u})
	mustOK(t, "ListGroupsForUser", err)
	for _, g := range groups.Groups {
		_, err := p.iam.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{UserName: u, GroupName: g.GroupName})
		mustOK(t, "RemoveUserFromGroup", err)
	}
	inline, err := p.iam.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: u})
	mustOK(t, "ListUserPolicies", err)
	for _, n := range inline.PolicyNames {
		_, err := p.iam.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: u, PolicyName: aws.String(n)})
		mustOK(t, "DeleteUserPolicy", err)
	}
	attached, err := p.iam.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: u})
	mustOK(t, "ListAttachedUserPolicies", err)
	for _, a := range attached.AttachedPolicies {
		_, err := p.iam.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: u, PolicyArn: a.PolicyArn})
		mustOK(t, "DetachUserPolicy", err)
	}
	keys, err := p.iam.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: u})
	mustOK(t, "ListAccessKeys", err)
	for _, k := range keys.AccessKeyMetadata {
		_, err := p.iam.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: u, AccessKeyId: k.AccessKeyId})
		mustOK(t, "DeleteAccessKey", err)
	}
	ssh, err := p.iam.ListSSHPublicKeys(ctx, &iam.ListSSHPublicKeysInput{UserName: u})
	mustOK(t, "ListSSHPublicKeys", err)
	if len(ssh.SSHPublicKeys) != 0 {
		t.Fatalf("ListSSHPublicKeys: %d keys for a user that has none", len(ssh.SSHPublicKeys))
	}
	virtual, err := p.iam.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{AssignmentStatus: iamtypes.AssignmentStatusTypeAssigned})
	mustOK(t, "ListVirtualMFADevices", err)
	for _, dev := range virtual.VirtualMFADevices {
		if dev.User == nil || aws.ToString(dev.User.UserName) != id {
			continue
		}
		_, err := p.iam.DeactivateMFADevice(ctx, &iam.DeactivateMFADeviceInput{UserName: u, SerialNumber: dev.SerialNumber})
		mustOK(t, "DeactivateMFADevice", err)
		_, err = p.iam.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: dev.SerialNumber})
		mustOK(t, "DeleteVirtualMFADevice", err)
	}
	mfa, err := p.iam.ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: u})
	mustOK(t, "ListMFADevices", err)
	for _, dev := range mfa.MFADevices {
		_, err := p.iam.DeactivateMFADevice(ctx, &iam.DeactivateMFADeviceInput{UserName: u, SerialNumber: dev.SerialNumber})
		mustOK(t, "DeactivateMFADevice", err)
	}
	_, err = p.iam.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: u})
	if !notFound(err, "NoSuchEntity") {
		mustOK(t, "DeleteLoginProfile", err)
	}
	certs, err := p.iam.ListSigningCertificates(ctx, &iam.ListSigningCertificatesInput{UserName: u})
	mustOK(t, "ListSigningCertificates", err)
	if len(certs.Certificates) != 0 {
		t.Fatalf("ListSigningCertificates: %d certificates for a user that has none", len(certs.Certificates))
	}
	creds, err := p.iam.ListServiceSpecificCredentials(ctx, &iam.ListServiceSpecificCredentialsInput{UserName: u})
	mustOK(t, "ListServiceSpecificCredentials", err)
	if len(creds.ServiceSpecificCredentials) != 0 {
		t.Fatalf("ListServiceSpecificCredentials: %d for a user that has none", len(creds.ServiceSpecificCredentials))
	}
	_, err = p.iam.DeleteUser(ctx, &iam.DeleteUserInput{UserName: u})
	if !notFound(err, "NoSuchEntity") {
		mustOK(t, "DeleteUser", err)
	}
}

func TestUserLifecycle(t *testing.T) {
	srv := testkit.NewServer(t)
	dev := srv.CreateAccount(t, "dev")
	p := configure(t, srv, dev.Root, nil)
	ctx := context.Background()
	boundary := p.createPolicy(t, policyConfig{name: "boundary", path: "/", document: jsonDoc(`{"Action":"sts:AssumeRole","Effect":"Allow","Resource":"*"}`)})

	c := userConfig{name: "random_user", path: "/", permissionsBoundary: boundary, tags: map[string]string{"name": "random"}}
	id := p.createUser(t, c)
	st := p.readUser(t, id)
	noChanges(t, "after create", p.userDiff(c, st))
	checkID(t, "user", "AIDA", st.uniqueID)
	uniqueID := st.uniqueID

	updated := userConfig{name: "random.user", path: "/people/", tags: map[string]string{"name": "random", "team": "dev"}}
	id = p.updateUser(t, id, c, updated)
	st = p.readUser(t, id)
	noChanges(t, "after update", p.userDiff(updated, st))
	if st.uniqueID != uniqueID {
		t.Fatalf("rename changed the unique id from %s to %s", uniqueID, st.uniqueID)
	}
	if p.readUser(t, c.name) != nil {
		t.Fatal("the old name still reads after the rename")
	}

	// Everything force_destroy has to clear: a group, inline and managed policies, a key, an
	// enabled virtual MFA device, a login profile.
	_, err := p.iam.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("devs")})
	mustOK(t, "CreateGroup", err)
	_, err = p.iam.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("devs"), UserName: aws.String(id)})
	mustOK(t, "AddUserToGroup", err)
	_, err = p.iam.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(id), PolicyName: aws.String("inline"), PolicyDocument: aws.String(jsonDoc(`{"Action":"s3:ListAllMyBuckets","Effect":"Allow","Resource":"*"}`))})
	mustOK(t, "PutUserPolicy", err)
	_, err = p.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String(id), PolicyArn: aws.String(boundary)})
	mustOK(t, "AttachUserPolicy", err)
	_, err = p.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(id)})
	mustOK(t, "CreateAccessKey", err)
	device, err := p.iam.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(id)})
	mustOK(t, "CreateVirtualMFADevice", err)
	seed := string(device.VirtualMFADevice.Base32StringSeed)
	now := srv.Clock.Now()
	code1, err := totp.Code(seed, now.Add(-totp.Period))
	mustOK(t, "totp", err)
	code2, err := totp.Code(seed, now)
	mustOK(t, "totp", err)
	_, err = p.iam.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String(id), SerialNumber: device.VirtualMFADevice.SerialNumber,
		AuthenticationCode1: aws.String(code1), AuthenticationCode2: aws.String(code2)})
	mustOK(t, "EnableMFADevice", err)
	_, err = p.iam.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String(id), Password: aws.String("Correct-Horse-9-Battery")})
	mustOK(t, "CreateLoginProfile", err)

	p.deleteUser(t, id)
	if st := p.readUser(t, id); st != nil {
		t.Fatalf("user still readable after delete: %+v", st)
	}
	p.deleteUserAgain(t, id)
}

// deleteUserAgain repeats the final DeleteUser of an already deleted user: the provider counts
// NoSuchEntity as success, so it must be NoSuchEntity and nothing else.
func (p *provider) deleteUserAgain(t *testing.T, id string) {
	t.Helper()
	_, err := p.iam.DeleteUser(context.Background(), &iam.DeleteUserInput{UserName: aws.String(id)})
	if errCode(err) != "NoSuchEntity" {
		t.Fatalf("DeleteUser of a deleted user: %v, want NoSuchEntity", err)
	}
}

// accessKeyState is what the provider's read of aws_iam_access_key stores.
type accessKeyState struct {
	user, status string
	createDate   time.Time
}

// readAccessKey lists the user's keys page by page and picks the one with the id.
func (p *provider) readAccessKey(t *testing.T, user, id string) *accessKeyState {
	t.Helper()
	pages := iam.NewListAccessKeysPaginator(p.iam, &iam.ListAccessKeysInput{UserName: aws.String(user), MaxItems: aws.Int32(1)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(context.Background())
		if notFound(err, "NoSuchEntity") {
			return nil
		}
		mustOK(t, "ListAccessKeys", err)
		for _, k := range page.AccessKeyMetadata {
			if aws.ToString(k.AccessKeyId) == id {
				checkCreated(t, "ListAccessKeys", k.CreateDate)
				return &accessKeyState{user: aws.ToString(k.UserName), status: string(k.Status), createDate: *k.CreateDate}
			}
		}
	}
	return nil
}

func TestAccessKeyLifecycle(t *testing.T) {
	srv := testkit.NewServer(t)
	dev := srv.CreateAccount(t, "dev")
	p := configure(t, srv, dev.Root, nil)
	ctx := context.Background()
	user := p.createUser(t, userConfig{name: "random_user", path: "/"})
	_, err := p.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(user)})
	mustOK(t, "CreateAccessKey (another key, so the read must pick)", err)

	out, err := p.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(user)})
	mustOK(t, "CreateAccessKey", err)
	k := out.AccessKey
	id, secret := aws.ToString(k.AccessKeyId), aws.ToString(k.SecretAccessKey)
	if aws.ToString(k.UserName) != user || k.Status != iamtypes.StatusTypeActive || len(secret) != 40 {
		t.Fatalf("CreateAccessKey answered user %s status %s secret length %d", aws.ToString(k.UserName), k.Status, len(secret))
	}
	checkCreated(t, "CreateAccessKey", k.CreateDate)
	// The provider stores the secret from the create answer: it must sign.
	who, err := srv.STS(testkit.Creds{AccessKeyID: id, SecretAccessKey: secret}).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	mustOK(t, "GetCallerIdentity with the new key", err)
	if got := aws.ToString(who.Arn); got != p.arn("iam", "user/"+user) {
		t.Fatalf("the new key signs as %s", got)
	}

	st := p.readAccessKey(t, user, id)
	if st == nil || st.user != user || st.status != "Active" || !st.createDate.Equal(*k.CreateDate) {
		t.Fatalf("read after create: %+v (create answered %v)", st, k.CreateDate)
	}
	last, err := p.iam.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: aws.String(id)})
	mustOK(t, "GetAccessKeyLastUsed (import)", err)
	if aws.ToString(last.UserName) != user {
		t.Fatalf("GetAccessKeyLastUsed UserName %q", aws.ToString(last.UserName))
	}

	_, err = p.iam.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String(user), AccessKeyId: aws.String(id), Status: iamtypes.StatusTypeInactive})
	mustOK(t, "UpdateAccessKey", err)
	if st := p.readAccessKey(t, user, id); st == nil || st.status != "Inactive" {
		t.Fatalf("read after update: %+v", st)
	}
	_, err = srv.STS(testkit.Creds{AccessKeyID: id, SecretAccessKey: secret}).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if errCode(err) != "InvalidClientTokenId" {
		t.Fatalf("an inactive key signed a request: %v", err)
	}

	_, err = p.iam.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String(user), AccessKeyId: aws.String(id)})
	mustOK(t, "DeleteAccessKey", err)
	if st := p.readAccessKey(t, user, id); st != nil {
		t.Fatalf("key still listed after delete: %+v", st)
	}
	_, err = p.iam.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String(user), AccessKeyId: aws.String(id)})
	if errCode(err) != "NoSuchEntity" {
		t.Fatalf("deleting the key again: %v, want NoSuchEntity", err)
	}
}

// readUserPolicyAttachment is the provider's read: the user's attached policies filtered to the
// one ARN; exactly one match means present.
func (p *provider) readUserPolicyAttachment(t *testing.T, user, policyARN string) bool {
	t.Helper()
	pages := iam.NewListAttachedUserPoliciesPaginator(p.iam, &iam.ListAttachedUserPoliciesInput{UserName: aws.String(user), MaxItems: aws.Int32(1)})
	n := 0
	for pages.HasMorePages() {
		page, err := pages.NextPage(context.Background())
		mustOK(t, "ListAttachedUserPolicies", err)
		for _, a := range page.AttachedPolicies {
			if aws.ToString(a.PolicyArn) == policyARN {
				n++
				if name := aws.ToString(a.PolicyName); name == "" {
					t.Fatal("ListAttachedUserPolicies: no PolicyName")
				}
			}
		}
	}
	if n > 1 {
		t.Fatalf("policy %s listed %d times", policyARN, n)
	}
	return n == 1
}

func TestUserPolicyAttachmentLifecycle(t *testing.T) {
	srv := testkit.NewServer(t)
	dev := srv.CreateAccount(t, "dev")
	p := configure(t, srv, dev.Root, nil)
	ctx := context.Background()
	user := p.createUser(t, userConfig{name: "random_user", path: "/"})
	other := p.createPolicy(t, policyConfig{name: "other", path: "/", document: jsonDoc(`{"Action":"iam:GetUser","Effect":"Allow","Resource":"*"}`)})
	pol := p.createPolicy(t, policyConfig{name: "prod_s3", path: "/", document: jsonDoc(`{"Action":"sts:AssumeRole","Effect":"Allow","Resource":"arn:aws:iam::123456789012:role/s3-list-role"}`)})
	for _, arn := range []string{other, pol} {
		_, err := p.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String(user), PolicyArn: aws.String(arn)})
		mustOK(t, "AttachUserPolicy", err)
	}
	if !p.readUserPolicyAttachment(t, user, pol) {
		t.Fatal("attachment not read back after create")
	}
	_, err := p.iam.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String(user), PolicyArn: aws.String(pol)})
	mustOK(t, "DetachUserPolicy", err)
	if p.readUserPolicyAttachment(t, user, pol) {
		t.Fatal("attachment still read after delete")
	}
	if !p.readUserPolicyAttachment(t, user, other) {
		t.Fatal("deleting one attachment removed another")
	}
	_, err = p.iam.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String(user), PolicyArn: aws.String(pol)})
	if errCode(err) != "NoSuchEntity" {
		t.Fatalf("detaching again: %v, want NoSuchEntity", err)
	}
}
