package iamapi

import (
	"time"

	"rolegate/internal/api/query"
	"rolegate/internal/gate"
	"rolegate/internal/iam"
)

type roleXML struct {
	Path                     string
	RoleName                 string
	RoleId                   string
	Arn                      string
	CreateDate               time.Time
	AssumeRolePolicyDocument query.Encoded `xml:",omitempty"`
	Description              string        `xml:",omitempty"`
	MaxSessionDuration       int           `xml:",omitempty"`
	PermissionsBoundary      *boundaryXML  `xml:",omitempty"`
	Tags                     *tagListXML   `xml:",omitempty"`
	RoleLastUsed             *lastUsedXML  `xml:",omitempty"`
}

// lastUsedXML is RoleLastUsed; AWS sends it empty for a role never used.
type lastUsedXML struct {
	LastUsedDate *time.Time `xml:",omitempty"`
	Region       string     `xml:",omitempty"`
}

// roleOut renders a role; full adds the members GetRole returns and ListRoles omits (tags,
// permissions boundary, last use).
func roleOut(r *iam.Role, full bool) roleXML {
	x := roleXML{Path: r.Path, RoleName: r.Name, RoleId: r.ID, Arn: r.ARN(), CreateDate: r.Created,
		AssumeRolePolicyDocument: query.Encoded(r.TrustPolicy), Description: r.Description,
		MaxSessionDuration: r.MaxSessionDuration}
	if full {
		x.PermissionsBoundary = boundary(r.Boundary)
		x.Tags = tagList(r.Tags)
		x.RoleLastUsed = &lastUsedXML{Region: r.LastUsedRegion}
		if !r.LastUsed.IsZero() {
			t := r.LastUsed
			x.RoleLastUsed.LastUsedDate = &t
		}
	}
	return x
}

// roleCheck names a role resource for action: the role's real ARN (with its path) and tags when
// it exists, else the ARN its name would have at the root path.
func (a *API) roleCheck(c *gate.Call, action, roleName string) (gate.Check, error) {
	return described(gate.Check{Action: action, Resource: arn(c, "role/"+roleName)},
		func() (*iam.Role, error) { return a.IAM.Role(ctx(c), c.Account(), roleName) },
		func(chk *gate.Check, r *iam.Role) {
			chk.Resource, chk.ResourceTags = r.ARN(), r.Tags
			boundaryKey(chk, action, r.Boundary)
		})
}

func (a *API) roleOps() []query.Op {
	return []query.Op{
		{Name: "CreateRole", Prepare: a.createRole},
		{Name: "GetRole", ReadOnly: true, Prepare: a.getRole},
		{Name: "ListRoles", ReadOnly: true, Prepare: a.listRoles},
		{Name: "UpdateRole", Prepare: a.updateRole},
		{Name: "UpdateRoleDescription", Prepare: a.updateRoleDescription},
		{Name: "UpdateAssumeRolePolicy", Prepare: a.updateAssumeRolePolicy},
		{Name: "DeleteRole", Prepare: a.deleteRole},
		{Name: "TagRole", Prepare: a.tagRole},
		{Name: "UntagRole", Prepare: a.untagRole},
		{Name: "ListRoleTags", ReadOnly: true, Prepare: a.listRoleTags},
		{Name: "PutRolePermissionsBoundary", Prepare: a.putRoleBoundary},
		{Name: "DeleteRolePermissionsBoundary", Prepare: a.deleteRoleBoundary},
	}
}

const roleDescriptionPattern = `[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*`

func roleDescriptionChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0x7E || r >= 0xA1 && r <= 0xFF
}

// description reads a role description (0..1000 characters) and whether it was sent.
func description(ck *query.Check, p query.Params) (string, bool) {
	if !p.Has("Description") {
		return "", false
	}
	v := p.String("Description")
	ck.Len("description", v, 0, 1000)
	ck.Chars("description", v, roleDescriptionChar, roleDescriptionPattern)
	return v, true
}

// roleName reads the RoleName every role operation carries (1..64).
func roleName(ck *query.Check, p query.Params) string { return name(ck, p, "RoleName", "roleName", 64) }

