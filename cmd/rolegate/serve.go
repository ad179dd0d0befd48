package main

import (
	"context"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

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
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg := server.Config{Listen: *listen, DataDir: *data}
	if kek := os.Getenv("ROLEGATE_KEK"); kek != "" {
		key, err := base64.StdEncoding.DecodeString(kek)
		if err != nil || len(key) != 32 {
			fmt.Fprintln(stderr, "rolegate serve: ROLEGATE_KEK must be 32 bytes, base64-encoded")
			return 2
		}
		cfg.KEK = key
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
	fmt.Fprintf(stdout, "rolegate serving %s (data %s)\n", endpoint, cfg.DataDir)
	if err := srv.Serve(ctx, ln); err != nil {
		fmt.Fprintln(stderr, "rolegate serve:", err)
		return 1
	}
	return 0
}
