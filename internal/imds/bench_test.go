package imds_test

import (
	"io"
	"net/http"
	"sort"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// benchmarkFetch measures GET security-credentials/app over a kept-alive loopback connection, the
// way SDKs fetch instance credentials, and reports the median and 99th percentile latency.
// With v2 the requests carry a session token; between runs before each request, or is nil.
func benchmarkFetch(b *testing.B, v2 bool, between func(f *fixture)) {
	f := newFixture(b)
	tokens := types.HttpTokensStateOptional
	if v2 {
		tokens = types.HttpTokensStateRequired
	}
	_, ep := f.launch(b, "app", tokens)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
	req, _ := http.NewRequest(http.MethodGet, ep+"/latest/meta-data/iam/security-credentials/app", nil)
	if v2 {
		req.Header.Set("X-aws-ec2-metadata-token", token(b, ep, "21600"))
	}
	fetch := func() {
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
	fetch()
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if between != nil {
			b.StopTimer()
			between(f)
			b.StartTimer()
		}
		start := time.Now()
		fetch()
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}

// BenchmarkCredentialsCached serves credentials that are not due for rotation.
func BenchmarkCredentialsCached(b *testing.B) { benchmarkFetch(b, true, nil) }

// BenchmarkCredentialsIssued issues a new role session on every request (the clock moves past
// the rotation point each time): trust-policy check, session sealing and the response. IMDSv1,
// since session tokens would not outlive the clock's jumps.
func BenchmarkCredentialsIssued(b *testing.B) {
	benchmarkFetch(b, false, func(f *fixture) { f.srv.Clock.Advance(5*time.Hour + 31*time.Minute) })
}
