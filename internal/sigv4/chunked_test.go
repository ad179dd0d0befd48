package sigv4_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"rolegate/internal/checksum"
	"rolegate/internal/sigv4"
)

// The S3 streaming examples of AWS's documentation use a different example secret from the IAM
// one (a '/' where the IAM example has a '+').
const s3ExampleSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

// chunkEncoder writes aws-chunked bodies the way the SigV4 streaming specification describes,
// for the tests only.
type chunkEncoder struct {
	mode     string // one of the STREAMING-* payload values
	key      sigv4.Key
	amzDate  string
	scope    string
	prevSig  string
	trailers [][2]string // name, value
}

func (e *chunkEncoder) sign(sts string) string {
	m := hmac.New(sha256.New, e.key[:])
	m.Write([]byte(sts))
	return hex.EncodeToString(m.Sum(nil))
}

func (e *chunkEncoder) chunk(data []byte) string {
	if e.mode == sigv4.StreamingUnsignedPayloadTrailer {
		return fmt.Sprintf("%x\r\n%s\r\n", len(data), data)
	}
	sig := e.sign("AWS4-HMAC-SHA256-PAYLOAD\n" + e.amzDate + "\n" + e.scope + "\n" + e.prevSig + "\n" +
		sigv4.EmptySHA256 + "\n" + sha256Hex(data))
	e.prevSig = sig
	return fmt.Sprintf("%x;chunk-signature=%s\r\n%s\r\n", len(data), sig, data)
}

// encode returns the body for data cut into chunks of the given sizes (the last size repeats).
func (e *chunkEncoder) encode(data []byte, sizes ...int) []byte {
	var b strings.Builder
	for i := 0; len(data) > 0; i++ {
		n := sizes[min(i, len(sizes)-1)]
		n = min(n, len(data))
		b.WriteString(e.chunk(data[:n]))
		data = data[n:]
	}
	final := e.chunk(nil)
	if e.mode == sigv4.StreamingPayload {
		b.WriteString(final) // "0;chunk-signature=...\r\n\r\n"
		return []byte(b.String())
	}
	b.WriteString(strings.TrimSuffix(final, "\r\n"))
	var canon strings.Builder
	sorted := append([][2]string(nil), e.trailers...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i][0] < sorted[j][0] })
	for _, tr := range e.trailers {
		b.WriteString(tr[0] + ":" + tr[1] + "\r\n")
	}
	for _, tr := range sorted {
		canon.WriteString(tr[0] + ":" + tr[1] + "\n")
	}
	if e.mode == sigv4.StreamingPayloadTrailer {
		sig := e.sign("AWS4-HMAC-SHA256-TRAILER\n" + e.amzDate + "\n" + e.scope + "\n" + e.prevSig + "\n" + sha256Hex([]byte(canon.String())))
		b.WriteString("x-amz-trailer-signature:" + sig + "\r\n")
	}
	b.WriteString("\r\n")
	return []byte(b.String())
}

// TestChunkVectors checks the signatures of AWS's published streaming examples: the
// 66560-byte upload in chunks of 64 KiB, 1 KiB and 0, and the trailer signature.
func TestChunkVectors(t *testing.T) {
	t.Parallel()
	key := sigv4.DeriveKey(s3ExampleSecret, "20130524", "us-east-1", "s3")
	e := &chunkEncoder{mode: sigv4.StreamingPayload, key: key, amzDate: "20130524T000000Z",
		scope: "20130524/us-east-1/s3/aws4_request", prevSig: "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"}
	for i, want := range []struct {
		size int
		sig  string
	}{
		{65536, "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648"},
		{1024, "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497"},
		{0, "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"},
	} {
		e.chunk(bytes.Repeat([]byte{'a'}, want.size))
		if e.prevSig != want.sig {
			t.Errorf("chunk %d signature = %s, want %s", i, e.prevSig, want.sig)
		}
	}
	// Trailer example: after the final chunk signature e05ab64f..., the trailer
	// "x-amz-checksum-crc32c:wdBDMA==" is signed 41e14ac6...
	e.prevSig = "e05ab64fe1dfdbf0b5870abbaabdb063c371d4e96f2767e6934d90529c5ae850"
	got := e.sign("AWS4-HMAC-SHA256-TRAILER\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n" + e.prevSig + "\n" +
		sha256Hex([]byte("x-amz-checksum-crc32c:wdBDMA==\n")))
	if want := "41e14ac611e27a8bb3d66c3bad6856f209297767d5dd4fc87d8fa9e422e03faf"; got != want {
		t.Errorf("trailer signature = %s, want %s", got, want)
	}
}

