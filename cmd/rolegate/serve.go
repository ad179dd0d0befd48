package main

import (
	"context"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"
	"time"

	"rolegate/internal/server"
)

// envOr returns the environment variable's value, or def when it is unset or empty.
func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// runServe implements "rolegate serve": it serves until SIGINT or SIGTERM, then shuts down
// gracefully.
func runServe(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", envOr("ROLEGATE_LISTEN", server.DefaultListen), "address to listen on (env ROLEGATE_LISTEN)")
	data := fs.String("data", envOr("ROLEGATE_DATA", server.DefaultDataDir), "data directory (env ROLEGATE_DATA)")
	offset := fs.Duration("clock-offset", 0, "shift the server's clock (for testing expiry and clock skew; env ROLEGATE_CLOCK_OFFSET)")
	proxyAddr := fs.String("proxy", os.Getenv("ROLEGATE_PROXY"), "also serve an HTTPS proxy for clients that cannot set an endpoint, e.g. 127.0.0.1:4567 (env ROLEGATE_PROXY)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg := server.Config{Listen: *listen, DataDir: *data}
	if v := os.Getenv("ROLEGATE_CLOCK_OFFSET"); v != "" && *offset == 0 {
		d, err := time.ParseDuration(v)
		if err != nil {
			fmt.Fprintln(stderr, "rolegate serve: ROLEGATE_CLOCK_OFFSET:", err)
			return 2
		}
		*offset = d
	}
	if *offset != 0 {
		shift := *offset
		cfg.Now = func() time.Time { return time.Now().Add(shift) }
	}
	if kek := os.Getenv("ROLEGATE_KEK"); kek != "" {
		key, err := base64.StdEncoding.DecodeString(kek)
		if err != nil || len(key) != 32 {
			fmt.Fprintln(stderr, "rolegate serve: ROLEGATE_KEK must be 32 bytes, base64-encoded")
			return 2
		}
		cfg.KEK = key
	}
	if os.Getenv("GOGC") == "" {
		// The live heap is small (compiled policies and caches), so collecting at 4× it rather
		// than 2× trades a few megabytes for much less collection work per request.
		debug.SetGCPercent(400)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv, err := server.New(ctx, cfg)
	if err != nil {
		fmt.Fprintln(stderr, "rolegate serve:", err)
		return 1
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		fmt.Fprintln(stderr, "rolegate serve:", err)
		return 1
	}
	endpoint := "http://" + ln.Addr().String()
	if err := srv.WriteProfiles(ctx, endpoint); err != nil {
		fmt.Fprintln(stderr, "rolegate serve: writing AWS profiles:", err)
		return 1
	}
	// Scripts that start the server on port 0 read the endpoint from here.
	if err := os.WriteFile(filepath.Join(cfg.DataDir, "endpoint"), []byte(endpoint+"\n"), 0o644); err != nil {
		fmt.Fprintln(stderr, "rolegate serve:", err)
		return 1
	}
	if *proxyAddr != "" {
		if err := serveProxy(ctx, srv, *proxyAddr, cfg.DataDir, stdout); err != nil {
			fmt.Fprintln(stderr, "rolegate serve: proxy:", err)
			return 1
		}
	}
	fmt.Fprintf(stdout, "rolegate serving %s (data %s)\n", endpoint, cfg.DataDir)
	if err := srv.Serve(ctx, ln); err != nil {
		fmt.Fprintln(stderr, "rolegate serve:", err)
		return 1
	}
	return 0
}

// serveProxy starts the HTTPS proxy on addr and records its URL in the data directory.
func serveProxy(ctx context.Context, srv *server.Server, addr, dir string, stdout io.Writer) error {
	h, caPath, err := srv.ProxyHandler()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	url := "http://" + ln.Addr().String()
	if err := os.WriteFile(filepath.Join(dir, "proxy"), []byte(url+"\n"), 0o644); err != nil {
		return err
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 30 * time.Second}
	go hs.Serve(ln)
	go func() {
		<-ctx.Done()
		hs.Close()
	}()
	fmt.Fprintf(stdout, "rolegate proxy %s: clients set HTTPS_PROXY=%s AWS_CA_BUNDLE=%s\n", url, url, caPath)
	return nil
}
