package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Profile is one profile of rolegate under load, reduced to its top entries.
type Profile struct {
	Op   string
	Kind string // "CPU" or "allocated bytes"
	File string
	Top  string // go tool pprof -top
	Ours string // the same, cumulative, for rolegate's own functions
}

// profile drives rolegate with c while it records a CPU profile and an allocation profile of the
// same window.
func profile(ctx context.Context, o *Options, rg *Proc, work, op string, c *Call) ([]Profile, error) {
	secs := max(1, int(o.ProfileFor/time.Second))
	kinds := []struct{ kind, path, index string }{
		{"CPU", "/debug/pprof/profile?seconds=" + strconv.Itoa(secs), ""},
		{"allocated bytes", "/debug/pprof/allocs?seconds=" + strconv.Itoa(secs), "alloc_space"},
	}
	slug := strings.NewReplacer(":", "-", " ", "-").Replace(strings.ToLower(op))
	out := make([]Profile, len(kinds))
	errs := make([]error, len(kinds)+1)
	var wg sync.WaitGroup
	wg.Add(len(kinds) + 1)
	go func() {
		defer wg.Done()
		l := o.Load
		l.Warmup, l.Duration = 0, o.ProfileFor+time.Second
		_, errs[len(kinds)] = runWrk(ctx, o.Wrk, work, rg.Base, c, l)
	}()
	for i, k := range kinds {
		go func() {
			defer wg.Done()
			out[i] = Profile{Op: op, Kind: k.kind, File: filepath.Join(work, slug+"-"+strings.Fields(k.kind)[0]+".pb.gz")}
			errs[i] = fetch(ctx, rg.Pprof+k.path, out[i].File)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	for i, k := range kinds {
		var err error
		if out[i].Top, err = pprofTop(ctx, out[i].File, k.index, "-nodecount=15"); err != nil {
			return nil, err
		}
		if out[i].Ours, err = pprofTop(ctx, out[i].File, k.index, "-cum", "-show=^rolegate/", "-nodecount=15"); err != nil {
			return nil, err
		}
	}
	o.logf("profiled %s: %s", op, out[0].File)
	return out, nil
}

func fetch(ctx context.Context, url, file string) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// pprofTop returns go tool pprof's -top table of file, without the header lines that name files
// and times.
func pprofTop(ctx context.Context, file, index string, args ...string) (string, error) {
	cmdArgs := []string{"tool", "pprof", "-top"}
	if index != "" {
		cmdArgs = append(cmdArgs, "-sample_index="+index)
	}
	cmdArgs = append(append(cmdArgs, args...), file)
	out, err := exec.CommandContext(ctx, "go", cmdArgs...).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go tool pprof: %v\n%s", err, out)
	}
	var keep []string
	table := false
	for _, line := range strings.Split(strings.TrimRight(string(out), "\n"), "\n") {
		switch {
		case strings.HasPrefix(line, "Showing nodes"), strings.HasPrefix(line, "Duration:"):
			keep = append(keep, line)
		case strings.Contains(line, "flat%") && strings.Contains(line, "cum%"):
			table = true
			keep = append(keep, line)
		case table:
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "\n"), nil
}
