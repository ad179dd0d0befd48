package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"rolegate/internal/api/orgapi"
	"rolegate/internal/audit"
	"rolegate/internal/server"
)

// runAudit implements "rolegate audit tail [-n N] [-f]".
func runAudit(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "tail" {
		fmt.Fprintln(stderr, "usage: rolegate audit tail [-n N] [-f] [--data DIR]")
		return 2
	}
	fs := flag.NewFlagSet("audit tail", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 20, "number of events to show")
	follow := fs.Bool("f", false, "keep printing events as they are written")
	data := fs.String("data", envOr("ROLEGATE_DATA", server.DefaultDataDir), "data directory (env ROLEGATE_DATA)")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	stop := make(chan struct{})
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	go func() { <-ctx.Done(); close(stop) }()
	if err := audit.Tail(filepath.Join(*data, "audit.log"), *n, *follow, stop, stdout); err != nil {
		fmt.Fprintln(stderr, "rolegate audit tail:", err)
		return 1
	}
	return 0
}

// runSession implements "rolegate session revoke ACCESS_KEY_ID".
func runSession(args []string, stdout, stderr io.Writer) int {
	if len(args) < 2 || args[0] != "revoke" {
		fmt.Fprintln(stderr, "usage: rolegate session revoke ACCESS_KEY_ID [--endpoint URL] [--data DIR]")
		return 2
	}
	id := args[1]
	fs := flag.NewFlagSet("session revoke", flag.ContinueOnError)
	fs.SetOutput(stderr)
	endpoint := fs.String("endpoint", os.Getenv("ROLEGATE_ENDPOINT"), "endpoint of the running server (env ROLEGATE_ENDPOINT)")
	data := fs.String("data", envOr("ROLEGATE_DATA", server.DefaultDataDir), "data directory (env ROLEGATE_DATA)")
	if err := fs.Parse(args[2:]); err != nil {
		return 2
	}
	c, err := adminClient(*endpoint, *data)
	if err != nil {
		fmt.Fprintln(stderr, "rolegate session revoke:", err)
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := c.Query(ctx, orgapi.Name, orgapi.Version, "RevokeSession", url.Values{"AccessKeyId": {id}}, nil); err != nil {
		fmt.Fprintln(stderr, "rolegate session revoke:", err)
		return 1
	}
	fmt.Fprintf(stdout, "revoked %s\n", id)
	return 0
}
