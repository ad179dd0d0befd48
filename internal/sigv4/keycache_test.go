package sigv4_test

import (
	"fmt"
	"strconv"
	"sync"
	"testing"

	"rolegate/internal/sigv4"
)

func TestKeyCache(t *testing.T) {
	t.Parallel()
	c := sigv4.NewKeyCache(64)
	want := sigv4.DeriveKey("secret", "20240101", "us-east-1", "sts")
	if got := c.Key("secret", "AKID", "20240101", "us-east-1", "sts"); got != want {
		t.Fatal("miss returned a wrong key")
	}
	if got := c.Key("secret", "AKID", "20240101", "us-east-1", "sts"); got != want {
		t.Fatal("hit returned a wrong key")
	}
	if c.Len() != 1 {
		t.Errorf("Len = %d, want 1", c.Len())
	}
	// Every part of the cache key and the secret selects a different signing key.
	for _, tc := range []struct{ secret, akid, date, region, service string }{
		{"other", "AKID", "20240101", "us-east-1", "sts"},
		{"secret", "AKID2", "20240101", "us-east-1", "sts"},
		{"secret", "AKID", "20240102", "us-east-1", "sts"},
		{"secret", "AKID", "20240101", "eu-west-1", "sts"},
		{"secret", "AKID", "20240101", "us-east-1", "iam"},
	} {
		got := c.Key(tc.secret, tc.akid, tc.date, tc.region, tc.service)
		if got != sigv4.DeriveKey(tc.secret, tc.date, tc.region, tc.service) {
			t.Errorf("Key(%+v) is not the derived key", tc)
		}
	}
	// A changed secret for a cached access key replaces the entry.
	if got := c.Key("secret", "AKID", "20240101", "us-east-1", "sts"); got != want {
		t.Error("original secret no longer maps to its key")
	}
}

func TestKeyCacheBounded(t *testing.T) {
	t.Parallel()
	for _, capacity := range []int{0, 1, 100, 1000, 5000} {
		checkBound(t, capacity)
	}
}

func checkBound(t *testing.T, capacity int) {
	c := sigv4.NewKeyCache(capacity)
	limit := max(capacity, 2) + 31
	for i := range 3 * max(capacity, 100) {
		akid := "AKID" + strconv.Itoa(i)
		if got := c.Key("s", akid, "20240101", "r", "s3"); got != sigv4.DeriveKey("s", "20240101", "r", "s3") {
			t.Fatalf("wrong key for %s", akid)
		}
		if n := c.Len(); n > limit {
			t.Fatalf("capacity %d: after %d keys Len = %d > %d", capacity, i+1, n, limit)
		}
	}
	if c.Len() < capacity/4 {
		t.Errorf("capacity %d: Len = %d, the cache keeps too little", capacity, c.Len())
	}
}

func TestKeyCacheHitDoesNotAllocate(t *testing.T) {
	c := sigv4.NewKeyCache(1024)
	akid, date, region, service := "AKIAEXAMPLE", "20240101", "us-east-1", "sts"
	c.Key(exampleSecret, akid, date, region, service)
	if a := testing.AllocsPerRun(1000, func() { c.Key(exampleSecret, akid, date, region, service) }); a != 0 {
		t.Errorf("cache hit allocates %v times", a)
	}
}

func TestKeyCacheConcurrent(t *testing.T) {
	t.Parallel()
	c := sigv4.NewKeyCache(64)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 2000 {
				akid := fmt.Sprintf("AKID%d", (i*7+g)%150)
				if c.Key("s"+akid, akid, "20240101", "r", "sts") != sigv4.DeriveKey("s"+akid, "20240101", "r", "sts") {
					t.Errorf("wrong key for %s", akid)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestVerifyQueryPostDoesNotAllocate pins the allocation budget of the hot path: parsing and
// verifying a header-signed Query POST with a warm key cache.
func TestVerifyQueryPostDoesNotAllocate(t *testing.T) {
	r := roundTripRequests(t)[0].req
	r.BodySHA256 = sha256Hex([]byte(roundTripRequests(t)[0].body))
	cache := sigv4.NewKeyCache(16)
	verify := func() {
		a, err := sigv4.Parse(&r)
		if err != nil {
			t.Fatal(err)
		}
		if err := sigv4.Verify(&r, &a, cache.Key(exampleSecret, a.AccessKeyID, a.Date, a.Region, a.Service), roundTripTime); err != nil {
			t.Fatal(err)
		}
	}
	if a := testing.AllocsPerRun(100, verify); a != 0 {
		t.Errorf("Parse+Verify allocates %v times per request", a)
	}
}
