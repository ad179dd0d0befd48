package main

import (
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rolegate/internal/secretbox"
	"rolegate/internal/seed"
	"rolegate/internal/server"
	"rolegate/internal/store/sqlite"
	"rolegate/internal/testkit"
)

func TestParseResult(t *testing.T) {
	tests := []struct {
		name    string
		out     string
		want    Result
		wantErr bool
	}{
		{"summary among wrk's lines", "Running 1s test @ http://x/\n" + resultMark +
			` {"requests":2000,"duration_us":2000000,"p50_us":450,"p99_us":9000,"errors_status":3,"errors_connect":1,"errors_read":0,"errors_write":0,"errors_timeout":2}` + "\nRequests/sec: 1000\n",
			Result{Requests: 2000, Duration: 2 * time.Second, RPS: 1000, P50: 450 * time.Microsecond, P99: 9 * time.Millisecond, NonOK: 3, SockErrs: 3}, false},
		{"no summary (script failed)", "script.lua:4: unexpected symbol\n", Result{}, true},
		{"zero duration", resultMark + ` {"requests":0,"duration_us":0}`, Result{}, true},
		{"broken JSON", resultMark + ` {"requests":`, Result{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseResult([]byte(tt.out))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestLuaScriptCarriesTheSignedRequest(t *testing.T) {
	c := &Call{Method: "POST", Path: "/", Body: "Action=GetCallerIdentity&Version=2011-06-15",
		Header: map[string][]string{"Authorization": {"AWS4-HMAC-SHA256 Credential=AKIA/x, Signature=ab"}, "Host": {"127.0.0.1:1"}}}
	s := luaScript(c)
	for _, want := range []string{
		`wrk.method = [==[POST]==]`,
		`wrk.body = [==[Action=GetCallerIdentity&Version=2011-06-15]==]`,
		// "[[" would open a Lua long string: the key must be spaced.
		`wrk.headers[ [==[Authorization]==] ] = [==[AWS4-HMAC-SHA256 Credential=AKIA/x, Signature=ab]==]`,
		`wrk.headers[ [==[Host]==] ] = [==[127.0.0.1:1]==]`,
		resultMark,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("script lacks %s:\n%s", want, s)
		}
	}
	if strings.Contains(s, "response = function") {
		t.Error("a per-response Lua callback would slow wrk down on every request")
	}
}

func TestReplaceSection(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"replaces between markers, keeps the prose", "# B\n\nprose\n<!-- bench:x -->\nold\n<!-- /bench:x -->\nmore prose\n",
			"# B\n\nprose\n<!-- bench:x -->\nnew\n<!-- /bench:x -->\nmore prose\n"},
		{"appends a missing section", "# B\n", "# B\n\n<!-- bench:x -->\nnew\n<!-- /bench:x -->\n"},
		{"leaves other sections alone", "<!-- bench:y -->\nkeep\n<!-- /bench:y -->\n<!-- bench:x -->\n<!-- /bench:x -->",
			"<!-- bench:y -->\nkeep\n<!-- /bench:y -->\n<!-- bench:x -->\nnew\n<!-- /bench:x -->"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := replaceSection(tt.doc, "x", "new"); got != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestGoalsAndFailures(t *testing.T) {
	res := func(rps float64, p99 time.Duration, errs int64) Result {
		return Result{RPS: rps, P50: p99 / 4, P99: p99, NonOK: errs}
	}
	rep := &Report{Options: &Options{Load: Load{Connections: 32}}, Ceiling: res(40000, time.Millisecond, 0), S3: true,
		Points: []Point{
			{Op: ops[0].Name, Peer: "rolegate", Res: res(24000, time.Millisecond, 0)},
			{Op: ops[0].Name, Peer: "moto", Res: res(400, 50*time.Millisecond, 0)},
			{Op: ops[1].Name, Peer: "rolegate", Res: res(8000, time.Millisecond, 0)},
			{Op: ops[1].Name, Peer: "moto", Res: res(400, 50*time.Millisecond, 0)},
			{Op: ops[opGetObject].Name, Peer: "rolegate", Skip: "no S3"},
		},
		Scale: []ScalePoint{
			{Manifest: seed.Manifest{Policies: 100}, Startup: 20 * time.Millisecond, Peak: 30 << 20, Res: res(8000, 10*time.Millisecond, 0), Light: res(3000, time.Millisecond, 0)},
			{Manifest: seed.Manifest{Policies: 1000000}, Startup: 6 * time.Second, Peak: 100 << 20, Res: res(7000, 15*time.Millisecond, 0), Light: res(3000, 3*time.Millisecond, 0)},
		}}
	met := map[string]string{}
	for _, g := range rep.goals() {
		v := "unmeasured"
		if g.met != nil {
			v = map[bool]string{true: "met", false: "missed"}[*g.met]
		}
		met[g.what] = v
	}
	want := map[string]string{
		"sts:GetCallerIdentity throughput of the ceiling":                           "met",    // 60%
		"sts:AssumeRole throughput of the ceiling":                                  "missed", // 20%
		"sts:GetCallerIdentity throughput over moto":                                "met",    // 60×
		"sts:AssumeRole throughput over moto":                                       "missed", // 20×
		"s3:GetObject 4 KiB throughput of the ceiling":                              "unmeasured",
		"AssumeRole p99 at 1 000 000 policies over 100, light load (2 connections)": "missed", // 3×
		"AssumeRole p99 at 1 000 000 policies over 100, full load (32 connections)": "met",    // 1.5×
		"start-up at 1 000 000 policies":                                            "missed",
		"peak resident memory at 1 000 000 policies":                                "met",
	}
	for k, v := range want {
		if met[k] != v {
			t.Errorf("%s: %s, want %s (all: %v)", k, met[k], v, met)
		}
	}
	if err := rep.failures(); err != nil {
		t.Errorf("failures of a clean run: %v", err)
	}
	rep.Points[2].Res.SockErrs = 5
	if err := rep.failures(); err == nil || !strings.Contains(err.Error(), "sts:AssumeRole on rolegate: 5 errors") {
		t.Errorf("failures = %v, want the AssumeRole errors", err)
	}
	for _, s := range []string{compareSection(rep), goalsSection(rep), scaleSection(rep)} {
		if !strings.HasPrefix(s, "|") {
			t.Errorf("section is not a table:\n%s", s)
		}
	}
	rep.Points[2].Res.SockErrs = 0

	// The report is written with its charts and raw results, and --redraw reads it back.
	dir := t.TempDir()
	o := &Options{Out: filepath.Join(dir, "results"), Doc: filepath.Join(dir, "BENCHMARKS.md")}
	rep.Options.Sizes = []int{100, 1000000}
	if err := writeReport(o, rep); err != nil {
		t.Fatal(err)
	}
	for _, png := range []string{"throughput.png", "latency.png"} {
		if info, err := os.Stat(filepath.Join(o.Out, png)); err != nil || info.Size() < 1000 {
			t.Errorf("%s: %v", png, err)
		}
	}
	back, err := loadReport(o)
	if err != nil {
		t.Fatal(err)
	}
	if back.Ceiling != rep.Ceiling || back.Scale[1].Light != rep.Scale[1].Light || back.Points[4].Skip != "no S3" ||
		back.Options.Load.Connections != 32 || back.Options.Doc != o.Doc {
		t.Errorf("report read back differs: %+v", back)
	}
	doc, err := os.ReadFile(o.Doc)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), "![Throughput per server](results/throughput.png)") {
		t.Errorf("document does not link the charts:\n%s", doc)
	}
}

func TestFormats(t *testing.T) {
	tests := []struct{ got, want string }{
		{count(1000000), "1 000 000"}, {count(100), "100"}, {count(1000), "1 000"},
		{ms(450 * time.Microsecond), "0.45 ms"}, {ms(12340 * time.Microsecond), "12.3 ms"}, {ms(1500 * time.Millisecond), "1500 ms"},
		{bytesIEC(512 << 10), "512 KiB"}, {bytesIEC(3 << 20), "3.0 MiB"}, {bytesIEC(5 << 30), "5.00 GiB"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

// The calls the harness signs must be accepted by rolegate and answered with what each op checks,
// or every load point would measure errors. This runs without wrk or moto.
func TestSignedCallsAreAnsweredBySeededServer(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	srv, err := server.New(ctx, server.Config{DataDir: dir, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	srv.Close()
	key, err := secretbox.LoadOrCreateKey(filepath.Join(dir, "kek"), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	box, _ := secretbox.New(key)
	db, err := sqlite.Open(filepath.Join(dir, "rolegate.db"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := seed.Fill(ctx, db, box, seed.Plan{Policies: 10}, time.Now(), rand.Reader)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	s := testkit.OpenServer(t, dir, &testkit.Clock{})
	peer := rolegatePeer(&Proc{Base: s.URL}, m)
	for i, op := range ops {
		if i == opGetObject {
			continue // S3 answers are checked by the quick run once rolegate serves S3
		}
		if _, err := signAndCheck(ctx, op, peer); err != nil {
			t.Error(err)
		}
	}
	if _, err := try(ctx, s.URL, health()); err != nil {
		t.Errorf("health: %v", err)
	}
}

func TestCombineRounds(t *testing.T) {
	ms := time.Millisecond
	got := combine([]Result{
		{Requests: 1000, Duration: time.Second, P50: 1 * ms, P99: 9 * ms, NonOK: 1},
		{Requests: 3000, Duration: time.Second, P50: 3 * ms, P99: 90 * ms, SockErrs: 2},
		{Requests: 2000, Duration: time.Second, P50: 2 * ms, P99: 10 * ms},
	})
	want := Result{Requests: 6000, Duration: 3 * time.Second, RPS: 2000, P50: 2 * ms, P99: 10 * ms, NonOK: 1, SockErrs: 2}
	if got != want {
		t.Errorf("combine = %+v, want %+v", got, want)
	}
	if m := median([]time.Duration{4, 1, 3, 2}); m != 2 {
		t.Errorf("median of an even count = %v, want 2 (mean of 2 and 3, truncated)", m)
	}
	if m := median(nil); m != 0 {
		t.Errorf("median of nothing = %v", m)
	}
}

func TestSettleMeasuresTheProcessCPU(t *testing.T) {
	busy := exec.Command("sh", "-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done; sleep 30")
	if err := busy.Start(); err != nil {
		t.Fatal(err)
	}
	p := &Proc{Name: "sh", cmd: busy, exited: make(chan struct{})}
	t.Cleanup(func() { busy.Process.Kill(); busy.Wait() })
	before, err := p.cpuTicks()
	if err != nil {
		t.Fatal(err)
	}
	// The loop keeps the shell busy for a while; settle returns once it sleeps.
	if err := p.settle(context.Background()); err != nil {
		t.Fatal(err)
	}
	after, err := p.cpuTicks()
	if err != nil {
		t.Fatal(err)
	}
	if after <= before {
		t.Errorf("CPU ticks went from %d to %d while the shell counted", before, after)
	}
	time.Sleep(200 * time.Millisecond)
	if again, _ := p.cpuTicks(); again > after+1 {
		t.Errorf("settle returned while the process was still busy: %d ticks, then %d", after, again)
	}
}