func (a *API) createRole(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	in := iam.RoleInput{Name: roleName(&ck, p), Path: path(&ck, p, "Path", "path"),
		TrustPolicy: document(&ck, p, "AssumeRolePolicyDocument", "assumeRolePolicyDocument")}
	in.Description, _ = description(&ck, p)
	if n, ok := ck.Int(p, "MaxSessionDuration", "maxSessionDuration", 3600, 43200); ok {
		in.MaxSessionDuration = int(n)
	}
	if b, ok := p.Opt("PermissionsBoundary"); ok {
		ck.Len("permissionsBoundary", b, 20, 2048)
		in.Boundary = b
	}
	in.Tags = tags(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	if err := checkTags(in.Tags); err != nil {
		return gate.Check{}, nil, err
	}
	chk := gate.Check{Action: "iam:CreateRole", Resource: arn(c, "role"+orRoot(in.Path)+in.Name), Keys: requestTagKeys(in.Tags)}
	if in.Boundary != "" {
		chk.Keys = append(chk.Keys, gate.Key{Name: "iam:PermissionsBoundary", Values: []string{in.Boundary}})
	}
	return chk, func() (any, error) {
		if err := authorizeTagOnCreate(c, chk, "iam:TagRole", in.Tags); err != nil {
			return nil, err
		}
		r, err := a.IAM.CreateRole(ctx(c), c.Account(), in)
		if err != nil {
			return nil, err
		}
		out := roleOut(r, true)
		out.RoleLastUsed = nil // a role just created has no last-use record yet
		return struct{ Role roleXML }{out}, nil
	}, nil
}

func (a *API) getRole(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	rn := roleName(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.roleCheck(c, "iam:GetRole", rn)
	return chk, func() (any, error) {
		r, err := a.IAM.Role(ctx(c), c.Account(), rn)
		if err != nil {
			return nil, err
		}
		return struct{ Role roleXML }{roleOut(r, true)}, nil
	}, err
}

func (a *API) listRoles(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	prefix := pathPrefix(&ck, p)
	pg := page(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	return gate.Check{Action: "iam:ListRoles", Resource: arn(c, "role"+prefix)}, func() (any, error) {
		rs, next, err := a.IAM.ListRoles(ctx(c), c.Account(), prefix, pg)
		if err != nil {
			return nil, err
		}
		out := struct {
			Roles struct {
				Member []roleXML `xml:"member"`
			}
			listResult
		}{listResult: truncated(next)}
		for _, r := range rs {
			out.Roles.Member = append(out.Roles.Member, roleOut(r, false))
		}
		return out, nil
	}, nil
}

func (a *API) updateRole(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	rn := roleName(&ck, p)
	desc, hasDesc := description(&ck, p)
	maxSession, _ := ck.Int(p, "MaxSessionDuration", "maxSessionDuration", 3600, 43200)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	var descPtr *string
	if hasDesc {
		descPtr = &desc
	}
	chk, err := a.roleCheck(c, "iam:UpdateRole", rn)
	return chk, func() (any, error) {
		if _, err := a.IAM.UpdateRole(ctx(c), c.Account(), rn, descPtr, int(maxSession)); err != nil {
			return nil, err
		}
		// UpdateRole has an output shape with no members: an empty UpdateRoleResult element.
		return struct{}{}, nil
	}, err
}

func (a *API) updateRoleDescription(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	rn := roleName(&ck, p)
	desc, ok := description(&ck, p)
	if !ok {
		ck.Required(p, "Description", "description")
	}
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.roleCheck(c, "iam:UpdateRoleDescription", rn)
	return chk, func() (any, error) {
		r, err := a.IAM.UpdateRole(ctx(c), c.Account(), rn, &desc, 0)
		if err != nil {
			return nil, err
		}
		return struct{ Role roleXML }{roleOut(r, true)}, nil
	}, err
}

func (a *API) updateAssumeRolePolicy(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	rn := roleName(&ck, p)
	doc := document(&ck, p, "PolicyDocument", "policyDocument")
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.roleCheck(c, "iam:UpdateAssumeRolePolicy", rn)
	return chk, func() (any, error) {
		return nil, a.IAM.UpdateAssumeRolePolicy(ctx(c), c.Account(), rn, doc)
	}, err
}

func (a *API) deleteRole(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	rn := roleName(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.roleCheck(c, "iam:DeleteRole", rn)
	return chk, func() (any, error) {
		return nil, a.IAM.DeleteRole(ctx(c), c.Account(), rn)
	}, err
}

func (a *API) tagRole(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	rn := roleName(&ck, p)
	ts := requireTags(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	if err := checkTags(ts); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.roleCheck(c, "iam:TagRole", rn)
	chk.Keys = append(chk.Keys, requestTagKeys(ts)...)
	return chk, func() (any, error) {
		return nil, a.IAM.TagRole(ctx(c), c.Account(), rn, ts)
	}, err
}

func (a *API) untagRole(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	rn := roleName(&ck, p)
	keys := tagKeys(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.roleCheck(c, "iam:UntagRole", rn)
	chk.Keys = append(chk.Keys, gate.Key{Name: "aws:TagKeys", Values: keys})
	return chk, func() (any, error) {
		return nil, a.IAM.UntagRole(ctx(c), c.Account(), rn, keys)
	}, err
}

func (a *API) listRoleTags(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	rn := roleName(&ck, p)
	pg := page(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.roleCheck(c, "iam:ListRoleTags", rn)
	return chk, func() (any, error) {
		r, err := a.IAM.Role(ctx(c), c.Account(), rn)
		if err != nil {
			return nil, err
		}
		return tagsPage(r.Tags, pg)
	}, err
}

func (a *API) putRoleBoundary(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	rn := roleName(&ck, p)
	bound := policyARN(&ck, p, "PermissionsBoundary", "permissionsBoundary")
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.roleCheck(c, "iam:PutRolePermissionsBoundary", rn)
	chk.Keys = setKey(chk.Keys, "iam:PermissionsBoundary", bound)
	return chk, func() (any, error) {
		return nil, a.IAM.SetRoleBoundary(ctx(c), c.Account(), rn, bound)
	}, err
}

func (a *API) deleteRoleBoundary(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	rn := roleName(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.roleCheck(c, "iam:DeleteRolePermissionsBoundary", rn)
	return chk, func() (any, error) {
		return nil, a.IAM.SetRoleBoundary(ctx(c), c.Account(), rn, "")
	}, err
}
