package sigv4_test

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"rolegate/internal/sigv4"
)

// signed is a request signed by Signer together with its body.
type signed struct {
	name string
	req  sigv4.Request
	body string
}

var roundTripTime = time.Date(2024, 3, 10, 12, 30, 45, 0, time.UTC)

const roundTripToken = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ+abc/def=="

func roundTripRequests(t testing.TB) []signed {
	t.Helper()
	creds := sigv4.Credentials{AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: exampleSecret, SessionToken: roundTripToken}
	var out []signed

	post := "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fdemo&RoleSessionName=s1&Version=2011-06-15"
	r := sigv4.Request{Method: "POST", Path: "/", Host: "localhost:4566", ContentLength: int64(len(post)),
		Header: map[string][]string{
			"Content-Type":   {"application/x-www-form-urlencoded; charset=utf-8"},
			"Content-Length": {strconv.Itoa(len(post))},
			"User-Agent":     {"rolegate/1"},
		}}
	sts := sigv4.Signer{Credentials: creds, Region: "eu-central-1", Service: "sts"}
	if err := sts.Sign(&r, roundTripTime, sha256Hex([]byte(post))); err != nil {
		t.Fatal(err)
	}
	out = append(out, signed{"sts post", r, post})

	put := "object bytes"
	r = sigv4.Request{Method: "PUT", Path: "/bucket/dir/my%20key%2B1~%C3%BC", RawQuery: "x-id=PutObject&tagging", Host: "127.0.0.1:9000",
		ContentLength: int64(len(put)),
		Header: map[string][]string{
			"Content-Type":    {"text/plain"},
			"X-Amz-Meta-Note": {"a b"},
			"User-Agent":      {"rolegate/1"},
		}}
	s3 := sigv4.Signer{Credentials: creds, Region: "us-west-2", Service: "s3"}
	if err := s3.Sign(&r, roundTripTime, sha256Hex([]byte(put))); err != nil {
		t.Fatal(err)
	}
	out = append(out, signed{"s3 put", r, put})

	r = sigv4.Request{Method: "GET", Path: "/bucket/report%202024.csv", RawQuery: "response-content-type=text%2Fcsv&versionId=3",
		Host: "bucket.localhost:9000", ContentLength: 0}
	if _, err := s3.Presign(&r, roundTripTime, time.Hour); err != nil {
		t.Fatal(err)
	}
	out = append(out, signed{"s3 presigned get", r, ""})

	r = sigv4.Request{Method: "GET", Path: "/", RawQuery: "Action=GetCallerIdentity&Version=2011-06-15", Host: "sts.localhost",
		Header: map[string][]string{"X-K8s-Aws-Id": {"cluster-1"}}}
	if _, err := sts.Presign(&r, roundTripTime, time.Minute); err != nil {
		t.Fatal(err)
	}
	out = append(out, signed{"sts presigned get", r, ""})
	return out
}

// authenticate runs what a server does: parse, derive the key of the scope the request names,
// verify, and read the body through NewBodyReader.
func authenticate(r *sigv4.Request, body string, now time.Time) error {
	r.BodySHA256 = ""
	a, err := sigv4.Parse(r)
	if err != nil {
		return err
	}
	if !isS3(a.Service) {
		r.BodySHA256 = sha256Hex([]byte(body))
	}
	key := sigv4.DeriveKey(exampleSecret, a.Date, a.Region, a.Service)
	if err := sigv4.Verify(r, &a, key, now); err != nil {
		return err
	}
	if a.SecurityToken != roundTripToken {
		return errors.New("security token changed")
	}
	br, err := sigv4.NewBodyReader(r, &a, key, strings.NewReader(body))
	if err != nil {
		return err
	}
	got, err := io.ReadAll(br)
	if err != nil {
		return err
	}
	if string(got) != body {
		return errors.New("body changed")
	}
	return nil
}

func isS3(service string) bool { return service == "s3" }

func copyRequest(r sigv4.Request) sigv4.Request {
	r.Header = cloneHeader(r.Header)
	return r
}

