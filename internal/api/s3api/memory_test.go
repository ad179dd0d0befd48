package s3api_test

import (
	"crypto/md5"
	"hash"
	"io"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"rolegate/internal/sigv4"
	"rolegate/internal/testkit"
)

// patternReader yields n deterministic pseudo-random bytes without holding them, hashing them
// as they go.
type patternReader struct {
	left  int64
	state uint64
	h     hash.Hash
}

func (p *patternReader) Read(b []byte) (int, error) {
	if p.left == 0 {
		return 0, io.EOF
	}
	n := int(min(int64(len(b)), p.left))
	for i := 0; i < n; i++ {
		p.state = p.state*6364136223846793005 + 1442695040888963407
		b[i] = byte(p.state >> 56)
	}
	p.h.Write(b[:n])
	p.left -= int64(n)
	return n, nil
}

// heapPeak samples the heap in use until stop is called and returns the peak above base.
func heapPeak() (stop func() uint64) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				if m.HeapInuse > base && m.HeapInuse-base > peak.Load() {
					peak.Store(m.HeapInuse - base)
				}
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		return peak.Load()
	}
}

// TestLargeObjectMemoryIsFlat uploads and downloads a 256 MiB object streamed from a generator
// (no file, no buffer) and checks that the heap of the process, server included, grows by a
// small fraction of the object size.
func TestLargeObjectMemoryIsFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 256 MiB")
	}
	const size = 256 << 20
	const budget = 32 << 20
	srv := testkit.NewServer(t)
	createBucket(t, srv.S3(srv.Management.Root), "large")
	r := newRaw(srv, srv.Management.Root)

	src := &patternReader{left: size, state: 1, h: md5.New()}
	stop := heapPeak()
	resp, body := r.do(t, "PUT", "/large/blob", nil, src, size, sigv4.UnsignedPayload)
	peak := stop()
	if resp.StatusCode != 200 {
		t.Fatalf("PUT: %d %s", resp.StatusCode, body)
	}
	t.Logf("PUT 256 MiB: peak heap growth %.1f MiB", float64(peak)/(1<<20))
	if peak > budget {
		t.Errorf("PUT of 256 MiB grew the heap by %d MiB, budget %d MiB", peak>>20, budget>>20)
	}

	stop = heapPeak()
	req := r.request(t, "GET", "/large/blob", nil, nil, 0, sigv4.EmptySHA256)
	got, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	h := md5.New()
	n, err := io.Copy(h, got.Body)
	got.Body.Close()
	peak = stop()
	if err != nil || n != size {
		t.Fatalf("GET: %d bytes, %v", n, err)
	}
	if string(h.Sum(nil)) != string(src.h.Sum(nil)) {
		t.Fatalf("GET returned other bytes than were put")
	}
	t.Logf("GET 256 MiB: peak heap growth %.1f MiB", float64(peak)/(1<<20))
	if peak > budget {
		t.Errorf("GET of 256 MiB grew the heap by %d MiB, budget %d MiB", peak>>20, budget>>20)
	}
}
