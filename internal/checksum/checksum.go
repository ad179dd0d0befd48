package checksum

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"strings"
)

// Algorithm is one of the S3 checksum algorithms. The zero value is no algorithm.
type Algorithm uint8

// The algorithms S3 accepts in x-amz-sdk-checksum-algorithm and x-amz-checksum-<alg>.
const (
	CRC32 Algorithm = iota + 1
	CRC32C
	CRC64NVME
	SHA1
	SHA256
)

// Algorithms lists every supported algorithm, in the order S3 documents them.
func Algorithms() []Algorithm { return []Algorithm{CRC32, CRC32C, CRC64NVME, SHA1, SHA256} }

var (
	// ErrMismatch reports that a computed checksum differs from the one the client sent
	// (S3 answers BadDigest).
	ErrMismatch = errors.New("checksum: mismatch")
	// ErrInvalid reports a checksum value that is not valid base64 of the algorithm's digest size,
	// or an unknown algorithm name (S3 answers InvalidRequest or InvalidDigest).
	ErrInvalid = errors.New("checksum: invalid value")
)

// Error describes a checksum failure. Err is ErrMismatch or ErrInvalid, so callers test it with
// errors.Is; Expected and Computed are base64 values safe to show to the client.
type Error struct {
	Err       error
	Algorithm Algorithm
	Expected  string // what the client sent
	Computed  string // what the server computed; empty for ErrInvalid
}

// Error renders the failure in the words S3 uses for BadDigest.
func (e *Error) Error() string {
	if errors.Is(e.Err, ErrMismatch) {
		return fmt.Sprintf("checksum: the %s you specified did not match the calculated checksum", e.Algorithm)
	}
	return fmt.Sprintf("checksum: value for %s is invalid", e.Algorithm.Header())
}

// Unwrap returns ErrMismatch or ErrInvalid.
func (e *Error) Unwrap() error { return e.Err }

// Parse returns the algorithm named as in x-amz-sdk-checksum-algorithm ("CRC32", "crc64nvme", ...).
func Parse(name string) (Algorithm, bool) {
	for _, a := range Algorithms() {
		if strings.EqualFold(name, a.String()) {
			return a, true
		}
	}
	return 0, false
}

// FromHeader returns the algorithm whose value travels in the header or trailer called name
// ("x-amz-checksum-crc32", any case). Other x-amz-checksum-* headers (-mode, -type, and
// algorithms this package does not know) report false: S3 clients send them and servers ignore
// them.
func FromHeader(name string) (Algorithm, bool) {
	const prefix = "x-amz-checksum-"
	if len(name) <= len(prefix) || !strings.EqualFold(name[:len(prefix)], prefix) {
		return 0, false
	}
	return Parse(name[len(prefix):])
}

// String returns the algorithm's name as S3 spells it ("CRC64NVME").
func (a Algorithm) String() string {
	switch a {
	case CRC32:
		return "CRC32"
	case CRC32C:
		return "CRC32C"
	case CRC64NVME:
		return "CRC64NVME"
	case SHA1:
		return "SHA1"
	case SHA256:
		return "SHA256"
	}
	return fmt.Sprintf("Algorithm(%d)", uint8(a))
}

// Header returns the lower-case header (and trailer) name carrying the algorithm's value.
func (a Algorithm) Header() string { return "x-amz-checksum-" + strings.ToLower(a.String()) }

// Size returns the digest length in bytes, or 0 for an unknown algorithm.
func (a Algorithm) Size() int {
	switch a {
	case CRC32, CRC32C:
		return 4
	case CRC64NVME:
		return 8
	case SHA1:
		return sha1.Size
	case SHA256:
		return sha256.Size
	}
	return 0
}

// New returns a fresh hash for the algorithm, or nil for an unknown one. Sum of a CRC hash is
// the big-endian checksum, which is what S3 base64-encodes.
func (a Algorithm) New() hash.Hash {
	switch a {
	case CRC32:
		return crc32.NewIEEE()
	case CRC32C:
		return crc32.New(crc32.MakeTable(crc32.Castagnoli))
	case CRC64NVME:
		return newCRC64NVME()
	case SHA1:
		return sha1.New()
	case SHA256:
		return sha256.New()
	}
	return nil
}

// Sum returns the base64 checksum of data.
func (a Algorithm) Sum(data []byte) string {
	h := a.New()
	if h == nil {
		return ""
	}
	h.Write(data)
	return Encode(h.Sum(nil))
}

// Encode returns the wire form of a digest: standard base64 with padding.
func Encode(sum []byte) string { return base64.StdEncoding.EncodeToString(sum) }

// Validate reports, as an *Error wrapping ErrInvalid, a value that is not the base64 of a digest
// of a's size.
func (a Algorithm) Validate(value string) error {
	n := a.Size()
	if n == 0 || base64.StdEncoding.EncodedLen(n) != len(value) {
		return &Error{Err: ErrInvalid, Algorithm: a, Expected: value}
	}
	var buf [sha256.Size]byte
	if m, err := base64.StdEncoding.Decode(buf[:], []byte(value)); err != nil || m != n {
		return &Error{Err: ErrInvalid, Algorithm: a, Expected: value}
	}
	return nil
}

// Compare checks the digest sum computed over a body against the base64 value the client sent.
// It returns nil on a match and an *Error wrapping ErrMismatch (or ErrInvalid when the expected
// value is malformed) otherwise.
func (a Algorithm) Compare(expected string, sum []byte) error {
	if err := a.Validate(expected); err != nil {
		return err
	}
	computed := Encode(sum)
	if computed != expected {
		return &Error{Err: ErrMismatch, Algorithm: a, Expected: expected, Computed: computed}
	}
	return nil
}
