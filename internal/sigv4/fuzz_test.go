package sigv4_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"rolegate/internal/checksum"
	"rolegate/internal/sigv4"
)

// FuzzParse feeds arbitrary Authorization headers, presign queries and dates to Parse: it must
// never panic, must return only *Error values, and whatever it accepts must be consistent.
func FuzzParse(f *testing.F) {
	f.Add("AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature="+goodSig, "", "20240101T000000Z", "")
	f.Add("AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/s3/aws4_request,SignedHeaders=host,Signature=x", "", "20240101T000000Z", sigv4.UnsignedPayload)
	f.Add("", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20240101T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature="+goodSig, "", "")
	f.Add("AWS4-ECDSA-P256-SHA256 Credential=AKID/20240101/s3/aws4_request", "", "", "")
	f.Add("AWS AKID:sig", "AWSAccessKeyId=x&Signature=y", "Mon, 01 Jan 2024 00:00:00 GMT", "")
	f.Add("AWS4-HMAC-SHA256 Credential=//////,SignedHeaders=;;;,Signature==", "X-Amz-Expires=%ff&&=&X-Amz-Signature", "99999999T999999Z", "STREAMING-")
	f.Fuzz(func(t *testing.T, authz, query, date, contentSHA string) {
		h := map[string][]string{"Authorization": {authz}, "X-Amz-Date": {date}, "Date": {date}, "X-Amz-Content-Sha256": {contentSHA}}
		r := &sigv4.Request{Method: "GET", Path: "/", RawQuery: query, Host: "h", Header: h, ContentLength: -1}
		a, err := sigv4.Parse(r)
		if err != nil {
			var se *sigv4.Error
			if !errors.As(err, &se) || se.Err == nil || se.Message == "" {
				t.Fatalf("Parse error %#v is not a complete *sigv4.Error", err)
			}
			return
		}
		if a.AmzDate[:8] != a.Date || a.Scope != a.Date+"/"+a.Region+"/"+a.Service+"/aws4_request" ||
			a.AccessKeyID == "" || a.Region == "" || a.Service == "" || a.Signature == "" {
			t.Fatalf("inconsistent Auth %+v", a)
		}
		host := false
		for _, n := range a.SignedHeaderNames() {
			host = host || strings.EqualFold(n, "host")
		}
		if !host {
			t.Fatalf("SignedHeaders %q lacks host", a.SignedHeaders)
		}
		if a.Presigned && (a.Expires < 0 || a.Expires > sigv4.MaxPresignExpiry) {
			t.Fatalf("Expires = %v", a.Expires)
		}
		// Verification of a random request with a made-up key must fail without panicking.
		r.BodySHA256 = sigv4.EmptySHA256
		if err := sigv4.Verify(r, &a, sigv4.Key{}, a.Time); err == nil {
			t.Fatalf("random request verified: %+v", a)
		}
	})
}

// FuzzChunked feeds arbitrary bodies to the aws-chunked decoder in each mode: it must never
// panic, never return more bytes than the body holds, and fail with one of its documented errors.
func FuzzChunked(f *testing.F) {
	key := sigv4.DeriveKey("secret", "20240310", "us-east-1", "s3")
	modes := []string{sigv4.StreamingPayload, sigv4.StreamingPayloadTrailer, sigv4.StreamingUnsignedPayloadTrailer}
	seedSig := "9f1c1f7d3a4c8a1e0b7a2f6c5d4e3b2a19181716151413121110090807060504"
	for i, mode := range modes {
		e := &chunkEncoder{mode: mode, key: key, amzDate: "20240310T123045Z", scope: "20240310/us-east-1/s3/aws4_request", prevSig: seedSig,
			trailers: [][2]string{{"x-amz-checksum-crc32", checksum.CRC32.Sum([]byte("hello world, hello chunks"))}}}
		f.Add(uint8(i), e.encode([]byte("hello world, hello chunks"), 5, 7))
		f.Add(uint8(i), []byte("0\r\n\r\n"))
	}
	f.Add(uint8(2), []byte("ffffffffffffffff\r\n"))
	f.Add(uint8(1), []byte("0;chunk-signature=\r\nx-amz-checksum-crc32:\r\nx-amz-trailer-signature:zz\r\n\r\n"))
	f.Fuzz(func(t *testing.T, mode uint8, body []byte) {
		m := modes[int(mode)%len(modes)]
		r := &sigv4.Request{Header: map[string][]string{"X-Amz-Trailer": {"x-amz-checksum-crc32"}}}
		a := &sigv4.Auth{Service: "s3", PayloadHash: m, AmzDate: "20240310T123045Z", Scope: "20240310/us-east-1/s3/aws4_request", Signature: seedSig}
		br, err := sigv4.NewBodyReader(r, a, key, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(br)
		if len(got) > len(body) {
			t.Fatalf("decoded %d bytes from a %d-byte body", len(got), len(body))
		}
		if err == nil {
			return
		}
		for _, want := range []error{sigv4.ErrChunkEncoding, sigv4.ErrChunkSignature, sigv4.ErrIncompleteBody, checksum.ErrMismatch, checksum.ErrInvalid} {
			if errors.Is(err, want) {
				return
			}
		}
		t.Fatalf("undocumented error %v", err)
	})
}

// FuzzSignVerify signs arbitrary requests and checks that they verify, and that they stop
// verifying when the body changes.
func FuzzSignVerify(f *testing.F) {
	f.Add("GET", "/bucket/a b+c/%zz/./..//", "a=1&a=&b&%20=%2B&c=d+e", "  v  a  l  ", "body", true)
	f.Add("POST", "/", "", "application/x-www-form-urlencoded; charset=utf-8", "Action=GetCallerIdentity&Version=2011-06-15", false)
	f.Add("PUT", "http://host/x/y?z", "%", "\t", "", false)
	f.Fuzz(func(t *testing.T, method, path, query, value, body string, s3 bool) {
		if strings.Contains(query, "X-Amz-") || strings.Contains(query, "AWSAccessKeyId") {
			return // a presigned query is another authentication mechanism
		}
		service := "sts"
		if s3 {
			service = "s3"
		}
		s := sigv4.Signer{Credentials: sigv4.Credentials{AccessKeyID: "AKID", SecretAccessKey: "secret"}, Region: "us-east-1", Service: service}
		r := &sigv4.Request{Method: method, Path: path, RawQuery: query, Host: "localhost:1", ContentLength: int64(len(body)),
			Header: map[string][]string{"X-Fuzz": {value}}}
		now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		if err := s.Sign(r, now, sha256Hex([]byte(body))); err != nil {
			t.Fatal(err)
		}
		if !s3 {
			r.BodySHA256 = sha256Hex([]byte(body))
		}
		a, err := sigv4.Parse(r)
		if err != nil {
			t.Fatalf("Parse of a signed request: %v", err)
		}
		key := sigv4.DeriveKey("secret", a.Date, a.Region, a.Service)
		if err := sigv4.Verify(r, &a, key, now); err != nil {
			t.Fatalf("Verify of a signed request: %v", err)
		}
		br, err := sigv4.NewBodyReader(r, &a, key, strings.NewReader(body+"x"))
		if err != nil {
			t.Fatal(err)
		}
		if s3 {
			if _, err := io.ReadAll(br); !errors.Is(err, sigv4.ErrPayloadMismatch) {
				t.Fatalf("changed S3 body: err = %v", err)
			}
		} else {
			r.BodySHA256 = sha256Hex([]byte(body + "x"))
			if err := sigv4.Verify(r, &a, key, now); err == nil {
				t.Fatal("changed body verified")
			}
		}
	})
}
