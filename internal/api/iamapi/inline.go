package iamapi

import (
	"encoding/xml"

	"rolegate/internal/api/query"
	"rolegate/internal/gate"
)

func (a *API) inlineOps() []query.Op {
	user, group, role := userEntity(128), groupEntity(), roleEntity()
	var ops []query.Op
	for _, e := range []entity{user, group, role} {
		ops = append(ops,
			query.Op{Name: "Put" + e.label + "Policy", Prepare: a.putInline(e)},
			query.Op{Name: "Get" + e.label + "Policy", ReadOnly: true, Prepare: a.getInline(e)},
			query.Op{Name: "Delete" + e.label + "Policy", Prepare: a.deleteInline(e)},
			query.Op{Name: "List" + e.label + "Policies", ReadOnly: true, Prepare: a.listInline(e)},
		)
	}
	return ops
}

// inlineParams reads the entity name and policy name every inline-policy operation but the list
// carries.
func inlineParams(ck *query.Check, p query.Params, e entity) (string, string) {
	return name(ck, p, e.param, e.field, e.max), name(ck, p, "PolicyName", "policyName", 128)
}

func (a *API) putInline(e entity) func(*gate.Call, query.Params) (gate.Check, query.Work, error) {
	action := "iam:Put" + e.label + "Policy"
	return func(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
		var ck query.Check
		entityName, policyName := inlineParams(&ck, p, e)
		doc := document(&ck, p, "PolicyDocument", "policyDocument")
		if err := ck.Err(); err != nil {
			return gate.Check{}, nil, err
		}
		chk, err := a.entityCheck(c, e, action, entityName)
		return chk, func() (any, error) {
			return nil, a.IAM.PutInlinePolicy(ctx(c), c.Account(), e.kind, entityName, policyName, doc)
		}, err
	}
}

// inlineXML is the result of Get{User,Group,Role}Policy.
type inlineXML struct {
	Entity         entityNameXML
	PolicyName     string
	PolicyDocument query.Encoded
}

// entityNameXML is an element named after the entity kind: <UserName>, <GroupName>, <RoleName>.
type entityNameXML struct {
	XMLName xml.Name
	Value   string `xml:",chardata"`
}

func (a *API) getInline(e entity) func(*gate.Call, query.Params) (gate.Check, query.Work, error) {
	action := "iam:Get" + e.label + "Policy"
	return func(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
		var ck query.Check
		entityName, policyName := inlineParams(&ck, p, e)
		if err := ck.Err(); err != nil {
			return gate.Check{}, nil, err
		}
		chk, err := a.entityCheck(c, e, action, entityName)
		return chk, func() (any, error) {
			ename, ip, err := a.IAM.InlinePolicy(ctx(c), c.Account(), e.kind, entityName, policyName)
			if err != nil {
				return nil, err
			}
			return inlineXML{Entity: entityNameXML{xml.Name{Local: e.param}, ename}, PolicyName: ip.Name,
				PolicyDocument: query.Encoded(ip.Document)}, nil
		}, err
	}
}

func (a *API) deleteInline(e entity) func(*gate.Call, query.Params) (gate.Check, query.Work, error) {
	action := "iam:Delete" + e.label + "Policy"
	return func(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
		var ck query.Check
		entityName, policyName := inlineParams(&ck, p, e)
		if err := ck.Err(); err != nil {
			return gate.Check{}, nil, err
		}
		chk, err := a.entityCheck(c, e, action, entityName)
		return chk, func() (any, error) {
			return nil, a.IAM.DeleteInlinePolicy(ctx(c), c.Account(), e.kind, entityName, policyName)
		}, err
	}
}

func (a *API) listInline(e entity) func(*gate.Call, query.Params) (gate.Check, query.Work, error) {
	action := "iam:List" + e.label + "Policies"
	return func(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
		var ck query.Check
		entityName := name(&ck, p, e.param, e.field, e.max)
		pg := page(&ck, p)
		if err := ck.Err(); err != nil {
			return gate.Check{}, nil, err
		}
		chk, err := a.entityCheck(c, e, action, entityName)
		return chk, func() (any, error) {
			names, next, err := a.IAM.InlinePolicyNames(ctx(c), c.Account(), e.kind, entityName, pg)
			if err != nil {
				return nil, err
			}
			out := struct {
				PolicyNames struct {
					Member []string `xml:"member"`
				}
				listResult
			}{listResult: truncated(next)}
			out.PolicyNames.Member = names
			return out, nil
		}, err
	}
}
