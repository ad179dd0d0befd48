package cond

import "strings"

// Key is a condition key name prepared for lookups in a Context. Key names are
// case-insensitive (aws:SourceIp = AWS:sourceip), including the tag part of keys such as
// aws:PrincipalTag/Team. Folding covers ASCII letters, which is all AWS key names use.
type Key struct {
	name string
	hash uint64
}

// NewKey prepares name for lookups.
func NewKey(name string) Key { return Key{name: name, hash: foldHash(name)} }

// String returns the key name as written.
func (k Key) String() string { return k.name }

// foldHash is FNV-1a over the ASCII-lower-cased bytes of s.
func foldHash(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

// Context holds the condition keys of one request: single-valued keys with one string and
// multivalued keys (aws:TagKeys, aws:CalledVia, ...) with a list that may be empty. A
// Context is reused across requests with Reset, so filling it allocates nothing once its
// capacity has grown. It is not safe for concurrent mutation; evaluation only reads it.
//
// A Context is complete: the evaluator adds no keys of its own, and policy variables such
// as ${aws:username} resolve from it.
type Context struct {
	entries []entry
}

type entry struct {
	hash   uint64
	key    string
	value  string
	values []string
	multi  bool
}

// Reset empties the context and keeps its capacity.
func (c *Context) Reset() {
	clear(c.entries)
	c.entries = c.entries[:0]
}

// Set sets the single-valued key to value, replacing any earlier value of the key.
func (c *Context) Set(key, value string) { c.SetKey(NewKey(key), value) }

// SetKey is Set for a key prepared with NewKey, sparing the hashing of its name: callers that
// set the same keys on every request prepare them once.
func (c *Context) SetKey(k Key, value string) {
	e := c.slot(k)
	e.value, e.values, e.multi = value, nil, false
}

// SetMulti sets the multivalued key to values, replacing any earlier value. The slice is
// kept, not copied: the caller must not change it while the context is in use. An empty
// (or nil) slice is a present key with an empty set.
func (c *Context) SetMulti(key string, values []string) {
	e := c.slot(NewKey(key))
	e.value, e.values, e.multi = "", values, true
}

func (c *Context) slot(k Key) *entry {
	for i := range c.entries {
		if e := &c.entries[i]; e.hash == k.hash && strings.EqualFold(e.key, k.name) {
			e.key = k.name
			return e
		}
	}
	c.entries = append(c.entries, entry{hash: k.hash, key: k.name})
	return &c.entries[len(c.entries)-1]
}

// Delete removes key from the context.
func (c *Context) Delete(key string) {
	h := foldHash(key)
	for i := range c.entries {
		if e := &c.entries[i]; e.hash == h && strings.EqualFold(e.key, key) {
			last := len(c.entries) - 1
			c.entries[i] = c.entries[last]
			c.entries[last] = entry{}
			c.entries = c.entries[:last]
			return
		}
	}
}

// Get returns the value of a single-valued key. It reports false for an absent key and for
// a multivalued one.
func (c *Context) Get(key string) (string, bool) {
	e := c.lookup(NewKey(key))
	if e == nil || e.multi {
		return "", false
	}
	return e.value, true
}

// Values returns the values of key (one for a single-valued key) and whether it is present.
func (c *Context) Values(key string) ([]string, bool) {
	e := c.lookup(NewKey(key))
	if e == nil {
		return nil, false
	}
	if e.multi {
		return e.values, true
	}
	return []string{e.value}, true
}

// Len returns the number of keys in the context.
func (c *Context) Len() int {
	if c == nil {
		return 0
	}
	return len(c.entries)
}

func (c *Context) lookup(k Key) *entry {
	if c == nil {
		return nil
	}
	for i := range c.entries {
		if e := &c.entries[i]; e.hash == k.hash && (e.key == k.name || strings.EqualFold(e.key, k.name)) {
			return e
		}
	}
	return nil
}

// variable returns the value a policy variable ${k} takes: only single-valued keys can be
// variables.
func (c *Context) variable(k Key) (string, bool) {
	e := c.lookup(k)
	if e == nil || e.multi {
		return "", false
	}
	return e.value, true
}

// count returns how many values the key has (0 when absent or an empty set) and the value
// at index i through at.
func (e *entry) count() int {
	if e == nil {
		return 0
	}
	if e.multi {
		return len(e.values)
	}
	return 1
}

func (e *entry) at(i int) string {
	if e.multi {
		return e.values[i]
	}
	return e.value
}
