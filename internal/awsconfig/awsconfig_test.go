package awsconfig

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteReplacesOnlyItsProfile(t *testing.T) {
	f := InDir(t.TempDir())
	if err := os.MkdirAll(f.Config[:strings.LastIndex(f.Config, "/")], 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f.Credentials, []byte("# mine\n[other]\naws_access_key_id = X\naws_secret_access_key = Y\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, p := range []Profile{
		{Name: "management", AccessKeyID: "AKIA1", SecretAccessKey: "s1", EndpointURL: "http://127.0.0.1:1"},
		{Name: "dev", AccessKeyID: "AKIA2", SecretAccessKey: "s2", EndpointURL: "http://127.0.0.1:1"},
		{Name: "management", AccessKeyID: "AKIA3", SecretAccessKey: "s3", EndpointURL: "http://127.0.0.1:2"},
	} {
		if err := f.Write(p); err != nil {
			t.Fatal(err)
		}
	}
	names, err := f.Profiles()
	if err != nil || strings.Join(names, ",") != "other,management,dev" {
		t.Fatalf("profiles = %v, %v", names, err)
	}
	id, secret, err := f.Keys("management")
	if err != nil || id != "AKIA3" || secret != "s3" {
		t.Fatalf("management = %s %s %v", id, secret, err)
	}
	if id, _, _ := f.Keys("other"); id != "X" {
		t.Fatalf("other profile damaged: %q", id)
	}
	cfg, _ := os.ReadFile(f.Config)
	if strings.Count(string(cfg), "[profile management]") != 1 || !strings.Contains(string(cfg), "endpoint_url = http://127.0.0.1:2") {
		t.Fatalf("config:\n%s", cfg)
	}
	raw, _ := os.ReadFile(f.Credentials)
	if !strings.HasPrefix(string(raw), "# mine\n") {
		t.Fatalf("comment lost:\n%s", raw)
	}
	st, _ := os.Stat(f.Credentials)
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("credentials mode %v", st.Mode().Perm())
	}
}

func TestProfileReadsBothFiles(t *testing.T) {
	dir := t.TempDir()
	f := InDir(dir)
	if err := os.MkdirAll(filepath.Join(dir, "aws"), 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := "[default]\nregion = eu-west-1\n\n[profile dev]\nregion=us-west-2\nendpoint_url = http://127.0.0.1:4566\ns3 =\n  addressing_style = path\n" +
		"# a comment\n[profile chained]\nrole_arn = arn:aws:iam::111122223333:role/r\nsource_profile = dev\nduration_seconds = 900\nexternal_id = x-1\n"
	creds := "[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = s3cret\n[default]\naws_access_key_id=AKIADEF\naws_secret_access_key=d\n"
	os.WriteFile(f.Config, []byte(cfg), 0o600)
	os.WriteFile(f.Credentials, []byte(creds), 0o600)
	cases := []struct {
		name string
		want Settings
		err  error
	}{
		{"dev", Settings{Name: "dev", AccessKeyID: "AKIADEV", SecretAccessKey: "s3cret", Region: "us-west-2", EndpointURL: "http://127.0.0.1:4566"}, nil},
		{"default", Settings{Name: "default", AccessKeyID: "AKIADEF", SecretAccessKey: "d", Region: "eu-west-1"}, nil},
		{"chained", Settings{Name: "chained", RoleARN: "arn:aws:iam::111122223333:role/r", SourceProfile: "dev", DurationSeconds: 900, ExternalID: "x-1"}, nil},
		{"nope", Settings{}, ErrNoProfile},
	}
	for _, tc := range cases {
		got, err := f.Profile(tc.name)
		if !errors.Is(err, tc.err) || got != tc.want {
			t.Errorf("%s: %+v %v, want %+v", tc.name, got, err, tc.want)
		}
	}
}
