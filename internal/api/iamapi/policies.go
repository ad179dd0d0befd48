package iamapi

import (
	"strings"
	"time"

	"rolegate/internal/api/awserr"
	"rolegate/internal/api/query"
	"rolegate/internal/gate"
	"rolegate/internal/iam"
)

type policyXML struct {
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
	Tags                          *tagListXML `xml:",omitempty"`
}

// usage is how often a policy is attached and used as a permissions boundary in one account.
type usage struct{ attached, bounds int }

// policyOut renders a managed policy without Description and Tags (what ListPolicies returns).
func policyOut(mp *iam.ManagedPolicy, u usage) policyXML {
	return policyXML{PolicyName: mp.Name, PolicyId: mp.ID, Arn: mp.ARN(), Path: mp.Path,
		DefaultVersionId: mp.DefaultVersion, AttachmentCount: u.attached,
		PermissionsBoundaryUsageCount: u.bounds, IsAttachable: true, CreateDate: mp.Created, UpdateDate: mp.Updated}
}

type versionXML struct {
	Document         query.Encoded `xml:",omitempty"`
	VersionId        string
	IsDefaultVersion bool
	CreateDate       time.Time
}

// usageCounter reports a policy's use in the caller's account. Customer managed policies keep
// their counts; AWS managed ones are shared by every account, so their counts are taken from the
// account's attachments and boundaries (loaded once per request).
type usageCounter struct {
	a      *API
	c      *gate.Call
	bounds []iam.BoundaryUse
	loaded bool
}

func (u *usageCounter) of(mp *iam.ManagedPolicy) (usage, error) {
	if mp.Account != iam.AWSAccount {
		return usage{mp.Attachments, mp.BoundaryUses}, nil
	}
	n, err := u.a.IAM.AttachmentCount(ctx(u.c), u.c.Account(), mp.ARN())
	if err != nil {
		return usage{}, err
	}
	if !u.loaded {
		if u.bounds, err = u.a.IAM.BoundaryUses(ctx(u.c), u.c.Account()); err != nil {
			return usage{}, err
		}
		u.loaded = true
	}
	out := usage{attached: n}
	for _, b := range u.bounds {
		if strings.EqualFold(b.Policy, mp.ARN()) {
			out.bounds++
		}
	}
	return out, nil
}

// policyCheck names a managed policy for action: its ARN, its tags when it exists, and its
// account when it is another account's. A malformed ARN is refused before anything is looked up.
func (a *API) policyCheck(c *gate.Call, action, policyARN string) (gate.Check, error) {
	if err := checkPolicyARN(policyARN); err != nil {
		return gate.Check{}, err
	}
	return described(gate.Check{Action: action, Resource: policyARN, ResourceAccount: foreignAccount(c, policyARN)},
		func() (*iam.ManagedPolicy, error) { return a.IAM.Policy(ctx(c), policyARN) },
		func(chk *gate.Check, mp *iam.ManagedPolicy) { chk.ResourceTags = mp.Tags })
}

// visiblePolicy loads a policy the caller's account may read: its own or an AWS managed one.
func (a *API) visiblePolicy(c *gate.Call, policyARN string) (*iam.ManagedPolicy, error) {
	mp, err := a.IAM.Policy(ctx(c), policyARN)
	if err != nil {
		return nil, err
	}
	if mp.Account != c.Account() && mp.Account != iam.AWSAccount {
		return nil, awserr.Newf(awserr.NoSuchEntity, "Policy %s does not exist or is not attachable.", policyARN)
	}
	return mp, nil
}

func (a *API) policyOps() []query.Op {
	return []query.Op{
		{Name: "CreatePolicy", Prepare: a.createPolicy},
		{Name: "GetPolicy", ReadOnly: true, Prepare: a.getPolicy},
		{Name: "ListPolicies", ReadOnly: true, Prepare: a.listPolicies},
		{Name: "DeletePolicy", Prepare: a.deletePolicy},
		{Name: "CreatePolicyVersion", Prepare: a.createPolicyVersion},
		{Name: "GetPolicyVersion", ReadOnly: true, Prepare: a.getPolicyVersion},
		{Name: "ListPolicyVersions", ReadOnly: true, Prepare: a.listPolicyVersions},
		{Name: "DeletePolicyVersion", Prepare: a.deletePolicyVersion},
		{Name: "SetDefaultPolicyVersion", Prepare: a.setDefaultPolicyVersion},
		{Name: "TagPolicy", Prepare: a.tagPolicy},
		{Name: "UntagPolicy", Prepare: a.untagPolicy},
		{Name: "ListPolicyTags", ReadOnly: true, Prepare: a.listPolicyTags},
	}
}

