package s3api_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"rolegate/internal/checksum"
	"rolegate/internal/sigv4"
	"rolegate/internal/testkit"
)

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestAuthErrors(t *testing.T) {
	srv := testkit.NewServer(t)
	createBucket(t, srv.S3(srv.Management.Root), "authb", "k")
	good := newRaw(srv, srv.Management.Root)
	badSecret := newRaw(srv, testkit.Creds{AccessKeyID: srv.Management.Root.AccessKeyID, SecretAccessKey: "wrong"})
	unknown := newRaw(srv, testkit.Creds{AccessKeyID: "AKIAUNKNOWNUNKNOWN00", SecretAccessKey: "x"})
	skewed := newRaw(srv, srv.Management.Root)
	skewed.now = func() time.Time { return srv.Clock.Now().Add(-20 * time.Minute) }
	badToken := newRaw(srv, testkit.Creds{AccessKeyID: "ASIAUNKNOWNUNKNOWN00", SecretAccessKey: "x", SessionToken: "garbage"})
	tests := []struct {
		name   string
		r      *raw
		method string
		status int
		code   string
		fields []string
	}{
		{"signature mismatch", badSecret, "GET", 403, "SignatureDoesNotMatch", []string{"<AWSAccessKeyId>", "<StringToSign>", "<CanonicalRequest>", "<SignatureProvided>"}},
		{"unknown key", unknown, "GET", 403, "InvalidAccessKeyId", []string{"<AWSAccessKeyId>AKIAUNKNOWNUNKNOWN00</AWSAccessKeyId>"}},
		{"skew", skewed, "GET", 403, "RequestTimeTooSkewed", []string{"<RequestTime>", "<ServerTime>", "<MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds>"}},
		{"bad token", badToken, "GET", 400, "InvalidToken", nil},
		{"head has no body", badSecret, "HEAD", 403, "", nil},
		{"no such key", good, "GET", 404, "NoSuchKey", []string{"<Key>nope</Key>"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			target := "/authb/k"
			if tc.code == "NoSuchKey" {
				target = "/authb/nope"
			}
			resp, body := tc.r.do(t, tc.method, target, nil, nil, 0, sigv4.EmptySHA256)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, body)
			}
			if resp.Header.Get("x-amz-request-id") == "" || resp.Header.Get("x-amz-id-2") == "" {
				t.Errorf("missing request id headers")
			}
			if tc.method == "HEAD" {
				if body != "" {
					t.Errorf("HEAD error has a body: %q", body)
				}
				return
			}
			if !strings.Contains(body, "<Code>"+tc.code+"</Code>") || !strings.Contains(body, "<RequestId>") || !strings.Contains(body, "<HostId>") {
				t.Errorf("body %s", body)
			}
			for _, f := range tc.fields {
				if !strings.Contains(body, f) {
					t.Errorf("body lacks %s: %s", f, body)
				}
			}
			if strings.Contains(body, "wrong") {
				t.Errorf("error body leaks the secret")
			}
		})
	}
}

