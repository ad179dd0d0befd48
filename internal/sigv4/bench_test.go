package sigv4_test

import (
	"bytes"
	"io"
	"testing"

	"rolegate/internal/checksum"
	"rolegate/internal/sigv4"
)

// BenchmarkVerifyQueryPost measures what the server does for a typical signed STS form post
// with temporary credentials and a warm key cache: parse, key lookup, verify.
func BenchmarkVerifyQueryPost(b *testing.B) {
	r := roundTripRequests(b)[0].req
	r.BodySHA256 = sha256Hex([]byte("Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fdemo&RoleSessionName=s1&Version=2011-06-15"))
	cache := sigv4.NewKeyCache(1024)
	now := roundTripTime
	verify := func() {
		a, err := sigv4.Parse(&r)
		if err != nil {
			b.Fatal(err)
		}
		key := cache.Key(exampleSecret, a.AccessKeyID, a.Date, a.Region, a.Service)
		if err := sigv4.Verify(&r, &a, key, now); err != nil {
			b.Fatal(err)
		}
	}
	verify()
	b.ReportAllocs()
	for b.Loop() {
		verify()
	}
}

// BenchmarkVerifyPresignedS3 measures a presigned S3 GET, whose query must be decoded and sorted.
func BenchmarkVerifyPresignedS3(b *testing.B) {
	r := roundTripRequests(b)[2].req
	cache := sigv4.NewKeyCache(1024)
	b.ReportAllocs()
	for b.Loop() {
		a, err := sigv4.Parse(&r)
		if err != nil {
			b.Fatal(err)
		}
		key := cache.Key(exampleSecret, a.AccessKeyID, a.Date, a.Region, a.Service)
		if err := sigv4.Verify(&r, &a, key, roundTripTime); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDeriveKey(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sigv4.DeriveKey(exampleSecret, "20240101", "us-east-1", "sts")
	}
}

func BenchmarkKeyCacheHit(b *testing.B) {
	c := sigv4.NewKeyCache(4096)
	c.Key(exampleSecret, "AKIAEXAMPLE", "20240101", "us-east-1", "sts")
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			c.Key(exampleSecret, "AKIAEXAMPLE", "20240101", "us-east-1", "sts")
		}
	})
}

func BenchmarkSign(b *testing.B) {
	s := sigv4.Signer{Credentials: sigv4.Credentials{AccessKeyID: "AKID", SecretAccessKey: exampleSecret}, Region: "us-east-1", Service: "sts",
		Keys: sigv4.NewKeyCache(16)}
	b.ReportAllocs()
	for b.Loop() {
		r := sigv4.Request{Method: "POST", Path: "/", Host: "localhost:4566",
			Header: map[string][]string{"Content-Type": {"application/x-www-form-urlencoded"}}}
		if err := s.Sign(&r, roundTripTime, sigv4.EmptySHA256); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkChunkedDecode measures decoding an 8 MiB aws-chunked upload in 64 KiB chunks.
func BenchmarkChunkedDecode(b *testing.B) {
	data := make([]byte, 8<<20)
	for i := range data {
		data[i] = byte(i)
	}
	for _, mode := range []string{sigv4.StreamingPayload, sigv4.StreamingUnsignedPayloadTrailer} {
		b.Run(mode, func(b *testing.B) {
			declared := ""
			var trailers [][2]string
			if mode == sigv4.StreamingUnsignedPayloadTrailer {
				declared = "x-amz-checksum-crc32"
			}
			c := newChunkSetup(b, mode, len(data), declared)
			if declared != "" {
				trailers = [][2]string{{"x-amz-checksum-crc32", checksum.CRC32.Sum(data)}}
			}
			c.enc.trailers = trailers
			body := c.enc.encode(data, 64<<10)
			buf := make([]byte, 32<<10)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				br, err := sigv4.NewBodyReader(c.r, &c.a, c.key, bytes.NewReader(body))
				if err != nil {
					b.Fatal(err)
				}
				n, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{br}, buf)
				if err != nil || n != int64(len(data)) {
					b.Fatalf("copied %d, %v", n, err)
				}
			}
		})
	}
}

// BenchmarkHashReader measures the plain-body SHA-256 check.
func BenchmarkHashReader(b *testing.B) {
	data := make([]byte, 8<<20)
	claim := sha256Hex(data)
	buf := make([]byte, 32<<10)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		n, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{sigv4.NewHashReader(bytes.NewReader(data), claim)}, buf)
		if err != nil || n != int64(len(data)) {
			b.Fatalf("copied %d, %v", n, err)
		}
	}
}
