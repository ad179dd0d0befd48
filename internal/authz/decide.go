package authz

import (
	"strings"

	"rolegate/internal/policy"
)

// Request is the request being decided. It is policy.Request, so that the evaluator and
// statement matching share one prepared view of the action and resource.
type Request = policy.Request

// Principal describes the caller; it is policy.Principal.
type Principal = policy.Principal

// Policies are the policies in play for one request. A nil field means the policy kind is
// absent, which matters: an absent boundary or session policy limits nothing, while a
// present one that does not allow denies; nil SCPs mean the principal's account is not
// governed by SCPs, while a present level with no applicable Allow denies.
type Policies struct {
	// Identity holds every identity-based policy of the principal (user inline and
	// attached plus its groups', or the role's); they are OR-ed.
	Identity *policy.Set
	// Resource is the resource-based policy: bucket policy, key policy, or the role's
	// trust policy for sts:AssumeRole* on a role.
	Resource *policy.Compiled
	// Boundary is the principal's permissions boundary.
	Boundary *policy.Compiled
	// Session holds the session policies of a role or federated-user session, OR-ed.
	Session *policy.Set
	// SCPs holds the service control policies of the principal's account, one Set per
	// level from the root through each OU to the account; every level must allow.
	SCPs []*policy.Set
	// RCPs holds the resource control policies of the resource's account, by level.
	RCPs []*policy.Set
}

// outcomes are the per-kind results of one decision.
type outcomes struct {
	scpDeny, scpAllow bool
	rcpDeny, rcpAllow bool
	res, id, bnd, ses policy.Outcome
}

// Decide decides r against the policies in p, following AWS's evaluation logic. It never
// returns an error: a request that cannot be evaluated (nil arguments, a fault in a
// policy) is an implicit deny with ReasonNotEvaluated. It allocates nothing; r is
// prepared in place, so r must not be shared by concurrent Decide calls.
func Decide(r *Request, p *Policies) (d Decision) {
	if r == nil || p == nil {
		return Decision{Reason: ReasonNotEvaluated, principal: "anonymous"}
	}
	d.principal, d.action, d.resource = r.Principal.Name(), r.Action, r.Resource
	defer func() {
		// Fail closed on a fault anywhere below rather than crash the request.
		if recover() != nil {
			d.Effect, d.Reason, d.n = ImplicitDeny, ReasonNotEvaluated, 0
		}
	}()
	kind := r.Principal.Kind
	if kind != policy.Anonymous && strings.EqualFold(r.Action, "sts:GetCallerIdentity") {
		// AWS: no permission is needed and an explicit deny does not stop it.
		d.Effect, d.Reason = Allowed, ReasonNoPermissionRequired
		return d
	}
	r.Boundary = p.Boundary != nil
	var acc policy.Matches
	o := evaluate(r, p, &acc)

	if reason, denied := explicitDeny(&o); denied {
		d.Effect, d.Reason = ExplicitDeny, reason
		d.n = copy(d.matched[:], acc.Denies())
		return d
	}
	d.n = copy(d.matched[:], acc.Allows())
	d.Effect, d.Reason = grant(r, p, &o)
	return d
}

// evaluate runs every policy kind that applies to the caller.
func evaluate(r *Request, p *Policies, acc *policy.Matches) outcomes {
	var o outcomes
	o.scpAllow, o.rcpAllow = true, true
	if p.SCPs != nil && subjectToSCPs(r.Principal.Kind) {
		for _, level := range p.SCPs {
			out := level.Eval(r, policy.SCP, acc)
			o.scpDeny = o.scpDeny || out.Deny
			o.scpAllow = o.scpAllow && out.Allow
		}
	}
	if p.RCPs != nil {
		for _, level := range p.RCPs {
			out := level.Eval(r, policy.RCP, acc)
			o.rcpDeny = o.rcpDeny || out.Deny
			o.rcpAllow = o.rcpAllow && out.Allow
		}
	}
	resKind := policy.Resource
	if isTrustRequest(r) {
		resKind = policy.Trust
	}
	o.res = p.Resource.Eval(r, resKind, acc)
	o.id = p.Identity.Eval(r, policy.Identity, acc)
	o.bnd = p.Boundary.Eval(r, policy.Boundary, acc)
	o.ses = p.Session.Eval(r, policy.Session, acc)
	return o
}

// subjectToSCPs: SCPs restrict the principals of member accounts, root included; they do
// not apply to anonymous callers or to service principals, which have no account there.
func subjectToSCPs(k policy.PrincipalKind) bool {
	switch k {
	case policy.AccountRoot, policy.User, policy.AssumedRole, policy.FederatedUser:
		return true
	}
	return false
}

// explicitDeny reports the first kind, in AWS's evaluation order, with an applicable Deny.
func explicitDeny(o *outcomes) (Reason, bool) {
	switch {
	case o.scpDeny:
		return ReasonDenyInSCP, true
	case o.rcpDeny:
		return ReasonDenyInRCP, true
	case o.res.Deny:
		return ReasonDenyInResourcePolicy, true
	case o.id.Deny:
		return ReasonDenyInIdentityPolicy, true
	case o.bnd.Deny:
		return ReasonDenyInBoundary, true
	case o.ses.Deny:
		return ReasonDenyInSessionPolicy, true
	}
	return 0, false
}

