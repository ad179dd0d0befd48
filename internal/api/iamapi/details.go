package iamapi

import (
	"time"

	"rolegate/internal/api/query"
	"rolegate/internal/gate"
	"rolegate/internal/iam"
)

type policyDetailXML struct {
	PolicyName     string
	PolicyDocument query.Encoded
}

type policyDetailList struct {
	Member []policyDetailXML `xml:"member"`
}

type attachedList struct {
	Member []attachedXML `xml:"member"`
}

type userDetailXML struct {
	Path                    string
	UserName                string
	UserId                  string
	Arn                     string
	CreateDate              time.Time
	UserPolicyList          policyDetailList
	GroupList               stringList
	AttachedManagedPolicies attachedList
	PermissionsBoundary     *boundaryXML `xml:",omitempty"`
	Tags                    *tagListXML  `xml:",omitempty"`
}

type groupDetailXML struct {
	Path                    string
	GroupName               string
	GroupId                 string
	Arn                     string
	CreateDate              time.Time
	GroupPolicyList         policyDetailList
	AttachedManagedPolicies attachedList
}

type roleDetailXML struct {
	Path                     string
	RoleName                 string
	RoleId                   string
	Arn                      string
	CreateDate               time.Time
	AssumeRolePolicyDocument query.Encoded
	InstanceProfileList      struct {
		Member []profileXML `xml:"member"`
	}
	RolePolicyList          policyDetailList
	AttachedManagedPolicies attachedList
	PermissionsBoundary     *boundaryXML `xml:",omitempty"`
	Tags                    *tagListXML  `xml:",omitempty"`
	RoleLastUsed            *lastUsedXML `xml:",omitempty"`
}

type managedDetailXML struct {
	PolicyName                    string
	PolicyId                      string
	Arn                           string
	Path                          string
	DefaultVersionId              string
	AttachmentCount               int
	PermissionsBoundaryUsageCount int
	IsAttachable                  bool
	Description                   string `xml:",omitempty"`
	CreateDate                    time.Time
	UpdateDate                    time.Time
	PolicyVersionList             struct {
		Member []versionXML `xml:"member"`
	}
}

func inlineList(ps []*iam.InlinePolicy) policyDetailList {
	var out policyDetailList
	for _, p := range ps {
		out.Member = append(out.Member, policyDetailXML{p.Name, query.Encoded(p.Document)})
	}
	return out
}

func attachedOut(as []*iam.Attachment) attachedList {
	var out attachedList
	for _, at := range as {
		out.Member = append(out.Member, attachedXML{at.PolicyName, at.PolicyARN})
	}
	return out
}

func (a *API) detailsOps() []query.Op {
	return []query.Op{
		{Name: "GetAccountAuthorizationDetails", ReadOnly: true, Prepare: a.getAccountAuthorizationDetails},
	}
}

func (a *API) getAccountAuthorizationDetails(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	filter := p.List("Filter")
	members(&ck, "filter", filter, enumRule("User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy"))
	pg := page(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	return gate.Check{Action: "iam:GetAccountAuthorizationDetails", Resource: "*"}, func() (any, error) {
		d, next, err := a.IAM.AccountAuthorizationDetails(ctx(c), c.Account(), filter, pg)
		if err != nil {
			return nil, err
		}
		out := struct {
			UserDetailList struct {
				Member []userDetailXML `xml:"member"`
			}
			GroupDetailList struct {
				Member []groupDetailXML `xml:"member"`
			}
			RoleDetailList struct {
				Member []roleDetailXML `xml:"member"`
			}
			Policies struct {
				Member []managedDetailXML `xml:"member"`
			}
			listResult
		}{listResult: truncated(next)}
		for _, ud := range d.Users {
			u := ud.User
			out.UserDetailList.Member = append(out.UserDetailList.Member, userDetailXML{
				Path: u.Path, UserName: u.Name, UserId: u.ID, Arn: u.ARN(), CreateDate: u.Created,
				UserPolicyList: inlineList(ud.Inline), GroupList: stringList{ud.Groups},
				AttachedManagedPolicies: attachedOut(ud.Attached), PermissionsBoundary: boundary(u.Boundary),
				Tags: tagList(u.Tags)})
		}
		for _, gd := range d.Groups {
			g := gd.Group
			out.GroupDetailList.Member = append(out.GroupDetailList.Member, groupDetailXML{
				Path: g.Path, GroupName: g.Name, GroupId: g.ID, Arn: g.ARN(), CreateDate: g.Created,
				GroupPolicyList: inlineList(gd.Inline), AttachedManagedPolicies: attachedOut(gd.Attached)})
		}
		for _, rd := range d.Roles {
			out.RoleDetailList.Member = append(out.RoleDetailList.Member, roleDetailOut(rd))
		}
		counter := &usageCounter{a: a, c: c}
		for _, mp := range d.Policies {
			u, err := counter.of(mp)
			if err != nil {
				return nil, err
			}
			x := managedDetailXML{PolicyName: mp.Name, PolicyId: mp.ID, Arn: mp.ARN(), Path: mp.Path,
				DefaultVersionId: mp.DefaultVersion, AttachmentCount: u.attached, PermissionsBoundaryUsageCount: u.bounds,
				IsAttachable: true, Description: mp.Description, CreateDate: mp.Created, UpdateDate: mp.Updated}
			for _, v := range iam.SortedVersions(mp) {
				x.PolicyVersionList.Member = append(x.PolicyVersionList.Member, versionOut(mp, &v, true))
			}
			out.Policies.Member = append(out.Policies.Member, x)
		}
		return out, nil
	}, nil
}

func roleDetailOut(rd iam.RoleDetail) roleDetailXML {
	r := rd.Role
	full := roleOut(r, true)
	x := roleDetailXML{Path: r.Path, RoleName: r.Name, RoleId: r.ID, Arn: r.ARN(), CreateDate: r.Created,
		AssumeRolePolicyDocument: query.Encoded(r.TrustPolicy), RolePolicyList: inlineList(rd.Inline),
		AttachedManagedPolicies: attachedOut(rd.Attached), PermissionsBoundary: full.PermissionsBoundary,
		Tags: full.Tags, RoleLastUsed: full.RoleLastUsed}
	for _, ip := range rd.Profiles {
		x.InstanceProfileList.Member = append(x.InstanceProfileList.Member, profileOut(ip.InstanceProfile, ip.RoleList, true))
	}
	return x
}
