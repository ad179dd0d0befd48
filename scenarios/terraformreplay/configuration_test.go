package terraformreplay

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"rolegate/internal/testkit"
)

// TestDelegatedAccessConfiguration applies, plans, uses and destroys a whole configuration of
// scenario 1's shape, as Terraform runs it with two providers (dev and prod): in prod a role
// trusting dev, a managed policy allowing only bucket listing and an exclusive attachment of it
// to the role; in dev a tagged user, a managed policy allowing sts:AssumeRole on the role, its
// attachment to the user and an access key. Resources are created in dependency order, read
// back with no changes, used, then destroyed in reverse order.
func TestDelegatedAccessConfiguration(t *testing.T) {
	srv := testkit.NewServer(t)
	devAcct := srv.CreateAccount(t, "dev")
	prodAcct := srv.CreateAccount(t, "prod")
	ctx := context.Background()
	dev := configure(t, srv, devAcct.Root, nil)   // data.aws_caller_identity.dev
	prod := configure(t, srv, prodAcct.Root, nil) // data.aws_caller_identity.prod
	_, err := srv.S3(prodAcct.Root).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("prod-reports")})
	mustOK(t, "CreateBucket", err)

	// apply
	role := roleConfig{name: "s3-list-role", path: "/",
		assumeRolePolicy: jsonDoc(`{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + dev.account + `:root"}}`)}
	listAll := policyConfig{name: "s3_list_all", path: "/", description: "allows listing all s3 buckets",
		document: "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"s3:ListAllMyBuckets\",\n      \"Resource\": \"*\"\n    }\n  ]\n}\n"}
	user := userConfig{name: "random_user", path: "/", tags: map[string]string{"name": "random"}}
	roleID := prod.createRole(t, role)
	listAllID := prod.createPolicy(t, listAll)
	userID := dev.createUser(t, user)
	attach := attachmentConfig{policyARN: listAllID, roles: []string{roleID}}
	prod.applyAttachment(t, attachmentConfig{policyARN: listAllID}, attach)
	prodS3 := policyConfig{name: "prod_s3", path: "/", description: "allow assuming prod_s3 role",
		document: jsonDoc(`{"Action":"sts:AssumeRole","Effect":"Allow","Resource":"arn:aws:iam::` + prod.account + `:role/` + roleID + `"}`)}
	prodS3ID := dev.createPolicy(t, prodS3)
	_, err = dev.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String(userID), PolicyArn: aws.String(prodS3ID)})
	mustOK(t, "AttachUserPolicy", err)
	key, err := dev.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(userID)})
	mustOK(t, "CreateAccessKey", err)

	// plan: every resource reads back as configured
	noChanges(t, "aws_iam_role.prod_list_s3", prod.roleDiff(role, prod.readRole(t, roleID)))
	noChanges(t, "aws_iam_policy.s3_list_all", prod.policyDiff(listAll, prod.readPolicy(t, listAllID)))
	noChanges(t, "aws_iam_policy_attachment.s3_list_all", prod.attachmentDiff(t, attach))
	noChanges(t, "aws_iam_user.random", dev.userDiff(user, dev.readUser(t, userID)))
	noChanges(t, "aws_iam_policy.prod_s3", dev.policyDiff(prodS3, dev.readPolicy(t, prodS3ID)))
	if !dev.readUserPolicyAttachment(t, userID, prodS3ID) {
		t.Fatal("aws_iam_user_policy_attachment.prod_s3 not read back")
	}
	keyID := aws.ToString(key.AccessKey.AccessKeyId)
	if st := dev.readAccessKey(t, userID, keyID); st == nil || st.status != "Active" {
		t.Fatalf("aws_iam_access_key read %+v", st)
	}
	if got := prod.readRole(t, roleID).managedPolicyARNs; len(got) != 1 || got[0] != listAllID {
		t.Fatalf("the role's managed policies read %v", got)
	}

	// use: the user assumes the role and lists prod's buckets, and can do nothing else there
	userCreds := testkit.Creds{AccessKeyID: keyID, SecretAccessKey: aws.ToString(key.AccessKey.SecretAccessKey)}
	out, err := srv.STS(userCreds).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(prod.arn("iam", "role/"+roleID)), RoleSessionName: aws.String("my_sts_session")})
	mustOK(t, "AssumeRole", err)
	session := testkit.FromSTS(out.Credentials.AccessKeyId, out.Credentials.SecretAccessKey, out.Credentials.SessionToken)
	buckets, err := srv.S3(session).ListBuckets(ctx, &s3.ListBucketsInput{})
	mustOK(t, "ListBuckets through the role", err)
	if len(buckets.Buckets) != 1 || aws.ToString(buckets.Buckets[0].Name) != "prod-reports" {
		t.Fatalf("ListBuckets through the role: %+v", buckets.Buckets)
	}
	_, err = srv.IAM(session).ListRoles(ctx, &iam.ListRolesInput{})
	if errCode(err) != "AccessDenied" {
		t.Fatalf("ListRoles through the role: %v, want AccessDenied", err)
	}

	// destroy, in reverse dependency order
	_, err = dev.iam.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String(userID), AccessKeyId: aws.String(keyID)})
	mustOK(t, "DeleteAccessKey", err)
	_, err = dev.iam.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String(userID), PolicyArn: aws.String(prodS3ID)})
	mustOK(t, "DetachUserPolicy", err)
	dev.deletePolicy(t, prodS3ID)
	prod.applyAttachment(t, attach, attachmentConfig{policyARN: listAllID})
	dev.deleteUser(t, userID)
	prod.deletePolicy(t, listAllID)
	prod.deleteRole(t, roleID)
	if dev.readUser(t, userID) != nil || dev.readPolicy(t, prodS3ID) != nil || prod.readPolicy(t, listAllID) != nil || prod.readRole(t, roleID) != nil {
		t.Fatal("a resource is still readable after destroy")
	}
	_, err = srv.STS(userCreds).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if errCode(err) != "InvalidClientTokenId" {
		t.Fatalf("the destroyed user's key still signs: %v", err)
	}
}

