package terraformreplay

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"rolegate/internal/testkit"
)

// roleConfig is an aws_iam_role block.
type roleConfig struct {
	name, path, description string
	assumeRolePolicy        string
	maxSessionDuration      int32
	permissionsBoundary     string
	inlinePolicies          map[string]string // inline_policy blocks: name → document
	tags                    map[string]string
}

// roleState is what the provider's read stores.
type roleState struct {
	arn, name, path, description, assumeRolePolicy, uniqueID, permissionsBoundary string
	createDate                                                                    time.Time
	maxSessionDuration                                                            int32
	inlinePolicies                                                                map[string]string
	managedPolicyARNs                                                             []string
	tags                                                                          map[string]string
}

func (p *provider) createRole(t *testing.T, c roleConfig) string {
	t.Helper()
	ctx := context.Background()
	in := &iam.CreateRoleInput{RoleName: aws.String(c.name), Path: aws.String(c.path),
		AssumeRolePolicyDocument: aws.String(c.assumeRolePolicy), Tags: iamTags(c.tags)}
	if c.description != "" {
		in.Description = aws.String(c.description)
	}
	if c.maxSessionDuration != 0 {
		in.MaxSessionDuration = aws.Int32(c.maxSessionDuration)
	}
	if c.permissionsBoundary != "" {
		in.PermissionsBoundary = aws.String(c.permissionsBoundary)
	}
	_, err := p.iam.CreateRole(ctx, in)
	mustOK(t, "CreateRole "+c.name, err)
	for name, doc := range c.inlinePolicies {
		_, err := p.iam.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(c.name), PolicyName: aws.String(name), PolicyDocument: aws.String(doc)})
		mustOK(t, "PutRolePolicy "+name, err)
	}
	return c.name
}

// readRole is the provider's read: nil when the role is gone.
func (p *provider) readRole(t *testing.T, id string) *roleState {
	t.Helper()
	ctx := context.Background()
	out, err := p.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(id)})
	if notFound(err, "NoSuchEntity") {
		return nil
	}
	mustOK(t, "GetRole "+id, err)
	r := out.Role
	st := &roleState{arn: aws.ToString(r.Arn), name: aws.ToString(r.RoleName), path: aws.ToString(r.Path),
		description: aws.ToString(r.Description), uniqueID: aws.ToString(r.RoleId),
		maxSessionDuration: aws.ToInt32(r.MaxSessionDuration), tags: tagMap(r.Tags),
		assumeRolePolicy: decodeDocument(t, "GetRole AssumeRolePolicyDocument", aws.ToString(r.AssumeRolePolicyDocument)),
		inlinePolicies:   map[string]string{}}
	checkCreated(t, "GetRole "+id, r.CreateDate)
	st.createDate = *r.CreateDate
	if r.PermissionsBoundary != nil {
		if got := string(r.PermissionsBoundary.PermissionsBoundaryType); got != "PermissionsBoundaryPolicy" {
			t.Fatalf("GetRole PermissionsBoundaryType %q", got)
		}
		st.permissionsBoundary = aws.ToString(r.PermissionsBoundary.PermissionsBoundaryArn)
	}
	names := iam.NewListRolePoliciesPaginator(p.iam, &iam.ListRolePoliciesInput{RoleName: aws.String(id), MaxItems: aws.Int32(1)})
	for names.HasMorePages() {
		page, err := names.NextPage(ctx)
		mustOK(t, "ListRolePolicies", err)
		for _, n := range page.PolicyNames {
			got, err := p.iam.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String(id), PolicyName: aws.String(n)})
			mustOK(t, "GetRolePolicy "+n, err)
			if aws.ToString(got.RoleName) != st.name || aws.ToString(got.PolicyName) != n {
				t.Fatalf("GetRolePolicy names %s/%s, want %s/%s", aws.ToString(got.RoleName), aws.ToString(got.PolicyName), st.name, n)
			}
			st.inlinePolicies[n] = decodeDocument(t, "GetRolePolicy", aws.ToString(got.PolicyDocument))
		}
	}
	attached := iam.NewListAttachedRolePoliciesPaginator(p.iam, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String(id)})
	for attached.HasMorePages() {
		page, err := attached.NextPage(ctx)
		mustOK(t, "ListAttachedRolePolicies", err)
		for _, a := range page.AttachedPolicies {
			st.managedPolicyARNs = append(st.managedPolicyARNs, aws.ToString(a.PolicyArn))
		}
	}
	return st
}

