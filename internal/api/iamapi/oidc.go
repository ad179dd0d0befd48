package iamapi

import (
	"slices"
	"strings"
	"time"

	"rolegate/internal/api/awserr"
	"rolegate/internal/api/query"
	"rolegate/internal/gate"
	"rolegate/internal/iam"
)

// OIDC provider quotas.
const (
	maxClientIDs   = 100
	maxThumbprints = 5
)

// oidcCheck names an OIDC provider for action: its ARN and, when it exists, its tags. A malformed
// ARN is refused first.
func (a *API) oidcCheck(c *gate.Call, action, providerARN string) (gate.Check, error) {
	if _, _, ok := iam.ParseOIDCProviderARN(providerARN); !ok {
		return gate.Check{}, awserr.Newf(awserr.InvalidInput, "ARN %s is not valid.", providerARN)
	}
	return described(gate.Check{Action: action, Resource: providerARN, ResourceAccount: foreignAccount(c, providerARN)},
		func() (*iam.OIDCProvider, error) { return a.IAM.OIDCProvider(ctx(c), providerARN) },
		func(chk *gate.Check, op *iam.OIDCProvider) { chk.ResourceTags = op.Tags })
}

// ownProvider loads a provider of the caller's account.
func (a *API) ownProvider(c *gate.Call, providerARN string) (*iam.OIDCProvider, error) {
	op, err := a.IAM.OIDCProvider(ctx(c), providerARN)
	if err != nil {
		return nil, err
	}
	if op.Account != c.Account() {
		return nil, awserr.Newf(awserr.NoSuchEntity, "OpenIDConnect Provider not found for arn %s", providerARN)
	}
	return op, nil
}

func providerARN(ck *query.Check, p query.Params) string {
	return policyARN(ck, p, "OpenIDConnectProviderArn", "openIDConnectProviderArn")
}

// clientID reads a required ClientID (1..255).
func clientID(ck *query.Check, p query.Params) string {
	v := ck.Required(p, "ClientID", "clientID")
	if p.Has("ClientID") {
		ck.Len("clientID", v, 1, 255)
	}
	return v
}

// thumbprints checks a ThumbprintList: at most five SHA-1 fingerprints of exactly 40 hex digits.
// AWS: the model bounds only the length; the hex rule and the quota text are IAM's service-side
// checks, reported as InvalidInput and LimitExceeded.
func thumbprints(ck *query.Check, list []string) error {
	members(ck, "thumbprintList", list, lengthRule(40, 40))
	if err := ck.Err(); err != nil {
		return err
	}
	for _, t := range list {
		if strings.IndexFunc(t, func(r rune) bool { return !isHex(r) }) >= 0 {
			return awserr.Newf(awserr.InvalidInput, "Thumbprint %s is not a valid 40-character hexadecimal string.", t)
		}
	}
	if len(list) > maxThumbprints {
		return awserr.Newf(awserr.LimitExceeded, "Cannot exceed quota for ThumbprintsPerOpenIdConnectProvider: %d", maxThumbprints)
	}
	return nil
}

