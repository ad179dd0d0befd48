package stsapi

import (
	"context"
	"errors"
	"time"

	"rolegate/internal/api/awserr"
	"rolegate/internal/api/query"
	"rolegate/internal/authn"
	"rolegate/internal/gate"
	"rolegate/internal/sts"
	"rolegate/internal/token"
)

// WebIdentity is what a verified OIDC token proves.
type WebIdentity struct {
	ProviderARN string // arn:aws:iam::ACCOUNT:oidc-provider/HOST[/PATH]
	ProviderURL string // HOST[/PATH], the prefix of the provider's condition keys
	Issuer      string // the iss claim
	Subject     string
	Audience    string   // the audience that matched the provider's client IDs
	AMR         []string // the amr claim
	Tags        []token.Tag
	Transitive  []string
	// SourceIdentity is the https://aws.amazon.com/source_identity claim.
	SourceIdentity string
}

// WebIdentityVerifier checks a web identity token against the IAM OIDC providers of account. It
// returns *awserr.Error values in STS's words (InvalidIdentityToken, ExpiredTokenException,
// IDPCommunicationError).
type WebIdentityVerifier interface {
	Verify(ctx context.Context, account, rawToken string, now time.Time) (*WebIdentity, error)
}

func (a *API) assumeRoleWithWebIdentity(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	roleARN := ck.Required(p, "RoleArn", "roleArn")
	ck.Len("roleArn", roleARN, 20, 2048)
	name := ck.Required(p, "RoleSessionName", "roleSessionName")
	ck.Len("roleSessionName", name, 2, 64)
	ck.Chars("roleSessionName", name, wordChar("+=,.@-"), `[\w+=,.@-]*`)
	raw := ck.Required(p, "WebIdentityToken", "webIdentityToken")
	ck.Len("webIdentityToken", raw, 4, 20000)
	sp := readSession(&ck, p, 900, 43200)
	if len(sp.tags) > 0 || len(sp.transitive) > 0 {
		ck.Fail("tags", "", "is not a parameter of AssumeRoleWithWebIdentity")
	}
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	if sp.policy != "" && a.CheckPolicy != nil {
		if err := a.CheckPolicy(sp.policy); err != nil {
			return gate.Check{}, nil, err
		}
	}
	chk, role, err := a.roleCheck(c, "sts:AssumeRoleWithWebIdentity", roleARN)
	if err != nil {
		return chk, nil, err
	}
	if role == nil {
		return chk, nil, awserr.New(awserr.AccessDenied, "Not authorized to perform sts:AssumeRoleWithWebIdentity")
	}
	if a.WebIdentity == nil {
		return chk, nil, awserr.New(awserr.InvalidIdentityToken, "No OpenIDConnect provider is configured.")
	}
	wi, err := a.WebIdentity.Verify(c.Ctx, role.Account, raw, c.Now)
	if err != nil {
		return chk, nil, err
	}
	// From here the caller is the identity provider's user, matched by the trust policy's
	// Federated principal.
	*c = *c.As(&authn.Identity{Kind: authn.WebIdentity, Account: role.Account, ARN: wi.ProviderARN, UserID: wi.Subject})
	chk.Keys = append(chk.Keys,
		gate.Key{Name: "sts:RoleSessionName", Values: []string{name}},
		gate.Key{Name: wi.ProviderURL + ":aud", Values: []string{wi.Audience}},
		gate.Key{Name: wi.ProviderURL + ":sub", Values: []string{wi.Subject}},
		gate.Key{Name: "aws:FederatedProvider", Values: []string{wi.ProviderARN}},
	)
	if wi.AMR != nil {
		chk.Keys = append(chk.Keys, gate.Key{Name: wi.ProviderURL + ":amr", Values: wi.AMR})
	}
	tp := sessionParams{tags: wi.Tags, transitive: wi.Transitive}
	chk.Keys = append(chk.Keys, tp.tagKeys()...)
	if wi.SourceIdentity != "" {
		chk.Keys = append(chk.Keys, gate.Key{Name: "sts:SourceIdentity", Values: []string{wi.SourceIdentity}})
	}
	return chk, func() (any, error) {
		if tp.tagged() {
			tagChk := chk
			tagChk.Action = "sts:TagSession"
			if err := c.Authorize(tagChk); err != nil {
				return nil, webIdentityDenied(err)
			}
		}
		if wi.SourceIdentity != "" {
			srcChk := chk
			srcChk.Action = "sts:SetSourceIdentity"
			if err := c.Authorize(srcChk); err != nil {
				return nil, webIdentityDenied(err)
			}
		}
		if err := a.checkPolicyARNs(c, sp.policyARNs); err != nil {
			return nil, err
		}
		is, err := a.STS.IssueRoleSession(sts.RoleSessionRequest{
			Role: role, Name: name, Duration: sp.duration, Policy: sp.policy, PolicyARNs: sp.policyARNs,
			Tags: wi.Tags, TransitiveTagKeys: wi.Transitive, SourceIdentity: wi.SourceIdentity,
			Provider: wi.ProviderARN, Now: c.Now,
		})
		if err != nil {
			return nil, err
		}
		a.IAM.NoteRoleUse(role, c.Region, c.Now)
		out := issuedOut(is)
		out.SubjectFromWebIdentityToken, out.Audience, out.Provider = wi.Subject, wi.Audience, wi.Issuer
		return out, nil
	}, nil
}

// webIdentityDenied rewrites a denial in the words STS uses for web identity callers.
func webIdentityDenied(err error) error {
	var e *awserr.Error
	if errors.As(err, &e) && e.Code == awserr.AccessDenied {
		return awserr.New(awserr.AccessDenied, "Not authorized to perform sts:AssumeRoleWithWebIdentity").Wrap(err)
	}
	return err
}

// assumeRoleWithSAML is not offered: rolegate registers no SAML providers, so every assertion
// names a provider that does not exist.
func (a *API) assumeRoleWithSAML(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	return gate.Check{}, nil, awserr.New(awserr.InvalidIdentityToken, "SAML identity providers are not supported by this endpoint.")
}
