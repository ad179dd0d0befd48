package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"rolegate/internal/awsconfig"
	"rolegate/internal/client"
	"rolegate/internal/imds"
	"rolegate/internal/sigv4"
)

// roleSource is how exec and credential-process obtain role credentials: the base credentials of
// a profile (its keys, or a role it assumes from a source profile), then sts:AssumeRole of the
// requested role.
type roleSource struct {
	role, profile, sessionName, externalID string
	endpoint, region, data                 string
	duration                               time.Duration
	// now is the signing clock (time.Now; tests pass the server's).
	now func() time.Time
	// resolved is the endpoint and region the last fetch used.
	resolved struct{ Endpoint, Region string }
}

// register adds the shared flags to fs.
func (rs *roleSource) register(fs *flag.FlagSet, verb string) {
	fs.StringVar(&rs.role, "role", "", "ARN of the role to assume (required)")
	fs.StringVar(&rs.profile, "profile", "", "profile whose credentials assume the role (default $AWS_PROFILE, then default)")
	fs.StringVar(&rs.sessionName, "session-name", "rolegate-"+verb+"-"+strconv.FormatInt(time.Now().Unix(), 10), "role session name")
	fs.StringVar(&rs.externalID, "external-id", "", "external ID the role's trust policy asks for")
	fs.DurationVar(&rs.duration, "duration", time.Hour, "lifetime of each role session (15m to 12h)")
	fs.StringVar(&rs.endpoint, "endpoint", "", "rolegate endpoint (default: $AWS_ENDPOINT_URL_STS, $AWS_ENDPOINT_URL, the profile's endpoint_url)")
	fs.StringVar(&rs.region, "region", "", "signing region (default: $AWS_REGION, the profile's region, us-east-1)")
	fs.StringVar(&rs.data, "data", os.Getenv("ROLEGATE_DATA"), "data directory whose aws/ profiles to read instead of ~/.aws (env ROLEGATE_DATA)")
}

// check validates the flags.
func (rs *roleSource) check() error {
	if rs.role == "" {
		return errors.New("--role is required")
	}
	if rs.duration < 15*time.Minute || rs.duration > 12*time.Hour {
		return errors.New("--duration must be between 15m and 12h")
	}
	return nil
}

func (rs *roleSource) files() awsconfig.Files {
	if rs.data != "" {
		return awsconfig.InDir(rs.data)
	}
	return awsconfig.Default()
}

// base resolves the credentials the role is assumed with, and the endpoint and region to use.
func (rs *roleSource) base(ctx context.Context) (*client.Client, error) {
	name := rs.profile
	if name == "" {
		name = os.Getenv("AWS_PROFILE")
	}
	c := &client.Client{Now: rs.now}
	var settings awsconfig.Settings
	if name == "" && os.Getenv("AWS_ACCESS_KEY_ID") != "" {
		c.Credentials = sigv4.Credentials{AccessKeyID: os.Getenv("AWS_ACCESS_KEY_ID"),
			SecretAccessKey: os.Getenv("AWS_SECRET_ACCESS_KEY"), SessionToken: os.Getenv("AWS_SESSION_TOKEN")}
	} else {
		if name == "" {
			name = "default"
		}
		var err error
		if settings, err = rs.files().Profile(name); err != nil {
			return nil, fmt.Errorf("profile %s: %w", name, err)
		}
	}
	c.Endpoint = firstOf(rs.endpoint, os.Getenv("AWS_ENDPOINT_URL_STS"), os.Getenv("AWS_ENDPOINT_URL"), settings.EndpointURL)
	if c.Endpoint == "" && rs.data != "" {
		if raw, err := os.ReadFile(filepath.Join(rs.data, "endpoint")); err == nil {
			c.Endpoint = strings.TrimSpace(string(raw))
		}
	}
	if c.Endpoint == "" {
		return nil, errors.New("no endpoint: pass --endpoint or set endpoint_url in the profile")
	}
	c.Region = firstOf(rs.region, os.Getenv("AWS_REGION"), os.Getenv("AWS_DEFAULT_REGION"), settings.Region, "us-east-1")
	rs.resolved.Endpoint, rs.resolved.Region = c.Endpoint, c.Region
	if settings.Name != "" {
		creds, err := rs.profileCredentials(ctx, c, settings, 0)
		if err != nil {
			return nil, err
		}
		c.Credentials = creds
	}
	return c, nil
}

// maxChain bounds source_profile chains.
const maxChain = 5