func (p *provider) roleDiff(c roleConfig, st *roleState) diff {
	var d diff
	d.str("arn", p.arn("iam", "role"+c.path+c.name), st.arn)
	d.str("name", c.name, st.name)
	d.str("path", c.path, st.path)
	d.str("description", c.description, st.description)
	d.policy("assume_role_policy", c.assumeRolePolicy, st.assumeRolePolicy)
	want := c.maxSessionDuration
	if want == 0 {
		want = 3600
	}
	d.num("max_session_duration", int64(want), int64(st.maxSessionDuration))
	d.str("permissions_boundary", c.permissionsBoundary, st.permissionsBoundary)
	d.tags("tags", c.tags, st.tags)
	var names []string
	for n := range st.inlinePolicies {
		names = append(names, n)
	}
	var wantNames []string
	for n, doc := range c.inlinePolicies {
		wantNames = append(wantNames, n)
		d.policy("inline_policy."+n, doc, st.inlinePolicies[n])
	}
	d.set("inline_policy names", wantNames, names)
	return d
}

// updateRole sends the provider's update calls for each changed attribute.
func (p *provider) updateRole(t *testing.T, id string, old, c roleConfig) {
	t.Helper()
	ctx := context.Background()
	if old.assumeRolePolicy != c.assumeRolePolicy {
		_, err := p.iam.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String(id), PolicyDocument: aws.String(c.assumeRolePolicy)})
		mustOK(t, "UpdateAssumeRolePolicy", err)
	}
	if old.description != c.description {
		_, err := p.iam.UpdateRoleDescription(ctx, &iam.UpdateRoleDescriptionInput{RoleName: aws.String(id), Description: aws.String(c.description)})
		mustOK(t, "UpdateRoleDescription", err)
	}
	if old.maxSessionDuration != c.maxSessionDuration {
		_, err := p.iam.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String(id), MaxSessionDuration: aws.Int32(c.maxSessionDuration)})
		mustOK(t, "UpdateRole", err)
	}
	if old.permissionsBoundary != c.permissionsBoundary {
		if c.permissionsBoundary == "" {
			_, err := p.iam.DeleteRolePermissionsBoundary(ctx, &iam.DeleteRolePermissionsBoundaryInput{RoleName: aws.String(id)})
			mustOK(t, "DeleteRolePermissionsBoundary", err)
		} else {
			_, err := p.iam.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: aws.String(id), PermissionsBoundary: aws.String(c.permissionsBoundary)})
			mustOK(t, "PutRolePermissionsBoundary", err)
		}
	}
	for n := range old.inlinePolicies {
		if _, ok := c.inlinePolicies[n]; !ok {
			_, err := p.iam.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String(id), PolicyName: aws.String(n)})
			mustOK(t, "DeleteRolePolicy "+n, err)
		}
	}
	for n, doc := range c.inlinePolicies {
		if old.inlinePolicies[n] != doc {
			_, err := p.iam.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(id), PolicyName: aws.String(n), PolicyDocument: aws.String(doc)})
			mustOK(t, "PutRolePolicy "+n, err)
		}
	}
	remove, set := tagChanges(old.tags, c.tags)
	if len(remove) > 0 {
		_, err := p.iam.UntagRole(ctx, &iam.UntagRoleInput{RoleName: aws.String(id), TagKeys: remove})
		mustOK(t, "UntagRole", err)
	}
	if len(set) > 0 {
		_, err := p.iam.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String(id), Tags: iamTags(set)})
		mustOK(t, "TagRole", err)
	}
}

