package awsconfig

import (
	"os"
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
