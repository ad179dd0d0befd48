package sigv4_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"rolegate/internal/checksum"
	"rolegate/internal/sigv4"
)

// received is what the server side of s3Transport saw for one request.
type received struct {
	auth    sigv4.Auth
	path    string
	query   string
	host    string
	body    []byte
	trailer map[string]string
	sums    map[string]string // x-amz-checksum-* request headers
	err     error
}

// s3Transport stands in for the server: it takes each request the real S3 client sends, puts it
// through the wire and through Parse, Verify and NewBodyReader, and answers 200.
type s3Transport struct {
	secret string
	mu     sync.Mutex
	got    []received
}

func (s *s3Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := s.authenticate(req)
	s.mu.Lock()
	s.got = append(s.got, rec)
	s.mu.Unlock()
	body := ""
	if req.Method == http.MethodGet && req.URL.Query().Has("list-type") {
		body = `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>`
	}
	if req.Method == http.MethodPost && req.URL.Query().Has("delete") {
		body = `<?xml version="1.0" encoding="UTF-8"?><DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></DeleteResult>`
	}
	return &http.Response{
		StatusCode: http.StatusOK, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Etag": {`"d41d8cd98f00b204e9800998ecf8427e"`}, "X-Amz-Request-Id": {"req"}},
		Body:          io.NopCloser(strings.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       req,
	}, nil
}

func (s *s3Transport) authenticate(req *http.Request) received {
	var wire bytes.Buffer
	if err := req.Write(&wire); err != nil {
		return received{err: err}
	}
	srv, err := http.ReadRequest(bufioReader(&wire))
	if err != nil {
		return received{err: err}
	}
	raw, err := io.ReadAll(srv.Body)
	if err != nil {
		return received{err: err}
	}
	r := fromHTTP(srv)
	rec := received{path: r.Path, query: r.RawQuery, host: r.Host, sums: map[string]string{}}
	for k, v := range srv.Header {
		if _, ok := checksum.FromHeader(k); ok {
			rec.sums[strings.ToLower(k)] = v[0]
		}
	}
	a, err := sigv4.Parse(&r)
	if err != nil {
		rec.err = fmt.Errorf("Parse: %w", err)
		return rec
	}
	rec.auth = a
	key := sigv4.DeriveKey(s.secret, a.Date, a.Region, a.Service)
	// The SDK signs with its own clock, which a test cannot set; the request's own time stands in
	// for the server's.
	if err := sigv4.Verify(&r, &a, key, a.Time); err != nil {
		rec.err = fmt.Errorf("Verify: %w", err)
		return rec
	}
	br, err := sigv4.NewBodyReader(&r, &a, key, bytes.NewReader(raw))
	if err != nil {
		rec.err = fmt.Errorf("NewBodyReader: %w", err)
		return rec
	}
	rec.body, rec.err = io.ReadAll(br)
	rec.trailer = br.Trailer()
	return rec
}

func newS3Client(tr *s3Transport, endpoint string, pathStyle bool, token string) *s3.Client {
	return s3.New(s3.Options{
		Region:       "eu-west-3",
		BaseEndpoint: aws.String(endpoint),
		UsePathStyle: pathStyle,
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", tr.secret, token),
		HTTPClient:   &http.Client{Transport: tr},
	})
}

// onlyReader hides Seek, as a pipe or a network stream would.
type onlyReader struct{ io.Reader }

// TestS3ClientRequestsVerify drives the real aws-sdk-go-v2 S3 client (default flexible
// checksums, aws-chunked trailers over HTTPS, path and virtual-host addressing, awkward keys) and
// checks that every request it sends authenticates and its body decodes to what was uploaded.
func TestS3ClientRequestsVerify(t *testing.T) {
	t.Parallel()
	awkward := "dir/my file+v1~ü€!'()*@=&$,;:#?[]{}^`|\\\"<>%2F.txt"
	data := bytes.Repeat([]byte("rolegate object data "), 5000)
	tests := []struct {
		name      string
		endpoint  string
		pathStyle bool
		token     string
		call      func(ctx context.Context, c *s3.Client) error
		wantBody  []byte
		wantHash  string // expected x-amz-content-sha256 value; "hex" for any hex
		wantSum   bool   // the upload carries a checksum header or trailer
	}{
		{name: "put https seekable", endpoint: "https://localhost:9443", pathStyle: true, wantBody: data, wantHash: sigv4.UnsignedPayload,
			call: func(ctx context.Context, c *s3.Client) error {
				_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bucket"), Key: aws.String(awkward), Body: bytes.NewReader(data)})
				return err
			}},
		{name: "put https stream crc64nvme virtual host", endpoint: "https://localhost:9443", token: "session/token+==", wantBody: data, wantSum: true,
			wantHash: sigv4.StreamingUnsignedPayloadTrailer,
			call: func(ctx context.Context, c *s3.Client) error {
				_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bucket"), Key: aws.String("a/b c"),
					Body: onlyReader{bytes.NewReader(data)}, ContentLength: aws.Int64(int64(len(data))), ChecksumAlgorithm: s3types.ChecksumAlgorithmCrc64nvme})
				return err
			}},
		{name: "put http hex payload sha256 checksum", endpoint: "http://127.0.0.1:9000", pathStyle: true, wantBody: data, wantHash: "hex", wantSum: true,
			call: func(ctx context.Context, c *s3.Client) error {
				_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bucket"), Key: aws.String(awkward), Body: bytes.NewReader(data),
					ChecksumAlgorithm: s3types.ChecksumAlgorithmSha256, Metadata: map[string]string{"note": "a  b"}})
				return err
			}},
		{name: "list with prefix", endpoint: "http://127.0.0.1:9000", pathStyle: true, wantHash: "hex",
			call: func(ctx context.Context, c *s3.Client) error {
				_, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("bucket"), Prefix: aws.String("a b+c/ü"), Delimiter: aws.String("/")})
				return err
			}},
		{name: "delete objects", endpoint: "https://localhost:9443", pathStyle: true, wantHash: "",
			call: func(ctx context.Context, c *s3.Client) error {
				_, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("bucket"), Delete: &s3types.Delete{
					Objects: []s3types.ObjectIdentifier{{Key: aws.String(awkward)}, {Key: aws.String("x")}}}})
				return err
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tr := &s3Transport{secret: exampleSecret}
			if err := tc.call(context.Background(), newS3Client(tr, tc.endpoint, tc.pathStyle, tc.token)); err != nil {
				t.Fatalf("client call: %v", err)
			}
			if len(tr.got) != 1 {
				t.Fatalf("server saw %d requests", len(tr.got))
			}
			got := tr.got[0]
			if got.err != nil {
				t.Fatalf("%s %s?%s: %v", got.host, got.path, got.query, got.err)
			}
			switch tc.wantHash {
			case "":
			case "hex":
				if len(got.auth.PayloadHash) != 64 {
					t.Errorf("payload hash = %q, want hex", got.auth.PayloadHash)
				}
			default:
				if got.auth.PayloadHash != tc.wantHash {
					t.Errorf("payload hash = %q, want %q", got.auth.PayloadHash, tc.wantHash)
				}
			}
			if tc.wantBody != nil && !bytes.Equal(got.body, tc.wantBody) {
				t.Errorf("decoded body has %d bytes, want %d", len(got.body), len(tc.wantBody))
			}
			if got.auth.PayloadHash == sigv4.StreamingUnsignedPayloadTrailer && len(got.trailer) == 0 {
				t.Error("no trailer decoded")
			}
			if tc.wantSum && len(got.trailer)+len(got.sums) == 0 {
				t.Error("upload carried no checksum")
			}
			for name, v := range got.sums {
				if alg, _ := checksum.FromHeader(name); v != alg.Sum(got.body) {
					t.Errorf("header %s = %s, want %s", name, v, alg.Sum(got.body))
				}
			}
			for name, v := range got.trailer {
				if alg, ok := checksum.FromHeader(name); ok && v != alg.Sum(tc.wantBody) {
					t.Errorf("trailer %s = %s, want %s", name, v, alg.Sum(tc.wantBody))
				}
			}
			if !tc.pathStyle && !strings.HasPrefix(got.host, "bucket.") {
				t.Errorf("host = %q, want virtual-host style", got.host)
			}
		})
	}
}