// profileCredentials returns a profile's credentials: its keys, or a session of its role_arn
// assumed with its source_profile's credentials.
func (rs *roleSource) profileCredentials(ctx context.Context, c *client.Client, s awsconfig.Settings, depth int) (sigv4.Credentials, error) {
	if s.AccessKeyID != "" {
		if s.SecretAccessKey == "" {
			return sigv4.Credentials{}, fmt.Errorf("profile %s has aws_access_key_id but no aws_secret_access_key", s.Name)
		}
		return sigv4.Credentials{AccessKeyID: s.AccessKeyID, SecretAccessKey: s.SecretAccessKey, SessionToken: s.SessionToken}, nil
	}
	if s.RoleARN == "" || s.SourceProfile == "" {
		return sigv4.Credentials{}, fmt.Errorf("profile %s has neither keys nor role_arn with source_profile", s.Name)
	}
	if depth >= maxChain {
		return sigv4.Credentials{}, fmt.Errorf("profile %s: source_profile chain longer than %d", s.Name, maxChain)
	}
	src, err := rs.files().Profile(s.SourceProfile)
	if err != nil {
		return sigv4.Credentials{}, fmt.Errorf("source profile %s: %w", s.SourceProfile, err)
	}
	srcCreds, err := rs.profileCredentials(ctx, c, src, depth+1)
	if err != nil {
		return sigv4.Credentials{}, err
	}
	name := firstOf(s.RoleSessionName, rs.sessionName)
	got, err := assumeRole(ctx, c, srcCreds, s.RoleARN, name, s.ExternalID, time.Duration(s.DurationSeconds)*time.Second)
	if err != nil {
		return sigv4.Credentials{}, fmt.Errorf("profile %s: %w", s.Name, err)
	}
	return sigv4.Credentials{AccessKeyID: got.AccessKeyID, SecretAccessKey: got.SecretAccessKey, SessionToken: got.SessionToken}, nil
}

// assumeRole calls sts:AssumeRole with creds.
func assumeRole(ctx context.Context, c *client.Client, creds sigv4.Credentials, roleARN, session, externalID string, d time.Duration) (imds.Credentials, error) {
	cc := *c
	cc.Credentials = creds
	params := url.Values{"RoleArn": {roleARN}, "RoleSessionName": {session}}
	if d > 0 {
		params.Set("DurationSeconds", strconv.Itoa(int(d/time.Second)))
	}
	if externalID != "" {
		params.Set("ExternalId", externalID)
	}
	var out struct {
		Credentials struct {
			AccessKeyId, SecretAccessKey, SessionToken string
			Expiration                                 time.Time
		}
	}
	if err := cc.Query(ctx, "sts", "2011-06-15", "AssumeRole", params, &out); err != nil {
		return imds.Credentials{}, err
	}
	account := ""
	if parts := strings.SplitN(roleARN, ":", 6); len(parts) == 6 {
		account = parts[4]
	}
	return imds.Credentials{AccessKeyID: out.Credentials.AccessKeyId, SecretAccessKey: out.Credentials.SecretAccessKey,
		SessionToken: out.Credentials.SessionToken, Expiration: out.Credentials.Expiration, RoleARN: roleARN, AccountID: account}, nil
}

// fetch resolves the base credentials afresh (a source-profile role session may have expired)
// and assumes the role.
func (rs *roleSource) fetch(ctx context.Context) (imds.Credentials, error) {
	c, err := rs.base(ctx)
	if err != nil {
		return imds.Credentials{}, err
	}
	return assumeRole(ctx, c, c.Credentials, rs.role, rs.sessionName, rs.externalID, rs.duration)
}

func firstOf(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// processOutput is the credential_process document (Version 1).
type processOutput struct {
	Version         int
	AccessKeyId     string
	SecretAccessKey string
	SessionToken    string
	Expiration      string
	AccountId       string `json:",omitempty"`
}

// runCredentialProcess implements "rolegate credential-process --role ARN [...]": it prints the
// role's credentials as a credential_process program, for a profile such as
//
//	[profile app]
//	credential_process = rolegate credential-process --role arn:aws:iam::111122223333:role/app --profile management
func runCredentialProcess(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("credential-process", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rs := &roleSource{now: time.Now}
	rs.register(fs, "process")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := rs.check(); err != nil {
		fmt.Fprintln(stderr, "rolegate credential-process:", err)
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := rs.fetch(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "rolegate credential-process:", err)
		return 1
	}
	out := processOutput{Version: 1, AccessKeyId: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken,
		Expiration: c.Expiration.UTC().Format("2006-01-02T15:04:05Z"), AccountId: c.AccountID}
	if err := json.NewEncoder(stdout).Encode(out); err != nil {
		fmt.Fprintln(stderr, "rolegate credential-process:", err)
		return 1
	}
	return 0
}
