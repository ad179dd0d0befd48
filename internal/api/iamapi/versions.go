package iamapi

import (
	"strings"

	"rolegate/internal/api/query"
	"rolegate/internal/gate"
	"rolegate/internal/iam"
)

// versionOut renders a policy version; only GetPolicyVersion and the authorization details carry
// its document.
func versionOut(mp *iam.ManagedPolicy, v *iam.PolicyVersion, withDocument bool) versionXML {
	x := versionXML{VersionId: v.ID, IsDefaultVersion: v.ID == mp.DefaultVersion, CreateDate: v.Created}
	if withDocument {
		x.Document = query.Encoded(v.Document)
	}
	return x
}

func (a *API) createPolicyVersion(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	pa := policyARN(&ck, p, "PolicyArn", "policyArn")
	doc := document(&ck, p, "PolicyDocument", "policyDocument")
	setDefault, _ := ck.Bool(p, "SetAsDefault", "setAsDefault")
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.policyCheck(c, "iam:CreatePolicyVersion", pa)
	return chk, func() (any, error) {
		v, err := a.IAM.CreatePolicyVersion(ctx(c), c.Account(), pa, doc, setDefault)
		if err != nil {
			return nil, err
		}
		// AWS: the new version comes back without its document.
		return struct{ PolicyVersion versionXML }{versionXML{VersionId: v.ID, IsDefaultVersion: setDefault, CreateDate: v.Created}}, nil
	}, err
}

const versionIDPattern = `v[1-9][0-9]*(\.[A-Za-z0-9-]*)?`

// versionID reads a required VersionId: v1, v2, ... optionally followed by .suffix.
func versionID(ck *query.Check, p query.Params) string {
	v := ck.Required(p, "VersionId", "versionId")
	if !p.Has("VersionId") {
		return v
	}
	num, suffix, dotted := strings.Cut(strings.TrimPrefix(v, "v"), ".")
	ok := strings.HasPrefix(v, "v") && num != "" && num[0] != '0'
	for _, r := range num {
		ok = ok && r >= '0' && r <= '9'
	}
	for _, r := range suffix {
		ok = ok && dotted && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-')
	}
	if !ok {
		ck.Fail("versionId", v, "must satisfy regular expression pattern: "+versionIDPattern)
	}
	return v
}

func (a *API) getPolicyVersion(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	pa := policyARN(&ck, p, "PolicyArn", "policyArn")
	vid := versionID(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.policyCheck(c, "iam:GetPolicyVersion", pa)
	return chk, func() (any, error) {
		if _, err := a.visiblePolicy(c, pa); err != nil {
			return nil, err
		}
		mp, v, err := a.IAM.PolicyVersion(ctx(c), pa, vid)
		if err != nil {
			return nil, err
		}
		return struct{ PolicyVersion versionXML }{versionOut(mp, v, true)}, nil
	}, err
}

func (a *API) listPolicyVersions(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	pa := policyARN(&ck, p, "PolicyArn", "policyArn")
	pg := page(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.policyCheck(c, "iam:ListPolicyVersions", pa)
	return chk, func() (any, error) {
		mp, err := a.visiblePolicy(c, pa)
		if err != nil {
			return nil, err
		}
		vs, next, err := pageOf(iam.SortedVersions(mp), pg)
		if err != nil {
			return nil, err
		}
		out := struct {
			Versions struct {
				Member []versionXML `xml:"member"`
			}
			listResult
		}{listResult: truncated(next)}
		for i := range vs {
			// AWS: the document of a version is returned only by GetPolicyVersion and
			// GetAccountAuthorizationDetails.
			out.Versions.Member = append(out.Versions.Member, versionOut(mp, &vs[i], false))
		}
		return out, nil
	}, err
}

func (a *API) deletePolicyVersion(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	pa := policyARN(&ck, p, "PolicyArn", "policyArn")
	vid := versionID(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.policyCheck(c, "iam:DeletePolicyVersion", pa)
	return chk, func() (any, error) {
		return nil, a.IAM.DeletePolicyVersion(ctx(c), c.Account(), pa, vid)
	}, err
}

func (a *API) setDefaultPolicyVersion(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	pa := policyARN(&ck, p, "PolicyArn", "policyArn")
	vid := versionID(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.policyCheck(c, "iam:SetDefaultPolicyVersion", pa)
	return chk, func() (any, error) {
		return nil, a.IAM.SetDefaultPolicyVersion(ctx(c), c.Account(), pa, vid)
	}, err
}
