package sigv4

import (
	"strings"
	"time"
)

// Algorithm is the only signing algorithm this package verifies.
const Algorithm = "AWS4-HMAC-SHA256"

// algorithmV4A is SigV4A's algorithm name; it is recognised only to be refused clearly.
const algorithmV4A = "AWS4-ECDSA-P256-SHA256"

// Payload-hash values other than a hex SHA-256 (x-amz-content-sha256).
const (
	// EmptySHA256 is the hex SHA-256 of an empty body.
	EmptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	// UnsignedPayload: the body is not covered by the signature (S3; every presigned S3 URL).
	UnsignedPayload = "UNSIGNED-PAYLOAD"
	// StreamingPayload: aws-chunked body with a signature on every chunk.
	StreamingPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
	// StreamingPayloadTrailer: signed chunks followed by a signed trailer.
	StreamingPayloadTrailer = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
	// StreamingUnsignedPayloadTrailer: unsigned chunks followed by a checksum trailer.
	StreamingUnsignedPayloadTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
)

// MaxPresignExpiry is the longest X-Amz-Expires AWS accepts (seven days).
const MaxPresignExpiry = 7 * 24 * time.Hour

// MaxSkew is the largest difference AWS allows between the request time and its clock.
const MaxSkew = 15 * time.Minute

// Auth is the signing information of a request, as Parse extracted it. Its strings may share
// memory with the request's header and query values.
type Auth struct {
	// Presigned is true for query-string authentication, false for the Authorization header.
	Presigned bool
	// AccessKeyID is the key id of the credential (AKIA... or ASIA...).
	AccessKeyID string
	// Date, Region and Service are the credential scope fields; Region is any non-empty label.
	Date    string
	Region  string
	Service string
	// Scope is "<Date>/<Region>/<Service>/aws4_request".
	Scope string
	// SignedHeaders is the ';'-separated list of signed header names as sent.
	SignedHeaders string
	// Signature is the signature as sent (64 lower-case hex digits when well formed).
	Signature string
	// AmzDate is the request time in TimeFormat, as it appears in the string to sign.
	AmzDate string
	// Time is the request time: X-Amz-Date, or the Date header when X-Amz-Date is absent.
	Time time.Time
	// Expires is X-Amz-Expires of a presigned request, 0 when absent (then the usual skew
	// window applies).
	Expires time.Duration
	// SecurityToken is X-Amz-Security-Token (header, or query when presigned), "" if none.
	SecurityToken string
	// PayloadHash is the payload hash the client claims it signed: x-amz-content-sha256, or
	// UnsignedPayload for a presigned S3 request without one. Empty means the hex SHA-256 of the
	// body, which the caller supplies in Request.BodySHA256 (every non-S3 request).
	PayloadHash string
}

// SignedHeaderNames returns the signed header names as a slice (it allocates).
func (a *Auth) SignedHeaderNames() []string {
	if a.SignedHeaders == "" {
		return nil
	}
	return strings.Split(a.SignedHeaders, ";")
}

// Streaming reports whether the payload is an aws-chunked body (any STREAMING-* value).
func (a *Auth) Streaming() bool {
	switch a.PayloadHash {
	case StreamingPayload, StreamingPayloadTrailer, StreamingUnsignedPayloadTrailer:
		return true
	}
	return false
}

// isS3 reports whether service is signed with S3's rules: the path as the client encoded it, no
// normalisation, and x-amz-content-sha256 with its sentinels.
func isS3(service string) bool { return service == "s3" }

// isHexSHA256 reports whether s is 64 hex digits.
func isHexSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if _, ok := unhex(s[i]); !ok {
			return false
		}
	}
	return true
}