// awsStreamingExample is the request of AWS's streaming example, whose seed signature the
// documentation gives.
func awsStreamingExample(body []byte) *sigv4.Request {
	return &sigv4.Request{
		Method: "PUT", Path: "/examplebucket/chunkObject.txt", Host: "s3.amazonaws.com", ContentLength: int64(len(body)),
		Header: map[string][]string{
			"Authorization": {"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request," +
				"SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class," +
				"Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"},
			"Content-Encoding":             {"aws-chunked"},
			"Content-Length":               {strconv.Itoa(len(body))},
			"X-Amz-Content-Sha256":         {sigv4.StreamingPayload},
			"X-Amz-Date":                   {"20130524T000000Z"},
			"X-Amz-Decoded-Content-Length": {"66560"},
			"X-Amz-Storage-Class":          {"REDUCED_REDUNDANCY"},
		},
	}
}

func TestAWSStreamingExampleDecodes(t *testing.T) {
	t.Parallel()
	key := sigv4.DeriveKey(s3ExampleSecret, "20130524", "us-east-1", "s3")
	data := bytes.Repeat([]byte{'a'}, 66560)
	e := &chunkEncoder{mode: sigv4.StreamingPayload, key: key, amzDate: "20130524T000000Z",
		scope: "20130524/us-east-1/s3/aws4_request", prevSig: "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"}
	body := e.encode(data, 65536)
	if len(body) != 66824 {
		t.Fatalf("encoded length = %d, want the documented 66824", len(body))
	}
	r := awsStreamingExample(body)
	a, err := sigv4.Parse(r)
	if err != nil {
		t.Fatal(err)
	}
	if err := sigv4.Verify(r, &a, key, mustTime(t, "20130524T000100Z")); err != nil {
		t.Fatalf("seed signature: %v", err)
	}
	br, err := sigv4.NewBodyReader(r, &a, key, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(br)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("decoded %d bytes, err %v", len(got), err)
	}
}

type chunkSetup struct {
	r   *sigv4.Request
	a   sigv4.Auth
	key sigv4.Key
	enc *chunkEncoder
}

func newChunkSetup(t testing.TB, mode string, decodedLen int, trailerNames string) chunkSetup {
	t.Helper()
	r := &sigv4.Request{Method: "PUT", Path: "/bucket/key", Host: "localhost:9000", ContentLength: -1,
		Header: map[string][]string{"Content-Encoding": {"aws-chunked"}}}
	if decodedLen >= 0 {
		r.Header["X-Amz-Decoded-Content-Length"] = []string{strconv.Itoa(decodedLen)}
	}
	if trailerNames != "" {
		r.Header["X-Amz-Trailer"] = []string{trailerNames}
	}
	s := sigv4.Signer{Credentials: sigv4.Credentials{AccessKeyID: "AKID", SecretAccessKey: "secret"}, Region: "us-east-1", Service: "s3"}
	if err := s.Sign(r, roundTripTime, mode); err != nil {
		t.Fatal(err)
	}
	a, err := sigv4.Parse(r)
	if err != nil {
		t.Fatal(err)
	}
	key := sigv4.DeriveKey("secret", a.Date, a.Region, a.Service)
	if err := sigv4.Verify(r, &a, key, roundTripTime); err != nil {
		t.Fatal(err)
	}
	return chunkSetup{r: r, a: a, key: key, enc: &chunkEncoder{mode: mode, key: key, amzDate: a.AmzDate, scope: a.Scope, prevSig: a.Signature}}
}

