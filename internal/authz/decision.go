package authz

import "rolegate/internal/policy"

// Effect is the outcome of a decision.
type Effect uint8

// Decision effects.
const (
	// ImplicitDeny: no explicit deny, but a required Allow is missing. It is the zero
	// value, so an unset Decision denies.
	ImplicitDeny Effect = iota
	// ExplicitDeny: an applicable Deny statement in some policy.
	ExplicitDeny
	// Allowed: every required Allow is present and no Deny applies.
	Allowed
)

// String returns the effect as `rolegate policy decide` prints it.
func (e Effect) String() string {
	switch e {
	case Allowed:
		return "allowed"
	case ExplicitDeny:
		return "explicitDeny"
	}
	return "implicitDeny"
}

// Reason says which rule decided.
type Reason uint8

// Reasons.
const (
	ReasonNotEvaluated           Reason = iota // the request could not be evaluated (fails closed)
	ReasonIdentityAllows                       // the identity path allows (same account)
	ReasonResourceAllows                       // a resource-based policy grant naming the caller
	ReasonBothAllow                            // cross-account: both the caller's and the resource's side allow
	ReasonRootUser                             // the account's root user in its own account
	ReasonNoPermissionRequired                 // sts:GetCallerIdentity
	ReasonDenyInSCP                            // explicit deny in a service control policy
	ReasonDenyInRCP                            // explicit deny in a resource control policy
	ReasonDenyInResourcePolicy                 // explicit deny in a resource-based policy
	ReasonDenyInIdentityPolicy                 // explicit deny in an identity-based policy
	ReasonDenyInBoundary                       // explicit deny in a permissions boundary
	ReasonDenyInSessionPolicy                  // explicit deny in a session policy
	ReasonNoSCPAllows                          // some SCP level has no applicable Allow
	ReasonNoRCPAllows                          // some RCP level has no applicable Allow
	ReasonNoResourcePolicyAllows               // the resource-based policy does not allow the caller
	ReasonNoIdentityPolicyAllows               // no identity-based policy allows
	ReasonNoBoundaryAllows                     // the permissions boundary does not allow
	ReasonNoSessionPolicyAllows                // the session policy does not allow (or is missing for a federated user)
)

// clause is the tail of AWS's message for each reason; %s is the action.
var clauses = [...]string{
	ReasonNotEvaluated:           "because the request could not be evaluated",
	ReasonIdentityAllows:         "because an identity-based policy allows the %s action",
	ReasonResourceAllows:         "because a resource-based policy allows the %s action",
	ReasonBothAllow:              "because an identity-based policy and a resource-based policy allow the %s action",
	ReasonRootUser:               "because the root user may perform every action in its own account",
	ReasonNoPermissionRequired:   "because the %s action requires no permission",
	ReasonDenyInSCP:              "with an explicit deny in a service control policy",
	ReasonDenyInRCP:              "with an explicit deny in a resource control policy",
	ReasonDenyInResourcePolicy:   "with an explicit deny in a resource-based policy",
	ReasonDenyInIdentityPolicy:   "with an explicit deny in an identity-based policy",
	ReasonDenyInBoundary:         "with an explicit deny in a permissions boundary",
	ReasonDenyInSessionPolicy:    "with an explicit deny in a session policy",
	ReasonNoSCPAllows:            "because no service control policy allows the %s action",
	ReasonNoRCPAllows:            "because no resource control policy allows the %s action",
	ReasonNoResourcePolicyAllows: "because no resource-based policy allows the %s action",
	ReasonNoIdentityPolicyAllows: "because no identity-based policy allows the %s action",
	ReasonNoBoundaryAllows:       "because no permissions boundary allows the %s action",
	ReasonNoSessionPolicyAllows:  "because no session policy allows the %s action",
}

// Decision is the result of Decide. It is a value: deciding allocates nothing, and only
// building its message does.
type Decision struct {
	Effect Effect
	Reason Reason

	principal, action, resource string
	matched                     [policy.MaxMatches]policy.Match
	n                           int
}

// Allowed reports whether the request is allowed.
func (d Decision) Allowed() bool { return d.Effect == Allowed }

// Matched returns the statements that decided: the applicable Deny statements of an
// explicit deny, otherwise the applicable Allow statements of every policy kind (for an
// implicit deny, the Allows that were found but did not suffice). At most
// policy.MaxMatches are kept. The slice is a copy, made on request: explaining a
// decision may allocate, deciding does not.
func (d Decision) Matched() []policy.Match { return append([]policy.Match(nil), d.matched[:d.n]...) }

// Message returns the decision in the words of AWS's AccessDenied messages:
//
//	User: arn:aws:iam::111122223333:user/alice is not authorized to perform: s3:GetObject
//	on resource: arn:aws:s3:::b/k because no identity-based policy allows the s3:GetObject action
//
// (on one line). An allowed decision reads "... is authorized to perform: ... because ...".
func (d Decision) Message() string {
	verb := " is not authorized to perform: "
	if d.Effect == Allowed {
		verb = " is authorized to perform: "
	}
	return "User: " + d.principal + verb + d.action + " on resource: " + d.resource + " " + d.Clause()
}

// Clause returns the "because ..." or "with an explicit deny ..." part of the message.
func (d Decision) Clause() string {
	c := ReasonNotEvaluated
	if int(d.Reason) < len(clauses) {
		c = d.Reason
	}
	return expand(clauses[c], d.action)
}

func expand(tmpl, action string) string {
	for i := 0; i+1 < len(tmpl); i++ {
		if tmpl[i] == '%' && tmpl[i+1] == 's' {
			return tmpl[:i] + action + tmpl[i+2:]
		}
	}
	return tmpl
}
