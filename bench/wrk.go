package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Load is how hard and how long wrk drives one load point.
type Load struct {
	Threads     int
	Connections int
	Duration    time.Duration
	Warmup      time.Duration
}

// Result is what wrk measured at one load point.
type Result struct {
	Requests int64
	Duration time.Duration
	RPS      float64
	P50, P99 time.Duration
	NonOK    int64 // answers other than 2xx and 3xx
	SockErrs int64 // connect, read, write errors and timeouts
}

// summary is the JSON line the wrk script prints; times are in microseconds.
type summary struct {
	Requests int64 `json:"requests"`
	Duration int64 `json:"duration_us"`
	P50      int64 `json:"p50_us"`
	P99      int64 `json:"p99_us"`
	Status   int64 `json:"errors_status"`
	Connect  int64 `json:"errors_connect"`
	Read     int64 `json:"errors_read"`
	Write    int64 `json:"errors_write"`
	Timeout  int64 `json:"errors_timeout"`
}

// Errors is the number of requests that failed: non-2xx/3xx answers and socket errors.
func (r Result) Errors() int64 { return r.NonOK + r.SockErrs }

// luaScript returns a wrk script that sends c unchanged on every request and prints the summary
// as one JSON line marked with resultMark.
func luaScript(c *Call) string {
	var b strings.Builder
	lit := func(s string) string { return "[==[" + s + "]==]" }
	fmt.Fprintf(&b, "wrk.method = %s\n", lit(c.Method))
	fmt.Fprintf(&b, "wrk.path = %s\n", lit(c.Target()))
	if c.Body != "" {
		fmt.Fprintf(&b, "wrk.body = %s\n", lit(c.Body))
	}
	names := make([]string, 0, len(c.Header))
	for k := range c.Header {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		fmt.Fprintf(&b, "wrk.headers[ %s ] = %s\n", lit(k), lit(c.Header.Get(k)))
	}
	b.WriteString(`
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('` + resultMark + ` {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"errors_status":%d,"errors_connect":%d,"errors_read":%d,"errors_write":%d,"errors_timeout":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.status, e.connect, e.read, e.write, e.timeout))
end
`)
	return b.String()
}

// resultMark starts the line a wrk script prints its summary on.
const resultMark = "BENCH-RESULT"

// parseResult reads the summary line out of wrk's output.
func parseResult(out []byte) (Result, error) {
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), resultMark+" ")
		if !ok {
			continue
		}
		var m summary
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			return Result{}, fmt.Errorf("wrk summary %q: %w", line, err)
		}
		if m.Duration <= 0 {
			return Result{}, fmt.Errorf("wrk summary %q: no duration", line)
		}
		us := time.Microsecond
		r := Result{Requests: m.Requests, Duration: time.Duration(m.Duration) * us, NonOK: m.Status,
			P50: time.Duration(m.P50) * us, P99: time.Duration(m.P99) * us, SockErrs: m.Connect + m.Read + m.Write + m.Timeout}
		r.RPS = float64(r.Requests) / r.Duration.Seconds()
		return r, nil
	}
	return Result{}, fmt.Errorf("wrk printed no summary:\n%s", out)
}

// runWrk drives base (scheme://host:port) with c for l.Duration, after l.Warmup of the same load
// whose results are discarded (it fills caches and connection pools).
func runWrk(ctx context.Context, wrk, dir, base string, c *Call, l Load) (Result, error) {
	script := filepath.Join(dir, "wrk-"+strconv.FormatInt(time.Now().UnixNano(), 36)+".lua")
	if err := os.WriteFile(script, []byte(luaScript(c)), 0o600); err != nil {
		return Result{}, err
	}
	defer os.Remove(script)
	run := func(d time.Duration) ([]byte, error) {
		secs := max(1, int((d+time.Second-1)/time.Second))
		cmd := exec.CommandContext(ctx, wrk, "-t", strconv.Itoa(l.Threads), "-c", strconv.Itoa(l.Connections),
			"-d", strconv.Itoa(secs)+"s", "--timeout", "5s", "-s", script, base+"/")
		out, err := cmd.CombinedOutput()
		if err != nil {
			return out, fmt.Errorf("wrk: %w\n%s", err, out)
		}
		return out, nil
	}
	if l.Warmup > 0 {
		if _, err := run(l.Warmup); err != nil {
			return Result{}, err
		}
	}
	out, err := run(l.Duration)
	if err != nil {
		return Result{}, err
	}
	return parseResult(out)
}
