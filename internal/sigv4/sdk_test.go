package sigv4_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdkv4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"rolegate/internal/sigv4"
)

// overTheWire serialises a client request and parses it back as a Go server would, so the test
// sees exactly what a server's authentication layer sees.
func overTheWire(t *testing.T, req *http.Request) (*http.Request, []byte) {
	t.Helper()
	var wire bytes.Buffer
	if err := req.Write(&wire); err != nil {
		t.Fatalf("write request: %v", err)
	}
	srv, err := http.ReadRequest(bufio.NewReader(&wire))
	if err != nil {
		t.Fatalf("read request: %v", err)
	}
	body, err := io.ReadAll(srv.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return srv, body
}

// fromHTTP adapts a server-side *http.Request the way the server's authentication layer does.
func fromHTTP(r *http.Request) sigv4.Request {
	path, _, _ := strings.Cut(r.RequestURI, "?")
	return sigv4.Request{
		Method:        r.Method,
		Path:          path,
		RawQuery:      r.URL.RawQuery,
		Host:          r.Host,
		Header:        r.Header,
		ContentLength: r.ContentLength,
	}
}

type sdkCase struct {
	name    string
	method  string
	url     string
	rawPath string // AWS-encoded path, set as URL.RawPath (what the SDK's S3 client does)
	header  map[string]string
	body    string
	service string
	token   string
	payload string // payload hash to sign; empty = hex SHA-256 of body
	s3Path  bool   // DisableURIPathEscaping, as the S3 client signs
	presign time.Duration
}

func sdkRequest(t *testing.T, tc sdkCase) *http.Request {
	t.Helper()
	var body io.Reader
	if tc.body != "" {
		body = strings.NewReader(tc.body)
	}
	req, err := http.NewRequest(tc.method, tc.url, body)
	if err != nil {
		t.Fatal(err)
	}
	if tc.rawPath != "" {
		p, err := url.PathUnescape(tc.rawPath)
		if err != nil {
			t.Fatal(err)
		}
		req.URL.Path, req.URL.RawPath = p, tc.rawPath
	}
	for k, v := range tc.header {
		req.Header.Set(k, v)
	}
	return req
}

func TestSDKSignedRequestsVerify(t *testing.T) {
	t.Parallel()
	const session = "FwoGZXIvYXdzEJr//////////wEaDOk+token/with+plus=="
	unusualKey := "/bucket/dir/my%20file%2Bv1~%C3%BC%E2%82%AC%21%27%28%29%2A%40%3D%26%24%2C%3B%3A%23%3F.txt"
	tests := []sdkCase{
		{name: "sts form post", method: "POST", url: "http://localhost:4566/", service: "sts",
			header: map[string]string{"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
			body:   "Action=GetCallerIdentity&Version=2011-06-15"},
		{name: "sts with session token", method: "POST", url: "http://localhost:4566/", service: "sts", token: session,
			header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
			body:   "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fdemo&RoleSessionName=s&Version=2011-06-15"},
		{name: "iam get with awkward query", method: "GET", service: "iam",
			url: "http://127.0.0.1:8080/?Action=ListUsers&Version=2010-05-08&b=&c&a=2&a=1&a=10&sp=a%20b&plus=a%2Bb&rawplus=x+y&tilde=~x&uni=%C3%BC&star=*&Empty="},
		{name: "ec2 header with spaces", method: "POST", url: "http://localhost:4566/", service: "ec2",
			header: map[string]string{"Content-Type": "application/x-www-form-urlencoded", "X-Custom": "  a   b  c "},
			body:   "Action=DescribeInstances&Version=2016-11-15"},
		{name: "non-s3 path escaped twice", method: "GET", url: "http://localhost:4566/a%20b/c+d/%C3%BC", service: "execute-api"},
		{name: "s3 put unusual key", method: "PUT", url: "http://127.0.0.1:9000", rawPath: unusualKey, service: "s3", s3Path: true,
			header: map[string]string{"Content-Type": "text/plain", "X-Amz-Meta-Note": "hello  world"},
			body:   "object body"},
		{name: "s3 put unsigned payload with token", method: "PUT", url: "https://s3.amazonaws.com", rawPath: "/bucket/a/b/c", service: "s3", s3Path: true,
			token: session, payload: sigv4.UnsignedPayload, body: "data",
			header: map[string]string{"X-Amz-Checksum-Crc32": "rfPzYw==", "X-Amz-Sdk-Checksum-Algorithm": "CRC32"}},
		{name: "s3 keys with dot segments and double slash", method: "GET", url: "http://bucket.localhost:9000", rawPath: "/a/./b/../c//d", service: "s3", s3Path: true},
		{name: "s3 list with query", method: "GET", url: "http://127.0.0.1:9000/bucket?list-type=2&prefix=a%20b%2Bc&delimiter=%2F&encoding-type=url&max-keys=10", service: "s3", s3Path: true},
		{name: "s3 valueless subresource", method: "DELETE", url: "http://127.0.0.1:9000/bucket?policy", service: "s3", s3Path: true},
		{name: "s3 streaming seed signature", method: "PUT", url: "http://127.0.0.1:9000/bucket/key", service: "s3", s3Path: true,
			payload: sigv4.StreamingUnsignedPayloadTrailer,
			header:  map[string]string{"Content-Encoding": "aws-chunked", "X-Amz-Decoded-Content-Length": "4", "X-Amz-Trailer": "x-amz-checksum-crc32"}},
		{name: "s3 naive client leaves plus raw", method: "PUT", url: "http://127.0.0.1:9000/bucket/a+b(c)", service: "s3", s3Path: true, body: "x"},
		{name: "presigned s3 get", method: "GET", url: "http://127.0.0.1:9000", rawPath: unusualKey, service: "s3", s3Path: true,
			payload: sigv4.UnsignedPayload, presign: 15 * time.Minute},
		{name: "presigned s3 put with token and hoisted headers", method: "PUT", url: "https://bucket.s3.amazonaws.com/k%20y?x-id=PutObject", service: "s3", s3Path: true,
			payload: sigv4.UnsignedPayload, presign: 7 * 24 * time.Hour, token: session,
			header: map[string]string{"X-Amz-Meta-A": "b", "X-Amz-Server-Side-Encryption": "AES256", "X-Amz-Acl": "private"}},
		{name: "presigned sts get caller identity", method: "GET", url: "https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15", service: "sts",
			payload: sigv4.EmptySHA256, presign: 60 * time.Second, header: map[string]string{"X-K8s-Aws-Id": "cluster"}},
	}
	creds := func(token string) aws.Credentials {
		return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: exampleSecret, SessionToken: token}
	}
	signTime := mustTime(t, "20240229T235959Z")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := sdkRequest(t, tc)
			payload := tc.payload
			if payload == "" {
				payload = sha256Hex([]byte(tc.body))
			}
			if tc.service == "s3" && tc.presign == 0 {
				req.Header.Set("X-Amz-Content-Sha256", payload)
			}
			signer := sdkv4.NewSigner(func(o *sdkv4.SignerOptions) { o.DisableURIPathEscaping = tc.s3Path })
			if tc.presign > 0 {
				q := req.URL.Query()
				q.Set("X-Amz-Expires", strconv.Itoa(int(tc.presign/time.Second)))
				req.URL.RawQuery = q.Encode()
				signed, hdr, err := signer.PresignHTTP(context.Background(), creds(tc.token), req, payload, tc.service, "eu-west-3", signTime)
				if err != nil {
					t.Fatal(err)
				}
				req2, err := http.NewRequest(tc.method, signed, nil)
				if err != nil {
					t.Fatal(err)
				}
				for k, v := range hdr {
					if k != "Host" {
						req2.Header[k] = v
					}
				}
				req = req2
			} else if err := signer.SignHTTP(context.Background(), creds(tc.token), req, payload, tc.service, "eu-west-3", signTime); err != nil {
				t.Fatal(err)
			}
			srv, body := overTheWire(t, req)
			r := fromHTTP(srv)
			if tc.service != "s3" {
				r.BodySHA256 = sha256Hex(body)
			}
			a, err := sigv4.Parse(&r)
			if err != nil {
				t.Fatalf("Parse: %v\nAuthorization: %s\nquery: %s", err, srv.Header.Get("Authorization"), srv.URL.RawQuery)
			}
			if a.Service != tc.service || a.Region != "eu-west-3" || a.AccessKeyID != "AKIDEXAMPLE" || a.SecurityToken != tc.token {
				t.Errorf("Parse = %+v", a)
			}
			if tc.presign > 0 && (!a.Presigned || a.Expires != tc.presign) {
				t.Errorf("Parse: Presigned=%v Expires=%v, want true %v", a.Presigned, a.Expires, tc.presign)
			}
			key := sigv4.DeriveKey(exampleSecret, a.Date, a.Region, a.Service)
			if err := sigv4.Verify(&r, &a, key, signTime.Add(10*time.Second)); err != nil {
				t.Fatalf("Verify: %v\nrequest URI: %s", err, srv.RequestURI)
			}
			if tc.service == "s3" && !a.Streaming() {
				br, err := sigv4.NewBodyReader(&r, &a, key, bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				if got, err := io.ReadAll(br); err != nil || string(got) != tc.body {
					t.Errorf("body = %q, %v; want %q", got, err, tc.body)
				}
			}
			// The same request signed with another secret must not verify.
			other := sigv4.DeriveKey("another-secret", a.Date, a.Region, a.Service)
			if err := sigv4.Verify(&r, &a, other, signTime); err == nil {
				t.Error("Verify with a different key succeeded")
			}
		})
	}
}

func bufioReader(r io.Reader) *bufio.Reader { return bufio.NewReader(r) }

func errorsIs(err, target error) bool { return errors.Is(err, target) }
