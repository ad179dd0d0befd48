package sigv4

import (
	"crypto/subtle"
	"hash/maphash"
	"strings"
	"sync"
)

// Sharding spreads lock traffic. Shards are a power of two, so the shard is a mask of the hash,
// and each holds at least minShardKeys keys so that one busy shard does not evict its keys much
// earlier than the others.
const (
	maxKeyCacheShards = 16
	minShardKeys      = 64
)

// KeyCache is a bounded cache of derived signing keys, keyed by access key id and credential
// scope. Servers call Key on every request; a hit takes a read lock and does not allocate.
// A KeyCache is safe for concurrent use.
//
// Each shard keeps two generations: new keys go into the current one, and when it is full it
// becomes the previous one and the old previous one is dropped. A key found in the previous
// generation moves back to the current one, so keys in use survive and the cache never holds
// more than its capacity.
type KeyCache struct {
	seed   maphash.Seed
	half   int // entries per generation per shard
	shards []keyShard
}

type keyShard struct {
	mu        sync.RWMutex
	cur, prev map[cacheKey]cacheEntry
	_         [24]byte // pad to 64 bytes so neighbouring shards rarely share a cache line
}

type cacheKey struct{ accessKeyID, date, region, service string }

type cacheEntry struct {
	secret string
	key    Key
}

// NewKeyCache returns a cache holding at most capacity keys, rounded up to an even number per
// shard (at most 31 more); capacity is at least 2.
func NewKeyCache(capacity int) *KeyCache {
	n := 1
	for n < maxKeyCacheShards && capacity/(2*n) >= minShardKeys {
		n *= 2
	}
	half := max((capacity+2*n-1)/(2*n), 1)
	c := &KeyCache{seed: maphash.MakeSeed(), half: half, shards: make([]keyShard, n)}
	for i := range c.shards {
		c.shards[i].cur = make(map[cacheKey]cacheEntry, half)
	}
	return c
}

// Key returns the signing key of secret for the access key and scope, deriving and caching it on
// a miss. The secret is part of the check: a cached key is only returned for the secret it was
// derived from, so a rotated or reused access key id never gets a stale key.
func (c *KeyCache) Key(secret, accessKeyID, date, region, service string) Key {
	k := cacheKey{accessKeyID, date, region, service}
	s := &c.shards[maphash.String(c.seed, accessKeyID)&uint64(len(c.shards)-1)]
	s.mu.RLock()
	e, ok := s.cur[k]
	s.mu.RUnlock()
	if ok && secretEqual(e.secret, secret) {
		return e.key
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.prev[k]; ok && secretEqual(e.secret, secret) {
		delete(s.prev, k)
		s.insert(k, e, c.half)
		return e.key
	}
	key := DeriveKey(secret, date, region, service)
	// Clone so that cached entries do not pin the request headers they were sliced from.
	k = cacheKey{strings.Clone(accessKeyID), strings.Clone(date), strings.Clone(region), strings.Clone(service)}
	s.insert(k, cacheEntry{secret: strings.Clone(secret), key: key}, c.half)
	return key
}

// insert adds an entry to the current generation, rotating generations when it is full.
func (s *keyShard) insert(k cacheKey, e cacheEntry, half int) {
	if _, ok := s.cur[k]; !ok && len(s.cur) >= half {
		s.prev = s.cur
		s.cur = make(map[cacheKey]cacheEntry, half)
	}
	s.cur[k] = e
}

// Len returns the number of cached keys.
func (c *KeyCache) Len() int {
	n := 0
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.RLock()
		n += len(s.cur) + len(s.prev)
		s.mu.RUnlock()
	}
	return n
}

// secretEqual compares two secrets in constant time for equal lengths, without converting them
// to byte slices (which would allocate on every lookup).
func secretEqual(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	var v byte
	for i := 0; i < len(a); i++ {
		v |= a[i] ^ b[i]
	}
	return subtle.ConstantTimeByteEq(v, 0) == 1
}
