package sigv4_test

import (
	"bytes"
	"errors"
	"strconv"
	"testing"

	"rolegate/internal/checksum"
	"rolegate/internal/sigv4"
)

func TestChunkedRejectsTampering(t *testing.T) {
	t.Parallel()
	data := bytes.Repeat([]byte("0123456789abcdef"), 1024) // 16 KiB
	crc := checksum.CRC32.Sum(data)
	type body = []byte
	replace := func(b body, old, new string) body {
		if !bytes.Contains(b, []byte(old)) {
			panic("test body lacks " + strconv.Quote(old))
		}
		return bytes.Replace(b, []byte(old), []byte(new), 1)
	}
	tests := []struct {
		name     string
		mode     string
		decoded  int
		declared string
		trailers [][2]string
		mutate   func(b body) body
		wantErr  error
	}{
		{name: "chunk data", mode: sigv4.StreamingPayload, decoded: len(data), mutate: func(b body) body { return replace(b, "cdef", "cdeF") },
			wantErr: sigv4.ErrChunkSignature},
		{name: "chunk signature", mode: sigv4.StreamingPayload, decoded: len(data), mutate: func(b body) body {
			i := bytes.Index(b, []byte("chunk-signature=")) + len("chunk-signature=")
			b[i] ^= 1
			return b
		}, wantErr: sigv4.ErrChunkSignature},
		{name: "final chunk signature", mode: sigv4.StreamingPayload, decoded: len(data), mutate: func(b body) body {
			i := bytes.LastIndex(b, []byte("chunk-signature=")) + len("chunk-signature=") + 5
			b[i] ^= 1
			return b
		}, wantErr: sigv4.ErrChunkSignature},
		{name: "chunk length shorter", mode: sigv4.StreamingPayload, decoded: -1, mutate: func(b body) body { return replace(b, "1000;", "fff;") },
			wantErr: sigv4.ErrChunkEncoding},
		{name: "chunk length longer", mode: sigv4.StreamingPayload, decoded: -1, mutate: func(b body) body { return replace(b, "1000;", "1001;") },
			wantErr: sigv4.ErrChunkEncoding},
		{name: "chunk beyond decoded length", mode: sigv4.StreamingPayload, decoded: len(data) - 1, wantErr: sigv4.ErrChunkEncoding},
		{name: "decoded length larger", mode: sigv4.StreamingPayload, decoded: len(data) + 1, wantErr: sigv4.ErrIncompleteBody},
		{name: "chunk dropped", mode: sigv4.StreamingPayload, decoded: -1, mutate: func(b body) body {
			i := bytes.Index(b, []byte("1000;"))
			j := bytes.Index(b[i+1:], []byte("1000;")) + i + 1
			return append(b[:i:i], b[j:]...)
		}, wantErr: sigv4.ErrChunkSignature},
		{name: "truncated in data", mode: sigv4.StreamingPayload, decoded: len(data), mutate: func(b body) body { return b[:200] },
			wantErr: sigv4.ErrIncompleteBody},
		{name: "truncated before final chunk", mode: sigv4.StreamingPayload, decoded: -1, mutate: func(b body) body {
			return b[:bytes.LastIndex(b, []byte("0;chunk-signature"))]
		}, wantErr: sigv4.ErrIncompleteBody},
		{name: "missing final crlf", mode: sigv4.StreamingPayload, decoded: len(data), mutate: func(b body) body { return b[:len(b)-2] },
			wantErr: sigv4.ErrIncompleteBody},
		{name: "data after the end", mode: sigv4.StreamingPayload, decoded: len(data), mutate: func(b body) body { return append(b, 'x') },
			wantErr: sigv4.ErrChunkEncoding},
		{name: "bare lf", mode: sigv4.StreamingPayload, decoded: len(data), mutate: func(b body) body {
			i := bytes.Index(b, []byte("\r\n"))
			return append(b[:i:i], b[i+1:]...)
		}, wantErr: sigv4.ErrChunkEncoding},
		{name: "missing chunk signature", mode: sigv4.StreamingPayload, decoded: len(data), mutate: func(b body) body {
			return replace(b, ";chunk-signature=", ";chunk-signaturX=")
		}, wantErr: sigv4.ErrChunkEncoding},
		{name: "bad hex size", mode: sigv4.StreamingPayload, decoded: len(data), mutate: func(b body) body { return replace(b, "1000;", "10g0;") },
			wantErr: sigv4.ErrChunkEncoding},
		{name: "huge size", mode: sigv4.StreamingPayload, decoded: -1, mutate: func(b body) body { return replace(b, "1000;", "10000000000000000;") },
			wantErr: sigv4.ErrChunkEncoding},
		{name: "trailer value", mode: sigv4.StreamingPayloadTrailer, decoded: len(data), declared: "x-amz-checksum-crc32",
			trailers: [][2]string{{"x-amz-checksum-crc32", crc}}, mutate: func(b body) body {
				return replace(b, "x-amz-checksum-crc32:"+crc, "x-amz-checksum-crc32:AAAAAA==")
			}, wantErr: sigv4.ErrChunkSignature},
		{name: "trailer signature", mode: sigv4.StreamingPayloadTrailer, decoded: len(data), declared: "x-amz-checksum-crc32",
			trailers: [][2]string{{"x-amz-checksum-crc32", crc}}, mutate: func(b body) body {
				i := bytes.Index(b, []byte("x-amz-trailer-signature:")) + len("x-amz-trailer-signature:")
				b[i] ^= 1
				return b
			}, wantErr: sigv4.ErrChunkSignature},
		{name: "trailer signature missing", mode: sigv4.StreamingPayloadTrailer, decoded: len(data), declared: "x-amz-checksum-crc32",
			trailers: [][2]string{{"x-amz-checksum-crc32", crc}}, mutate: func(b body) body {
				i := bytes.Index(b, []byte("x-amz-trailer-signature:"))
				return append(b[:i:i], "\r\n"...)
			}, wantErr: sigv4.ErrChunkEncoding},
		{name: "undeclared trailer", mode: sigv4.StreamingPayloadTrailer, decoded: len(data), declared: "x-amz-checksum-crc32",
			trailers: [][2]string{{"x-amz-checksum-crc32", crc}, {"x-amz-meta-x", "1"}}, wantErr: sigv4.ErrChunkEncoding},
		{name: "declared trailer missing", mode: sigv4.StreamingUnsignedPayloadTrailer, decoded: len(data),
			declared: "x-amz-checksum-crc32, x-amz-checksum-sha1", trailers: [][2]string{{"x-amz-checksum-crc32", crc}}, wantErr: sigv4.ErrChunkEncoding},
		{name: "unsigned trailer signature line", mode: sigv4.StreamingUnsignedPayloadTrailer, decoded: len(data), declared: "x-amz-checksum-crc32",
			trailers: [][2]string{{"x-amz-checksum-crc32", crc}, {"x-amz-trailer-signature", zeroSig}}, wantErr: sigv4.ErrChunkEncoding},
		{name: "unsigned checksum mismatch", mode: sigv4.StreamingUnsignedPayloadTrailer, decoded: len(data), declared: "x-amz-checksum-crc32",
			trailers: [][2]string{{"x-amz-checksum-crc32", checksum.CRC32.Sum([]byte("other"))}}, wantErr: checksum.ErrMismatch},
		{name: "unsigned data changed", mode: sigv4.StreamingUnsignedPayloadTrailer, decoded: len(data), declared: "x-amz-checksum-crc32",
			trailers: [][2]string{{"x-amz-checksum-crc32", crc}}, mutate: func(b body) body { return replace(b, "cdef", "cdeF") },
			wantErr: checksum.ErrMismatch},
		{name: "unsigned checksum malformed", mode: sigv4.StreamingUnsignedPayloadTrailer, decoded: len(data), declared: "x-amz-checksum-crc32",
			trailers: [][2]string{{"x-amz-checksum-crc32", "not base64"}}, wantErr: checksum.ErrInvalid},
		{name: "unsigned length longer", mode: sigv4.StreamingUnsignedPayloadTrailer, decoded: -1, declared: "x-amz-checksum-crc32",
			trailers: [][2]string{{"x-amz-checksum-crc32", crc}}, mutate: func(b body) body { return replace(b, "1000\r\n", "1001\r\n") },
			wantErr: sigv4.ErrChunkEncoding},
		{name: "unsigned trailer without terminator", mode: sigv4.StreamingUnsignedPayloadTrailer, decoded: len(data), declared: "x-amz-checksum-crc32",
			trailers: [][2]string{{"x-amz-checksum-crc32", crc}}, mutate: func(b body) body { return b[:len(b)-2] },
			wantErr: sigv4.ErrIncompleteBody},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newChunkSetup(t, tc.mode, tc.decoded, tc.declared)
			c.enc.trailers = tc.trailers
			b := c.enc.encode(data, 4096)
			if tc.mutate != nil {
				b = tc.mutate(b)
			}
			_, _, err := c.read(t, b, false)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			// The error is sticky.
			_, _, err2 := c.read(t, b, true)
			if !errors.Is(err2, tc.wantErr) {
				t.Fatalf("one byte at a time: err = %v, want %v", err2, tc.wantErr)
			}
		})
	}
}
