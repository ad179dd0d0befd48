package iamapi

import (
	"strings"

	"rolegate/internal/api/query"
	"rolegate/internal/gate"
	"rolegate/internal/iam"
)

// entity describes the user, group or role an attachment or inline-policy operation names.
type entity struct {
	kind  string // iam.KindUser, KindGroup, KindRole
	label string // User, Group, Role: as in the action names
	param string // UserName, GroupName, RoleName
	field string // its lower-camel name in validation messages
	max   int    // the model's maximum name length for this operation
}

func userEntity(max int) entity { return entity{iam.KindUser, "User", "UserName", "userName", max} }
func groupEntity() entity       { return entity{iam.KindGroup, "Group", "GroupName", "groupName", 128} }
func roleEntity() entity        { return entity{iam.KindRole, "Role", "RoleName", "roleName", 64} }

// entityCheck names the entity as the resource of action.
func (a *API) entityCheck(c *gate.Call, e entity, action, entityName string) (gate.Check, error) {
	switch e.kind {
	case iam.KindUser:
		return a.userCheck(c, action, entityName)
	case iam.KindGroup:
		return a.groupCheck(c, action, entityName)
	}
	return a.roleCheck(c, action, entityName)
}

func (a *API) attachOps() []query.Op {
	// AWS: attaching a managed policy to a user takes userNameType (at most 64 characters), while
	// the inline-policy operations accept existing names of up to 128.
	user, group, role := userEntity(64), groupEntity(), roleEntity()
	return []query.Op{
		{Name: "AttachUserPolicy", Prepare: a.attachPolicy(user, true)},
		{Name: "AttachGroupPolicy", Prepare: a.attachPolicy(group, true)},
		{Name: "AttachRolePolicy", Prepare: a.attachPolicy(role, true)},
		{Name: "DetachUserPolicy", Prepare: a.attachPolicy(user, false)},
		{Name: "DetachGroupPolicy", Prepare: a.attachPolicy(group, false)},
		{Name: "DetachRolePolicy", Prepare: a.attachPolicy(role, false)},
		{Name: "ListAttachedUserPolicies", ReadOnly: true, Prepare: a.listAttached(user)},
		{Name: "ListAttachedGroupPolicies", ReadOnly: true, Prepare: a.listAttached(group)},
		{Name: "ListAttachedRolePolicies", ReadOnly: true, Prepare: a.listAttached(role)},
		{Name: "ListEntitiesForPolicy", ReadOnly: true, Prepare: a.listEntitiesForPolicy},
	}
}

// attachPolicy prepares Attach<Entity>Policy (attach) or Detach<Entity>Policy, authorized on the
// entity with iam:PolicyARN naming the policy.
func (a *API) attachPolicy(e entity, attach bool) func(*gate.Call, query.Params) (gate.Check, query.Work, error) {
	action := "iam:Detach" + e.label + "Policy"
	if attach {
		action = "iam:Attach" + e.label + "Policy"
	}
	return func(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
		var ck query.Check
		entityName := name(&ck, p, e.param, e.field, e.max)
		pa := policyARN(&ck, p, "PolicyArn", "policyArn")
		if err := ck.Err(); err != nil {
			return gate.Check{}, nil, err
		}
		if err := checkPolicyARN(pa); err != nil {
			return gate.Check{}, nil, err
		}
		chk, err := a.entityCheck(c, e, action, entityName)
		chk.Keys = append(chk.Keys, gate.Key{Name: "iam:PolicyARN", Values: []string{pa}})
		return chk, func() (any, error) {
			if attach {
				return nil, a.IAM.AttachPolicy(ctx(c), c.Account(), e.kind, entityName, pa)
			}
			return nil, a.IAM.DetachPolicy(ctx(c), c.Account(), e.kind, entityName, pa)
		}, err
	}
}

type attachedXML struct {
	PolicyName string
	PolicyArn  string
}

// listAttached prepares ListAttached<Entity>Policies.
func (a *API) listAttached(e entity) func(*gate.Call, query.Params) (gate.Check, query.Work, error) {
	action := "iam:ListAttached" + e.label + "Policies"
	return func(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
		var ck query.Check
		entityName := name(&ck, p, e.param, e.field, e.max)
		prefix := policyPathPrefix(&ck, p)
		pg := page(&ck, p)
		if err := ck.Err(); err != nil {
			return gate.Check{}, nil, err
		}
		chk, err := a.entityCheck(c, e, action, entityName)
		return chk, func() (any, error) {
			as, next, err := a.IAM.AttachedPolicies(ctx(c), c.Account(), e.kind, entityName, prefix, pg)
			if err != nil {
				return nil, err
			}
			out := struct {
				AttachedPolicies struct {
					Member []attachedXML `xml:"member"`
				}
				listResult
			}{listResult: truncated(next)}
			for _, at := range as {
				out.AttachedPolicies.Member = append(out.AttachedPolicies.Member, attachedXML{at.PolicyName, at.PolicyARN})
			}
			return out, nil
		}, err
	}
}

