package iamapi

import (
	"time"

	"rolegate/internal/api/awserr"
	"rolegate/internal/api/query"
	"rolegate/internal/gate"
	"rolegate/internal/iam"
)

type userXML struct {
	Path                string
	UserName            string
	UserId              string
	Arn                 string
	CreateDate          time.Time
	PasswordLastUsed    *time.Time   `xml:",omitempty"`
	PermissionsBoundary *boundaryXML `xml:",omitempty"`
	Tags                *tagListXML  `xml:",omitempty"`
}

// userOut renders a user; full adds the members GetUser returns and ListUsers omits.
func userOut(u *iam.User, full bool) userXML {
	x := userXML{Path: u.Path, UserName: u.Name, UserId: u.ID, Arn: u.ARN(), CreateDate: u.Created}
	if full {
		x.PermissionsBoundary = boundary(u.Boundary)
		x.Tags = tagList(u.Tags)
	}
	if !u.PasswordLastUsed.IsZero() {
		t := u.PasswordLastUsed
		x.PasswordLastUsed = &t
	}
	return x
}

// userCheck names a user resource for action: the user's real ARN (with its path) and tags when
// it exists, else the ARN its name would have at the root path.
func (a *API) userCheck(c *gate.Call, action, userName string) (gate.Check, error) {
	return described(gate.Check{Action: action, Resource: arn(c, "user/"+userName)},
		func() (*iam.User, error) { return a.IAM.User(ctx(c), c.Account(), userName) },
		func(chk *gate.Check, u *iam.User) {
			chk.Resource, chk.ResourceTags = u.ARN(), u.Tags
			boundaryKey(chk, action, u.Boundary)
		})
}

// callerUser returns the user an operation with an optional UserName applies to: the named user,
// or the caller itself when it is an IAM user ("" for root). Role and federated sessions must name
// a user.
func callerUser(c *gate.Call, p query.Params) (string, error) {
	if n, ok := p.Opt("UserName"); ok {
		return n, nil
	}
	switch {
	case c.Identity.UserName != "":
		return c.Identity.UserName, nil
	case c.Identity.ARN == "arn:aws:iam::"+c.Account()+":root":
		return "", nil
	}
	return "", awserr.New(awserr.ValidationError, "Must specify userName when calling with non-User credentials")
}

func (a *API) userOps() []query.Op {
	return []query.Op{
		{Name: "CreateUser", Prepare: a.createUser},
		{Name: "GetUser", ReadOnly: true, Prepare: a.getUser},
		{Name: "ListUsers", ReadOnly: true, Prepare: a.listUsers},
		{Name: "UpdateUser", Prepare: a.updateUser},
		{Name: "DeleteUser", Prepare: a.deleteUser},
		{Name: "TagUser", Prepare: a.tagUser},
		{Name: "UntagUser", Prepare: a.untagUser},
		{Name: "ListUserTags", ReadOnly: true, Prepare: a.listUserTags},
		{Name: "PutUserPermissionsBoundary", Prepare: a.putUserBoundary},
		{Name: "DeleteUserPermissionsBoundary", Prepare: a.deleteUserBoundary},
	}
}