func TestPayloadModes(t *testing.T) {
	srv := testkit.NewServer(t)
	createBucket(t, srv.S3(srv.Management.Root), "payloads")
	r := newRaw(srv, srv.Management.Root)
	data := bytes.Repeat([]byte("payload-"), 10000)
	get := func(t *testing.T, key string) string {
		resp, body := r.do(t, "GET", "/payloads/"+key, nil, nil, 0, sigv4.EmptySHA256)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", key, resp.StatusCode, body)
		}
		return body
	}
	t.Run("signed hex payload", func(t *testing.T) {
		resp, body := r.do(t, "PUT", "/payloads/hex", nil, bytes.NewReader(data), int64(len(data)), sha256Hex(data))
		if resp.StatusCode != 200 || get(t, "hex") != string(data) {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
		resp, body = r.do(t, "PUT", "/payloads/hexbad", nil, bytes.NewReader(data), int64(len(data)), sha256Hex([]byte("other")))
		if resp.StatusCode != 400 || !strings.Contains(body, "XAmzContentSHA256Mismatch") {
			t.Fatalf("mismatch: %d %s", resp.StatusCode, body)
		}
		if resp, _ := r.do(t, "HEAD", "/payloads/hexbad", nil, nil, 0, sigv4.EmptySHA256); resp.StatusCode != 404 {
			t.Fatalf("object with a bad hash is visible: %d", resp.StatusCode)
		}
	})
	t.Run("unsigned payload with checksum header", func(t *testing.T) {
		h := http.Header{"X-Amz-Checksum-Crc32": {checksum.CRC32.Sum(data)}}
		resp, body := r.do(t, "PUT", "/payloads/unsigned", h, bytes.NewReader(data), int64(len(data)), sigv4.UnsignedPayload)
		if resp.StatusCode != 200 || resp.Header.Get("x-amz-checksum-crc32") != checksum.CRC32.Sum(data) {
			t.Fatalf("%d %s %v", resp.StatusCode, body, resp.Header)
		}
		h = http.Header{"X-Amz-Checksum-Crc32": {checksum.CRC32.Sum([]byte("x"))}}
		resp, body = r.do(t, "PUT", "/payloads/unsignedbad", h, bytes.NewReader(data), int64(len(data)), sigv4.UnsignedPayload)
		if resp.StatusCode != 400 || !strings.Contains(body, "BadDigest") {
			t.Fatalf("bad checksum: %d %s", resp.StatusCode, body)
		}
	})
	t.Run("Content-MD5", func(t *testing.T) {
		h := http.Header{"Content-Md5": {"1B2M2Y8AsgTpgAmY7PhCfg=="}} // MD5 of the empty string
		resp, body := r.do(t, "PUT", "/payloads/md5bad", h, bytes.NewReader(data), int64(len(data)), sigv4.UnsignedPayload)
		if resp.StatusCode != 400 || !strings.Contains(body, "BadDigest") {
			t.Fatalf("bad md5: %d %s", resp.StatusCode, body)
		}
	})
	t.Run("streaming unsigned payload with trailer", func(t *testing.T) {
		var enc bytes.Buffer
		for off := 0; off < len(data); off += 8192 {
			c := data[off:min(off+8192, len(data))]
			fmt.Fprintf(&enc, "%x\r\n%s\r\n", len(c), c)
		}
		fmt.Fprintf(&enc, "0\r\nx-amz-checksum-crc32c:%s\r\n\r\n", checksum.CRC32C.Sum(data))
		h := http.Header{"Content-Encoding": {"aws-chunked"}, "X-Amz-Decoded-Content-Length": {fmt.Sprint(len(data))},
			"X-Amz-Trailer": {"x-amz-checksum-crc32c"}, "X-Amz-Sdk-Checksum-Algorithm": {"CRC32C"}}
		resp, body := r.do(t, "PUT", "/payloads/trailer", h, bytes.NewReader(enc.Bytes()), int64(enc.Len()), sigv4.StreamingUnsignedPayloadTrailer)
		if resp.StatusCode != 200 || get(t, "trailer") != string(data) {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
		head, err := srv.S3(srv.Management.Root).HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String("payloads"), Key: aws.String("trailer"), ChecksumMode: "ENABLED"})
		must(t, "HeadObject", err)
		if aws.ToString(head.ChecksumCRC32C) != checksum.CRC32C.Sum(data) || aws.ToString(head.ContentEncoding) != "" {
			t.Errorf("checksum %q encoding %q", aws.ToString(head.ChecksumCRC32C), aws.ToString(head.ContentEncoding))
		}
	})
	for _, corrupt := range []bool{false, true} {
		t.Run(fmt.Sprintf("signed chunks corrupt=%v", corrupt), func(t *testing.T) {
			key := fmt.Sprintf("chunks-%v", corrupt)
			h := http.Header{"Content-Encoding": {"aws-chunked"}, "X-Amz-Decoded-Content-Length": {fmt.Sprint(len(data))}}
			req := r.request(t, "PUT", "/payloads/"+key, h, nil, chunkedLength(len(data), 16384), sigv4.StreamingPayload)
			authz := req.Header.Get("Authorization")
			seed := authz[strings.LastIndex(authz, "=")+1:]
			amzDate := req.Header.Get("X-Amz-Date")
			scope := amzDate[:8] + "/us-east-1/s3/aws4_request"
			key4 := sigv4.DeriveKey(srv.Management.Root.SecretAccessKey, amzDate[:8], "us-east-1", "s3")
			body := chunked(key4, amzDate, scope, seed, data, 16384, corrupt)
			req.Body = io.NopCloser(bytes.NewReader(body))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			rb, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if corrupt {
				if resp.StatusCode != 403 || !strings.Contains(string(rb), "SignatureDoesNotMatch") {
					t.Fatalf("corrupt chunk accepted: %d %s", resp.StatusCode, rb)
				}
				if resp, _ := r.do(t, "HEAD", "/payloads/"+key, nil, nil, 0, sigv4.EmptySHA256); resp.StatusCode != 404 {
					t.Fatalf("object with a bad chunk signature is visible")
				}
				return
			}
			if resp.StatusCode != 200 || get(t, key) != string(data) {
				t.Fatalf("%d %s", resp.StatusCode, rb)
			}
		})
	}
}

func TestPresignedURLs(t *testing.T) {
	srv := testkit.NewServer(t)
	createBucket(t, srv.S3(srv.Management.Root), "presign")
	r := newRaw(srv, srv.Management.Root)
	putURL := r.presign(t, "PUT", "/presign/up.txt", time.Hour)
	req, _ := http.NewRequest("PUT", putURL, strings.NewReader("uploaded"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("presigned PUT: %d", resp.StatusCode)
	}
	getURL := r.presign(t, "GET", "/presign/up.txt", time.Minute)
	resp, err = http.Get(getURL)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(b) != "uploaded" {
		t.Fatalf("presigned GET: %d %q", resp.StatusCode, b)
	}
	srv.Clock.Advance(2 * time.Minute)
	resp, err = http.Get(getURL)
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 403 || !strings.Contains(string(b), "<Code>AccessDenied</Code><Message>Request has expired</Message>") || !strings.Contains(string(b), "<X-Amz-Expires>60</X-Amz-Expires>") {
		t.Fatalf("expired presigned GET: %d %s", resp.StatusCode, b)
	}
}
