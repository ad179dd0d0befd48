package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"rolegate/internal/imds"
)

// runExec implements "rolegate exec --role ARN [--profile P] -- COMMAND [ARGS]": it assumes the
// role, serves its credentials (refreshed before they expire) on a loopback container-credentials
// endpoint guarded by a random token, runs COMMAND with no keys in its environment, and exits
// with COMMAND's status.
func runExec(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("exec", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rs := &roleSource{now: time.Now}
	rs.register(fs, "exec")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	command := fs.Args()
	if err := rs.check(); err != nil || len(command) == 0 {
		if err == nil {
			err = errors.New("a command to run is required after --")
		}
		fmt.Fprintln(stderr, "rolegate exec:", err)
		fmt.Fprintln(stderr, "usage: rolegate exec --role ROLE_ARN [--profile P] [--duration D] -- COMMAND [ARGS]")
		return 2
	}
	ref := &imds.Refresher{Fetch: rs.fetch, Now: rs.now}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	_, err := ref.Credentials(ctx)
	cancel()
	if err != nil {
		fmt.Fprintln(stderr, "rolegate exec:", err)
		return 1
	}
	ep, err := startCredentialEndpoint(ref)
	if err != nil {
		fmt.Fprintln(stderr, "rolegate exec:", err)
		return 1
	}
	defer ep.close()
	cmd := exec.Command(command[0], command[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	cmd.Env = childEnv(os.Environ(), ep.url, ep.token, rs.resolved.Endpoint, rs.resolved.Region)
	return runChild(cmd, stderr)
}

// credentialEndpoint is a running container-credentials endpoint.
type credentialEndpoint struct {
	url, token string
	srv        *http.Server
}

// startCredentialEndpoint serves ref's credentials on a free loopback port, behind a random
// token.
func startCredentialEndpoint(ref *imds.Refresher) (*credentialEndpoint, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: &imds.ContainerHandler{Token: token, Source: ref.Credentials}, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	return &credentialEndpoint{url: "http://" + ln.Addr().String() + "/role-credentials", token: token, srv: srv}, nil
}

func (e *credentialEndpoint) close() { e.srv.Close() }

// childEnv is the environment of the child: the parent's without any credentials or profile
// settings that would take precedence over the container-credentials provider, plus the
// endpoint, its token, and the rolegate endpoint and region.
func childEnv(parent []string, credURL, token, endpoint, region string) []string {
	drop := map[string]bool{
		"AWS_ACCESS_KEY_ID": true, "AWS_SECRET_ACCESS_KEY": true, "AWS_SESSION_TOKEN": true, "AWS_SECURITY_TOKEN": true,
		"AWS_PROFILE": true, "AWS_DEFAULT_PROFILE": true, "AWS_CONFIG_FILE": true, "AWS_SHARED_CREDENTIALS_FILE": true,
		"AWS_CONTAINER_CREDENTIALS_FULL_URI": true, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": true,
		"AWS_CONTAINER_AUTHORIZATION_TOKEN": true, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": true,
		"AWS_WEB_IDENTITY_TOKEN_FILE": true, "AWS_ROLE_ARN": true, "AWS_ROLE_SESSION_NAME": true,
	}
	var out []string
	have := map[string]bool{}
	for _, kv := range parent {
		k, _, _ := strings.Cut(kv, "=")
		if drop[k] {
			continue
		}
		have[k] = true
		out = append(out, kv)
	}
	out = append(out,
		"AWS_CONTAINER_CREDENTIALS_FULL_URI="+credURL,
		"AWS_CONTAINER_AUTHORIZATION_TOKEN="+token,
		// Shared files could hold keys or a profile that SDKs prefer to the container provider.
		"AWS_CONFIG_FILE="+os.DevNull,
		"AWS_SHARED_CREDENTIALS_FILE="+os.DevNull,
		"AWS_EC2_METADATA_DISABLED=true",
	)
	if !have["AWS_ENDPOINT_URL"] && endpoint != "" {
		out = append(out, "AWS_ENDPOINT_URL="+endpoint)
	}
	if !have["AWS_REGION"] && !have["AWS_DEFAULT_REGION"] {
		out = append(out, "AWS_REGION="+region, "AWS_DEFAULT_REGION="+region)
	}
	return out
}

// runChild runs cmd, passes it the signals the parent receives, and returns its exit status
// (128+N when a signal N ended it).
func runChild(cmd *exec.Cmd, stderr io.Writer) int {
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(stderr, "rolegate exec:", err)
		return 127
	}
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	for {
		select {
		case s := <-sigs:
			cmd.Process.Signal(s)
		case err := <-done:
			var ee *exec.ExitError
			switch {
			case err == nil:
				return 0
			case errors.As(err, &ee):
				if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
					return 128 + int(ws.Signal())
				}
				return ee.ExitCode()
			}
			fmt.Fprintln(stderr, "rolegate exec:", err)
			return 1
		}
	}
}