func flip(s string, i int) string {
	b := []byte(s)
	b[i] ^= 0x01
	return string(b)
}

func TestSignVerifyRoundTrip(t *testing.T) {
	t.Parallel()
	now := roundTripTime.Add(30 * time.Second)
	for _, s := range roundTripRequests(t) {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			r := copyRequest(s.req)
			if err := authenticate(&r, s.body, now); err != nil {
				t.Fatalf("authenticate: %v", err)
			}
			// Headers outside the signature may change freely.
			r = copyRequest(s.req)
			r.Header["User-Agent"] = []string{"something else"}
			r.Header["X-Amzn-Trace-Id"] = []string{"Root=1-abc"}
			if err := authenticate(&r, s.body, now); err != nil {
				t.Fatalf("authenticate with changed unsigned headers: %v", err)
			}
		})
	}
}

// TestSingleByteTamperFails changes every byte of the method, path, query, each signed header,
// the signature part of the Authorization header and the body, one at a time, and expects each
// changed request to be rejected.
func TestSingleByteTamperFails(t *testing.T) {
	t.Parallel()
	now := roundTripTime.Add(30 * time.Second)
	for _, s := range roundTripRequests(t) {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			tried := 0
			try := func(what string, mutate func(r *sigv4.Request, body *string)) {
				t.Helper()
				r := copyRequest(s.req)
				body := s.body
				mutate(&r, &body)
				tried++
				if err := authenticate(&r, body, now); err == nil {
					t.Errorf("tampered %s was accepted", what)
				}
			}
			for i := range s.req.Method {
				try("method", func(r *sigv4.Request, _ *string) { r.Method = flip(r.Method, i) })
			}
			for i := range s.req.Path {
				try("path byte "+strconv.Itoa(i), func(r *sigv4.Request, _ *string) { r.Path = flip(r.Path, i) })
			}
			akid := strings.Index(s.req.RawQuery, "ASIAEXAMPLE")
			for i := range s.req.RawQuery {
				if akid >= 0 && i >= akid && i < akid+len("ASIAEXAMPLE") {
					continue // the key id only selects the secret; the server looks it up
				}
				try("query byte "+strconv.Itoa(i)+" of "+s.req.RawQuery, func(r *sigv4.Request, _ *string) { r.RawQuery = flip(r.RawQuery, i) })
			}
			for i := range s.req.Host {
				try("host", func(r *sigv4.Request, _ *string) { r.Host = flip(r.Host, i) })
			}
			if authz := s.req.Header["Authorization"]; len(authz) > 0 {
				akid := strings.Index(authz[0], "ASIAEXAMPLE")
				for i := range authz[0] {
					if i >= akid && i < akid+len("ASIAEXAMPLE") {
						continue
					}
					try("authorization byte "+strconv.Itoa(i), func(r *sigv4.Request, _ *string) {
						r.Header["Authorization"] = []string{flip(authz[0], i)}
					})
				}
				names := strings.SplitN(authz[0], "SignedHeaders=", 2)[1]
				names = names[:strings.IndexByte(names, ',')]
				for _, name := range strings.Split(names, ";") {
					if name == "host" {
						continue
					}
					key := canonicalKey(name)
					vals := s.req.Header[key]
					if len(vals) != 1 {
						t.Fatalf("signed header %s has values %q", key, vals)
					}
					for i := range vals[0] {
						try("header "+key, func(r *sigv4.Request, _ *string) { r.Header[key] = []string{flip(vals[0], i)} })
					}
				}
			}
			for i := range s.body {
				try("body", func(_ *sigv4.Request, body *string) { *body = flip(*body, i) })
			}
			if tried < 100 {
				t.Fatalf("only %d tampered requests tried", tried)
			}
		})
	}
}

func canonicalKey(lower string) string {
	parts := strings.Split(lower, "-")
	for i, p := range parts {
		parts[i] = strings.ToUpper(p[:1]) + p[1:]
	}
	return strings.Join(parts, "-")
}

