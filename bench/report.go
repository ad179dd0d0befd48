package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Goals the project set for this machine; the report says whether each was met.
const (
	goalCeilingShare  = 0.50 // signed GetCallerIdentity and AssumeRole, of the health ceiling
	goalMotoFactor    = 30.0 // the same, over moto
	goalObjectShare   = 0.40 // GetObject 4 KiB, of the ceiling
	goalP99Growth     = 2.0  // AssumeRole p99 at the largest store over the smallest
	goalStartup       = 5 * time.Second
	goalResidentBytes = 2 << 30
)

// writeReport rewrites the generated sections of the document and draws the charts.
func writeReport(o *Options, rep *Report) error {
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return err
	}
	charts, err := drawCharts(o.Out, rep)
	if err != nil {
		return err
	}
	raw, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(o.Out, resultsFile), append(raw, '\n'), 0o644); err != nil {
		return err
	}
	old, err := os.ReadFile(o.Doc)
	if errors.Is(err, os.ErrNotExist) {
		old = []byte(docSkeleton)
	} else if err != nil {
		return err
	}
	rel := func(p string) string {
		r, err := filepath.Rel(filepath.Dir(o.Doc), p)
		if err != nil {
			return p
		}
		return filepath.ToSlash(r)
	}
	var links strings.Builder
	for _, c := range charts {
		fmt.Fprintf(&links, "![%s](%s)\n\n", c.title, rel(c.file))
	}
	doc := string(old)
	for _, s := range []struct{ name, body string }{
		{"run", runSection(rep)},
		{"compare", compareSection(rep)},
		{"goals", goalsSection(rep)},
		{"scale", scaleSection(rep)},
		{"charts", strings.TrimSpace(links.String())},
		{"profiles", profilesSection(rep)},
	} {
		doc = replaceSection(doc, s.name, s.body)
	}
	if err := os.MkdirAll(filepath.Dir(o.Doc), 0o755); err != nil {
		return err
	}
	return os.WriteFile(o.Doc, []byte(doc), 0o644)
}

// resultsFile holds a run's measurements beside its charts, for --redraw and for other tools.
const resultsFile = "results.json"

// loadReport reads the measurements of the last run from o.Out, keeping o's output paths.
func loadReport(o *Options) (*Report, error) {
	raw, err := os.ReadFile(filepath.Join(o.Out, resultsFile))
	if err != nil {
		return nil, err
	}
	var rep Report
	if err := json.Unmarshal(raw, &rep); err != nil {
		return nil, fmt.Errorf("%s: %w", resultsFile, err)
	}
	if rep.Options == nil {
		return nil, fmt.Errorf("%s: no options recorded", resultsFile)
	}
	rep.Options.Doc, rep.Options.Out, rep.Options.Log = o.Doc, o.Out, o.Log
	return &rep, nil
}

// docSkeleton starts a BENCHMARKS.md that does not exist yet.
const docSkeleton = "# Benchmarks\n"

// replaceSection replaces the text between <!-- bench:NAME --> and <!-- /bench:NAME --> with
// body, or appends the marked section when the document has none.
func replaceSection(doc, name, body string) string {
	begin, end := "<!-- bench:"+name+" -->", "<!-- /bench:"+name+" -->"
	block := begin + "\n" + body + "\n" + end
	i := strings.Index(doc, begin)
	j := strings.Index(doc, end)
	if i < 0 || j < i {
		return strings.TrimRight(doc, "\n") + "\n\n" + block + "\n"
	}
	return doc[:i] + block + doc[j+len(end):]
}

func runSection(rep *Report) string {
	o := rep.Options
	kind := "full"
	if o.Quick {
		kind = "quick"
	}
	s3 := "measured"
	if !rep.S3 {
		s3 = "not measured: rolegate served no S3 at the commit measured (--allow-missing-s3)"
	}
	return fmt.Sprintf("Produced by `%s` (%s run) on %s, finished in %v.\n\n"+
		"- Commit measured: %s.\n"+
		"- Machine: %s; wrk and both servers share it.\n"+
		"- Load: wrk %d threads, %d connections, %v per point in %d rounds (every point once per round, in turn, so that the machine's other work falls on all alike), after %v of warm-up; each request signed at the start of a round and replayed; latency percentiles are the medians of the rounds'.\n"+
		"- Load average of the machine (other work included): %s at the start, %s at the end.\n"+
		"- Comparison store: %d managed policies. moto started in %v. S3 GetObject: %s.",
		command(o), kind, rep.When.Format("2006-01-02 15:04 UTC"), rep.Took.Round(time.Second), rep.Tree, rep.Machine,
		o.Load.Threads, o.Load.Connections, o.Load.Duration, o.Rounds, o.Load.Warmup, rep.LoadBefore, rep.LoadAfter, o.Sizes[0], rep.MotoStart.Round(time.Millisecond), s3)
}