func (c chunkSetup) read(t *testing.T, body []byte, oneByte bool) ([]byte, *sigv4.BodyReader, error) {
	t.Helper()
	var src io.Reader = bytes.NewReader(body)
	if oneByte {
		src = iotest.OneByteReader(src)
	}
	br, err := sigv4.NewBodyReader(c.r, &c.a, c.key, src)
	if err != nil {
		return nil, nil, err
	}
	var dst io.Writer
	var buf bytes.Buffer
	dst = &buf
	_, err = io.Copy(dst, br)
	return buf.Bytes(), br, err
}

func TestChunkedDecodesGoodBodies(t *testing.T) {
	t.Parallel()
	data := make([]byte, 200_000)
	for i := range data {
		data[i] = byte(i * 7)
	}
	crc := checksum.CRC32C.Sum(data)
	tests := []struct {
		name     string
		mode     string
		sizes    []int
		trailers [][2]string
		declared string
		decoded  int
		data     []byte
	}{
		{name: "signed", mode: sigv4.StreamingPayload, sizes: []int{65536}, decoded: len(data), data: data},
		{name: "signed odd sizes", mode: sigv4.StreamingPayload, sizes: []int{1, 8192, 3}, decoded: len(data), data: data},
		{name: "signed empty", mode: sigv4.StreamingPayload, sizes: []int{1}, decoded: 0, data: nil},
		{name: "signed no decoded length", mode: sigv4.StreamingPayload, sizes: []int{10000}, decoded: -1, data: data},
		{name: "signed trailer", mode: sigv4.StreamingPayloadTrailer, sizes: []int{65536}, decoded: len(data), data: data,
			trailers: [][2]string{{"x-amz-checksum-crc32c", crc}}, declared: "x-amz-checksum-crc32c"},
		{name: "signed two trailers out of order", mode: sigv4.StreamingPayloadTrailer, sizes: []int{65536}, decoded: len(data), data: data,
			trailers: [][2]string{{"x-amz-meta-z", "1"}, {"x-amz-checksum-crc32c", crc}}, declared: "x-amz-checksum-crc32c, x-amz-meta-z"},
		{name: "unsigned trailer crc32", mode: sigv4.StreamingUnsignedPayloadTrailer, sizes: []int{65536}, decoded: len(data), data: data,
			trailers: [][2]string{{"x-amz-checksum-crc32", checksum.CRC32.Sum(data)}}, declared: "x-amz-checksum-crc32"},
		{name: "unsigned trailer crc64nvme", mode: sigv4.StreamingUnsignedPayloadTrailer, sizes: []int{777}, decoded: len(data), data: data,
			trailers: [][2]string{{"x-amz-checksum-crc64nvme", checksum.CRC64NVME.Sum(data)}}, declared: "x-amz-checksum-crc64nvme"},
		{name: "unsigned trailer sha256 empty body", mode: sigv4.StreamingUnsignedPayloadTrailer, sizes: []int{1}, decoded: 0,
			trailers: [][2]string{{"x-amz-checksum-sha256", checksum.SHA256.Sum(nil)}}, declared: "x-amz-checksum-sha256"},
	}
	for _, tc := range tests {
		for _, oneByte := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/onebyte=%v", tc.name, oneByte), func(t *testing.T) {
				t.Parallel()
				c := newChunkSetup(t, tc.mode, tc.decoded, tc.declared)
				c.enc.trailers = tc.trailers
				got, br, err := c.read(t, c.enc.encode(tc.data, tc.sizes...), oneByte)
				if err != nil {
					t.Fatalf("decode: %v", err)
				}
				if !bytes.Equal(got, tc.data) {
					t.Fatalf("decoded %d bytes, want %d", len(got), len(tc.data))
				}
				trailer := br.Trailer()
				if len(trailer) != len(tc.trailers) {
					t.Errorf("Trailer() = %v, want %v", trailer, tc.trailers)
				}
				for _, tr := range tc.trailers {
					if trailer[tr[0]] != tr[1] {
						t.Errorf("Trailer()[%s] = %q, want %q", tr[0], trailer[tr[0]], tr[1])
					}
					if alg, ok := checksum.FromHeader(tr[0]); ok {
						if sum, ok := br.Checksum(alg); !ok || sum != tr[1] {
							t.Errorf("Checksum(%v) = %q, %v", alg, sum, ok)
						}
					}
				}
			})
		}
	}
}

