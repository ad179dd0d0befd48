package sigv4

import (
	"strconv"
	"testing"
	"unsafe"
)

func (c *KeyCache) contains(akid string) bool {
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.RLock()
		for k := range s.cur {
			if k.accessKeyID == akid {
				s.mu.RUnlock()
				return true
			}
		}
		for k := range s.prev {
			if k.accessKeyID == akid {
				s.mu.RUnlock()
				return true
			}
		}
		s.mu.RUnlock()
	}
	return false
}

// TestKeyCacheKeepsHotKeys checks the two-generation eviction: a key used regularly survives a
// stream of one-off keys many times the capacity, and one-off keys are dropped.
func TestKeyCacheKeepsHotKeys(t *testing.T) {
	t.Parallel()
	c := NewKeyCache(64)
	c.Key("s", "HOT", "20240101", "r", "s3")
	for i := range 10000 {
		c.Key("s", "COLD"+strconv.Itoa(i), "20240101", "r", "s3")
		if i%8 == 0 {
			c.Key("s", "HOT", "20240101", "r", "s3")
		}
		if !c.contains("HOT") {
			t.Fatalf("hot key evicted after %d one-off keys", i+1)
		}
	}
	if c.contains("COLD0") {
		t.Error("an old one-off key is still cached")
	}
}

// TestKeyCacheClonesStrings checks that cached entries do not keep request memory alive.
func TestKeyCacheClonesStrings(t *testing.T) {
	t.Parallel()
	header := "AWS4-HMAC-SHA256 Credential=AKIDCLONE/20240101/us-east-1/sts/aws4_request"
	akid := header[len("AWS4-HMAC-SHA256 Credential="):][:len("AKIDCLONE")]
	c := NewKeyCache(32)
	c.Key("s", akid, "20240101", "us-east-1", "sts")
	for i := range c.shards {
		for k := range c.shards[i].cur {
			if k.accessKeyID == akid && unsafe.StringData(k.accessKeyID) == unsafe.StringData(akid) {
				t.Error("cached access key id shares memory with the request header")
			}
		}
	}
}
