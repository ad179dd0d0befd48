package terraformreplay

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	"rolegate/internal/testkit"
)

// policyConfig is an aws_iam_policy block.
type policyConfig struct {
	name, path, description, document string
	tags                              map[string]string
}

// policyState is what the provider's read stores.
type policyState struct {
	arn, name, path, description, policyID, defaultVersion, document string
	attachmentCount                                                  int32
	tags                                                             map[string]string
}

func (p *provider) createPolicy(t *testing.T, c policyConfig) string {
	t.Helper()
	in := &iam.CreatePolicyInput{PolicyName: aws.String(c.name), Path: aws.String(c.path), PolicyDocument: aws.String(c.document), Tags: iamTags(c.tags)}
	if c.description != "" {
		in.Description = aws.String(c.description)
	}
	out, err := p.iam.CreatePolicy(context.Background(), in)
	mustOK(t, "CreatePolicy "+c.name, err)
	if out.Policy.Description != nil {
		t.Fatalf("CreatePolicy answered a Description; AWS leaves it out of the create response")
	}
	return aws.ToString(out.Policy.Arn) // the resource id is the ARN
}

// readPolicy is the provider's read: GetPolicy, then the default version's document. Nil when
// the policy is gone.
func (p *provider) readPolicy(t *testing.T, id string) *policyState {
	t.Helper()
	ctx := context.Background()
	out, err := p.iam.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(id)})
	if notFound(err, "NoSuchEntity") {
		return nil
	}
	mustOK(t, "GetPolicy "+id, err)
	pol := out.Policy
	checkCreated(t, "GetPolicy", pol.CreateDate)
	if pol.UpdateDate == nil || pol.UpdateDate.Before(*pol.CreateDate) {
		t.Fatalf("GetPolicy UpdateDate %v before CreateDate %v", pol.UpdateDate, pol.CreateDate)
	}
	if !pol.IsAttachable {
		t.Fatal("GetPolicy: a customer managed policy is not attachable")
	}
	st := &policyState{arn: aws.ToString(pol.Arn), name: aws.ToString(pol.PolicyName), path: aws.ToString(pol.Path),
		description: aws.ToString(pol.Description), policyID: aws.ToString(pol.PolicyId),
		defaultVersion: aws.ToString(pol.DefaultVersionId), attachmentCount: aws.ToInt32(pol.AttachmentCount), tags: tagMap(pol.Tags)}
	v, err := p.iam.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(id), VersionId: pol.DefaultVersionId})
	mustOK(t, "GetPolicyVersion "+st.defaultVersion, err)
	if !v.PolicyVersion.IsDefaultVersion || aws.ToString(v.PolicyVersion.VersionId) != st.defaultVersion {
		t.Fatalf("GetPolicyVersion %s: IsDefaultVersion %v, VersionId %s", st.defaultVersion, v.PolicyVersion.IsDefaultVersion, aws.ToString(v.PolicyVersion.VersionId))
	}
	st.document = decodeDocument(t, "GetPolicyVersion", aws.ToString(v.PolicyVersion.Document))
	return st
}

func (p *provider) policyDiff(c policyConfig, st *policyState) diff {
	var d diff
	d.str("arn", p.arn("iam", "policy"+c.path+c.name), st.arn)
	d.str("name", c.name, st.name)
	d.str("path", c.path, st.path)
	d.str("description", c.description, st.description)
	d.policy("policy", c.document, st.document)
	d.tags("tags", c.tags, st.tags)
	return d
}

// updatePolicy is the provider's update: keep at most five versions by deleting the oldest
// non-default one, then create the new default version; then the tags.
func (p *provider) updatePolicy(t *testing.T, id string, old, c policyConfig) {
	t.Helper()
	ctx := context.Background()
	if old.document != c.document {
		versions, err := p.iam.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: aws.String(id)})
		mustOK(t, "ListPolicyVersions", err)
		if len(versions.Versions) >= 5 {
			var oldest *iamtypes.PolicyVersion
			for i := range versions.Versions {
				v := &versions.Versions[i]
				if !v.IsDefaultVersion && (oldest == nil || v.CreateDate.Before(*oldest.CreateDate)) {
					oldest = v
				}
			}
			_, err := p.iam.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: aws.String(id), VersionId: oldest.VersionId})
			mustOK(t, "DeletePolicyVersion "+aws.ToString(oldest.VersionId), err)
		}
		_, err = p.iam.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(id), PolicyDocument: aws.String(c.document), SetAsDefault: true})
		mustOK(t, "CreatePolicyVersion", err)
	}
	remove, set := tagChanges(old.tags, c.tags)
	if len(remove) > 0 {
		_, err := p.iam.UntagPolicy(ctx, &iam.UntagPolicyInput{PolicyArn: aws.String(id), TagKeys: remove})
		mustOK(t, "UntagPolicy", err)
	}
	if len(set) > 0 {
		_, err := p.iam.TagPolicy(ctx, &iam.TagPolicyInput{PolicyArn: aws.String(id), Tags: iamTags(set)})
		mustOK(t, "TagPolicy", err)
	}
}