// grant decides a request no Deny applies to.
func grant(r *Request, p *Policies, o *outcomes) (Effect, Reason) {
	if !o.rcpAllow {
		return ImplicitDeny, ReasonNoRCPAllows
	}
	if !o.scpAllow {
		return ImplicitDeny, ReasonNoSCPAllows
	}
	kind := r.Principal.Kind
	var grants policy.Grant
	if o.res.Allow {
		grants = o.res.Grants
	}
	named := grants&(policy.GrantDirect|policy.GrantAnyone) != 0
	switch kind {
	case policy.Anonymous, policy.ServicePrincipal, policy.WebIdentity:
		// No identity policies: only a resource-policy grant that names the caller (or
		// everyone) can allow.
		if named {
			return Allowed, ReasonResourceAllows
		}
		return ImplicitDeny, ReasonNoResourcePolicyAllows
	}
	limits := limitsAllow(p, o, kind)
	idOK, idReason := identityPath(p, o, kind)
	if !sameAccount(r) {
		// Cross-account: the caller's own side and the resource's side must both allow.
		if !idOK {
			return ImplicitDeny, idReason
		}
		if grants == 0 {
			return ImplicitDeny, ReasonNoResourcePolicyAllows
		}
		return Allowed, ReasonBothAllow
	}
	trust := isTrustRequest(r)
	switch {
	case named && (!trust || p.Boundary == nil || o.bnd.Allow):
		// A grant to the user, the session or "*" is not limited by the identity
		// policies, the boundary or the session policy. AWS: for trust policies the
		// "update a role trust policy" page requires the caller's boundary to allow
		// sts:AssumeRole even then, against the general rule; the specific page wins.
		return Allowed, ReasonResourceAllows
	case grants&policy.GrantRole != 0 && kind == policy.AssumedRole && limits:
		// A grant to the role was folded into the role's permissions before the session
		// existed, so the boundary and the session policy still limit it.
		return Allowed, ReasonResourceAllows
	case grants&policy.GrantParentUser != 0 && kind == policy.FederatedUser && limits:
		return Allowed, ReasonResourceAllows
	}
	if grants == 0 && (trust || isKMSRequest(r)) {
		// Trust policies and key policies are mandatory: an identity Allow alone is
		// never enough, the policy must at least delegate to the account.
		return ImplicitDeny, ReasonNoResourcePolicyAllows
	}
	if !idOK {
		if named || grants&(policy.GrantRole|policy.GrantParentUser) != 0 {
			// The resource policy allowed; name the limit that stopped it.
			if p.Boundary != nil && !o.bnd.Allow {
				return ImplicitDeny, ReasonNoBoundaryAllows
			}
			return ImplicitDeny, ReasonNoSessionPolicyAllows
		}
		return ImplicitDeny, idReason
	}
	if kind == policy.AccountRoot {
		return Allowed, ReasonRootUser
	}
	return Allowed, ReasonIdentityAllows
}

// identityPath reports whether the identity policies allow within the boundary and the
// session policy, and if not, the first missing Allow.
func identityPath(p *Policies, o *outcomes, kind policy.PrincipalKind) (bool, Reason) {
	if kind == policy.AccountRoot {
		// The root user has no identity policies, boundary or session policy: it may do
		// everything its account may.
		return true, 0
	}
	switch {
	case !o.id.Allow:
		return false, ReasonNoIdentityPolicyAllows
	case p.Boundary != nil && !o.bnd.Allow:
		return false, ReasonNoBoundaryAllows
	case !sessionAllows(p, o, kind):
		return false, ReasonNoSessionPolicyAllows
	}
	return true, 0
}

// limitsAllow reports whether the boundary and the session policy, when present, allow.
func limitsAllow(p *Policies, o *outcomes, kind policy.PrincipalKind) bool {
	return (p.Boundary == nil || o.bnd.Allow) && sessionAllows(p, o, kind)
}

// sessionAllows: a present session policy must allow. A federated-user session without
// one has no permissions (AWS: GetFederationToken without a policy grants nothing except
// through resource policies naming the federated user).
func sessionAllows(p *Policies, o *outcomes, kind policy.PrincipalKind) bool {
	if p.Session == nil {
		return kind != policy.FederatedUser
	}
	return o.ses.Allow
}

// sameAccount: an unknown resource account is taken to be the caller's.
func sameAccount(r *Request) bool {
	return r.Principal.Account != "" && (r.ResourceAccount == "" || r.ResourceAccount == r.Principal.Account)
}

// trustActions are the STS actions authorised by a role's trust policy.
var trustActions = [...]string{"assumerole", "assumerolewithsaml", "assumerolewithwebidentity", "tagsession", "setsourceidentity", "setcontext"}

// isTrustRequest reports an STS action that a role trust policy authorises, on a role.
func isTrustRequest(r *Request) bool {
	if r.Service() != "sts" {
		return false
	}
	a, ok := r.ResourceARN()
	return ok && a.Service == "iam" && strings.HasPrefix(a.Resource, "role/") && policy.IsTrustAction(r.Action)
}

// isKMSRequest reports a KMS action on a KMS resource, judged by its key policy.
func isKMSRequest(r *Request) bool {
	a, ok := r.ResourceARN()
	return r.Service() == "kms" && ok && a.Service == "kms"
}
