package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"rolegate/internal/seed"
)

// Point is one load point: a request against one peer.
type Point struct {
	Op   string
	Peer string // ceiling | rolegate | moto
	Res  Result
	Skip string // why it was not measured
}

// ScalePoint is AssumeRole measured on a store of one size.
type ScalePoint struct {
	Manifest  seed.Manifest
	DirBytes  int64
	Startup   time.Duration
	RSS, Peak int64
	Res       Result // at the harness's full load
	Light     Result // at light load: per-request cost without queueing
}

// Report is everything one run measured.
type Report struct {
	When      time.Time
	Took      time.Duration
	Options   *Options
	Machine   string
	S3        bool
	Ceiling   Result
	Points    []Point
	Scale     []ScalePoint
	Profiles  []Profile
	MotoStart time.Duration
	// Tree names the commit measured.
	Tree string
	// LoadBefore and LoadAfter are the machine's 1, 5 and 15 minute load averages.
	LoadBefore, LoadAfter string
}

// measure runs every phase.
func measure(ctx context.Context, o *Options) (*Report, error) {
	rep := &Report{When: time.Now().UTC(), Options: o, Machine: machine(), LoadBefore: loadAverage()}
	defer func() { rep.LoadAfter = loadAverage() }()
	rep.Tree = tree(ctx, o.Root)
	work := filepath.Join(o.Cache, "run")
	if err := os.RemoveAll(work); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(work, 0o700); err != nil {
		return nil, err
	}
	bin := filepath.Join(o.Cache, "bin", "rolegate")
	o.logf("building rolegate into %s", bin)
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/rolegate")
	build.Dir = o.Root
	if out, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go build: %v\n%s", err, out)
	}
	dirs := make([]string, len(o.Sizes))
	for i, n := range o.Sizes {
		var err error
		if dirs[i], err = seeded(ctx, o, bin, n); err != nil {
			return nil, err
		}
	}
	if err := compare(ctx, o, bin, dirs[0], work, rep); err != nil {
		return nil, err
	}
	var err error
	if rep.Scale, err = scale(ctx, o, bin, dirs, work); err != nil {
		return nil, err
	}
	return rep, nil
}

// seeded returns a data directory seeded with n policies, reusing one from an earlier run.
func seeded(ctx context.Context, o *Options, bin string, n int) (string, error) {
	dir := filepath.Join(o.Cache, "seed-v"+strconv.Itoa(seed.Format)+"-"+strconv.Itoa(n))
	if m, err := seed.ReadManifest(dir); err == nil && m.Format == seed.Format && m.Policies == n {
		o.logf("reusing %s", dir)
		return dir, nil
	}
	if err := os.RemoveAll(dir); err != nil {
		return "", err
	}
	o.logf("seeding %d policies into %s", n, dir)
	cmd := exec.CommandContext(ctx, bin, "seed", "--data", dir, "--policies", strconv.Itoa(n), "--quiet")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("rolegate seed: %v\n%s", err, out)
	} else {
		o.logf("%s", out)
	}
	return dir, nil
}

// serve starts rolegate on a seeded directory, without the audit log earlier runs left.
func serve(ctx context.Context, o *Options, bin, dir, work string, pprof bool) (*Proc, *seed.Manifest, error) {
	m, err := seed.ReadManifest(dir)
	if err != nil {
		return nil, nil, err
	}
	os.Remove(filepath.Join(dir, "audit.log"))
	p, err := startRolegate(ctx, bin, dir, work, "rolegate-"+filepath.Base(dir), pprof)
	return p, m, err
}

// signAndCheck builds op's call for peer, sends it once and checks the answer, so that a load
// point never measures errors.
func signAndCheck(ctx context.Context, op Op, p *Peer) (*Call, error) {
	c, err := op.Build(p, time.Now())
	if err != nil {
		return nil, err
	}
	body, err := try(ctx, p.Base, c)
	if err == nil {
		err = op.Check(p, body)
	}
	if err != nil {
		return nil, fmt.Errorf("%s on %s: %w", op.Name, p.Name, err)
	}
	return c, nil
}