// deletePolicy deletes every non-default version, then the policy.
func (p *provider) deletePolicy(t *testing.T, id string) {
	t.Helper()
	ctx := context.Background()
	versions, err := p.iam.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: aws.String(id)})
	if notFound(err, "NoSuchEntity") {
		return
	}
	mustOK(t, "ListPolicyVersions", err)
	for _, v := range versions.Versions {
		if !v.IsDefaultVersion {
			_, err := p.iam.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: aws.String(id), VersionId: v.VersionId})
			mustOK(t, "DeletePolicyVersion", err)
		}
	}
	_, err = p.iam.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(id)})
	if !notFound(err, "NoSuchEntity") {
		mustOK(t, "DeletePolicy", err)
	}
}

func TestPolicyLifecycle(t *testing.T) {
	srv := testkit.NewServer(t)
	prod := srv.CreateAccount(t, "prod")
	p := configure(t, srv, prod.Root, nil)
	ctx := context.Background()
	c := policyConfig{name: "s3_list_all", path: "/", description: "allows listing all s3 buckets",
		document: "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"s3:ListAllMyBuckets\",\n      \"Resource\": \"*\"\n    }\n  ]\n}\n",
		tags:     map[string]string{"purpose": "listing"}}
	id := p.createPolicy(t, c)
	st := p.readPolicy(t, id)
	noChanges(t, "after create", p.policyDiff(c, st))
	checkID(t, "policy", "ANPA", st.policyID)
	if st.defaultVersion != "v1" || st.attachmentCount != 0 {
		t.Fatalf("new policy: default version %s, attachment count %d", st.defaultVersion, st.attachmentCount)
	}

	// Six updates: from the fifth on, the provider has to make room by deleting the oldest
	// non-default version (IAM keeps five).
	cur := c
	for i := 2; i <= 7; i++ {
		next := cur
		next.document = jsonDoc(fmt.Sprintf(`{"Action":["s3:ListAllMyBuckets","s3:GetBucketLocation"],"Effect":"Allow","Resource":"*","Sid":"Revision%d"}`, i))
		next.tags = map[string]string{"purpose": "listing", "revision": fmt.Sprint(i)}
		p.updatePolicy(t, id, cur, next)
		st = p.readPolicy(t, id)
		noChanges(t, fmt.Sprintf("after update %d", i), p.policyDiff(next, st))
		if want := fmt.Sprintf("v%d", i); st.defaultVersion != want {
			t.Fatalf("after update %d: default version %s, want %s", i, st.defaultVersion, want)
		}
		cur = next
	}
	versions, err := p.iam.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: aws.String(id)})
	mustOK(t, "ListPolicyVersions", err)
	if n := len(versions.Versions); n != 5 {
		t.Fatalf("%d versions kept, want 5", n)
	}

	p.deletePolicy(t, id)
	if st := p.readPolicy(t, id); st != nil {
		t.Fatalf("policy still readable after delete: %+v", st)
	}
}

// attachmentConfig is an aws_iam_policy_attachment block (exclusive: it owns every attachment
// of the policy).
type attachmentConfig struct {
	policyARN            string
	users, roles, groups []string
}