// command is the command line that reproduces the run.
func command(o *Options) string {
	c := "bench/run"
	if o.Quick {
		c += " --quick"
	}
	if o.AllowMissingS3 {
		c += " --allow-missing-s3"
	}
	return c
}

func (rep *Report) point(op, peer string) *Point {
	for i := range rep.Points {
		if rep.Points[i].Op == op && rep.Points[i].Peer == peer {
			return &rep.Points[i]
		}
	}
	return nil
}

func compareSection(rep *Report) string {
	var b strings.Builder
	b.WriteString("| Request | Server | req/s | p50 | p99 | errors | of ceiling | rolegate / moto |\n")
	b.WriteString("|---|---|---:|---:|---:|---:|---:|---:|\n")
	c := rep.Ceiling
	fmt.Fprintf(&b, "| GET /_rolegate/health (unsigned) | ceiling | %.0f | %s | %s | %d | 100%% | |\n", c.RPS, ms(c.P50), ms(c.P99), c.Errors())
	for _, pt := range rep.Points {
		if pt.Skip != "" {
			fmt.Fprintf(&b, "| %s | %s | — | — | — | — | | %s |\n", pt.Op, pt.Peer, pt.Skip)
			continue
		}
		r := pt.Res
		factor := ""
		if m := rep.point(pt.Op, "moto"); pt.Peer == "rolegate" && m != nil && m.Skip == "" && m.Res.RPS > 0 {
			factor = fmt.Sprintf("%.1f×", r.RPS/m.Res.RPS)
		}
		fmt.Fprintf(&b, "| %s | %s | %.0f | %s | %s | %d | %.0f%% | %s |\n", pt.Op, pt.Peer, r.RPS, ms(r.P50), ms(r.P99), r.Errors(),
			100*r.RPS/c.RPS, factor)
	}
	return strings.TrimRight(b.String(), "\n")
}

// goal is one target and what the run measured for it.
type goal struct {
	what, target, measured string
	met                    *bool // nil: not measured
}

func (rep *Report) goals() []goal {
	var gs []goal
	share := func(op string, want float64) {
		g := goal{what: op + " throughput of the ceiling", target: fmt.Sprintf("≥ %.0f%%", 100*want), measured: "not measured"}
		if p := rep.point(op, "rolegate"); p != nil && p.Skip == "" && rep.Ceiling.RPS > 0 {
			v := p.Res.RPS / rep.Ceiling.RPS
			g.measured, g.met = fmt.Sprintf("%.0f%%", 100*v), ptr(v >= want)
		}
		gs = append(gs, g)
	}
	factor := func(op string) {
		g := goal{what: op + " throughput over moto", target: fmt.Sprintf("≥ %.0f×", goalMotoFactor), measured: "not measured"}
		p, m := rep.point(op, "rolegate"), rep.point(op, "moto")
		if p != nil && m != nil && p.Skip == "" && m.Skip == "" && m.Res.RPS > 0 {
			v := p.Res.RPS / m.Res.RPS
			g.measured, g.met = fmt.Sprintf("%.1f×", v), ptr(v >= goalMotoFactor)
		}
		gs = append(gs, g)
	}
	share(ops[0].Name, goalCeilingShare)
	share(ops[1].Name, goalCeilingShare)
	factor(ops[0].Name)
	factor(ops[1].Name)
	share(ops[opGetObject].Name, goalObjectShare)
	if n := len(rep.Scale); n > 0 {
		lo, hi := rep.Scale[0], rep.Scale[n-1]
		at := fmt.Sprintf(" at %s policies", count(hi.Manifest.Policies))
		growth := func(load string, hi, lo Result) goal {
			v := float64(hi.P99) / float64(lo.P99)
			return goal{"AssumeRole p99" + at + " over " + count(rep.Scale[0].Manifest.Policies) + ", " + load,
				fmt.Sprintf("≤ %.0f×", goalP99Growth), fmt.Sprintf("%.2f× (%s vs %s)", v, ms(hi.P99), ms(lo.P99)), ptr(v <= goalP99Growth)}
		}
		gs = append(gs, growth(fmt.Sprintf("light load (%d connections)", lightConnections), hi.Light, lo.Light),
			growth(fmt.Sprintf("full load (%d connections)", rep.Options.Load.Connections), hi.Res, lo.Res),
			goal{"start-up" + at, "< " + goalStartup.String(), ms(hi.Startup), ptr(hi.Startup < goalStartup)},
			goal{"peak resident memory" + at, "< 2 GiB", bytesIEC(hi.Peak), ptr(hi.Peak < goalResidentBytes)})
	}
	return gs
}

