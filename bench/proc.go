package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Proc is a server process the harness started.
type Proc struct {
	Name    string
	Base    string        // http://127.0.0.1:PORT
	Startup time.Duration // from process start to the first successful health answer
	Pprof   string        // profile endpoint, when enabled
	cmd     *exec.Cmd
	exited  chan struct{}
	log     string
}

// startTimeout bounds how long a server may take to answer its first health check.
const startTimeout = 90 * time.Second

// startRolegate runs "rolegate serve" on dir and waits until it answers; with pprof set it also
// serves runtime profiles.
func startRolegate(ctx context.Context, bin, dir, logDir, name string, pprof bool) (*Proc, error) {
	for _, f := range []string{"endpoint", "pprof"} {
		os.Remove(filepath.Join(dir, f))
	}
	cmd := exec.Command(bin, "serve", "--listen", "127.0.0.1:0", "--data", dir)
	cmd.Env = os.Environ()
	if pprof {
		cmd.Env = append(cmd.Env, "ROLEGATE_PPROF=127.0.0.1:0")
	}
	p, err := start(cmd, name, logDir)
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	err = p.waitUntil(ctx, func() bool {
		if p.Base == "" {
			raw, err := os.ReadFile(filepath.Join(dir, "endpoint"))
			if err != nil {
				return false
			}
			p.Base = strings.TrimSpace(string(raw))
		}
		return answers(ctx, p.Base+"/_rolegate/health", true)
	})
	if err != nil {
		return nil, err
	}
	p.Startup = time.Since(t0)
	if pprof {
		err = p.waitUntil(ctx, func() bool {
			raw, err := os.ReadFile(filepath.Join(dir, "pprof"))
			p.Pprof = strings.TrimSpace(string(raw))
			return err == nil && p.Pprof != ""
		})
	}
	return p, err
}

// startMoto runs moto_server on a free loopback port and waits until it answers.
func startMoto(ctx context.Context, bin, logDir string) (*Proc, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	p, err := start(exec.Command(bin, "-H", "127.0.0.1", "-p", strconv.Itoa(port)), "moto", logDir)
	if err != nil {
		return nil, err
	}
	p.Base = "http://127.0.0.1:" + strconv.Itoa(port)
	t0 := time.Now()
	if err := p.waitUntil(ctx, func() bool { return answers(ctx, p.Base+"/moto-api/", false) }); err != nil {
		return nil, err
	}
	p.Startup = time.Since(t0)
	return p, nil
}

func start(cmd *exec.Cmd, name, logDir string) (*Proc, error) {
	log := filepath.Join(logDir, name+".log")
	f, err := os.Create(log)
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, fmt.Errorf("starting %s: %w", name, err)
	}
	p := &Proc{Name: name, cmd: cmd, exited: make(chan struct{}), log: log}
	go func() {
		cmd.Wait()
		f.Close()
		close(p.exited)
	}()
	return p, nil
}

// waitUntil polls ready until it holds, the process exits, or startTimeout passes.
func (p *Proc) waitUntil(ctx context.Context, ready func() bool) error {
	deadline := time.Now().Add(startTimeout)
	for !ready() {
		select {
		case <-p.exited:
			return fmt.Errorf("%s exited during start-up; its log:\n%s", p.Name, tail(p.log))
		case <-ctx.Done():
			p.Stop()
			return ctx.Err()
		case <-time.After(2 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			p.Stop()
			return fmt.Errorf("%s did not answer within %v; its log:\n%s", p.Name, startTimeout, tail(p.log))
		}
	}
	return nil
}

// answers reports whether url answers at all (or with 200 when ok200).
func answers(ctx context.Context, url string, ok200 bool) bool {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return !ok200 || resp.StatusCode == http.StatusOK
}

// Memory returns the resident set size of the process now and at its peak, in bytes.
func (p *Proc) Memory() (rss, peak int64, err error) {
	f, err := os.Open("/proc/" + strconv.Itoa(p.cmd.Process.Pid) + "/status")
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), ":")
		fields := strings.Fields(v)
		if len(fields) != 2 || fields[1] != "kB" {
			continue
		}
		n, _ := strconv.ParseInt(fields[0], 10, 64)
		switch k {
		case "VmRSS":
			rss = n << 10
		case "VmHWM":
			peak = n << 10
		}
	}
	if rss == 0 {
		return 0, 0, errors.New("no VmRSS in /proc status")
	}
	return rss, peak, sc.Err()
}

// cpuTicks returns the CPU time the process has used so far, user and system, in clock ticks.
func (p *Proc) cpuTicks() (int64, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(p.cmd.Process.Pid) + "/stat")
	if err != nil {
		return 0, err
	}
	// The command name (field 2) may hold spaces: count fields after its closing parenthesis,
	// where utime and stime are the 12th and 13th.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("unexpected /proc stat line of %s", p.Name)
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("unexpected /proc stat line of %s", p.Name)
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	return utime + stime, nil
}

// settle waits until the process is idle: at most one clock tick (10 ms) of CPU in a 100 ms
// window, or settleTimeout. A nil process is idle.
func (p *Proc) settle(ctx context.Context) error {
	if p == nil {
		return nil
	}
	last, err := p.cpuTicks()
	if err != nil {
		return err
	}
	for deadline := time.Now().Add(settleTimeout); time.Now().Before(deadline); {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		now, err := p.cpuTicks()
		if err != nil {
			return err
		}
		if now-last <= 1 {
			return nil
		}
		last = now
	}
	return nil // busy with work of its own (a timer, a checkpoint): measure anyway
}

// settleTimeout bounds the wait for a server to finish the requests a load point left behind.
const settleTimeout = 10 * time.Second

// Stop ends the process: SIGTERM, then SIGKILL after 15 s.
func (p *Proc) Stop() {
	select {
	case <-p.exited:
		return
	default:
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(15 * time.Second):
		p.cmd.Process.Kill()
		<-p.exited
	}
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// tail returns the end of a log file.
func tail(path string) string {
	raw, _ := os.ReadFile(path)
	if len(raw) > 3000 {
		raw = raw[len(raw)-3000:]
	}
	return string(raw)
}

// dirSize returns the bytes used by the files under dir.
func dirSize(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			n += info.Size()
		}
		return err
	})
	return n, err
}