// deleteRole is the provider's delete with force_detach_policies: instance profiles, managed
// and inline policies first, then the role; NoSuchEntity counts as deleted.
func (p *provider) deleteRole(t *testing.T, id string) {
	t.Helper()
	ctx := context.Background()
	profiles := iam.NewListInstanceProfilesForRolePaginator(p.iam, &iam.ListInstanceProfilesForRoleInput{RoleName: aws.String(id)})
	for profiles.HasMorePages() {
		page, err := profiles.NextPage(ctx)
		mustOK(t, "ListInstanceProfilesForRole", err)
		for _, ip := range page.InstanceProfiles {
			_, err := p.iam.RemoveRoleFromInstanceProfile(ctx, &iam.RemoveRoleFromInstanceProfileInput{RoleName: aws.String(id), InstanceProfileName: ip.InstanceProfileName})
			mustOK(t, "RemoveRoleFromInstanceProfile", err)
		}
	}
	st := p.readRole(t, id)
	if st == nil {
		return
	}
	for _, a := range st.managedPolicyARNs {
		_, err := p.iam.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String(id), PolicyArn: aws.String(a)})
		if !notFound(err, "NoSuchEntity") {
			mustOK(t, "DetachRolePolicy", err)
		}
	}
	for n := range st.inlinePolicies {
		_, err := p.iam.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String(id), PolicyName: aws.String(n)})
		if !notFound(err, "NoSuchEntity") {
			mustOK(t, "DeleteRolePolicy", err)
		}
	}
	_, err := p.iam.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String(id)})
	if !notFound(err, "NoSuchEntity") {
		mustOK(t, "DeleteRole", err)
	}
}

func TestRoleLifecycle(t *testing.T) {
	srv := testkit.NewServer(t)
	prod := srv.CreateAccount(t, "prod")
	dev := srv.CreateAccount(t, "dev")
	p := configure(t, srv, prod.Root, nil)
	if p.account != prod.ID || p.partition != "aws" {
		t.Fatalf("provider account %s partition %s, want %s aws", p.account, p.partition, prod.ID)
	}
	ctx := context.Background()
	boundary, err := p.iam.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("boundary"), PolicyDocument: aws.String(jsonDoc(`{"Action":"s3:*","Effect":"Allow","Resource":"*"}`))})
	mustOK(t, "CreatePolicy boundary", err)

	trust := jsonDoc(`{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + dev.ID + `:root"}}`)
	c := roleConfig{name: "s3-list-role", path: "/delegated/", description: "lists buckets for dev", assumeRolePolicy: trust,
		permissionsBoundary: aws.ToString(boundary.Policy.Arn),
		inlinePolicies:      map[string]string{"list": jsonDoc(`{"Action":"s3:ListAllMyBuckets","Effect":"Allow","Resource":"*"}`)},
		tags:                map[string]string{"team": "platform", "env": "prod"}}
	id := p.createRole(t, c)
	st := p.readRole(t, id)
	noChanges(t, "after create", p.roleDiff(c, st))
	checkID(t, "role", "AROA", st.uniqueID)
	created := st.createDate

	// A managed policy and an instance profile attached outside the configuration: the read
	// reports the attachment, and the delete must detach and remove both.
	_, err = p.iam.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String(id), PolicyArn: boundary.Policy.Arn})
	mustOK(t, "AttachRolePolicy", err)
	_, err = p.iam.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("s3-list")})
	mustOK(t, "CreateInstanceProfile", err)
	_, err = p.iam.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("s3-list"), RoleName: aws.String(id)})
	mustOK(t, "AddRoleToInstanceProfile", err)
	if got := p.readRole(t, id).managedPolicyARNs; !slices.Equal(got, []string{aws.ToString(boundary.Policy.Arn)}) {
		t.Fatalf("managed_policy_arns %v", got)
	}

	updated := c
	updated.description = "lists buckets for dev and test"
	updated.maxSessionDuration = 7200
	updated.permissionsBoundary = ""
	updated.assumeRolePolicy = jsonDoc(`{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::` + dev.ID + `:root","arn:aws:iam::` + prod.ID + `:root"]}}`)
	updated.inlinePolicies = map[string]string{"list-and-locate": jsonDoc(`{"Action":["s3:ListAllMyBuckets","s3:GetBucketLocation"],"Effect":"Allow","Resource":"*"}`)}
	updated.tags = map[string]string{"team": "platform", "owner": "sre"}
	p.updateRole(t, id, c, updated)
	st = p.readRole(t, id)
	noChanges(t, "after update", p.roleDiff(updated, st))
	if len(p.roleDiff(c, st)) == 0 {
		t.Fatal("the update changed nothing the provider reads")
	}
	if !st.createDate.Equal(created) {
		t.Fatalf("CreateDate moved from %v to %v on update", created, st.createDate)
	}

	p.deleteRole(t, id)
	if st := p.readRole(t, id); st != nil {
		t.Fatalf("role still readable after delete: %+v", st)
	}
	ip, err := p.iam.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String("s3-list")})
	mustOK(t, "GetInstanceProfile", err)
	if n := len(ip.InstanceProfile.Roles); n != 0 {
		t.Fatalf("instance profile still holds %d roles", n)
	}
}