// readAttachment is the provider's read: every entity the policy is attached to, page by page.
// All three lists empty means the resource is gone.
func (p *provider) readAttachment(t *testing.T, policyARN string) (users, roles, groups []string) {
	t.Helper()
	pages := iam.NewListEntitiesForPolicyPaginator(p.iam, &iam.ListEntitiesForPolicyInput{PolicyArn: aws.String(policyARN), MaxItems: aws.Int32(1)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(context.Background())
		mustOK(t, "ListEntitiesForPolicy", err)
		for _, u := range page.PolicyUsers {
			users = append(users, aws.ToString(u.UserName))
			checkID(t, "PolicyUsers UserId", "AIDA", aws.ToString(u.UserId))
		}
		for _, r := range page.PolicyRoles {
			roles = append(roles, aws.ToString(r.RoleName))
			checkID(t, "PolicyRoles RoleId", "AROA", aws.ToString(r.RoleId))
		}
		for _, g := range page.PolicyGroups {
			groups = append(groups, aws.ToString(g.GroupName))
			checkID(t, "PolicyGroups GroupId", "AGPA", aws.ToString(g.GroupId))
		}
	}
	return users, roles, groups
}

func (p *provider) attachmentDiff(t *testing.T, c attachmentConfig) diff {
	users, roles, groups := p.readAttachment(t, c.policyARN)
	var d diff
	d.set("users", c.users, users)
	d.set("roles", c.roles, roles)
	d.set("groups", c.groups, groups)
	st := p.readPolicy(t, c.policyARN)
	d.num("aws_iam_policy.attachment_count", int64(len(c.users)+len(c.roles)+len(c.groups)), int64(st.attachmentCount))
	return d
}

// applyAttachment attaches and detaches the difference between two configurations.
func (p *provider) applyAttachment(t *testing.T, old, c attachmentConfig) {
	t.Helper()
	ctx := context.Background()
	arn := aws.String(c.policyARN)
	for _, u := range missing(c.users, old.users) {
		_, err := p.iam.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String(u), PolicyArn: arn})
		mustOK(t, "DetachUserPolicy "+u, err)
	}
	for _, r := range missing(c.roles, old.roles) {
		_, err := p.iam.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String(r), PolicyArn: arn})
		mustOK(t, "DetachRolePolicy "+r, err)
	}
	for _, g := range missing(c.groups, old.groups) {
		_, err := p.iam.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: aws.String(g), PolicyArn: arn})
		mustOK(t, "DetachGroupPolicy "+g, err)
	}
	for _, u := range missing(old.users, c.users) {
		_, err := p.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String(u), PolicyArn: arn})
		mustOK(t, "AttachUserPolicy "+u, err)
	}
	for _, r := range missing(old.roles, c.roles) {
		_, err := p.iam.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String(r), PolicyArn: arn})
		mustOK(t, "AttachRolePolicy "+r, err)
	}
	for _, g := range missing(old.groups, c.groups) {
		_, err := p.iam.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String(g), PolicyArn: arn})
		mustOK(t, "AttachGroupPolicy "+g, err)
	}
}

// missing returns the elements of b that a lacks.
func missing(a, b []string) []string {
	var out []string
	for _, x := range b {
		found := false
		for _, y := range a {
			found = found || x == y
		}
		if !found {
			out = append(out, x)
		}
	}
	return out
}

func TestPolicyAttachmentLifecycle(t *testing.T) {
	srv := testkit.NewServer(t)
	prod := srv.CreateAccount(t, "prod")
	p := configure(t, srv, prod.Root, nil)
	ctx := context.Background()
	pol := p.createPolicy(t, policyConfig{name: "s3_list_all", path: "/", document: jsonDoc(`{"Action":"s3:ListAllMyBuckets","Effect":"Allow","Resource":"*"}`)})
	trust := jsonDoc(`{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + prod.ID + `:root"}}`)
	for _, r := range []string{"s3-list-role", "audit-role"} {
		p.createRole(t, roleConfig{name: r, path: "/", assumeRolePolicy: trust})
	}
	for _, u := range []string{"ana", "ben"} {
		_, err := p.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(u)})
		mustOK(t, "CreateUser "+u, err)
	}
	_, err := p.iam.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("auditors")})
	mustOK(t, "CreateGroup", err)

	none := attachmentConfig{policyARN: pol}
	c := attachmentConfig{policyARN: pol, roles: []string{"s3-list-role"}, users: []string{"ana", "ben"}}
	p.applyAttachment(t, none, c)
	noChanges(t, "after create", p.attachmentDiff(t, c))

	updated := attachmentConfig{policyARN: pol, roles: []string{"s3-list-role", "audit-role"}, users: []string{"ben"}, groups: []string{"auditors"}}
	p.applyAttachment(t, c, updated)
	noChanges(t, "after update", p.attachmentDiff(t, updated))

	p.applyAttachment(t, updated, none)
	if u, r, g := p.readAttachment(t, pol); len(u)+len(r)+len(g) != 0 {
		t.Fatalf("attachment still read after delete: users %v roles %v groups %v", u, r, g)
	}
	noChanges(t, "after delete", p.attachmentDiff(t, none))
}
