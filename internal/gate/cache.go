package gate

import (
	"context"
	"strings"
	"sync"

	"rolegate/internal/iam"
	"rolegate/internal/policy"
)

// Directory is where the gate finds the policies of principals.
type Directory interface {
	UserPermissions(ctx context.Context, account, name string) (*iam.User, *iam.Permissions, error)
	RolePermissions(ctx context.Context, account, name string) (*iam.Role, *iam.Permissions, error)
	ManagedPolicyText(ctx context.Context, arn string) (*iam.PolicyText, error)
	Generation(account string) uint64
}

// principalEntry is the compiled permissions of an IAM user or role, valid while its account's
// generation is unchanged.
type principalEntry struct {
	gen      uint64
	identity *policy.Set
	boundary *policy.Compiled
	tags     []iam.Tag
	missing  bool // the user or role no longer exists
}

// boundedMap is a map that forgets everything when it grows past its capacity: the caches here
// hold compiled policies that are cheap to rebuild, so a rare full reset is simpler and safer
// than eviction bookkeeping on the hot path.
type boundedMap[K comparable, V any] struct {
	mu  sync.RWMutex
	m   map[K]V
	cap int
}

func newBoundedMap[K comparable, V any](capacity int) *boundedMap[K, V] {
	return &boundedMap[K, V]{m: make(map[K]V), cap: capacity}
}

func (b *boundedMap[K, V]) get(k K) (V, bool) {
	b.mu.RLock()
	v, ok := b.m[k]
	b.mu.RUnlock()
	return v, ok
}

func (b *boundedMap[K, V]) put(k K, v V) {
	b.mu.Lock()
	if len(b.m) >= b.cap {
		clear(b.m)
	}
	b.m[k] = v
	b.mu.Unlock()
}

// principalKey names the compiled permissions of a user or role.
type principalKey struct{ kind, account, name string }

// resourceKey names a compiled resource-based policy: the name it reports under and its text.
type resourceKey struct{ name, text string }

// sessionEntry is a compiled set of session policies.
type sessionEntry struct {
	gen uint64
	set *policy.Set
}

// compileText parses a stored document leniently and compiles it under name.
func compileText(name, text string) (*policy.Compiled, error) {
	doc, err := policy.Parse([]byte(text))
	if err != nil {
		return nil, err
	}
	return policy.Compile(doc, name)
}

// principal returns the compiled permissions of a user (kind iam.KindUser) or role.
func (g *Gate) principal(ctx context.Context, kind, account, name string) (*principalEntry, error) {
	k := principalKey{kind, account, strings.ToLower(name)}
	gen := g.cfg.Directory.Generation(account)
	if e, ok := g.principals.get(k); ok && e.gen == gen {
		return e, nil
	}
	var perms *iam.Permissions
	var err error
	if kind == iam.KindUser {
		_, perms, err = g.cfg.Directory.UserPermissions(ctx, account, name)
	} else {
		_, perms, err = g.cfg.Directory.RolePermissions(ctx, account, name)
	}
	e := &principalEntry{gen: gen}
	switch {
	case iam.IsNoSuchEntity(err):
		e.missing = true
	case err != nil:
		return nil, err
	default:
		compiled := make([]*policy.Compiled, 0, len(perms.Identity))
		for _, p := range perms.Identity {
			c, err := compileText(p.Name, p.Text)
			if err != nil {
				return nil, err
			}
			compiled = append(compiled, c)
		}
		e.identity = policy.NewSet(compiled...)
		if perms.Boundary != nil {
			if e.boundary, err = compileText(perms.Boundary.Name, perms.Boundary.Text); err != nil {
				return nil, err
			}
		}
		e.tags = perms.Tags
	}
	g.principals.put(k, e)
	return e, nil
}

// resourcePolicy compiles a resource-based policy, cached by its text.
func (g *Gate) resourcePolicy(name, text string) (*policy.Compiled, error) {
	k := resourceKey{name, text}
	if c, ok := g.resources.get(k); ok {
		return c, nil
	}
	c, err := compileText(name, text)
	if err != nil {
		return nil, err
	}
	g.resources.put(k, c)
	return c, nil
}

// sessionPolicies compiles a session's inline policy and managed policy ARNs into one set.
func (g *Gate) sessionPolicies(ctx context.Context, account, inline string, arns []string) (*policy.Set, error) {
	k := account + "\x00" + inline + "\x00" + strings.Join(arns, "\x00")
	gen := g.cfg.Directory.Generation(account)
	if e, ok := g.sessions.get(k); ok && e.gen == gen {
		return e.set, nil
	}
	var compiled []*policy.Compiled
	if inline != "" {
		c, err := compileText("session policy", inline)
		if err != nil {
			return nil, err
		}
		compiled = append(compiled, c)
	}
	for _, arn := range arns {
		pt, err := g.cfg.Directory.ManagedPolicyText(ctx, arn)
		if iam.IsNoSuchEntity(err) {
			continue // a deleted managed session policy grants nothing
		}
		if err != nil {
			return nil, err
		}
		c, err := compileText(pt.Name, pt.Text)
		if err != nil {
			return nil, err
		}
		compiled = append(compiled, c)
	}
	set := policy.NewSet(compiled...)
	g.sessions.put(k, sessionEntry{gen, set})
	return set, nil
}