func ptr(b bool) *bool { return &b }

func goalsSection(rep *Report) string {
	var b strings.Builder
	b.WriteString("| Goal | Target | Measured | Met |\n|---|---|---|---|\n")
	for _, g := range rep.goals() {
		met := "—"
		if g.met != nil {
			met = map[bool]string{true: "yes", false: "**no**"}[*g.met]
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", g.what, g.target, g.measured, met)
	}
	return strings.TrimRight(b.String(), "\n")
}

func scaleSection(rep *Report) string {
	if len(rep.Scale) == 0 {
		return "No store sizes were measured."
	}
	var b strings.Builder
	b.WriteString("| Managed policies | Accounts | Roles | Users | Groups | Seeding | Data dir | Start-up | RSS after load (peak) |\n")
	b.WriteString("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, sp := range rep.Scale {
		m := sp.Manifest
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %.1f s | %s | %s | %s (%s) |\n",
			count(m.Policies), count(m.Accounts), count(m.Roles), count(m.Users), count(m.Groups), m.Seconds,
			bytesIEC(sp.DirBytes), ms(sp.Startup), bytesIEC(sp.RSS), bytesIEC(sp.Peak))
	}
	fmt.Fprintf(&b, "\nsts:AssumeRole by the bench user, at full load (%d connections) and at light load (%d connections):\n\n",
		rep.Options.Load.Connections, lightConnections)
	b.WriteString("| Managed policies | req/s | p50 | p99 | p99 vs smallest | light req/s | light p50 | light p99 | light p99 vs smallest |\n")
	b.WriteString("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	first := rep.Scale[0]
	for _, sp := range rep.Scale {
		fmt.Fprintf(&b, "| %s | %.0f | %s | %s | %.2f× | %.0f | %s | %s | %.2f× |\n", count(sp.Manifest.Policies),
			sp.Res.RPS, ms(sp.Res.P50), ms(sp.Res.P99), float64(sp.Res.P99)/float64(first.Res.P99),
			sp.Light.RPS, ms(sp.Light.P50), ms(sp.Light.P99), float64(sp.Light.P99)/float64(first.Light.P99))
	}
	return strings.TrimRight(b.String(), "\n")
}

func profilesSection(rep *Report) string {
	var b strings.Builder
	for _, p := range rep.Profiles {
		fmt.Fprintf(&b, "#### %s: %s, top functions (flat)\n\n```\n%s\n```\n\n", p.Op, p.Kind, p.Top)
		fmt.Fprintf(&b, "#### %s: %s, rolegate's functions (cumulative)\n\n```\n%s\n```\n\n", p.Op, p.Kind, p.Ours)
	}
	if b.Len() == 0 {
		return "No profiles were taken."
	}
	return strings.TrimRight(b.String(), "\n")
}

// failures reports load points where rolegate answered with errors: the harness then measured
// something other than what it claims.
func (rep *Report) failures() error {
	var errs []error
	if rep.Ceiling.Errors() > 0 {
		errs = append(errs, fmt.Errorf("health endpoint: %d errors", rep.Ceiling.Errors()))
	}
	for _, pt := range rep.Points {
		if pt.Peer == "rolegate" && pt.Res.Errors() > 0 {
			errs = append(errs, fmt.Errorf("%s on rolegate: %d errors", pt.Op, pt.Res.Errors()))
		}
	}
	for _, sp := range rep.Scale {
		if sp.Res.Errors()+sp.Light.Errors() > 0 {
			errs = append(errs, fmt.Errorf("AssumeRole at %d policies: %d errors", sp.Manifest.Policies, sp.Res.Errors()+sp.Light.Errors()))
		}
	}
	return errors.Join(errs...)
}

// ms formats a latency in milliseconds with three significant digits.
func ms(d time.Duration) string {
	v := float64(d) / float64(time.Millisecond)
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f ms", v)
	case v >= 10:
		return fmt.Sprintf("%.1f ms", v)
	}
	return fmt.Sprintf("%.2f ms", v)
}

// bytesIEC formats a size in KiB, MiB or GiB.
func bytesIEC(n int64) string {
	const k = 1024
	switch {
	case n >= k*k*k:
		return fmt.Sprintf("%.2f GiB", float64(n)/(k*k*k))
	case n >= k*k:
		return fmt.Sprintf("%.1f MiB", float64(n)/(k*k))
	}
	return fmt.Sprintf("%.0f KiB", float64(n)/k)
}

// count formats a number with thin groupings: 1000000 → 1 000 000.
func count(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteRune(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}
