package seed

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Format is the version of the seeded layout. It changes whenever the shapes change, so that a
// harness reusing a seeded directory can tell a stale one.
const Format = 1

// ManifestFile is the name of the manifest in a seeded data directory. It is written last, so its
// presence means the seeding completed.
const ManifestFile = "seed.json"

// Bench is the fixed principal of the bench account and what it may reach.
type Bench struct {
	Account         string `json:"account"`
	UserARN         string `json:"userArn"`
	AccessKeyID     string `json:"accessKeyId"`
	SecretAccessKey string `json:"secretAccessKey"`
	RoleARN         string `json:"roleArn"`
	ExternalID      string `json:"externalId"`
	Bucket          string `json:"bucket"`
	Region          string `json:"region"`
}

// Manifest says what a data directory was seeded with.
type Manifest struct {
	Format   int     `json:"format"`
	Policies int     `json:"policies"` // generated customer managed policies (the bench policy not counted)
	Accounts int     `json:"accounts"`
	Roles    int     `json:"roles"`
	Users    int     `json:"users"`
	Groups   int     `json:"groups"`
	Attached int     `json:"attachments"`
	Bench    Bench   `json:"bench"`
	Seconds  float64 `json:"seconds"` // time the seeding took
}

func (m *Manifest) add(a *account) {
	m.Roles += len(a.roles)
	m.Users += len(a.users)
	m.Groups += len(a.groups)
	m.Attached += len(a.attach)
	if a.bench != nil {
		m.Bench = *a.bench
	}
}

// Write stores the manifest in dir, readable by its owner only (it holds the bench secret).
func (m *Manifest) Write(dir string) error {
	raw, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, ManifestFile+".tmp")
	if err := os.WriteFile(tmp, append(raw, '\n'), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, ManifestFile))
}

// ErrNoManifest reports a directory that holds no (complete) seeding.
var ErrNoManifest = errors.New("seed: no manifest")

// ReadManifest reads the manifest of a seeded directory.
func ReadManifest(dir string) (*Manifest, error) {
	raw, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNoManifest
	}
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("seed: manifest: %w", err)
	}
	return &m, nil
}
