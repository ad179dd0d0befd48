package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"rolegate/internal/awsconfig"
	"rolegate/internal/secretbox"
	"rolegate/internal/seed"
	"rolegate/internal/server"
	"rolegate/internal/store/sqlite"
)

// benchProfile is the AWS CLI profile of the seeded bench user.
const benchProfile = "bench"

// runSeed implements "rolegate seed --policies N": it bootstraps the data directory as the server
// would, then writes N customer managed policies with their accounts, roles, users and groups
// directly into the store. The server must not be running on the directory.
func runSeed(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", envOr("ROLEGATE_DATA", server.DefaultDataDir), "data directory (env ROLEGATE_DATA)")
	policies := fs.Int("policies", 100, "customer managed policies to create, "+fmt.Sprint(seed.PoliciesPerAccount)+" per account")
	quiet := fs.Bool("quiet", false, "do not report progress")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 || *policies < 1 {
		fmt.Fprintln(stderr, "usage: rolegate seed [--data DIR] [--policies N]")
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := seedDir(ctx, *data, *policies, *quiet, stdout); err != nil {
		fmt.Fprintln(stderr, "rolegate seed:", err)
		return 1
	}
	return 0
}

func seedDir(ctx context.Context, dir string, policies int, quiet bool, stdout io.Writer) error {
	if _, err := seed.ReadManifest(dir); err == nil {
		return fmt.Errorf("%s: %w", dir, seed.ErrSeeded)
	}
	cfg := server.Config{DataDir: dir, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	key, err := kek(dir)
	if err != nil {
		return err
	}
	cfg.KEK = key
	// Opening the server once creates the organization, its management account and the AWS
	// managed policies exactly as a first start does.
	srv, err := server.New(ctx, cfg)
	if err != nil {
		return err
	}
	if err := srv.Close(); err != nil {
		return err
	}
	box, err := secretbox.New(key)
	if err != nil {
		return err
	}
	db, err := sqlite.Open(filepath.Join(dir, "rolegate.db"))
	if err != nil {
		return err
	}
	plan := seed.Plan{Policies: policies}
	if !quiet {
		plan.Progress = func(done, total int) {
			if done == total || done%1000 == 0 {
				fmt.Fprintf(stdout, "seeded %d/%d accounts\n", done, total)
			}
		}
	}
	m, err := seed.Fill(ctx, db, box, plan, time.Now(), rand.Reader)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := awsconfig.InDir(dir).Write(awsconfig.Profile{Name: benchProfile, AccessKeyID: m.Bench.AccessKeyID,
		SecretAccessKey: m.Bench.SecretAccessKey, Region: m.Bench.Region}); err != nil {
		return err
	}
	if err := m.Write(dir); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "seeded %d policies, %d roles, %d users, %d groups in %d accounts in %.1fs (profile %q)\n",
		m.Policies, m.Roles, m.Users, m.Groups, m.Accounts, m.Seconds, benchProfile)
	return nil
}

// kek returns the key-encryption key: ROLEGATE_KEK, or DIR/kek (created when absent), as
// "rolegate serve" finds it.
func kek(dir string) ([]byte, error) {
	if v := os.Getenv("ROLEGATE_KEK"); v != "" {
		key, err := base64.StdEncoding.DecodeString(v)
		if err != nil || len(key) != 32 {
			return nil, fmt.Errorf("ROLEGATE_KEK must be 32 bytes, base64-encoded")
		}
		return key, nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	return secretbox.LoadOrCreateKey(filepath.Join(dir, "kek"), rand.Reader)
}