// TestFederatedGroupConfiguration applies, plans and destroys scenario 2's shape: in primary a
// user, the group child-users with that user as its member and an exclusive attachment of a
// policy allowing the child role; in child the role trusting primary.
func TestFederatedGroupConfiguration(t *testing.T) {
	srv := testkit.NewServer(t)
	primaryAcct := srv.CreateAccount(t, "primary")
	childAcct := srv.CreateAccount(t, "child")
	ctx := context.Background()
	primary := configure(t, srv, primaryAcct.Root, nil)
	child := configure(t, srv, childAcct.Root, nil)

	role := roleConfig{name: "users_assume_role_default", path: "/",
		assumeRolePolicy: jsonDoc(`{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + primary.account + `:root"}}`)}
	roleID := child.createRole(t, role)
	assume := policyConfig{name: "assume-role-child-user", path: "/",
		document: jsonDoc(`{"Action":"sts:AssumeRole","Effect":"Allow","Resource":"` + child.arn("iam", "role/users_assume_role_default") + `"}`)}
	user := userConfig{name: "boaty.mcboatface", path: "/"}
	group := groupConfig{name: "child-users", path: "/"}
	assumeID := primary.createPolicy(t, assume)
	userID := primary.createUser(t, user)
	groupID := primary.createGroup(t, group)
	attach := attachmentConfig{policyARN: assumeID, groups: []string{groupID}}
	primary.applyAttachment(t, attachmentConfig{policyARN: assumeID}, attach)
	members := []string{userID}
	primary.applyMembership(t, groupID, nil, members)

	noChanges(t, "aws_iam_role.child_users", child.roleDiff(role, child.readRole(t, roleID)))
	noChanges(t, "aws_iam_policy.assume_role_child_user", primary.policyDiff(assume, primary.readPolicy(t, assumeID)))
	noChanges(t, "aws_iam_user.boaty_mcboatface", primary.userDiff(user, primary.readUser(t, userID)))
	noChanges(t, "aws_iam_group.child_users", primary.groupDiff(group, primary.readGroup(t, groupID)))
	noChanges(t, "aws_iam_policy_attachment.assume_role_child_user", primary.attachmentDiff(t, attach))
	var d diff
	d.set("users", members, primary.readMembership(t, groupID))
	noChanges(t, "aws_iam_group_membership.child_users", d)

	// The group's policy is what lets the member in.
	key, err := primary.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(userID)})
	mustOK(t, "CreateAccessKey", err)
	creds := testkit.Creds{AccessKeyID: aws.ToString(key.AccessKey.AccessKeyId), SecretAccessKey: aws.ToString(key.AccessKey.SecretAccessKey)}
	in := &sts.AssumeRoleInput{RoleArn: aws.String(child.arn("iam", "role/"+roleID)), RoleSessionName: aws.String("boaty")}
	_, err = srv.STS(creds).AssumeRole(ctx, in)
	mustOK(t, "AssumeRole as a group member", err)
	primary.applyMembership(t, groupID, members, nil)
	_, err = srv.STS(creds).AssumeRole(ctx, in)
	if errCode(err) != "AccessDenied" {
		t.Fatalf("AssumeRole outside the group: %v, want AccessDenied", err)
	}

	primary.applyAttachment(t, attach, attachmentConfig{policyARN: assumeID})
	_, err = primary.iam.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String(groupID)})
	mustOK(t, "DeleteGroup", err)
	primary.deleteUser(t, userID)
	primary.deletePolicy(t, assumeID)
	child.deleteRole(t, roleID)
	if primary.readGroup(t, groupID) != nil || primary.readUser(t, userID) != nil || primary.readPolicy(t, assumeID) != nil || child.readRole(t, roleID) != nil {
		t.Fatal("a resource is still readable after destroy")
	}
}
