package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"rolegate/internal/sigv4"
)

// Call is one fully signed HTTP request. The load generator replays it unchanged: SigV4 accepts
// a signature for 15 minutes either side of its date, and the harness signs again before each
// load point.
type Call struct {
	Method string
	Path   string // as sent, percent-encoded
	Query  string
	Body   string
	Header http.Header // Host included
}

// Target is the request target: the path and the query.
func (c *Call) Target() string {
	if c.Query == "" {
		return c.Path
	}
	return c.Path + "?" + c.Query
}

// Peer is a server the harness measures, with the bench principal's credentials on it.
type Peer struct {
	Name    string
	Base    string // http://127.0.0.1:PORT
	Creds   sigv4.Credentials
	Account string
	UserARN string
	RoleARN string
	Bucket  string
}

func (p *Peer) host() string { return strings.TrimPrefix(p.Base, "http://") }

// sign signs a call for service with the peer's credentials at now.
func (p *Peer) sign(c *Call, service string, now time.Time) error {
	sum := sha256.Sum256([]byte(c.Body))
	if c.Header == nil {
		c.Header = http.Header{}
	}
	sr := &sigv4.Request{Method: c.Method, Path: c.Path, RawQuery: c.Query, Host: p.host(), Header: c.Header,
		ContentLength: int64(len(c.Body))}
	s := sigv4.Signer{Credentials: p.Creds, Region: "us-east-1", Service: service}
	if err := s.Sign(sr, now, hex.EncodeToString(sum[:])); err != nil {
		return err
	}
	c.Header.Set("Host", p.host())
	return nil
}

// Query API versions.
const (
	stsVersion = "2011-06-15"
	iamVersion = "2010-05-08"
)

// query returns a signed AWS Query call of action with params.
func (p *Peer) query(service, version, action string, params url.Values, now time.Time) (*Call, error) {
	form := url.Values{"Action": {action}, "Version": {version}}
	for k, v := range params {
		form[k] = v
	}
	c := &Call{Method: http.MethodPost, Path: "/", Body: form.Encode(),
		Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded; charset=utf-8"}}}
	return c, p.sign(c, service, now)
}

// object returns a signed S3 call on key of the peer's bucket ("" for the bucket itself).
func (p *Peer) object(method, key string, body []byte, now time.Time) (*Call, error) {
	path := "/" + p.Bucket
	if key != "" {
		path += "/" + key
	}
	c := &Call{Method: method, Path: path, Body: string(body), Header: http.Header{}}
	return c, p.sign(c, "s3", now)
}

// Op is a request the harness measures, and how to tell its answer is the right one.
type Op struct {
	Name  string
	Build func(p *Peer, now time.Time) (*Call, error)
	// Check inspects a 200 answer's body.
	Check func(p *Peer, body []byte) error
}

// objectKey and objectSize describe the object GetObject reads.
const (
	objectKey  = "bench/object-4k"
	objectSize = 4096
)

func contains(what string) func(p *Peer, body []byte) error {
	return func(p *Peer, body []byte) error {
		want := strings.NewReplacer("USER", p.UserARN, "ROLE", p.RoleARN).Replace(what)
		if !strings.Contains(string(body), want) {
			return fmt.Errorf("answer lacks %q: %.300s", want, body)
		}
		return nil
	}
}

// ops are the measured requests, in report order.
var ops = []Op{
	{Name: "sts:GetCallerIdentity", Build: func(p *Peer, now time.Time) (*Call, error) {
		return p.query("sts", stsVersion, "GetCallerIdentity", nil, now)
	}, Check: contains("<Arn>USER</Arn>")},
	{Name: "sts:AssumeRole", Build: func(p *Peer, now time.Time) (*Call, error) {
		return p.query("sts", stsVersion, "AssumeRole", url.Values{"RoleArn": {p.RoleARN}, "RoleSessionName": {"bench"},
			"ExternalId": {"rolegate-bench"}, "DurationSeconds": {"3600"}}, now)
	}, Check: contains("<AccessKeyId>ASIA")},
	{Name: "iam:GetRole", Build: func(p *Peer, now time.Time) (*Call, error) {
		return p.query("iam", iamVersion, "GetRole", url.Values{"RoleName": {"bench-target"}}, now)
	}, Check: contains("<Arn>ROLE</Arn>")},
	{Name: "s3:GetObject 4 KiB", Build: func(p *Peer, now time.Time) (*Call, error) {
		return p.object(http.MethodGet, objectKey, nil, now)
	}, Check: func(_ *Peer, body []byte) error {
		if len(body) != objectSize {
			return fmt.Errorf("object of %d bytes, want %d", len(body), objectSize)
		}
		return nil
	}},
}

// opGetObject is the index of GetObject in ops.
const opGetObject = 3

// health is the unauthenticated health check: the ceiling of an HTTP round trip on this machine.
func health() *Call {
	return &Call{Method: http.MethodGet, Path: "/_rolegate/health", Header: http.Header{}}
}

// do sends c to base once and returns the status and body.
func do(ctx context.Context, base string, c *Call) (int, []byte, error) {
	var body io.Reader
	if c.Body != "" {
		body = strings.NewReader(c.Body)
	}
	req, err := http.NewRequestWithContext(ctx, c.Method, base+c.Target(), body)
	if err != nil {
		return 0, nil, err
	}
	for k, v := range c.Header {
		if k == "Host" {
			req.Host = v[0]
			continue
		}
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	return resp.StatusCode, raw, err
}

// try sends c and fails unless the answer is 2xx.
func try(ctx context.Context, base string, c *Call) ([]byte, error) {
	status, body, err := do(ctx, base, c)
	if err != nil {
		return nil, err
	}
	if status/100 != 2 {
		return body, &statusError{status, body}
	}
	return body, nil
}

type statusError struct {
	status int
	body   []byte
}

func (e *statusError) Error() string { return fmt.Sprintf("HTTP %d: %.400s", e.status, e.body) }
