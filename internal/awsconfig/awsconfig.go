// Package awsconfig reads and writes the shared configuration files of the AWS CLI and SDKs (the
// "config" and "credentials" INI files), so a profile per rolegate account works with no other setup
// and the client verbs can use any profile. It replaces a profile's section in place and leaves every
// other section as it was.
package awsconfig

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
)

// Profile is one named profile: its root credentials and where the endpoint is.
type Profile struct {
	Name            string
	AccessKeyID     string
	SecretAccessKey string
	Region          string
	EndpointURL     string
}

// Files are the two shared files.
type Files struct {
	Config      string // e.g. DIR/aws/config
	Credentials string // e.g. DIR/aws/credentials
}

// InDir returns the files under dir/aws.
func InDir(dir string) Files {
	return Files{Config: filepath.Join(dir, "aws", "config"), Credentials: filepath.Join(dir, "aws", "credentials")}
}

// Write adds or replaces p in both files, creating them (mode 0600) as needed.
func (f Files) Write(p Profile) error {
	cfgSection := "profile " + p.Name
	if p.Name == "default" {
		cfgSection = "default"
	}
	region := p.Region
	if region == "" {
		region = "us-east-1"
	}
	// SDKs that still presign S3 URLs with SigV2 by default (botocore) are told to use SigV4,
	// the only signature rolegate verifies.
	if err := setSection(f.Config, cfgSection, [][2]string{
		{"region", region}, {"endpoint_url", p.EndpointURL}, {"output", "json"},
		{"s3", "\n    signature_version = s3v4"},
	}); err != nil {
		return err
	}
	return setSection(f.Credentials, p.Name, [][2]string{
		{"aws_access_key_id", p.AccessKeyID}, {"aws_secret_access_key", p.SecretAccessKey},
	})
}

// setSection rewrites path with section [name] holding exactly kv, written atomically.
func setSection(path, name string, kv [][2]string) error {
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	var out bytes.Buffer
	var body bytes.Buffer
	body.WriteString("[" + name + "]\n")
	for _, p := range kv {
		body.WriteString(p[0] + " = " + p[1] + "\n")
	}
	written := false
	skipping := false
	sc := bufio.NewScanner(bytes.NewReader(old))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "[") && strings.HasSuffix(trimmed, "]") {
			skipping = strings.TrimSpace(trimmed[1:len(trimmed)-1]) == name
			if skipping && !written {
				out.Write(body.Bytes())
				written = true
			}
		}
		if !skipping {
			out.WriteString(line + "\n")
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if !written {
		if out.Len() > 0 && !bytes.HasSuffix(out.Bytes(), []byte("\n\n")) {
			out.WriteString("\n")
		}
		out.Write(body.Bytes())
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, out.Bytes(), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Profiles returns the profile names in the credentials file, in file order.
func (f Files) Profiles() ([]string, error) {
	raw, err := os.ReadFile(f.Credentials)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, line := range strings.Split(string(raw), "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]") {
			out = append(out, strings.TrimSpace(t[1:len(t)-1]))
		}
	}
	return out, nil
}

// Keys returns the keys of a profile in the credentials file.
func (f Files) Keys(profile string) (accessKeyID, secret string, err error) {
	raw, err := os.ReadFile(f.Credentials)
	if err != nil {
		return "", "", err
	}
	in := false
	for _, line := range strings.Split(string(raw), "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]") {
			in = strings.TrimSpace(t[1:len(t)-1]) == profile
			continue
		}
		if !in {
			continue
		}
		k, v, ok := strings.Cut(t, "=")
		if !ok {
			continue
		}
		switch strings.TrimSpace(k) {
		case "aws_access_key_id":
			accessKeyID = strings.TrimSpace(v)
		case "aws_secret_access_key":
			secret = strings.TrimSpace(v)
		}
	}
	if accessKeyID == "" || secret == "" {
		return "", "", os.ErrNotExist
	}
	return accessKeyID, secret, nil
}
