package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"rolegate/internal/sigv4"
	"rolegate/internal/testkit"
)

// signedPost returns a function that sends one signed Query POST to the server and fails the
// benchmark unless the answer is 200.
func signedPost(b *testing.B, s *testkit.Server, c testkit.Creds, service string, form url.Values) func() {
	u, _ := url.Parse(s.URL)
	body, hdr := signForm(b, s, c, service, form, u.Host)
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	return func() {
		req, _ := http.NewRequest("POST", s.URL+"/", strings.NewReader(body))
		req.Header = hdr.Clone()
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("status %d: %s", resp.StatusCode, raw)
		}
	}
}

// BenchmarkSignedGetUser is a signed iam:GetUser through the whole HTTP stack: SigV4
// verification, the gate deciding with the user's policies, the store read and the XML answer.
func BenchmarkSignedGetUser(b *testing.B) {
	s := testkit.NewServer(b)
	dev := s.CreateAccount(b, "dev")
	alice := s.User(b, dev.Root, "alice", map[string]string{"p": testkit.Allow("*", "iam:GetUser")})
	call := signedPost(b, s, alice, "iam", url.Values{"Action": {"GetUser"}, "Version": {"2010-05-08"}, "UserName": {"alice"}})
	call()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			call()
		}
	})
}

// BenchmarkAssumeRole is a signed cross-account sts:AssumeRole through the whole HTTP stack: the
// caller's identity policy and the role's trust policy (with a condition) decide, and a sealed
// session comes back.
func BenchmarkAssumeRole(b *testing.B) {
	s := testkit.NewServer(b)
	dev, prod := s.CreateAccount(b, "dev"), s.CreateAccount(b, "prod")
	alice := s.User(b, dev.Root, "alice", map[string]string{"p": testkit.Allow("arn:aws:iam::"+prod.ID+":role/*", "sts:AssumeRole")})
	role := s.Role(b, prod.Root, "target", testkit.Trust("arn:aws:iam::"+dev.ID+":root", `"Condition":{"StringEquals":{"sts:ExternalId":"bench-1"}}`), nil)
	call := signedPost(b, s, alice, "sts", url.Values{"Action": {"AssumeRole"}, "Version": {"2011-06-15"}, "RoleArn": {role},
		"RoleSessionName": {"bench"}, "ExternalId": {"bench-1"}})
	call()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			call()
		}
	})
}

// BenchmarkSessionGetCallerIdentity is sts:GetCallerIdentity signed with temporary credentials:
// the session token is opened and its derived secret verifies the signature.
func BenchmarkSessionGetCallerIdentity(b *testing.B) {
	s := testkit.NewServer(b)
	dev := s.CreateAccount(b, "dev")
	alice := s.User(b, dev.Root, "alice", map[string]string{"p": testkit.Allow("*", "sts:AssumeRole")})
	role := s.Role(b, dev.Root, "r", testkit.Trust("arn:aws:iam::"+dev.ID+":root", ""), nil)
	out, err := s.STS(alice).AssumeRole(context.Background(), &sts.AssumeRoleInput{RoleArn: aws.String(role), RoleSessionName: aws.String("bench")})
	if err != nil {
		b.Fatal(err)
	}
	sess := testkit.FromSTS(out.Credentials.AccessKeyId, out.Credentials.SecretAccessKey, out.Credentials.SessionToken)
	call := signedPost(b, s, sess, "sts", url.Values{"Action": {"GetCallerIdentity"}, "Version": {"2011-06-15"}})
	call()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			call()
		}
	})
}

