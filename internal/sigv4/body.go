package sigv4

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"strconv"
	"strings"

	"rolegate/internal/checksum"
)

// HashReader passes a plain body through while hashing it, and at its end compares the SHA-256
// with the hex value the client claimed in x-amz-content-sha256. Bytes returned before an error
// are unverified: callers MUST discard the body when Read returns an error other than io.EOF.
type HashReader struct {
	r     io.Reader
	h     hash.Hash
	claim string
	err   error
}

// NewHashReader returns a HashReader checking body against the hex SHA-256 claim.
func NewHashReader(body io.Reader, claim string) *HashReader {
	return &HashReader{r: body, h: sha256.New(), claim: claim}
}

// Read reads the body. At its end it returns io.EOF if the hash matches, or an *Error wrapping
// ErrPayloadMismatch (S3's XAmzContentSHA256Mismatch) if not.
func (h *HashReader) Read(p []byte) (int, error) {
	if h.err != nil {
		return 0, h.err
	}
	n, err := h.r.Read(p)
	h.h.Write(p[:n])
	if err == io.EOF {
		var sum [sha256.Size]byte
		computed := hex.EncodeToString(h.h.Sum(sum[:0]))
		h.err = io.EOF
		if !strings.EqualFold(computed, h.claim) {
			h.err = &Error{
				Err:            ErrPayloadMismatch,
				Message:        "The provided 'x-amz-content-sha256' header does not match what was computed.",
				ClaimedSHA256:  h.claim,
				ComputedSHA256: computed,
			}
		}
		return n, h.err
	}
	return n, err
}

// BodyReader reads an S3 request body as its signature requires: it decodes aws-chunked bodies
// (checking chunk and trailer signatures), checks a hex x-amz-content-sha256 claim, and checks
// every x-amz-checksum-<alg> header or trailer it knows. Its memory use does not grow with the
// body. Bytes returned before an error are unverified: callers MUST discard the whole body when
// Read returns anything but io.EOF.
type BodyReader struct {
	r       io.Reader
	chunks  *chunkDecoder
	headers []*checksum.Reader
}

// NewBodyReader returns a reader of the payload of body, for the request r that Verify accepted
// with a and key. Read errors are *Error values wrapping ErrChunkSignature, ErrChunkEncoding,
// ErrIncompleteBody or ErrPayloadMismatch, or *checksum.Error values wrapping
// checksum.ErrMismatch; NewBodyReader itself fails on a malformed checksum header or
// x-amz-decoded-content-length.
func NewBodyReader(r *Request, a *Auth, key Key, body io.Reader) (*BodyReader, error) {
	b := &BodyReader{r: body}
	switch {
	case a.Streaming():
		limit := int64(-1)
		if v := r.header("X-Amz-Decoded-Content-Length"); len(v) > 0 {
			n, err := strconv.ParseInt(strings.TrimSpace(v[0]), 10, 64)
			if err != nil || n < 0 {
				return nil, encodingError("x-amz-decoded-content-length %q is not a byte count", truncate(v[0]))
			}
			limit = n
		}
		d, err := newChunkDecoder(body, a, key, limit, declaredTrailers(r))
		if err != nil {
			return nil, err
		}
		b.chunks, b.r = d, d
	case isHexSHA256(a.PayloadHash):
		b.r = NewHashReader(body, a.PayloadHash)
	}
	for name, values := range r.Header {
		alg, ok := checksum.FromHeader(name)
		if !ok || len(values) == 0 {
			continue
		}
		cr, err := checksum.NewReader(b.r, alg, strings.TrimSpace(values[0]))
		if err != nil {
			return nil, err
		}
		b.headers = append(b.headers, cr)
		b.r = cr
	}
	return b, nil
}

// declaredTrailers returns the lower-case names listed in x-amz-trailer.
func declaredTrailers(r *Request) []string {
	var names []string
	for _, v := range r.header("X-Amz-Trailer") {
		for _, n := range strings.Split(v, ",") {
			if n = strings.ToLower(strings.TrimSpace(n)); n != "" {
				names = append(names, n)
			}
		}
	}
	return names
}

// Read reads decoded, verified payload bytes; see NewBodyReader for its errors.
func (b *BodyReader) Read(p []byte) (int, error) { return b.r.Read(p) }

// Trailer returns the trailer of an aws-chunked body (lower-case names, without
// x-amz-trailer-signature) once Read has returned io.EOF, or nil.
func (b *BodyReader) Trailer() map[string]string {
	if b.chunks == nil || b.chunks.err != io.EOF {
		return nil
	}
	return b.chunks.trailers
}

// Checksum returns the base64 checksum of the payload for alg, once Read has returned io.EOF,
// when the client sent that checksum in a header or a trailer.
func (b *BodyReader) Checksum(alg checksum.Algorithm) (string, bool) {
	for _, h := range b.headers {
		if h.Algorithm() == alg {
			return h.Sum(), true
		}
	}
	if b.chunks != nil && b.chunks.err == io.EOF {
		if h, ok := b.chunks.sums[alg]; ok {
			return checksum.Encode(h.Sum(nil)), true
		}
	}
	return "", false
}