func isHex(r rune) bool { return r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F' }

func (a *API) oidcOps() []query.Op {
	return []query.Op{
		{Name: "CreateOpenIDConnectProvider", Prepare: a.createOIDCProvider},
		{Name: "GetOpenIDConnectProvider", ReadOnly: true, Prepare: a.getOIDCProvider},
		{Name: "ListOpenIDConnectProviders", ReadOnly: true, Prepare: a.listOIDCProviders},
		{Name: "DeleteOpenIDConnectProvider", Prepare: a.deleteOIDCProvider},
		{Name: "AddClientIDToOpenIDConnectProvider", Prepare: a.modifyOIDC("iam:AddClientIDToOpenIDConnectProvider", addClientID)},
		{Name: "RemoveClientIDFromOpenIDConnectProvider", Prepare: a.modifyOIDC("iam:RemoveClientIDFromOpenIDConnectProvider", removeClientID)},
		{Name: "UpdateOpenIDConnectProviderThumbprint", Prepare: a.modifyOIDC("iam:UpdateOpenIDConnectProviderThumbprint", setThumbprints)},
		{Name: "TagOpenIDConnectProvider", Prepare: a.tagOIDCProvider},
		{Name: "UntagOpenIDConnectProvider", Prepare: a.modifyOIDC("iam:UntagOpenIDConnectProvider", untagProvider)},
		{Name: "ListOpenIDConnectProviderTags", ReadOnly: true, Prepare: a.listOIDCProviderTags},
	}
}

func (a *API) createOIDCProvider(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	url := ck.Required(p, "Url", "url")
	if p.Has("Url") {
		ck.Len("url", url, 1, 255)
	}
	clients := p.List("ClientIDList")
	members(&ck, "clientIDList", clients, lengthRule(1, 255))
	prints := p.List("ThumbprintList")
	ts := tags(&ck, p)
	if err := thumbprints(&ck, prints); err != nil {
		return gate.Check{}, nil, err
	}
	if !strings.HasPrefix(url, "https://") {
		return gate.Check{}, nil, awserr.New(awserr.InvalidInput, "The URL of an OpenID Connect provider must begin with https://.")
	}
	if len(clients) > maxClientIDs {
		return gate.Check{}, nil, awserr.Newf(awserr.LimitExceeded, "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: %d", maxClientIDs)
	}
	if err := checkTags(ts); err != nil {
		return gate.Check{}, nil, err
	}
	chk := gate.Check{Action: "iam:CreateOpenIDConnectProvider", Resource: arn(c, "oidc-provider/"+iam.OIDCProviderURL(url)),
		Keys: requestTagKeys(ts)}
	return chk, func() (any, error) {
		if err := authorizeTagOnCreate(c, chk, "iam:TagOpenIDConnectProvider", ts); err != nil {
			return nil, err
		}
		op, err := a.IAM.CreateOIDCProvider(ctx(c), c.Account(), url, dedupe(clients), prints, ts)
		if err != nil {
			return nil, err
		}
		return struct {
			OpenIDConnectProviderArn string
			Tags                     *tagListXML `xml:",omitempty"`
		}{op.ARN(), tagList(op.Tags)}, nil
	}, nil
}

// dedupe drops repeated client IDs, keeping the first of each.
func dedupe(ids []string) []string {
	var out []string
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// stringList is a list member that is always present, possibly empty.
type stringList struct {
	Member []string `xml:"member"`
}

func (a *API) getOIDCProvider(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	pa := providerARN(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.oidcCheck(c, "iam:GetOpenIDConnectProvider", pa)
	return chk, func() (any, error) {
		op, err := a.ownProvider(c, pa)
		if err != nil {
			return nil, err
		}
		// AWS: Url comes back as it appears in the ARN, without the https:// scheme.
		return struct {
			Url            string
			ClientIDList   stringList
			ThumbprintList stringList
			CreateDate     time.Time
			Tags           *tagListXML `xml:",omitempty"`
		}{op.URL, stringList{op.ClientIDs}, stringList{op.Thumbprints}, op.Created, tagList(op.Tags)}, nil
	}, err
}

func (a *API) listOIDCProviders(c *gate.Call, _ query.Params) (gate.Check, query.Work, error) {
	return gate.Check{Action: "iam:ListOpenIDConnectProviders", Resource: "*"}, func() (any, error) {
		ops, err := a.IAM.OIDCProviders(ctx(c), c.Account())
		if err != nil {
			return nil, err
		}
		type entry struct{ Arn string }
		out := struct {
			OpenIDConnectProviderList struct {
				Member []entry `xml:"member"`
			}
		}{}
		for _, op := range ops {
			out.OpenIDConnectProviderList.Member = append(out.OpenIDConnectProviderList.Member, entry{op.ARN()})
		}
		return out, nil
	}, nil
}

func (a *API) deleteOIDCProvider(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	pa := providerARN(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.oidcCheck(c, "iam:DeleteOpenIDConnectProvider", pa)
	return chk, func() (any, error) {
		return nil, a.IAM.DeleteOIDCProvider(ctx(c), c.Account(), pa)
	}, err
}

// oidcChange reads the parameters of one change to a provider and returns the change to apply
// and the request-specific condition keys it adds.
type oidcChange func(ck *query.Check, p query.Params) (func(*iam.OIDCProvider) error, []gate.Key, error)

// modifyOIDC prepares an operation that changes one provider in place.
func (a *API) modifyOIDC(action string, change oidcChange) func(*gate.Call, query.Params) (gate.Check, query.Work, error) {
	return func(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
		var ck query.Check
		pa := providerARN(&ck, p)
		apply, keys, err := change(&ck, p)
		if ckErr := ck.Err(); ckErr != nil {
			return gate.Check{}, nil, ckErr
		}
		if err != nil {
			return gate.Check{}, nil, err
		}
		chk, err := a.oidcCheck(c, action, pa)
		chk.Keys = append(chk.Keys, keys...)
		return chk, func() (any, error) {
			return nil, a.IAM.ModifyOIDCProvider(ctx(c), c.Account(), pa, apply)
		}, err
	}
}

// addClientID adds a client ID; adding one already there changes nothing.
func addClientID(ck *query.Check, p query.Params) (func(*iam.OIDCProvider) error, []gate.Key, error) {
	id := clientID(ck, p)
	return func(op *iam.OIDCProvider) error {
		if slices.Contains(op.ClientIDs, id) {
			return nil
		}
		if len(op.ClientIDs) >= maxClientIDs {
			return awserr.Newf(awserr.LimitExceeded, "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: %d", maxClientIDs)
		}
		op.ClientIDs = append(op.ClientIDs, id)
		return nil
	}, nil, nil
}

// removeClientID removes a client ID. AWS: removing one that is not there is not an error.
func removeClientID(ck *query.Check, p query.Params) (func(*iam.OIDCProvider) error, []gate.Key, error) {
	id := clientID(ck, p)
	return func(op *iam.OIDCProvider) error {
		op.ClientIDs = slices.DeleteFunc(op.ClientIDs, func(x string) bool { return x == id })
		if op.ClientIDs == nil {
			op.ClientIDs = []string{}
		}
		return nil
	}, nil, nil
}

// setThumbprints replaces the thumbprint list.
func setThumbprints(ck *query.Check, p query.Params) (func(*iam.OIDCProvider) error, []gate.Key, error) {
	prints := p.List("ThumbprintList")
	if prints == nil {
		ck.Required(p, "ThumbprintList", "thumbprintList")
	}
	if err := thumbprints(ck, prints); err != nil {
		return nil, nil, err
	}
	return func(op *iam.OIDCProvider) error {
		op.Thumbprints = append([]string{}, prints...)
		return nil
	}, nil, nil
}

// untagProvider removes tags.
func untagProvider(ck *query.Check, p query.Params) (func(*iam.OIDCProvider) error, []gate.Key, error) {
	keys := tagKeys(ck, p)
	return func(op *iam.OIDCProvider) error {
		op.Tags = iam.RemoveTags(op.Tags, keys)
		return nil
	}, []gate.Key{{Name: "aws:TagKeys", Values: keys}}, nil
}

func (a *API) tagOIDCProvider(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	return a.modifyOIDC("iam:TagOpenIDConnectProvider", func(ck *query.Check, p query.Params) (func(*iam.OIDCProvider) error, []gate.Key, error) {
		ts := requireTags(ck, p)
		if ck.Err() == nil {
			if err := checkTags(ts); err != nil {
				return nil, nil, err
			}
		}
		return func(op *iam.OIDCProvider) error {
			merged, err := iam.MergeTags(op.Tags, ts)
			if err != nil {
				return err
			}
			op.Tags = merged
			return nil
		}, requestTagKeys(ts), nil
	})(c, p)
}

func (a *API) listOIDCProviderTags(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	pa := providerARN(&ck, p)
	pg := page(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.oidcCheck(c, "iam:ListOpenIDConnectProviderTags", pa)
	return chk, func() (any, error) {
		op, err := a.ownProvider(c, pa)
		if err != nil {
			return nil, err
		}
		return tagsPage(op.Tags, pg)
	}, err
}