// BenchmarkHandlerAssumeRole measures the server's own work for one signed cross-account
// AssumeRole, calling its handler directly: no network, no HTTP parsing, no client.
func BenchmarkHandlerAssumeRole(b *testing.B) {
	s := testkit.NewServer(b)
	dev, prod := s.CreateAccount(b, "dev"), s.CreateAccount(b, "prod")
	alice := s.User(b, dev.Root, "alice", map[string]string{"p": testkit.Allow("arn:aws:iam::"+prod.ID+":role/*", "sts:AssumeRole")})
	role := s.Role(b, prod.Root, "target", testkit.Trust("arn:aws:iam::"+dev.ID+":root", `"Condition":{"StringEquals":{"sts:ExternalId":"bench-1"}}`), nil)
	form := url.Values{"Action": {"AssumeRole"}, "Version": {"2011-06-15"}, "RoleArn": {role}, "RoleSessionName": {"bench"}, "ExternalId": {"bench-1"}}
	benchHandler(b, s, alice, "sts", form)
}

// BenchmarkHandlerGetCallerIdentity is the server's own work for a signed GetCallerIdentity.
func BenchmarkHandlerGetCallerIdentity(b *testing.B) {
	s := testkit.NewServer(b)
	dev := s.CreateAccount(b, "dev")
	alice := s.User(b, dev.Root, "alice", nil)
	benchHandler(b, s, alice, "sts", url.Values{"Action": {"GetCallerIdentity"}, "Version": {"2011-06-15"}})
}

func benchHandler(b *testing.B, s *testkit.Server, c testkit.Creds, service string, form url.Values) {
	body, hdr := signForm(b, s, c, service, form, "rolegate.test")
	h := s.Srv.Handler()
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("POST", "http://rolegate.test/", strings.NewReader(body))
		req.Header = hdr
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

// signForm signs a Query POST of form for host once: a signature stays valid for 15 minutes, so
// the benchmarks replay one signed request, as the load generator does.
func signForm(b *testing.B, s *testkit.Server, c testkit.Creds, service string, form url.Values, host string) (string, http.Header) {
	body := form.Encode()
	sum := sha256.Sum256([]byte(body))
	signer := sigv4.Signer{Credentials: sigv4.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken},
		Region: "us-east-1", Service: service}
	hdr := http.Header{"Content-Type": {"application/x-www-form-urlencoded; charset=utf-8"}}
	sr := &sigv4.Request{Method: "POST", Path: "/", Host: host, Header: hdr, ContentLength: int64(len(body))}
	if err := signer.Sign(sr, s.Clock.Now(), hex.EncodeToString(sum[:])); err != nil {
		b.Fatal(err)
	}
	return body, hdr
}

// BenchmarkHandlerGetObject is the server's own work for an authorized 4 KiB S3 GetObject by an
// IAM user whose identity policy allows it, the handler called directly.
func BenchmarkHandlerGetObject(b *testing.B) {
	s := testkit.NewServer(b)
	dev := s.CreateAccount(b, "dev")
	alice := s.User(b, dev.Root, "alice", map[string]string{"p": testkit.Allow("arn:aws:s3:::bench-bucket/*", "s3:GetObject")})
	ctx := context.Background()
	if _, err := s.S3(dev.Root).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bench-bucket")}); err != nil {
		b.Fatal(err)
	}
	if _, err := s.S3(dev.Root).PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bench-bucket"), Key: aws.String("obj"),
		Body: bytes.NewReader(make([]byte, 4096))}); err != nil {
		b.Fatal(err)
	}
	signer := sigv4.Signer{Credentials: sigv4.Credentials{AccessKeyID: alice.AccessKeyID, SecretAccessKey: alice.SecretAccessKey},
		Region: "us-east-1", Service: "s3"}
	hdr := http.Header{}
	sr := &sigv4.Request{Method: "GET", Path: "/bench-bucket/obj", Host: "rolegate.test", Header: hdr}
	if err := signer.Sign(sr, s.Clock.Now(), sigv4.EmptySHA256); err != nil {
		b.Fatal(err)
	}
	h := s.Srv.Handler()
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("GET", "http://rolegate.test/bench-bucket/obj", nil)
		req.Header = hdr
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 || rec.Body.Len() != 4096 {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}
