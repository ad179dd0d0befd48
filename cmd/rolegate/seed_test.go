package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"rolegate/internal/awsconfig"
	"rolegate/internal/seed"
)

func TestSeedVerb(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	t.Setenv("ROLEGATE_KEK", "")
	var out, errs bytes.Buffer
	if code := run([]string{"seed", "--data", dir, "--policies", "150", "--quiet"}, nil, &out, &errs); code != 0 {
		t.Fatalf("seed exited %d: %s", code, errs.String())
	}
	if !strings.Contains(out.String(), "seeded 150 policies, 81 roles") {
		t.Errorf("summary %q", out.String())
	}
	m, err := seed.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if m.Policies != 150 || m.Accounts != 2 || m.Bench.AccessKeyID == "" {
		t.Errorf("manifest %+v", m)
	}
	id, secret, err := awsconfig.InDir(dir).Keys("bench")
	if err != nil || id != m.Bench.AccessKeyID || secret != m.Bench.SecretAccessKey {
		t.Errorf("bench profile: %s, %v", id, err)
	}

	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"seeding twice is refused", []string{"seed", "--data", dir, "--policies", "10", "--quiet"}, 1, "already holds seeded accounts"},
		{"no policies", []string{"seed", "--data", dir, "--policies", "0"}, 2, "usage"},
		{"stray argument", []string{"seed", "--data", dir, "extra"}, 2, "usage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errs bytes.Buffer
			if code := run(tt.args, nil, &out, &errs); code != tt.code || !strings.Contains(errs.String(), tt.want) {
				t.Errorf("exit %d, stderr %q; want %d with %q", code, errs.String(), tt.code, tt.want)
			}
		})
	}
}
