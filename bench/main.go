// Command bench is rolegate's performance harness. In one run it measures signed STS, IAM and S3
// requests against rolegate, against moto (the moto_server of the machine's Python) and against
// rolegate's unauthenticated health endpoint, which is the HTTP ceiling of the machine; then it
// measures AssumeRole as the store grows from a hundred to a million managed policies; it takes
// CPU and allocation profiles of the hot paths; and it rewrites the generated sections of
// BENCHMARKS.md and the charts under bench/results. Load comes from wrk replaying pre-signed
// requests.
//
// Usage (bench/run wraps it and installs what it needs):
//
//	go run ./bench [--quick] [--sizes 100,10000,1000000] [--duration 8s] [--allow-missing-s3]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Options are the harness's settings.
type Options struct {
	Quick          bool
	Sizes          []int
	Load           Load
	Rounds         int // each load point's duration is split over this many rounds
	ProfileFor     time.Duration
	AllowMissingS3 bool
	Root           string    `json:"-"` // repository root
	Cache          string    `json:"-"` // seeded directories, the built binary, logs and profiles
	Out            string    `json:"-"` // charts
	Doc            string    `json:"-"` // BENCHMARKS.md to rewrite
	Wrk, Moto      string    `json:"-"` // executables
	Log            io.Writer `json:"-"`
	Redraw         bool      `json:"-"`
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, log io.Writer) error {
	o, err := parseOptions(args, log)
	if err != nil {
		return err
	}
	var rep *Report
	if o.Redraw {
		if rep, err = loadReport(o); err != nil {
			return err
		}
	} else {
		start := time.Now()
		if rep, err = measure(ctx, o); err != nil {
			return err
		}
		rep.Took = time.Since(start)
	}
	if err := writeReport(o, rep); err != nil {
		return err
	}
	fmt.Fprintf(log, "done in %v: %s, charts in %s\n", rep.Took.Round(time.Second), o.Doc, o.Out)
	return rep.failures()
}

func parseOptions(args []string, log io.Writer) (*Options, error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	quick := fs.Bool("quick", false, "a run of seconds for CI: small stores, 1 s load points, output to the cache directory")
	sizes := fs.String("sizes", "", "store sizes in managed policies (default 100,10000,1000000; quick: 100,1000)")
	dur := fs.Duration("duration", 8*time.Second, "length of each load point, over all rounds")
	rounds := fs.Int("rounds", 4, "rounds: every load point runs once per round, in turn with the others")
	conns := fs.Int("connections", 32, "wrk connections")
	threads := fs.Int("threads", 2, "wrk threads")
	allowNoS3 := fs.Bool("allow-missing-s3", false, "report GetObject as not measured when rolegate does not serve S3, instead of failing")
	cache := fs.String("cache", "", "cache directory (default $XDG_CACHE_HOME/rolegate-bench or ~/.cache/rolegate-bench)")
	out := fs.String("out", "", "directory of the charts (default bench/results; quick: under the cache)")
	doc := fs.String("doc", "", "BENCHMARKS.md to rewrite (default the repository's; quick: a copy under the cache)")
	redraw := fs.Bool("redraw", false, "measure nothing: rewrite the document and charts from the results.json of the last run")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	o := &Options{Quick: *quick, AllowMissingS3: *allowNoS3, Log: log, Rounds: max(1, *rounds), Redraw: *redraw,
		Load: Load{Threads: *threads, Connections: *conns, Duration: *dur, Warmup: 2 * time.Second}, ProfileFor: *dur}
	var err error
	if o.Root, err = repoRoot(); err != nil {
		return nil, err
	}
	if o.Cache = *cache; o.Cache == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return nil, err
		}
		o.Cache = filepath.Join(base, "rolegate-bench")
	}
	defSizes := "100,10000,1000000"
	if o.Quick {
		defSizes = "100,1000"
		o.Load = Load{Threads: 1, Connections: 8, Duration: time.Second}
		o.ProfileFor = time.Second
		o.Rounds = 1
	}
	if *sizes == "" {
		*sizes = defSizes
	}
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("--sizes: %q is not a positive number", s)
		}
		o.Sizes = append(o.Sizes, n)
	}
	o.Out, o.Doc = *out, *doc
	if o.Out == "" {
		o.Out = filepath.Join(o.Root, "bench", "results")
		if o.Quick {
			o.Out = filepath.Join(o.Cache, "quick", "results")
		}
	}
	if o.Doc == "" {
		o.Doc = filepath.Join(o.Root, "BENCHMARKS.md")
		if o.Quick {
			o.Doc = filepath.Join(o.Cache, "quick", "BENCHMARKS.md")
		}
	}
	if o.Redraw {
		return o, nil
	}
	if o.Wrk, err = exec.LookPath("wrk"); err != nil {
		return nil, errors.New("wrk is not installed (apt-get install -y wrk; bench/run does it)")
	}
	if o.Moto, err = exec.LookPath("moto_server"); err != nil {
		return nil, errors.New("moto_server is not on PATH (pip install 'moto[server]')")
	}
	return o, nil
}

// repoRoot finds the directory of go.mod from the working directory up.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run inside the rolegate repository (no go.mod found)")
		}
		dir = parent
	}
}

// logf prints a progress line.
func (o *Options) logf(format string, args ...any) {
	fmt.Fprintf(o.Log, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}
