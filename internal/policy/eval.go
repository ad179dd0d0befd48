package policy

import (
	"strings"

	"rolegate/internal/arn"
	"rolegate/internal/policy/cond"
)

// Request is what a statement is matched against: the caller, the action, the resource
// and the request context. Evaluation caches a split of the action and resource in it, so
// a Request must not be used by two evaluations at once, nor changed during one.
type Request struct {
	Principal Principal
	// Action is "service:ActionName", e.g. s3:GetObject.
	Action string
	// Resource is the ARN of the resource, or "*" for actions that support no
	// resource-level permissions (s3:ListAllMyBuckets, ec2:Describe*).
	Resource string
	// ResourceAccount is the account that owns the resource.
	ResourceAccount string
	// Context holds the request's condition keys; nil means none.
	Context *cond.Context
	// Boundary says the principal has a permissions boundary: a resource-policy Deny with
	// NotPrincipal then applies to it whatever the list says. The evaluator sets it.
	Boundary bool

	prepared      bool
	action        string // the Action the split below was made for
	resource      string // the Resource the split below was made for
	service, name string // Action split at the colon; service lower-cased
	res           arn.ARN
	resIsARN      bool
}

// prepare splits the action and the resource once per request.
func (r *Request) prepare() {
	if r.prepared && r.action == r.Action && r.resource == r.Resource {
		return
	}
	r.action, r.resource = r.Action, r.Resource
	svc, name, ok := strings.Cut(r.Action, ":")
	if !ok {
		svc, name = "", r.Action
	}
	// ToLower returns its argument unchanged, without allocating, when it has no upper
	// case letters, which is how services send actions.
	r.service, r.name = strings.ToLower(svc), name
	r.res, r.resIsARN = arn.Split(r.Resource)
	r.prepared = true
}

// Service returns the lower-case service prefix of the request's action.
func (r *Request) Service() string {
	r.prepare()
	return r.service
}

// ResourceARN returns the request's resource split into sections, and false when it is
// not an ARN (for instance "*").
func (r *Request) ResourceARN() (arn.ARN, bool) {
	r.prepare()
	return r.res, r.resIsARN
}

// Outcome summarises the statements of one policy kind that apply to a request.
type Outcome struct {
	Allow bool // some Allow statement applies
	Deny  bool // some Deny statement applies
	// Grants is the union of how applicable Allow statements with a Principal element
	// named the caller (resource-based policies only).
	Grants Grant
}

// Match identifies one statement that applies to a request. It is small so that
// recording matches costs little.
type Match struct {
	Policy *Compiled
	Index  int32 // the statement's position in its policy
	Kind   Kind  // the kind the policy was evaluated as
}

// Effect returns the statement's effect.
func (m *Match) Effect() Effect { return m.Policy.stmts[m.Index].effect }

// PolicyName returns the name of the statement's policy.
func (m *Match) PolicyName() string { return m.Policy.name }

// Statement returns the statement's Sid, or its index when it has none.
func (m *Match) Statement() string { return m.Policy.stmts[m.Index].label }

// MaxMatches is how many Allow and how many Deny statements a Matches records.
const MaxMatches = 16

// Matches records the statements that applied during a decision, without allocating.
type Matches struct {
	allows  [MaxMatches]Match
	denies  [MaxMatches]Match
	nAllow  int
	nDeny   int
	dropped int
}

func (m *Matches) add(x Match) {
	if m == nil {
		return
	}
	list, n := &m.allows, &m.nAllow
	if x.Effect() == Deny {
		list, n = &m.denies, &m.nDeny
	}
	if *n == MaxMatches {
		m.dropped++
		return
	}
	list[*n] = x
	*n++
}

// Allows returns the applicable Allow statements recorded, in evaluation order.
func (m *Matches) Allows() []Match { return m.allows[:m.nAllow] }

// Denies returns the applicable Deny statements recorded, in evaluation order.
func (m *Matches) Denies() []Match { return m.denies[:m.nDeny] }

// Dropped returns how many applicable statements did not fit.
func (m *Matches) Dropped() int { return m.dropped }

// Eval evaluates the set's statements that can apply to r and records the applicable
// ones in acc (which may be nil) under kind.
func (s *Set) Eval(r *Request, kind Kind, acc *Matches) Outcome {
	if s == nil {
		return Outcome{}
	}
	return eval(s.policies, &s.idx, r, kind, acc)
}

// Eval evaluates the policy's statements that can apply to r and records the applicable
// ones in acc (which may be nil) under kind.
func (c *Compiled) Eval(r *Request, kind Kind, acc *Matches) Outcome {
	if c == nil {
		return Outcome{}
	}
	return eval(c.self, &c.idx, r, kind, acc)
}

func eval(policies []*Compiled, idx *index, r *Request, kind Kind, acc *Matches) Outcome {
	r.prepare()
	a, b := idx.candidates(r.service)
	var out Outcome
	for i, j := 0, 0; i < len(a) || j < len(b); {
		var rf ref
		if j == len(b) || (i < len(a) && a[i].before(b[j])) {
			rf, i = a[i], i+1
		} else {
			rf, j = b[j], j+1
		}
		p := policies[rf.pol]
		st := &p.stmts[rf.stmt]
		ok, grant := st.applies(r)
		if !ok {
			continue
		}
		if st.effect == Deny {
			out.Deny = true
		} else {
			out.Allow = true
			out.Grants |= grant
		}
		acc.add(Match{Policy: p, Index: int32(rf.stmt), Kind: kind})
	}
	return out
}

// applies reports whether the statement applies to r and, for an Allow with a Principal
// element, how it named the caller.
func (st *statement) applies(r *Request) (bool, Grant) {
	if !st.matchAction(r) || !st.matchResource(r) {
		return false, 0
	}
	var grant Grant
	if st.hasPrincipal {
		if st.notPrincipal {
			// AWS: a boundary makes a NotPrincipal Deny apply to the caller whatever the
			// list says (documented). An Allow with NotPrincipal (legacy) grants everyone
			// not listed, anonymous callers included.
			if st.principals.excludes(&r.Principal) && !(st.effect == Deny && r.Boundary) {
				return false, 0
			}
			grant = GrantAnyone
		} else if grant = st.principals.match(&r.Principal); grant == 0 {
			return false, 0
		}
	}
	for i := range st.conds {
		if !st.conds[i].Eval(r.Context) {
			return false, 0
		}
	}
	return true, grant
}

func (st *statement) matchAction(r *Request) bool {
	for i := range st.actions {
		if st.actions[i].match(r.service, r.name) {
			return !st.notAction
		}
	}
	return st.notAction
}

func (st *statement) matchResource(r *Request) bool {
	if st.resourceAbsent {
		// A resource-based policy statement without Resource applies to the resource the
		// policy is attached to.
		return true
	}
	for i := range st.resources {
		if st.resources[i].match(r) {
			return !st.notResource
		}
	}
	return st.notResource
}