type policyGroupXML struct {
	GroupName string
	GroupId   string
}

type policyUserXML struct {
	UserName string
	UserId   string
}

type policyRoleXML struct {
	RoleName string
	RoleId   string
}

// policyEntity is one user, group or role that uses a managed policy.
type policyEntity struct {
	kind, name, id string
}

func (a *API) listEntitiesForPolicy(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	pa := policyARN(&ck, p, "PolicyArn", "policyArn")
	filter, _ := p.Opt("EntityFilter")
	if filter != "" {
		ck.Enum("entityFilter", filter, "User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy")
	}
	prefix := path(&ck, p, "PathPrefix", "pathPrefix")
	use, hasUse := p.Opt("PolicyUsageFilter")
	if hasUse {
		ck.Enum("policyUsageFilter", use, "PermissionsPolicy", "PermissionsBoundary")
	}
	pg := page(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.policyCheck(c, "iam:ListEntitiesForPolicy", pa)
	return chk, func() (any, error) {
		if _, err := a.visiblePolicy(c, pa); err != nil {
			return nil, err
		}
		all, err := a.policyEntities(c, pa, strings.ToLower(filter), orRoot(prefix), use)
		if err != nil {
			return nil, err
		}
		es, next, err := pageOf(all, pg)
		if err != nil {
			return nil, err
		}
		out := struct {
			PolicyGroups struct {
				Member []policyGroupXML `xml:"member"`
			}
			PolicyUsers struct {
				Member []policyUserXML `xml:"member"`
			}
			PolicyRoles struct {
				Member []policyRoleXML `xml:"member"`
			}
			listResult
		}{listResult: truncated(next)}
		for _, e := range es {
			switch e.kind {
			case iam.KindGroup:
				out.PolicyGroups.Member = append(out.PolicyGroups.Member, policyGroupXML{e.name, e.id})
			case iam.KindUser:
				out.PolicyUsers.Member = append(out.PolicyUsers.Member, policyUserXML{e.name, e.id})
			default:
				out.PolicyRoles.Member = append(out.PolicyRoles.Member, policyRoleXML{e.name, e.id})
			}
		}
		return out, nil
	}, err
}

// policyEntities lists the groups, users and roles of the caller's account that use a policy:
// attached as a permissions policy, set as a permissions boundary, or (no usage filter) either.
// kind is "", "user", "group" or "role" ("localmanagedpolicy"/"awsmanagedpolicy" match nothing).
// AWS: without PolicyUsageFilter the boundary holders are listed too (tools that detach every
// listed entity then meet NoSuchEntity on them).
func (a *API) policyEntities(c *gate.Call, policyARN, kind, prefix, use string) ([]policyEntity, error) {
	if kind != "" && kind != iam.KindUser && kind != iam.KindGroup && kind != iam.KindRole {
		return nil, nil
	}
	var out []policyEntity
	seen := map[string]bool{}
	add := func(e policyEntity) {
		if k := e.kind + "/" + strings.ToLower(e.name); !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	if use != "PermissionsBoundary" {
		for pg := (iam.Page{MaxItems: 1000}); ; {
			as, next, err := a.IAM.EntitiesForPolicy(ctx(c), c.Account(), policyARN, kind, prefix, pg)
			if err != nil {
				return nil, err
			}
			for _, at := range as {
				id, err := a.entityID(c, at.Kind, at.Entity)
				if err != nil {
					return nil, err
				}
				add(policyEntity{at.Kind, at.Entity, id})
			}
			if next == "" {
				break
			}
			pg.Marker = next
		}
	}
	if use != "PermissionsPolicy" && kind != iam.KindGroup {
		bounds, err := a.IAM.BoundaryUses(ctx(c), c.Account())
		if err != nil {
			return nil, err
		}
		for _, b := range bounds {
			if strings.EqualFold(b.Policy, policyARN) && (kind == "" || kind == b.Kind) && strings.HasPrefix(b.Path, prefix) {
				add(policyEntity{b.Kind, b.Name, b.ID})
			}
		}
	}
	return out, nil
}

// entityID returns the unique ID of an attached user, group or role.
func (a *API) entityID(c *gate.Call, kind, entityName string) (string, error) {
	switch kind {
	case iam.KindUser:
		u, err := a.IAM.User(ctx(c), c.Account(), entityName)
		if err != nil {
			return "", err
		}
		return u.ID, nil
	case iam.KindGroup:
		g, err := a.IAM.Group(ctx(c), c.Account(), entityName)
		if err != nil {
			return "", err
		}
		return g.ID, nil
	}
	r, err := a.IAM.Role(ctx(c), c.Account(), entityName)
	if err != nil {
		return "", err
	}
	return r.ID, nil
}
