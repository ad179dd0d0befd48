package gate

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"rolegate/internal/authn"
	"rolegate/internal/iam"
	"rolegate/internal/policy"
	"rolegate/internal/policy/cond"
	"rolegate/internal/token"
)

// errNoPrincipal reports a session whose role or user no longer exists.
var errNoPrincipal = errors.New("the principal no longer exists")

// prepare fills e with the request, the policies in play and the request context.
func (g *Gate) prepare(c *Call, chk *Check, e *evaluation) error {
	id := c.Identity
	e.req.Action, e.req.Resource, e.req.ResourceAccount = chk.Action, chk.Resource, resourceAccount(c, chk)
	e.req.Context = &e.ctx
	e.req.Principal = principalOf(id)
	if chk.ResourcePolicy != "" {
		name := chk.ResourcePolicyName
		if name == "" {
			name = "resource policy"
		}
		rp, err := g.resourcePolicy(name, chk.ResourcePolicy)
		if err != nil {
			return err
		}
		e.policies.Resource = rp
	}
	var tags []iam.Tag
	switch id.Kind {
	case authn.User:
		p, err := g.principal(c.Ctx, iam.KindUser, id.Account, id.UserName)
		if err != nil {
			return err
		}
		if p.missing {
			return errNoPrincipal
		}
		e.policies.Identity, e.policies.Boundary, tags = p.identity, p.boundary, p.tags
	case authn.AssumedRole:
		p, err := g.principal(c.Ctx, iam.KindRole, id.Account, id.RoleName)
		if err != nil {
			return err
		}
		if p.missing {
			return errNoPrincipal
		}
		e.policies.Identity, e.policies.Boundary, tags = p.identity, p.boundary, p.tags
	case authn.FederatedUser:
		s := id.Session
		if strings.HasSuffix(s.UserARN, ":root") {
			// The root user's federated sessions are limited by their session policy only.
			e.policies.Identity = g.allowAll
		} else {
			p, err := g.principal(c.Ctx, iam.KindUser, id.Account, s.UserARN[strings.LastIndexByte(s.UserARN, '/')+1:])
			if err != nil {
				return err
			}
			if p.missing {
				return errNoPrincipal
			}
			e.policies.Identity, e.policies.Boundary, tags = p.identity, p.boundary, p.tags
		}
	}
	if s := id.Session; s != nil && (s.Policy != "" || len(s.PolicyARNs) > 0) {
		set, err := g.sessionPolicies(c.Ctx, id.Account, s.Policy, s.PolicyARNs)
		if err != nil {
			return err
		}
		e.policies.Session = set
	}
	g.fillContext(c, chk, e, tags)
	return nil
}

// principalOf describes the caller as the policy engine sees it.
func principalOf(id *authn.Identity) policy.Principal {
	p := policy.Principal{ARN: id.ARN, Account: id.Account}
	switch id.Kind {
	case authn.Root:
		p.Kind = policy.AccountRoot
	case authn.User:
		p.Kind = policy.User
	case authn.AssumedRole:
		p.Kind, p.RoleARN = policy.AssumedRole, id.RoleARN
	case authn.FederatedUser:
		p.Kind, p.ParentUserARN = policy.FederatedUser, id.Session.UserARN
	case authn.WebIdentity:
		p.Kind = policy.WebIdentity
	case authn.Service:
		p.Kind, p.Account = policy.ServicePrincipal, ""
	default:
		p = policy.Principal{Kind: policy.Anonymous}
	}
	return p
}

