package iamapi

import (
	"time"

	"rolegate/internal/api/query"
	"rolegate/internal/gate"
	"rolegate/internal/iam"
)

type profileXML struct {
	Path                string
	InstanceProfileName string
	InstanceProfileId   string
	Arn                 string
	CreateDate          time.Time
	// Roles is always present, empty for a profile without its role.
	Roles struct {
		Member []roleXML `xml:"member"`
	}
	Tags *tagListXML `xml:",omitempty"`
}

// profileOut renders an instance profile with its roles (as ListRoles shows them); full adds the
// tags GetInstanceProfile returns and the listings omit.
func profileOut(ip *iam.InstanceProfile, roles []*iam.Role, full bool) profileXML {
	x := profileXML{Path: ip.Path, InstanceProfileName: ip.Name, InstanceProfileId: ip.ID, Arn: ip.ARN(), CreateDate: ip.Created}
	for _, r := range roles {
		x.Roles.Member = append(x.Roles.Member, roleOut(r, false))
	}
	if full {
		x.Tags = tagList(ip.Tags)
	}
	return x
}

// profileCheck names an instance profile for action: its real ARN (with its path) and tags when
// it exists, else the ARN its name would have at the root path.
func (a *API) profileCheck(c *gate.Call, action, profileName string) (gate.Check, error) {
	return described(gate.Check{Action: action, Resource: arn(c, "instance-profile/"+profileName)},
		func() (*iam.InstanceProfile, error) {
			ip, _, err := a.IAM.InstanceProfile(ctx(c), c.Account(), profileName)
			return ip, err
		},
		func(chk *gate.Check, ip *iam.InstanceProfile) {
			chk.Resource, chk.ResourceTags = ip.ARN(), ip.Tags
		})
}

func profileName(ck *query.Check, p query.Params) string {
	return name(ck, p, "InstanceProfileName", "instanceProfileName", 128)
}

func (a *API) profileOps() []query.Op {
	return []query.Op{
		{Name: "CreateInstanceProfile", Prepare: a.createInstanceProfile},
		{Name: "GetInstanceProfile", ReadOnly: true, Prepare: a.getInstanceProfile},
		{Name: "ListInstanceProfiles", ReadOnly: true, Prepare: a.listInstanceProfiles},
		{Name: "ListInstanceProfilesForRole", ReadOnly: true, Prepare: a.listInstanceProfilesForRole},
		{Name: "AddRoleToInstanceProfile", Prepare: a.addRoleToInstanceProfile},
		{Name: "RemoveRoleFromInstanceProfile", Prepare: a.removeRoleFromInstanceProfile},
		{Name: "DeleteInstanceProfile", Prepare: a.deleteInstanceProfile},
		{Name: "TagInstanceProfile", Prepare: a.tagInstanceProfile},
		{Name: "UntagInstanceProfile", Prepare: a.untagInstanceProfile},
		{Name: "ListInstanceProfileTags", ReadOnly: true, Prepare: a.listInstanceProfileTags},
	}
}

