package terraformreplay

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"rolegate/internal/testkit"
)

// groupConfig is an aws_iam_group block.
type groupConfig struct{ name, path string }

type groupState struct{ arn, name, path, uniqueID string }

func (p *provider) createGroup(t *testing.T, c groupConfig) string {
	t.Helper()
	_, err := p.iam.CreateGroup(context.Background(), &iam.CreateGroupInput{GroupName: aws.String(c.name), Path: aws.String(c.path)})
	mustOK(t, "CreateGroup "+c.name, err)
	return c.name
}

func (p *provider) readGroup(t *testing.T, id string) *groupState {
	t.Helper()
	out, err := p.iam.GetGroup(context.Background(), &iam.GetGroupInput{GroupName: aws.String(id)})
	if notFound(err, "NoSuchEntity") {
		return nil
	}
	mustOK(t, "GetGroup "+id, err)
	g := out.Group
	checkCreated(t, "GetGroup", g.CreateDate)
	return &groupState{arn: aws.ToString(g.Arn), name: aws.ToString(g.GroupName), path: aws.ToString(g.Path), uniqueID: aws.ToString(g.GroupId)}
}

func (p *provider) groupDiff(c groupConfig, st *groupState) diff {
	var d diff
	d.str("arn", p.arn("iam", "group"+c.path+c.name), st.arn)
	d.str("name", c.name, st.name)
	d.str("path", c.path, st.path)
	return d
}

func TestGroupLifecycle(t *testing.T) {
	srv := testkit.NewServer(t)
	primary := srv.CreateAccount(t, "primary")
	p := configure(t, srv, primary.Root, nil)
	ctx := context.Background()

	c := groupConfig{name: "child-users", path: "/"}
	id := p.createGroup(t, c)
	st := p.readGroup(t, id)
	noChanges(t, "after create", p.groupDiff(c, st))
	checkID(t, "group", "AGPA", st.uniqueID)
	uniqueID := st.uniqueID

	updated := groupConfig{name: "child-account-users", path: "/federated/"}
	_, err := p.iam.UpdateGroup(ctx, &iam.UpdateGroupInput{GroupName: aws.String(id), NewGroupName: aws.String(updated.name), NewPath: aws.String(updated.path)})
	mustOK(t, "UpdateGroup", err)
	id = updated.name
	st = p.readGroup(t, id)
	noChanges(t, "after update", p.groupDiff(updated, st))
	if st.uniqueID != uniqueID {
		t.Fatalf("rename changed the unique id from %s to %s", uniqueID, st.uniqueID)
	}
	if p.readGroup(t, c.name) != nil {
		t.Fatal("the old name still reads after the rename")
	}

	_, err = p.iam.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String(id)})
	mustOK(t, "DeleteGroup", err)
	if st := p.readGroup(t, id); st != nil {
		t.Fatalf("group still readable after delete: %+v", st)
	}
	_, err = p.iam.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String(id)})
	if errCode(err) != "NoSuchEntity" {
		t.Fatalf("deleting the group again: %v, want NoSuchEntity", err)
	}
}

// readMembership is aws_iam_group_membership's read: the group's users, page by page. Nil when
// the group is gone.
func (p *provider) readMembership(t *testing.T, group string) []string {
	t.Helper()
	pages := iam.NewGetGroupPaginator(p.iam, &iam.GetGroupInput{GroupName: aws.String(group), MaxItems: aws.Int32(1)})
	users := []string{}
	for pages.HasMorePages() {
		page, err := pages.NextPage(context.Background())
		if notFound(err, "NoSuchEntity") {
			return nil
		}
		mustOK(t, "GetGroup", err)
		for _, u := range page.Users {
			users = append(users, aws.ToString(u.UserName))
			checkID(t, "GetGroup Users UserId", "AIDA", aws.ToString(u.UserId))
		}
	}
	return users
}

// applyMembership adds and removes the difference between two user lists.
func (p *provider) applyMembership(t *testing.T, group string, old, users []string) {
	t.Helper()
	ctx := context.Background()
	for _, u := range missing(users, old) {
		_, err := p.iam.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{GroupName: aws.String(group), UserName: aws.String(u)})
		if !notFound(err, "NoSuchEntity") {
			mustOK(t, "RemoveUserFromGroup "+u, err)
		}
	}
	for _, u := range missing(old, users) {
		_, err := p.iam.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String(group), UserName: aws.String(u)})
		mustOK(t, "AddUserToGroup "+u, err)
	}
}

func TestGroupMembershipLifecycle(t *testing.T) {
	srv := testkit.NewServer(t)
	primary := srv.CreateAccount(t, "primary")
	p := configure(t, srv, primary.Root, nil)
	group := p.createGroup(t, groupConfig{name: "child-users", path: "/"})
	for _, u := range []string{"boaty", "mcboatface", "third"} {
		p.createUser(t, userConfig{name: u, path: "/"})
	}

	c := []string{"boaty", "mcboatface"}
	p.applyMembership(t, group, nil, c)
	var d diff
	d.set("users", c, p.readMembership(t, group))
	noChanges(t, "after create", d)

	updated := []string{"mcboatface", "third"}
	p.applyMembership(t, group, c, updated)
	d = nil
	d.set("users", updated, p.readMembership(t, group))
	noChanges(t, "after update", d)
	// The membership is also what ListGroupsForUser reports from the user's side.
	groups, err := p.iam.ListGroupsForUser(context.Background(), &iam.ListGroupsForUserInput{UserName: aws.String("boaty")})
	mustOK(t, "ListGroupsForUser", err)
	if len(groups.Groups) != 0 {
		t.Fatalf("boaty is still in %d groups", len(groups.Groups))
	}

	p.applyMembership(t, group, updated, nil)
	if users := p.readMembership(t, group); len(users) != 0 {
		t.Fatalf("members after delete: %v", users)
	}
	p.applyMembership(t, group, updated, nil) // removing again: NoSuchEntity is fine, anything else is not
}
