package iamapi

import (
	"time"

	"rolegate/internal/api/query"
	"rolegate/internal/gate"
	"rolegate/internal/iam"
)

type groupXML struct {
	Path       string
	GroupName  string
	GroupId    string
	Arn        string
	CreateDate time.Time
}

func groupOut(g *iam.Group) groupXML {
	return groupXML{Path: g.Path, GroupName: g.Name, GroupId: g.ID, Arn: g.ARN(), CreateDate: g.Created}
}

// groupCheck names a group resource for action: the group's real ARN (with its path) when it
// exists, else the ARN its name would have at the root path. Groups carry no tags.
func (a *API) groupCheck(c *gate.Call, action, groupName string) (gate.Check, error) {
	return described(gate.Check{Action: action, Resource: arn(c, "group/"+groupName)},
		func() (*iam.Group, error) { return a.IAM.Group(ctx(c), c.Account(), groupName) },
		func(chk *gate.Check, g *iam.Group) { chk.Resource = g.ARN() })
}

func (a *API) groupOps() []query.Op {
	return []query.Op{
		{Name: "CreateGroup", Prepare: a.createGroup},
		{Name: "GetGroup", ReadOnly: true, Prepare: a.getGroup},
		{Name: "ListGroups", ReadOnly: true, Prepare: a.listGroups},
		{Name: "UpdateGroup", Prepare: a.updateGroup},
		{Name: "DeleteGroup", Prepare: a.deleteGroup},
		{Name: "AddUserToGroup", Prepare: a.addUserToGroup},
		{Name: "RemoveUserFromGroup", Prepare: a.removeUserFromGroup},
		{Name: "ListGroupsForUser", ReadOnly: true, Prepare: a.listGroupsForUser},
	}
}

func (a *API) createGroup(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	groupName := name(&ck, p, "GroupName", "groupName", 128)
	groupPath := path(&ck, p, "Path", "path")
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk := gate.Check{Action: "iam:CreateGroup", Resource: arn(c, "group"+orRoot(groupPath)+groupName)}
	return chk, func() (any, error) {
		g, err := a.IAM.CreateGroup(ctx(c), c.Account(), groupName, groupPath)
		if err != nil {
			return nil, err
		}
		return struct{ Group groupXML }{groupOut(g)}, nil
	}, nil
}

func (a *API) getGroup(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	groupName := name(&ck, p, "GroupName", "groupName", 128)
	pg := page(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.groupCheck(c, "iam:GetGroup", groupName)
	return chk, func() (any, error) {
		g, users, next, err := a.IAM.GroupMembers(ctx(c), c.Account(), groupName, pg)
		if err != nil {
			return nil, err
		}
		out := struct {
			Group groupXML
			Users struct {
				Member []userXML `xml:"member"`
			}
			listResult
		}{Group: groupOut(g), listResult: truncated(next)}
		for _, u := range users {
			out.Users.Member = append(out.Users.Member, userOut(u, false))
		}
		return out, nil
	}, err
}

// groupList is the Groups member of ListGroups and ListGroupsForUser.
type groupList struct {
	Groups struct {
		Member []groupXML `xml:"member"`
	}
	listResult
}

func groupsOut(gs []*iam.Group, next string) groupList {
	out := groupList{listResult: truncated(next)}
	for _, g := range gs {
		out.Groups.Member = append(out.Groups.Member, groupOut(g))
	}
	return out
}

func (a *API) listGroups(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	prefix := pathPrefix(&ck, p)
	pg := page(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	return gate.Check{Action: "iam:ListGroups", Resource: arn(c, "group"+prefix)}, func() (any, error) {
		gs, next, err := a.IAM.ListGroups(ctx(c), c.Account(), prefix, pg)
		if err != nil {
			return nil, err
		}
		return groupsOut(gs, next), nil
	}, nil
}

func (a *API) updateGroup(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	groupName := name(&ck, p, "GroupName", "groupName", 128)
	var newName string
	if _, ok := p.Opt("NewGroupName"); ok {
		newName = name(&ck, p, "NewGroupName", "newGroupName", 128)
	}
	newPath := path(&ck, p, "NewPath", "newPath")
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.groupCheck(c, "iam:UpdateGroup", groupName)
	return chk, func() (any, error) {
		if err := authorizeTarget(c, chk, "group", newPath, newName); err != nil {
			return nil, err
		}
		return nil, a.IAM.UpdateGroup(ctx(c), c.Account(), groupName, newName, newPath)
	}, err
}

func (a *API) deleteGroup(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	groupName := name(&ck, p, "GroupName", "groupName", 128)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.groupCheck(c, "iam:DeleteGroup", groupName)
	return chk, func() (any, error) {
		return nil, a.IAM.DeleteGroup(ctx(c), c.Account(), groupName)
	}, err
}

// membership reads the GroupName and UserName of AddUserToGroup and RemoveUserFromGroup, which are
// authorized on the group.
func (a *API) membership(c *gate.Call, p query.Params, action string) (gate.Check, string, string, error) {
	var ck query.Check
	groupName := name(&ck, p, "GroupName", "groupName", 128)
	userName := name(&ck, p, "UserName", "userName", 128)
	if err := ck.Err(); err != nil {
		return gate.Check{}, "", "", err
	}
	chk, err := a.groupCheck(c, action, groupName)
	return chk, groupName, userName, err
}

func (a *API) addUserToGroup(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	chk, groupName, userName, err := a.membership(c, p, "iam:AddUserToGroup")
	if err != nil {
		return chk, nil, err
	}
	return chk, func() (any, error) {
		return nil, a.IAM.AddUserToGroup(ctx(c), c.Account(), groupName, userName)
	}, nil
}

func (a *API) removeUserFromGroup(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	chk, groupName, userName, err := a.membership(c, p, "iam:RemoveUserFromGroup")
	if err != nil {
		return chk, nil, err
	}
	return chk, func() (any, error) {
		return nil, a.IAM.RemoveUserFromGroup(ctx(c), c.Account(), groupName, userName)
	}, nil
}

func (a *API) listGroupsForUser(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	userName := name(&ck, p, "UserName", "userName", 128)
	pg := page(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.userCheck(c, "iam:ListGroupsForUser", userName)
	return chk, func() (any, error) {
		gs, next, err := a.IAM.GroupsForUser(ctx(c), c.Account(), userName, pg)
		if err != nil {
			return nil, err
		}
		return groupsOut(gs, next), nil
	}, err
}