func (a *API) createInstanceProfile(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	pn := profileName(&ck, p)
	pp := path(&ck, p, "Path", "path")
	ts := tags(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	if err := checkTags(ts); err != nil {
		return gate.Check{}, nil, err
	}
	chk := gate.Check{Action: "iam:CreateInstanceProfile", Resource: arn(c, "instance-profile"+orRoot(pp)+pn), Keys: requestTagKeys(ts)}
	return chk, func() (any, error) {
		if err := authorizeTagOnCreate(c, chk, "iam:TagInstanceProfile", ts); err != nil {
			return nil, err
		}
		ip, err := a.IAM.CreateInstanceProfile(ctx(c), c.Account(), pn, pp, ts)
		if err != nil {
			return nil, err
		}
		return struct{ InstanceProfile profileXML }{profileOut(ip, nil, true)}, nil
	}, nil
}

func (a *API) getInstanceProfile(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	pn := profileName(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.profileCheck(c, "iam:GetInstanceProfile", pn)
	return chk, func() (any, error) {
		ip, roles, err := a.IAM.InstanceProfile(ctx(c), c.Account(), pn)
		if err != nil {
			return nil, err
		}
		return struct{ InstanceProfile profileXML }{profileOut(ip, roles, true)}, nil
	}, err
}

// profileList is the result of ListInstanceProfiles and ListInstanceProfilesForRole.
func profileList(ps []iam.ProfileWithRoles, next string) any {
	out := struct {
		InstanceProfiles struct {
			Member []profileXML `xml:"member"`
		}
		listResult
	}{listResult: truncated(next)}
	for _, ip := range ps {
		out.InstanceProfiles.Member = append(out.InstanceProfiles.Member, profileOut(ip.InstanceProfile, ip.RoleList, false))
	}
	return out
}

func (a *API) listInstanceProfiles(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	prefix := pathPrefix(&ck, p)
	pg := page(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	return gate.Check{Action: "iam:ListInstanceProfiles", Resource: arn(c, "instance-profile"+prefix)}, func() (any, error) {
		ps, next, err := a.IAM.ListInstanceProfiles(ctx(c), c.Account(), prefix, pg)
		if err != nil {
			return nil, err
		}
		return profileList(ps, next), nil
	}, nil
}

func (a *API) listInstanceProfilesForRole(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	rn := roleName(&ck, p)
	pg := page(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.roleCheck(c, "iam:ListInstanceProfilesForRole", rn)
	return chk, func() (any, error) {
		ps, next, err := a.IAM.InstanceProfilesForRole(ctx(c), c.Account(), rn, pg)
		if err != nil {
			return nil, err
		}
		return profileList(ps, next), nil
	}, err
}

func (a *API) addRoleToInstanceProfile(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	pn := profileName(&ck, p)
	rn := roleName(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.profileCheck(c, "iam:AddRoleToInstanceProfile", pn)
	return chk, func() (any, error) {
		// AWS: putting a role in an instance profile passes it to EC2, so the caller also needs
		// iam:PassRole on the role.
		pass, err := a.roleCheck(c, "iam:PassRole", rn)
		if err != nil {
			return nil, err
		}
		if err := c.Authorize(pass); err != nil {
			return nil, err
		}
		return nil, a.IAM.AddRoleToInstanceProfile(ctx(c), c.Account(), pn, rn)
	}, err
}

func (a *API) removeRoleFromInstanceProfile(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	pn := profileName(&ck, p)
	rn := roleName(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.profileCheck(c, "iam:RemoveRoleFromInstanceProfile", pn)
	return chk, func() (any, error) {
		return nil, a.IAM.RemoveRoleFromInstanceProfile(ctx(c), c.Account(), pn, rn)
	}, err
}

func (a *API) deleteInstanceProfile(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	pn := profileName(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.profileCheck(c, "iam:DeleteInstanceProfile", pn)
	return chk, func() (any, error) {
		return nil, a.IAM.DeleteInstanceProfile(ctx(c), c.Account(), pn)
	}, err
}

func (a *API) tagInstanceProfile(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	pn := profileName(&ck, p)
	ts := requireTags(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	if err := checkTags(ts); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.profileCheck(c, "iam:TagInstanceProfile", pn)
	chk.Keys = append(chk.Keys, requestTagKeys(ts)...)
	return chk, func() (any, error) {
		return nil, a.IAM.TagInstanceProfile(ctx(c), c.Account(), pn, ts)
	}, err
}

func (a *API) untagInstanceProfile(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	pn := profileName(&ck, p)
	keys := tagKeys(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.profileCheck(c, "iam:UntagInstanceProfile", pn)
	chk.Keys = append(chk.Keys, gate.Key{Name: "aws:TagKeys", Values: keys})
	return chk, func() (any, error) {
		return nil, a.IAM.UntagInstanceProfile(ctx(c), c.Account(), pn, keys)
	}, err
}

func (a *API) listInstanceProfileTags(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	pn := profileName(&ck, p)
	pg := page(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.profileCheck(c, "iam:ListInstanceProfileTags", pn)
	return chk, func() (any, error) {
		ip, _, err := a.IAM.InstanceProfile(ctx(c), c.Account(), pn)
		if err != nil {
			return nil, err
		}
		return tagsPage(ip.Tags, pg)
	}, err
}
