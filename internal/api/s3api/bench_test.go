package s3api_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"rolegate/internal/sigv4"
	"rolegate/internal/testkit"
)

// BenchmarkGetObject4KiB measures an authorized GetObject of a 4 KiB object through the whole
// stack: client signing, HTTP over loopback, routing, SigV4 verification, the policy engine
// (an IAM user's identity policy and the bucket policy) and the object read. The share spent in
// authentication and authorization is read from a CPU profile of this benchmark:
// (*authn.Authenticator).Authenticate and (*gate.Call).Authorize against
// (*router.Router).ServeHTTP (see scripts/bench-s3-getobject.sh).
func BenchmarkGetObject4KiB(b *testing.B) {
	srv := testkit.NewServer(b)
	ctx := context.Background()
	_, err := srv.S3(srv.Management.Root).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bench")})
	if err != nil {
		b.Fatal(err)
	}
	data := bytes.Repeat([]byte("x"), 4096)
	if _, err := srv.S3(srv.Management.Root).PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bench"), Key: aws.String("obj"), Body: bytes.NewReader(data)}); err != nil {
		b.Fatal(err)
	}
	if _, err := srv.S3(srv.Management.Root).PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("bench"),
		Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::bench/*"}]}`)}); err != nil {
		b.Fatal(err)
	}
	user := newUser(b, srv, srv.Management.Root, "bench-reader", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::bench/*"}]}`)
	r := newRaw(srv, user)
	signer := r.signer()
	signer.Keys = sigv4.NewKeyCache(16)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	buf := make([]byte, 8192)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		req, _ := http.NewRequest("GET", srv.URL+"/bench/obj", nil)
		sr := &sigv4.Request{Method: "GET", Path: "/bench/obj", Host: req.URL.Host, Header: req.Header}
		if err := signer.Sign(sr, srv.Clock.Now(), sigv4.EmptySHA256); err != nil {
			b.Fatal(err)
		}
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.ReadFull(resp.Body, buf[:4096])
		resp.Body.Close()
		if resp.StatusCode != 200 || n != 4096 {
			b.Fatalf("GET: %d, %d bytes", resp.StatusCode, n)
		}
	}
}