func (a *API) createPolicy(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	policyName := name(&ck, p, "PolicyName", "policyName", 128)
	polPath := policyPath(&ck, p, "Path", "path")
	doc := document(&ck, p, "PolicyDocument", "policyDocument")
	desc := p.String("Description")
	ck.Len("description", desc, 0, 1000)
	ts := tags(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	if err := checkTags(ts); err != nil {
		return gate.Check{}, nil, err
	}
	chk := gate.Check{Action: "iam:CreatePolicy", Resource: arn(c, "policy"+orRoot(polPath)+policyName), Keys: requestTagKeys(ts)}
	return chk, func() (any, error) {
		if err := authorizeTagOnCreate(c, chk, "iam:TagPolicy", ts); err != nil {
			return nil, err
		}
		mp, err := a.IAM.CreatePolicy(ctx(c), c.Account(), policyName, polPath, desc, doc, ts)
		if err != nil {
			return nil, err
		}
		// AWS: CreatePolicy's result omits Description; GetPolicy returns it.
		out := policyOut(mp, usage{})
		out.Tags = tagList(mp.Tags)
		return struct{ Policy policyXML }{out}, nil
	}, nil
}

func (a *API) getPolicy(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	pa := policyARN(&ck, p, "PolicyArn", "policyArn")
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.policyCheck(c, "iam:GetPolicy", pa)
	return chk, func() (any, error) {
		mp, err := a.visiblePolicy(c, pa)
		if err != nil {
			return nil, err
		}
		u, err := (&usageCounter{a: a, c: c}).of(mp)
		if err != nil {
			return nil, err
		}
		out := policyOut(mp, u)
		out.Description, out.Tags = mp.Description, tagList(mp.Tags)
		return struct{ Policy policyXML }{out}, nil
	}, err
}

func (a *API) listPolicies(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	scope := "All"
	if s, ok := p.Opt("Scope"); ok {
		ck.Enum("scope", s, "All", "AWS", "Local")
		scope = s
	}
	onlyAttached, _ := ck.Bool(p, "OnlyAttached", "onlyAttached")
	prefix := policyPathPrefix(&ck, p)
	use, hasUse := p.Opt("PolicyUsageFilter")
	if hasUse {
		ck.Enum("policyUsageFilter", use, "PermissionsPolicy", "PermissionsBoundary")
	}
	pg := page(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	return gate.Check{Action: "iam:ListPolicies", Resource: "*"}, func() (any, error) {
		// Attachment counts of AWS managed policies are per account, which the domain's filter
		// cannot see; filter here, on the page the domain returns (its marker stays valid).
		mps, next, err := a.IAM.ListPolicies(ctx(c), c.Account(), iam.PolicyScope(scope), false, prefix, pg)
		if err != nil {
			return nil, err
		}
		out := struct {
			Policies struct {
				Member []policyXML `xml:"member"`
			}
			listResult
		}{listResult: truncated(next)}
		counter := &usageCounter{a: a, c: c}
		for _, mp := range mps {
			u, err := counter.of(mp)
			if err != nil {
				return nil, err
			}
			if onlyAttached && !inUse(u, use) {
				continue
			}
			out.Policies.Member = append(out.Policies.Member, policyOut(mp, u))
		}
		return out, nil
	}, nil
}

// inUse reports whether a policy counts as attached for ListPolicies' OnlyAttached under a
// PolicyUsageFilter.
// AWS: the usage filter says which kind of use OnlyAttached looks at; without OnlyAttached every
// policy can serve either use and is listed (Terraform's tests list unattached policies with
// PolicyUsageFilter=PermissionsPolicy).
func inUse(u usage, filter string) bool {
	switch filter {
	case "PermissionsPolicy":
		return u.attached > 0
	case "PermissionsBoundary":
		return u.bounds > 0
	}
	return u.attached > 0 || u.bounds > 0
}

func (a *API) deletePolicy(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	pa := policyARN(&ck, p, "PolicyArn", "policyArn")
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.policyCheck(c, "iam:DeletePolicy", pa)
	return chk, func() (any, error) {
		return nil, a.IAM.DeletePolicy(ctx(c), c.Account(), pa)
	}, err
}

func (a *API) tagPolicy(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	pa := policyARN(&ck, p, "PolicyArn", "policyArn")
	ts := requireTags(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	if err := checkTags(ts); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.policyCheck(c, "iam:TagPolicy", pa)
	chk.Keys = append(chk.Keys, requestTagKeys(ts)...)
	return chk, func() (any, error) {
		return nil, a.IAM.TagPolicy(ctx(c), c.Account(), pa, ts)
	}, err
}

func (a *API) untagPolicy(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	pa := policyARN(&ck, p, "PolicyArn", "policyArn")
	keys := tagKeys(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.policyCheck(c, "iam:UntagPolicy", pa)
	chk.Keys = append(chk.Keys, gate.Key{Name: "aws:TagKeys", Values: keys})
	return chk, func() (any, error) {
		return nil, a.IAM.UntagPolicy(ctx(c), c.Account(), pa, keys)
	}, err
}

func (a *API) listPolicyTags(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	pa := policyARN(&ck, p, "PolicyArn", "policyArn")
	pg := page(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.policyCheck(c, "iam:ListPolicyTags", pa)
	return chk, func() (any, error) {
		mp, err := a.visiblePolicy(c, pa)
		if err != nil {
			return nil, err
		}
		return tagsPage(mp.Tags, pg)
	}, err
}
