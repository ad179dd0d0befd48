package iam

import (
	"context"
	"strings"
	"sync"

	"rolegate/internal/store"
)

// readCache keeps recently read users and roles, valid while their account's generation is
// unchanged: the request path (AssumeRole's role lookup, IAM's own resource checks) then reads
// memory instead of the store. It forgets everything when it grows past its capacity.
type readCache struct {
	mu sync.RWMutex
	m  map[cacheKey]cached
}

// cacheKey names a cached record: its table and its key (account and lower-cased name).
type cacheKey struct {
	t             store.Table
	account, name string
}

func newCacheKey(t store.Table, account, name string) cacheKey {
	return cacheKey{t, account, strings.ToLower(name)}
}

type cached struct {
	gen uint64
	v   any
}

const readCacheSize = 100_000

func (c *readCache) get(k cacheKey, gen uint64) (any, bool) {
	c.mu.RLock()
	e, ok := c.m[k]
	c.mu.RUnlock()
	if !ok || e.gen != gen {
		return nil, false
	}
	return e.v, true
}

func (c *readCache) put(k cacheKey, gen uint64, v any) {
	c.mu.Lock()
	if c.m == nil || len(c.m) >= readCacheSize {
		c.m = make(map[cacheKey]cached)
	}
	c.m[k] = cached{gen, v}
	c.mu.Unlock()
}

// cachedRead returns the record that read loads from the store, from the cache when the
// account's generation has not moved since it was stored. The generation is taken before the
// read, so a write that commits during the read leaves an entry that is already stale.
// read is a method expression rather than a closure, so that a cache hit allocates only the copy.
func cachedRead[T any](ctx context.Context, s *Service, t store.Table, account, name string,
	read func(s *Service, tx store.Tx, account, name string) (*T, error)) (*T, error) {
	k := newCacheKey(t, account, name)
	gen := s.Generation(account)
	if v, ok := s.reads.get(k, gen); ok {
		c := *(v.(*T))
		return &c, nil
	}
	var out *T
	err := s.view(ctx, func(tx store.Tx) error {
		var err error
		out, err = read(s, tx, account, name)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.reads.put(k, gen, out)
	c := *out
	return &c, nil
}

// drop forgets the cached record of t under account/name.
func (c *readCache) drop(t store.Table, account, name string) {
	c.mu.Lock()
	delete(c.m, newCacheKey(t, account, name))
	c.mu.Unlock()
}