// fillContext sets the global condition keys of the request, then the keys of chk, which may
// override them (AssumeRole with an MFA code sets aws:MultiFactorAuthPresent).
func (g *Gate) fillContext(c *Call, chk *Check, e *evaluation, principalTags []iam.Tag) {
	x := &e.ctx
	id := c.Identity
	now := c.Now.UTC()
	t := g.clockStrings(now)
	x.SetKey(g.keys.currentTime, t.current)
	x.SetKey(g.keys.epochTime, t.epoch)
	x.SetKey(g.keys.secureTransport, strconv.FormatBool(c.Secure))
	if c.SourceIP != "" {
		x.SetKey(g.keys.sourceIP, c.SourceIP)
	}
	if c.UserAgent != "" {
		x.SetKey(g.keys.userAgent, c.UserAgent)
	}
	region := c.Region
	if c.Service == "iam" || region == "" {
		region = "us-east-1"
	}
	x.SetKey(g.keys.requestedRegion, region)
	x.SetKey(g.keys.principalType, id.PrincipalType())
	x.SetKey(g.keys.resourceAccount, e.req.ResourceAccount)
	if g.cfg.OrgID != nil {
		if org := g.cfg.OrgID(); org != "" {
			x.SetKey(g.keys.resourceOrgID, org)
			if id.Kind != authn.Anonymous && id.Kind != authn.Service && id.Kind != authn.WebIdentity {
				x.SetKey(g.keys.principalOrgID, org)
			}
		}
	}
	switch id.Kind {
	case authn.Anonymous:
		x.SetKey(g.keys.userID, "anonymous")
	case authn.Service:
		x.SetKey(g.keys.principalIsAWSService, "true")
		x.SetKey(g.keys.principalServiceName, id.ARN)
	case authn.WebIdentity:
	default:
		x.SetKey(g.keys.principalARN, id.PrincipalARN())
		x.SetKey(g.keys.principalAccount, id.Account)
		x.SetKey(g.keys.userID, id.UserID)
		x.SetKey(g.keys.principalIsAWSService, "false")
		x.SetKey(g.keys.viaAWSService, "false")
		if id.Kind == authn.User {
			x.SetKey(g.keys.username, id.UserName)
		}
	}
	for _, t := range principalTags {
		x.Set("aws:PrincipalTag/"+t.Key, t.Value)
	}
	if s := id.Session; s != nil {
		g.sessionContext(x, s, now)
	}
	for _, t := range chk.ResourceTags {
		x.Set("aws:ResourceTag/"+t.Key, t.Value)
	}
	for _, k := range chk.Keys {
		if multiValued(k.Name) {
			x.SetMulti(k.Name, k.Values)
		} else if len(k.Values) > 0 {
			x.Set(k.Name, k.Values[0])
		}
	}
}

// sessionContext sets the keys of temporary credentials.
func (g *Gate) sessionContext(x *cond.Context, s *token.Session, now time.Time) {
	x.SetKey(g.keys.tokenIssueTime, s.Issued.UTC().Format("2006-01-02T15:04:05Z"))
	x.SetKey(g.keys.mfaPresent, strconv.FormatBool(s.MFA))
	if s.MFA {
		x.Set("aws:MultiFactorAuthAge", strconv.FormatInt(int64(now.Sub(s.MFAAuthTime)/time.Second), 10))
	}
	if s.SourceIdentity != "" {
		x.Set("aws:SourceIdentity", s.SourceIdentity)
	}
	if s.Provider != "" {
		x.Set("aws:FederatedProvider", s.Provider)
	}
	if s.SourceInstanceARN != "" {
		x.Set("ec2:SourceInstanceARN", s.SourceInstanceARN)
	}
	// Session tags override the principal's tags of the same key.
	for _, t := range s.Tags {
		x.Set("aws:PrincipalTag/"+t.Key, t.Value)
	}
}

// multiValued reports the condition keys that carry a set of values.
func multiValued(name string) bool {
	for _, m := range [...]string{"aws:TagKeys", "sts:TransitiveTagKeys", "aws:CalledVia", "aws:PrincipalOrgPaths",
		"aws:ResourceOrgPaths", "aws:PrincipalServiceNamesList", "s3:RequestObjectTagKeys"} {
		if len(m) == len(name) && strings.EqualFold(m, name) {
			return true
		}
	}
	return len(name) > 4 && strings.EqualFold(name[len(name)-4:], ":amr")
}

// clockText is the request time as aws:CurrentTime and aws:EpochTime carry it.
type clockText struct {
	unix           int64
	current, epoch string
}

// clockStrings returns the texts of now's second, formatting them once per second rather than
// once per request.
func (g *Gate) clockStrings(now time.Time) *clockText {
	u := now.Unix()
	if t := g.clock.Load(); t != nil && t.unix == u {
		return t
	}
	t := &clockText{unix: u, current: now.Format("2006-01-02T15:04:05Z"), epoch: strconv.FormatInt(u, 10)}
	g.clock.Store(t)
	return t
}
