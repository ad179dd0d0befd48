package s3api_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"rolegate/internal/sigv4"
	"rolegate/internal/testkit"
)

// clients returns a path-style and a virtual-hosted client for creds.
func clients(srv *testkit.Server, c testkit.Creds) map[string]*s3.Client {
	return map[string]*s3.Client{"path": srv.S3(c), "vhost": srv.S3VirtualHost(c)}
}

// apiCode returns the error code of an SDK error, or "".
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := apiCode(err); got != code {
		t.Fatalf("%s: got error %v (code %q), want code %q", what, err, got, code)
	}
}

func must(t testing.TB, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// raw sends a request signed with our own signer: payloadHash is a hex SHA-256 or one of the
// S3 sentinels. body may be any reader (nil for none); length -1 sends it chunked.
type raw struct {
	srv    *testkit.Server
	creds  testkit.Creds
	region string
	now    func() time.Time
}

func newRaw(srv *testkit.Server, c testkit.Creds) *raw {
	return &raw{srv: srv, creds: c, region: "us-east-1", now: srv.Clock.Now}
}

func (r *raw) signer() *sigv4.Signer {
	return &sigv4.Signer{Credentials: sigv4.Credentials{AccessKeyID: r.creds.AccessKeyID,
		SecretAccessKey: r.creds.SecretAccessKey, SessionToken: r.creds.SessionToken}, Region: r.region, Service: "s3"}
}

func (r *raw) request(t testing.TB, method, target string, h http.Header, body io.Reader, length int64, payloadHash string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, r.srv.URL+target, body)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = length
	if length == 0 {
		req.Body = http.NoBody
	}
	for k, v := range h {
		req.Header[k] = v
	}
	if length >= 0 {
		req.Header.Set("Content-Length", fmt.Sprint(length))
	}
	sr := &sigv4.Request{Method: method, Path: req.URL.EscapedPath(), RawQuery: req.URL.RawQuery, Host: req.URL.Host,
		Header: req.Header, ContentLength: length}
	if err := r.signer().Sign(sr, r.now(), payloadHash); err != nil {
		t.Fatal(err)
	}
	return req
}

func (r *raw) do(t testing.TB, method, target string, h http.Header, body io.Reader, length int64, payloadHash string) (*http.Response, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(r.request(t, method, target, h, body, length, payloadHash))
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// presign returns a presigned URL for method on target.
func (r *raw) presign(t testing.TB, method, target string, expires time.Duration) string {
	t.Helper()
	u, err := url.Parse(r.srv.URL + target)
	if err != nil {
		t.Fatal(err)
	}
	sr := &sigv4.Request{Method: method, Path: u.EscapedPath(), RawQuery: u.RawQuery, Host: u.Host, Header: map[string][]string{}}
	q, err := r.signer().Presign(sr, r.now(), expires)
	if err != nil {
		t.Fatal(err)
	}
	u.RawQuery = q
	return u.String()
}

// chunked builds a STREAMING-AWS4-HMAC-SHA256-PAYLOAD body for data in chunks of size, signed
// from seed (the request's signature) as SigV4 streaming prescribes.
func chunked(key sigv4.Key, amzDate, scope, seed string, data []byte, size int, corrupt bool) []byte {
	var out []byte
	prev := seed
	emptyHash := sigv4.EmptySHA256
	sign := func(chunk []byte) string {
		h := sha256.Sum256(chunk)
		sts := "AWS4-HMAC-SHA256-PAYLOAD\n" + amzDate + "\n" + scope + "\n" + prev + "\n" + emptyHash + "\n" + hex.EncodeToString(h[:])
		m := hmac.New(sha256.New, key[:])
		m.Write([]byte(sts))
		prev = hex.EncodeToString(m.Sum(nil))
		return prev
	}
	for off := 0; ; off += size {
		end := min(off+size, len(data))
		chunk := data[off:end]
		sig := sign(chunk)
		if corrupt && off == 0 {
			sig = strings.Repeat("0", 64)
		}
		out = append(out, fmt.Sprintf("%x;chunk-signature=%s\r\n", len(chunk), sig)...)
		out = append(out, chunk...)
		out = append(out, "\r\n"...)
		if len(chunk) == 0 {
			return out
		}
		if end == len(data) {
			off = len(data) - size // next iteration emits the final empty chunk
		}
	}
}

// chunkedLength is the encoded length of chunked(data, size).
func chunkedLength(n, size int) int64 {
	frame := func(c int) int64 { return int64(len(fmt.Sprintf("%x", c)) + len(";chunk-signature=") + 64 + 2 + c + 2) }
	total := frame(0)
	for off := 0; off < n; off += size {
		total += frame(min(size, n-off))
	}
	return total
}
