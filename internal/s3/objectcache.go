package s3

import (
	"context"
	"sync"
	"sync/atomic"

	"rolegate/internal/store"
)

// objectCache keeps recently read object records, so that reading an object (the hot path of
// GetObject and HeadObject) reads memory rather than the store. Each bucket has a generation that
// grows after every committed change to its objects; an entry is valid only while the generation
// it was read under is current. The generation is taken before the read and bumped after the
// commit, so a record read while a change commits is never served afterwards. It forgets
// everything when it grows past its capacity.
type objectCache struct {
	mu    sync.RWMutex
	m     map[objectRef]cachedObject
	bytes int      // total size of the cached contents
	gens  sync.Map // bucket -> *atomic.Uint64
}

type objectRef struct{ bucket, key string }

type cachedObject struct {
	gen  uint64
	o    *Object
	data []byte // the whole content of a small object, once read
}

// Bounds of the cache: records, the size of an object whose content is kept, and the total
// size of kept contents.
const (
	objectCacheSize  = 100_000
	smallObject      = 64 << 10
	contentCacheSize = 64 << 20
)

func (c *objectCache) gen(bucket string) *atomic.Uint64 {
	if g, ok := c.gens.Load(bucket); ok {
		return g.(*atomic.Uint64)
	}
	g, _ := c.gens.LoadOrStore(bucket, new(atomic.Uint64))
	return g.(*atomic.Uint64)
}

func (c *objectCache) get(ref objectRef, gen uint64) (cachedObject, bool) {
	c.mu.RLock()
	e, ok := c.m[ref]
	c.mu.RUnlock()
	if !ok || e.gen != gen {
		return cachedObject{}, false
	}
	return e, true
}

// put caches an object record, and its content when data is not nil.
func (c *objectCache) put(ref objectRef, gen uint64, o *Object, data []byte) {
	c.mu.Lock()
	if c.m == nil || len(c.m) >= objectCacheSize || c.bytes+len(data) > contentCacheSize {
		c.m = make(map[objectRef]cachedObject)
		c.bytes = 0
	}
	if old, ok := c.m[ref]; ok {
		c.bytes -= len(old.data)
	}
	c.m[ref] = cachedObject{gen, o, data}
	c.bytes += len(data)
	c.mu.Unlock()
}

// updateObjects runs fn in a write transaction that changes objects of bucket, and invalidates
// the bucket's cached objects once it committed.
func (s *Service) updateObjects(ctx context.Context, bucket string, fn func(store.Tx) error) error {
	err := s.db.Update(ctx, fn)
	if err == nil {
		s.objects.gen(bucket).Add(1)
	}
	return err
}