// compare measures the ceiling and every op against rolegate and moto, then profiles rolegate.
func compare(ctx context.Context, o *Options, bin, dir, work string, rep *Report) error {
	rg, m, err := serve(ctx, o, bin, dir, work, true)
	if err != nil {
		return err
	}
	defer rg.Stop()
	mo, err := startMoto(ctx, o.Moto, work)
	if err != nil {
		return err
	}
	defer mo.Stop()
	rep.MotoStart = mo.Startup
	peers := []*Peer{rolegatePeer(rg, m), nil}
	rep.S3 = true
	if err := putObject(ctx, peers[0]); errors.Is(err, errNoS3) && o.AllowMissingS3 {
		rep.S3 = false
		o.logf("rolegate does not serve S3: GetObject is not measured (--allow-missing-s3)")
	} else if err != nil {
		return fmt.Errorf("%w (pass --allow-missing-s3 to measure the rest)", err)
	}
	if peers[1], err = motoPeer(ctx, mo); err != nil {
		return err
	}
	procs := map[string]*Proc{rg.Base: rg, mo.Base: mo}
	targets := []target{{label: "ceiling", base: rg.Base, proc: rg, load: o.Load, call: func() (*Call, error) { return health(), nil }}}
	slot := make([]int, 0, len(ops)*len(peers)) // index of each point's target, -1 when skipped
	for i, op := range ops {
		for _, p := range peers {
			rep.Points = append(rep.Points, Point{Op: op.Name, Peer: p.Name})
			if i == opGetObject && !rep.S3 {
				rep.Points[len(rep.Points)-1].Skip = "rolegate serves no S3 at this commit"
				slot = append(slot, -1)
				continue
			}
			if _, err := signAndCheck(ctx, op, p); err != nil {
				return err
			}
			slot = append(slot, len(targets))
			targets = append(targets, target{label: op.Name + " on " + p.Name, base: p.Base, proc: procs[p.Base], load: o.Load,
				call: func() (*Call, error) { return signAndCheck(ctx, op, p) }})
		}
	}
	o.logf("comparing %d load points in %d rounds", len(targets), o.Rounds)
	res, err := runRounds(ctx, o, work, targets)
	if err != nil {
		return err
	}
	rep.Ceiling = res[0]
	o.logf("ceiling: %.0f req/s, p50 %v, p99 %v", rep.Ceiling.RPS, rep.Ceiling.P50, rep.Ceiling.P99)
	for k, t := range slot {
		if t < 0 {
			continue
		}
		pt := &rep.Points[k]
		pt.Res = res[t]
		o.logf("%s on %s: %.0f req/s, p50 %v, p99 %v, %d errors", pt.Op, pt.Peer, pt.Res.RPS, pt.Res.P50, pt.Res.P99, pt.Res.Errors())
	}
	// GetCallerIdentity is the cheapest signed request: its profile shows the cost every request
	// pays (authentication, audit, encoding) without an operation's own work.
	for _, i := range []int{0, 1, opGetObject} {
		if i == opGetObject && !rep.S3 {
			continue
		}
		c, err := signAndCheck(ctx, ops[i], peers[0])
		if err != nil {
			return err
		}
		prof, err := profile(ctx, o, rg, work, ops[i].Name, c)
		if err != nil {
			return err
		}
		rep.Profiles = append(rep.Profiles, prof...)
	}
	return nil
}

// lightConnections is the concurrency of the light-load latency point: one request in flight per
// core, so latency is the cost of a request rather than time spent queueing.
const lightConnections = 2

// scale starts rolegate on every seeded store (recording start-up time and size), then measures
// AssumeRole on all of them in rounds, at full and at light load, and their memory after it.
func scale(ctx context.Context, o *Options, bin string, dirs []string, work string) ([]ScalePoint, error) {
	sps := make([]ScalePoint, len(dirs))
	procs := make([]*Proc, 0, len(dirs))
	defer func() {
		for _, p := range procs {
			p.Stop()
		}
	}()
	var targets []target
	for i, dir := range dirs {
		rg, m, err := serve(ctx, o, bin, dir, work, false)
		if err != nil {
			return nil, err
		}
		procs = append(procs, rg)
		sps[i] = ScalePoint{Manifest: *m, Startup: rg.Startup}
		if sps[i].DirBytes, err = dirSize(dir); err != nil {
			return nil, err
		}
		o.logf("%d policies: start-up %v, %s on disk", m.Policies, rg.Startup.Round(time.Millisecond), bytesIEC(sps[i].DirBytes))
		peer := rolegatePeer(rg, m)
		call := func() (*Call, error) { return signAndCheck(ctx, ops[1], peer) }
		light := o.Load
		light.Threads, light.Connections, light.Warmup = 1, lightConnections, 0
		targets = append(targets,
			target{label: strconv.Itoa(m.Policies) + " full", base: rg.Base, proc: rg, call: call, load: o.Load},
			target{label: strconv.Itoa(m.Policies) + " light", base: rg.Base, proc: rg, call: call, load: light})
	}
	res, err := runRounds(ctx, o, work, targets)
	if err != nil {
		return nil, err
	}
	for i := range sps {
		sp := &sps[i]
		sp.Res, sp.Light = res[2*i], res[2*i+1]
		if sp.RSS, sp.Peak, err = procs[i].Memory(); err != nil {
			return nil, err
		}
		o.logf("%d policies: RSS %s (peak %s), AssumeRole %.0f req/s, p50 %v, p99 %v; light load p50 %v, p99 %v",
			sp.Manifest.Policies, bytesIEC(sp.RSS), bytesIEC(sp.Peak), sp.Res.RPS, sp.Res.P50, sp.Res.P99, sp.Light.P50, sp.Light.P99)
	}
	return sps, nil
}

// tree describes the commit of the repository at root, and whether files other than the
// harness's own outputs (BENCHMARKS.md, bench/results) differ from it.
func tree(ctx context.Context, root string) string {
	out, err := exec.CommandContext(ctx, "git", "-C", root, "log", "-1", "--format=%h (%s)").Output()
	if err != nil {
		return "unknown (not a git checkout)"
	}
	t := strings.TrimSpace(string(out))
	if st, err := exec.CommandContext(ctx, "git", "-C", root, "status", "--porcelain", "--untracked-files=no",
		"--", ".", ":(exclude)BENCHMARKS.md", ":(exclude)bench/results").Output(); err == nil && len(st) > 0 {
		t += " with uncommitted changes"
	}
	return t
}

// loadAverage returns the 1, 5 and 15 minute load averages.
func loadAverage() string {
	raw, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(raw)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " / ")
	}
	return "unknown"
}

// machine describes the machine in a few words.
func machine() string {
	model := "unknown CPU"
	if raw, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(raw), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	return fmt.Sprintf("%d CPUs (%s), %s, %s/%s", runtime.NumCPU(), model, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