// TestS3PresignClientURLsVerify checks URLs from the S3 presign client.
func TestS3PresignClientURLsVerify(t *testing.T) {
	t.Parallel()
	tr := &s3Transport{secret: exampleSecret}
	pc := s3.NewPresignClient(newS3Client(tr, "http://127.0.0.1:9000", true, "tok/en+"))
	ctx := context.Background()
	get, err := pc.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bucket"), Key: aws.String("dir/a b+c~ü.txt"),
		ResponseContentType: aws.String("text/plain; charset=utf-8")}, s3.WithPresignExpires(90*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	put, err := pc.PresignPutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bucket"), Key: aws.String("up load"),
		ContentType: aws.String("image/png")}, s3.WithPresignExpires(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct {
		method, url string
		header      http.Header
		body        string
		expires     time.Duration
	}{{get.Method, get.URL, get.SignedHeader, "", 90 * time.Minute}, {put.Method, put.URL, put.SignedHeader, "png bytes", time.Minute}} {
		u, err := url.Parse(p.url)
		if err != nil {
			t.Fatal(err)
		}
		req, err := http.NewRequest(p.method, u.String(), strings.NewReader(p.body))
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range p.header {
			if k != "Host" {
				req.Header[k] = v
			}
		}
		rec := tr.authenticate(req)
		if rec.err != nil {
			t.Fatalf("%s %s: %v", p.method, p.url, rec.err)
		}
		if !rec.auth.Presigned || rec.auth.Expires != p.expires || rec.auth.SecurityToken != "tok/en+" || string(rec.body) != p.body {
			t.Errorf("%s: auth %+v body %q", p.method, rec.auth, rec.body)
		}
		// Past its expiry the URL is refused.
		r := sigv4.Request{Method: p.method, Path: u.EscapedPath(), RawQuery: u.RawQuery, Host: u.Host, Header: map[string][]string{}}
		for k, v := range p.header {
			r.Header[k] = v
		}
		a, err := sigv4.Parse(&r)
		if err != nil {
			t.Fatal(err)
		}
		key := sigv4.DeriveKey(exampleSecret, a.Date, a.Region, a.Service)
		if err := sigv4.Verify(&r, &a, key, a.Time.Add(p.expires+time.Second)); !errorsIs(err, sigv4.ErrExpired) {
			t.Errorf("after expiry: err = %v, want ErrExpired", err)
		}
	}
}