func (a *API) createUser(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	userName := name(&ck, p, "UserName", "userName", 64)
	userPath := path(&ck, p, "Path", "path")
	bound, _ := p.Opt("PermissionsBoundary")
	ts := tags(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	if err := checkTags(ts); err != nil {
		return gate.Check{}, nil, err
	}
	chk := gate.Check{Action: "iam:CreateUser", Resource: arn(c, "user"+orRoot(userPath)+userName), Keys: requestTagKeys(ts)}
	if bound != "" {
		chk.Keys = append(chk.Keys, gate.Key{Name: "iam:PermissionsBoundary", Values: []string{bound}})
	}
	return chk, func() (any, error) {
		if len(ts) > 0 {
			// AWS: creating a user with tags also needs permission to tag it.
			tagChk := chk
			tagChk.Action = "iam:TagUser"
			if err := c.Authorize(tagChk); err != nil {
				return nil, err
			}
		}
		u, err := a.IAM.CreateUser(ctx(c), c.Account(), userName, userPath, bound, ts)
		if err != nil {
			return nil, err
		}
		return struct{ User userXML }{userOut(u, true)}, nil
	}, nil
}

func (a *API) getUser(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	userName, err := callerUser(c, p)
	if err != nil {
		return gate.Check{}, nil, err
	}
	if userName == "" {
		// The root user asking about itself.
		return gate.Check{Action: "iam:GetUser", Resource: c.Identity.ARN}, func() (any, error) {
			id := c.Identity
			return struct{ User userXML }{userXML{Path: "/", UserId: id.Account, Arn: id.ARN, CreateDate: a.accountCreated(c)}}, nil
		}, nil
	}
	chk, err := a.userCheck(c, "iam:GetUser", userName)
	return chk, func() (any, error) {
		u, err := a.IAM.User(ctx(c), c.Account(), userName)
		if err != nil {
			return nil, err
		}
		return struct{ User userXML }{userOut(u, true)}, nil
	}, err
}

func (a *API) listUsers(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	prefix := pathPrefix(&ck, p)
	pg := page(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	return gate.Check{Action: "iam:ListUsers", Resource: arn(c, "user"+prefix)}, func() (any, error) {
		us, next, err := a.IAM.ListUsers(ctx(c), c.Account(), prefix, pg)
		if err != nil {
			return nil, err
		}
		out := struct {
			Users struct {
				Member []userXML `xml:"member"`
			}
			listResult
		}{listResult: truncated(next)}
		for _, u := range us {
			out.Users.Member = append(out.Users.Member, userOut(u, false))
		}
		return out, nil
	}, nil
}

func (a *API) updateUser(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	userName := name(&ck, p, "UserName", "userName", 128)
	var newName string
	if _, ok := p.Opt("NewUserName"); ok {
		newName = name(&ck, p, "NewUserName", "newUserName", 64)
	}
	newPath := path(&ck, p, "NewPath", "newPath")
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.userCheck(c, "iam:UpdateUser", userName)
	return chk, func() (any, error) {
		if err := authorizeTarget(c, chk, "user", newPath, newName); err != nil {
			return nil, err
		}
		return nil, a.IAM.UpdateUser(ctx(c), c.Account(), userName, newName, newPath)
	}, err
}

func (a *API) deleteUser(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	userName := name(&ck, p, "UserName", "userName", 128)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.userCheck(c, "iam:DeleteUser", userName)
	return chk, func() (any, error) {
		return nil, a.IAM.DeleteUser(ctx(c), c.Account(), userName)
	}, err
}

func (a *API) tagUser(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	userName := name(&ck, p, "UserName", "userName", 128)
	ts := tags(&ck, p)
	if !p.Has("Tags") && len(ts) == 0 {
		ck.Required(p, "Tags", "tags")
	}
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	if err := checkTags(ts); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.userCheck(c, "iam:TagUser", userName)
	chk.Keys = append(chk.Keys, requestTagKeys(ts)...)
	return chk, func() (any, error) {
		return nil, a.IAM.TagUser(ctx(c), c.Account(), userName, ts)
	}, err
}

func (a *API) untagUser(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	userName := name(&ck, p, "UserName", "userName", 128)
	keys := tagKeys(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.userCheck(c, "iam:UntagUser", userName)
	chk.Keys = append(chk.Keys, gate.Key{Name: "aws:TagKeys", Values: keys})
	return chk, func() (any, error) {
		return nil, a.IAM.UntagUser(ctx(c), c.Account(), userName, keys)
	}, err
}

func (a *API) listUserTags(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	userName := name(&ck, p, "UserName", "userName", 128)
	pg := page(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.userCheck(c, "iam:ListUserTags", userName)
	return chk, func() (any, error) {
		u, err := a.IAM.User(ctx(c), c.Account(), userName)
		if err != nil {
			return nil, err
		}
		return tagsPage(u.Tags, pg)
	}, err
}

func (a *API) putUserBoundary(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	userName := name(&ck, p, "UserName", "userName", 128)
	bound := policyARN(&ck, p, "PermissionsBoundary", "permissionsBoundary")
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.userCheck(c, "iam:PutUserPermissionsBoundary", userName)
	chk.Keys = setKey(chk.Keys, "iam:PermissionsBoundary", bound)
	return chk, func() (any, error) {
		return nil, a.IAM.SetUserBoundary(ctx(c), c.Account(), userName, bound)
	}, err
}

func (a *API) deleteUserBoundary(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	userName := name(&ck, p, "UserName", "userName", 128)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.userCheck(c, "iam:DeleteUserPermissionsBoundary", userName)
	return chk, func() (any, error) {
		return nil, a.IAM.SetUserBoundary(ctx(c), c.Account(), userName, "")
	}, err
}

// setKey replaces (or adds) a condition key.
func setKey(keys []gate.Key, name, value string) []gate.Key {
	for i := range keys {
		if keys[i].Name == name {
			keys[i].Values = []string{value}
			return keys
		}
	}
	return append(keys, gate.Key{Name: name, Values: []string{value}})
}

func orRoot(p string) string {
	if p == "" {
		return "/"
	}
	return p
}
