package checksum

import (
	"hash"
	"io"
)

// Reader passes a body through while computing a checksum, and at the end of the body compares it
// with the value the client sent. Bytes returned before an error are unverified: callers MUST
// discard everything read when Read returns an error other than io.EOF.
type Reader struct {
	r        io.Reader
	alg      Algorithm
	h        hash.Hash
	expected string
	err      error // sticky result once the end has been reached
}

// NewReader returns a Reader over r that verifies the base64 checksum expected with algorithm a
// when r reaches io.EOF. An empty expected only computes the checksum (see Sum). A malformed
// expected value fails here, before any byte is read.
func NewReader(r io.Reader, a Algorithm, expected string) (*Reader, error) {
	h := a.New()
	if h == nil {
		return nil, &Error{Err: ErrInvalid, Algorithm: a, Expected: expected}
	}
	if expected != "" {
		if err := a.Validate(expected); err != nil {
			return nil, err
		}
	}
	return &Reader{r: r, alg: a, h: h, expected: expected}, nil
}

// Read reads from the underlying body. At its end Read returns io.EOF if the checksum matches and
// an *Error wrapping ErrMismatch otherwise; any error of the underlying reader is returned as is.
func (r *Reader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	n, err := r.r.Read(p)
	r.h.Write(p[:n])
	if err == io.EOF {
		r.err = io.EOF
		if r.expected != "" {
			if cerr := r.alg.Compare(r.expected, r.h.Sum(nil)); cerr != nil {
				r.err = cerr
			}
		}
		return n, r.err
	}
	return n, err
}

// Algorithm returns the algorithm being computed.
func (r *Reader) Algorithm() Algorithm { return r.alg }

// Sum returns the base64 checksum of the bytes read so far; after io.EOF, of the whole body.
func (r *Reader) Sum() string { return Encode(r.h.Sum(nil)) }