// TestSignerHeaders pins what Sign adds and which headers it signs.
func TestSignerHeaders(t *testing.T) {
	t.Parallel()
	reqs := roundTripRequests(t)
	h := reqs[0].req.Header
	if got := h["X-Amz-Date"]; len(got) != 1 || got[0] != "20240310T123045Z" {
		t.Errorf("X-Amz-Date = %q", got)
	}
	if got := h["X-Amz-Security-Token"]; len(got) != 1 || got[0] != roundTripToken {
		t.Errorf("X-Amz-Security-Token = %q", got)
	}
	want := "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20240310/eu-central-1/sts/aws4_request, " +
		"SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-security-token, Signature="
	if got := h["Authorization"][0]; !strings.HasPrefix(got, want) || len(got) != len(want)+64 {
		t.Errorf("Authorization = %q", got)
	}
	if got := reqs[1].req.Header["X-Amz-Content-Sha256"]; len(got) != 1 || got[0] != sha256Hex([]byte("object bytes")) {
		t.Errorf("S3 X-Amz-Content-Sha256 = %q", got)
	}
	q := reqs[2].req.RawQuery
	for _, p := range []string{"X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Credential=ASIAEXAMPLE%2F20240310%2Fus-west-2%2Fs3%2Faws4_request",
		"X-Amz-Date=20240310T123045Z", "X-Amz-Expires=3600", "X-Amz-SignedHeaders=host", "X-Amz-Security-Token=IQoJb3JpZ2luX2VjEJr%2F%2F",
		"&X-Amz-Signature="} {
		if !strings.Contains(q, p) {
			t.Errorf("presigned query %q lacks %q", q, p)
		}
	}
	if got := reqs[3].req.RawQuery; !strings.Contains(got, "X-Amz-SignedHeaders=host%3Bx-k8s-aws-id") {
		t.Errorf("presigned STS query %q does not sign x-k8s-aws-id", got)
	}
}

func TestSignerErrors(t *testing.T) {
	t.Parallel()
	good := sigv4.Signer{Credentials: sigv4.Credentials{AccessKeyID: "AKID", SecretAccessKey: "s"}, Region: "r", Service: "s3"}
	tests := []struct {
		name string
		run  func() error
	}{
		{"no secret", func() error {
			s := good
			s.Credentials.SecretAccessKey = ""
			return s.Sign(&sigv4.Request{}, roundTripTime, sigv4.EmptySHA256)
		}},
		{"no region", func() error {
			s := good
			s.Region = ""
			_, err := s.Presign(&sigv4.Request{}, roundTripTime, time.Minute)
			return err
		}},
		{"no payload hash", func() error { return good.Sign(&sigv4.Request{}, roundTripTime, "") }},
		{"expiry too long", func() error {
			_, err := good.Presign(&sigv4.Request{}, roundTripTime, sigv4.MaxPresignExpiry+time.Second)
			return err
		}},
		{"expiry too short", func() error {
			_, err := good.Presign(&sigv4.Request{}, roundTripTime, time.Millisecond)
			return err
		}},
		{"already presigned", func() error {
			_, err := good.Presign(&sigv4.Request{RawQuery: "X-Amz-Signature=abc"}, roundTripTime, time.Minute)
			return err
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if err := tc.run(); !errors.Is(err, sigv4.ErrSigning) {
				t.Errorf("err = %v, want ErrSigning", err)
			}
		})
	}
	if s := (sigv4.Credentials{AccessKeyID: "AKID", SecretAccessKey: "topsecret"}).String(); strings.Contains(s, "topsecret") {
		t.Errorf("Credentials.String() = %q leaks the secret", s)
	}
	key := sigv4.DeriveKey("s", "20240101", "r", "s3")
	if s := key.String() + key.GoString(); strings.Contains(s, "0") && !strings.Contains(s, "REDACTED") {
		t.Errorf("Key prints as %q", s)
	}
	var buf bytes.Buffer
	buf.WriteString(key.String())
	if buf.String() != "REDACTED" {
		t.Errorf("Key.String() = %q", buf.String())
	}
}