func TestBodyReaderPlain(t *testing.T) {
	t.Parallel()
	body := []byte("hello, object")
	tests := []struct {
		name    string
		claim   string
		headers map[string]string
		body    []byte
		wantErr error
		initErr error
	}{
		{name: "hex matches", claim: sha256Hex(body), body: body},
		{name: "hex mismatch", claim: sha256Hex([]byte("other")), body: body, wantErr: sigv4.ErrPayloadMismatch},
		{name: "unsigned passes through", claim: sigv4.UnsignedPayload, body: body},
		{name: "header checksum ok", claim: sigv4.UnsignedPayload, body: body,
			headers: map[string]string{"X-Amz-Checksum-Sha1": checksum.SHA1.Sum(body), "X-Amz-Checksum-Mode": "ENABLED"}},
		{name: "header checksum mismatch", claim: sha256Hex(body), body: body,
			headers: map[string]string{"X-Amz-Checksum-Crc32c": checksum.CRC32C.Sum([]byte("x"))}, wantErr: checksum.ErrMismatch},
		{name: "header checksum malformed", claim: sigv4.UnsignedPayload, body: body,
			headers: map[string]string{"X-Amz-Checksum-Crc32": "AAAA"}, initErr: checksum.ErrInvalid},
		{name: "unknown checksum header ignored", claim: sigv4.UnsignedPayload, body: body,
			headers: map[string]string{"X-Amz-Checksum-Xxhash64": "whatever"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := &sigv4.Request{Header: map[string][]string{}}
			for k, v := range tc.headers {
				r.Header[k] = []string{v}
			}
			a := &sigv4.Auth{Service: "s3", PayloadHash: tc.claim}
			br, err := sigv4.NewBodyReader(r, a, sigv4.Key{}, bytes.NewReader(tc.body))
			if tc.initErr != nil {
				if !errors.Is(err, tc.initErr) {
					t.Fatalf("NewBodyReader err = %v, want %v", err, tc.initErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(br)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			var se *sigv4.Error
			if errors.As(err, &se) && (se.ClaimedSHA256 != tc.claim || se.ComputedSHA256 != sha256Hex(body)) {
				t.Errorf("mismatch hashes %q %q", se.ClaimedSHA256, se.ComputedSHA256)
			}
			if err == nil && !bytes.Equal(got, tc.body) {
				t.Errorf("body = %q", got)
			}
			if br.Trailer() != nil {
				t.Errorf("Trailer() = %v on a plain body", br.Trailer())
			}
		})
	}
}

// TestChunkedMemoryFlat checks that decoding does not buffer the body: a 32 MiB upload is
// decoded with well under 1 MiB allocated.
func TestChunkedMemoryFlat(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789abcdef"), 2<<20)
	c := newChunkSetup(t, sigv4.StreamingPayloadTrailer, len(data), "x-amz-checksum-crc32")
	c.enc.trailers = [][2]string{{"x-amz-checksum-crc32", checksum.CRC32.Sum(data)}}
	body := c.enc.encode(data, 64<<10)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	br, err := sigv4.NewBodyReader(c.r, &c.a, c.key, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{br}, make([]byte, 32<<10))
	runtime.ReadMemStats(&after)
	if err != nil || n != int64(len(data)) {
		t.Fatalf("decoded %d bytes, %v", n, err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Errorf("decoding %d MiB allocated %d bytes", len(data)>>20, alloc)
	}
}
