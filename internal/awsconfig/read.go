package awsconfig

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ErrNoProfile reports a profile that neither file defines.
var ErrNoProfile = errors.New("awsconfig: profile not found")

// Settings are what the two files say about one profile. Keys in the credentials file take
// precedence over the same keys in the config file, as in the AWS CLI.
type Settings struct {
	Name            string
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	Region          string
	EndpointURL     string
	// RoleARN and SourceProfile describe a profile that assumes a role with another profile's
	// credentials.
	RoleARN         string
	SourceProfile   string
	ExternalID      string
	RoleSessionName string
	DurationSeconds int
	// CredentialProcess is the command of a credential_process profile.
	CredentialProcess string
}

// Default returns the files the AWS CLI reads: AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE,
// else ~/.aws/config and ~/.aws/credentials.
func Default() Files {
	home, _ := os.UserHomeDir()
	f := Files{Config: filepath.Join(home, ".aws", "config"), Credentials: filepath.Join(home, ".aws", "credentials")}
	if v := os.Getenv("AWS_CONFIG_FILE"); v != "" {
		f.Config = v
	}
	if v := os.Getenv("AWS_SHARED_CREDENTIALS_FILE"); v != "" {
		f.Credentials = v
	}
	return f
}

// Profile reads a profile from both files. A file that does not exist defines nothing.
func (f Files) Profile(name string) (Settings, error) {
	cfgSection := "profile " + name
	if name == "default" {
		cfgSection = "default"
	}
	cfg, cfgFound, err := readSection(f.Config, cfgSection)
	if err != nil {
		return Settings{}, err
	}
	creds, credFound, err := readSection(f.Credentials, name)
	if err != nil {
		return Settings{}, err
	}
	if !cfgFound && !credFound {
		return Settings{}, ErrNoProfile
	}
	for k, v := range creds {
		cfg[k] = v
	}
	s := Settings{Name: name, AccessKeyID: cfg["aws_access_key_id"], SecretAccessKey: cfg["aws_secret_access_key"],
		SessionToken: cfg["aws_session_token"], Region: cfg["region"], EndpointURL: cfg["endpoint_url"],
		RoleARN: cfg["role_arn"], SourceProfile: cfg["source_profile"], ExternalID: cfg["external_id"],
		RoleSessionName: cfg["role_session_name"], CredentialProcess: cfg["credential_process"]}
	if d := cfg["duration_seconds"]; d != "" {
		if s.DurationSeconds, err = strconv.Atoi(d); err != nil {
			return Settings{}, errors.New("awsconfig: duration_seconds of profile " + name + " is not a number")
		}
	}
	return s, nil
}

// readSection returns the top-level keys of section [name] of an INI file (keys lower-cased;
// indented lines, which hold nested settings, are skipped).
func readSection(path, name string) (map[string]string, bool, error) {
	out := map[string]string{}
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return out, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	found, in := false, false
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		t := strings.TrimSpace(line)
		switch {
		case t == "" || t[0] == '#' || t[0] == ';':
			continue
		case t[0] == '[' && t[len(t)-1] == ']':
			in = strings.Join(strings.Fields(t[1:len(t)-1]), " ") == name
			found = found || in
			continue
		case !in || line[0] == ' ' || line[0] == '\t':
			continue
		}
		k, v, ok := strings.Cut(t, "=")
		if !ok {
			continue
		}
		out[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
	}
	return out, found, sc.Err()
}
