package gate

import (
	"strings"
	"sync"
	"sync/atomic"

	"rolegate/internal/authz"
	"rolegate/internal/policy"
	"rolegate/internal/policy/cond"
)

// Config holds the gate's dependencies.
type Config struct {
	Directory Directory
	// OrgID returns the organization's ID (every account of a deployment belongs to it).
	OrgID func() string
	// Encode seals the details of a denial into an encoded authorization message, which only
	// sts:DecodeAuthorizationMessage opens. Nil leaves denials without one.
	Encode func(plain []byte) string
	// Decided, when set, observes every decision (for tests and metrics).
	Decided func(c *Call, chk *Check, d *authz.Decision)
}

// Gate decides. Its methods are safe for concurrent use.
type Gate struct {
	cfg        Config
	principals *boundedMap[principalKey, *principalEntry]
	resources  *boundedMap[resourceKey, *policy.Compiled]
	sessions   *boundedMap[string, sessionEntry]
	requests   sync.Pool // *evaluation
	allowAll   *policy.Set
	clock      atomic.Pointer[clockText]
	keys       globalKeys
}

// Cache capacities: compiled policies of this many principals, resource policies and session
// policy sets are kept.
const (
	principalCacheSize = 100_000
	resourceCacheSize  = 20_000
	sessionCacheSize   = 20_000
)

// New returns a gate.
func New(cfg Config) *Gate {
	g := &Gate{cfg: cfg,
		principals: newBoundedMap[principalKey, *principalEntry](principalCacheSize),
		resources:  newBoundedMap[resourceKey, *policy.Compiled](resourceCacheSize),
		sessions:   newBoundedMap[string, sessionEntry](sessionCacheSize),
		keys:       newGlobalKeys(),
	}
	g.requests.New = func() any { return new(evaluation) }
	all, err := compileText("root of the federating account", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)
	if err != nil {
		panic("gate: cannot compile the allow-all policy: " + err.Error())
	}
	g.allowAll = policy.NewSet(all)
	return g
}

// NewCall returns a call bound to this gate, from the request facts in c.
func (g *Gate) NewCall(c Call) *Call {
	c.gate = g
	return &c
}

// evaluation is the reusable state of one decision.
type evaluation struct {
	req      policy.Request
	ctx      cond.Context
	policies authz.Policies
}

// Authorize asks whether the caller may perform chk and returns nil when it may, or the
// *Denied error to send. Any failure to gather what the decision needs denies.
func (c *Call) Authorize(chk Check) error {
	err := c.gate.authorize(c, &chk)
	if err != nil {
		c.Denied = err
	}
	return err
}

func (g *Gate) authorize(c *Call, chk *Check) error {
	if chk.Action == "" || chk.Resource == "" {
		return g.denied(c, chk, nil, "the operation named no action or resource")
	}
	e := g.requests.Get().(*evaluation)
	defer func() {
		e.ctx.Reset()
		e.policies = authz.Policies{}
		e.req = policy.Request{}
		g.requests.Put(e)
	}()
	if err := g.prepare(c, chk, e); err != nil {
		return g.denied(c, chk, nil, err.Error())
	}
	d := authz.Decide(&e.req, &e.policies)
	if g.cfg.Decided != nil {
		g.observe(c, *chk, d)
	}
	if d.Allowed() {
		return nil
	}
	return g.denied(c, chk, &d, "")
}

// observe hands copies of a decision to the Decided hook, so that only a gate with a hook pays
// for moving the check and the decision to the heap.
func (g *Gate) observe(c *Call, chk Check, d authz.Decision) { g.cfg.Decided(c, &chk, &d) }

// resourceAccount returns the account owning the resource of chk.
func resourceAccount(c *Call, chk *Check) string {
	if chk.ResourceAccount != "" {
		return chk.ResourceAccount
	}
	return c.Identity.Account
}

func isRoleARN(s string) bool { return strings.Contains(s, ":role/") }
