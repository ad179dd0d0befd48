package sigv4

import (
	"errors"
	"time"
)

// Sentinel errors. Every error this package returns for a bad request is an *Error that wraps
// exactly one of them, so callers pick the AWS error code with errors.Is. The codes in brackets
// are those of AWS's Query services (IAM, STS, EC2) and of S3.
var (
	// ErrMissingAuth: neither an Authorization header nor presigned query parameters
	// [MissingAuthenticationToken 403 | anonymous request].
	ErrMissingAuth = errors.New("sigv4: missing authentication")
	// ErrMalformed: incomplete or malformed Authorization header or presigned parameters; the
	// message names the missing or bad part [IncompleteSignature 400 |
	// AuthorizationHeaderMalformed or AuthorizationQueryParametersError 400].
	ErrMalformed = errors.New("sigv4: malformed authorization")
	// ErrUnsupportedAlgorithm: an algorithm other than AWS4-HMAC-SHA256, e.g. SigV4A
	// (AWS4-ECDSA-P256-SHA256) or SigV2 [IncompleteSignature 400 | NotImplemented 501].
	ErrUnsupportedAlgorithm = errors.New("sigv4: unsupported signing algorithm")
	// ErrScopeDate: the credential scope's date is not the date of the request time
	// [SignatureDoesNotMatch 403 | AuthorizationHeaderMalformed 400].
	ErrScopeDate = errors.New("sigv4: credential scope date does not match request date")
	// ErrHostNotSigned: SignedHeaders lacks host [IncompleteSignature 400 | AccessDenied 403].
	ErrHostNotSigned = errors.New("sigv4: host header is not signed")
	// ErrMissingContentHash: an S3 header-signed request without x-amz-content-sha256, or a
	// Verify call for a non-S3 request whose body hash the caller did not supply
	// [n/a | InvalidRequest 400].
	ErrMissingContentHash = errors.New("sigv4: missing payload hash")
	// ErrInvalidContentHash: x-amz-content-sha256 is neither 64 hex digits nor a sentinel
	// valid for the service [IncompleteSignature 400 | InvalidArgument 400].
	ErrInvalidContentHash = errors.New("sigv4: invalid payload hash")
	// ErrSignatureMismatch: the signature does not match [SignatureDoesNotMatch 403 |
	// SignatureDoesNotMatch 403 with StringToSign and CanonicalRequest].
	ErrSignatureMismatch = errors.New("sigv4: signature does not match")
	// ErrSkewed: the request time is more than the allowed skew away from the server's clock,
	// or a presigned URL is used before its time [SignatureDoesNotMatch 403 "Signature
	// expired..." (EC2: RequestExpired 400) | RequestTimeTooSkewed 403].
	ErrSkewed = errors.New("sigv4: request time too skewed")
	// ErrExpired: a presigned URL used after X-Amz-Date + X-Amz-Expires [SignatureDoesNotMatch 403
	// (EC2: RequestExpired 400) | AccessDenied 403 "Request has expired"].
	ErrExpired = errors.New("sigv4: presigned request has expired")
	// ErrPayloadMismatch: the body's SHA-256 differs from x-amz-content-sha256
	// [SignatureDoesNotMatch 403 | XAmzContentSHA256Mismatch 400].
	ErrPayloadMismatch = errors.New("sigv4: payload hash does not match body")
	// ErrChunkSignature: an aws-chunked chunk or trailer signature does not match
	// [n/a | SignatureDoesNotMatch 403].
	ErrChunkSignature = errors.New("sigv4: chunk signature does not match")
	// ErrChunkEncoding: a malformed aws-chunked body: bad chunk header, data longer than its
	// declared size, bad trailer, more bytes than x-amz-decoded-content-length
	// [n/a | InvalidRequest 400 (MalformedTrailerError for trailers)].
	ErrChunkEncoding = errors.New("sigv4: malformed aws-chunked body")
	// ErrIncompleteBody: the body ended before its final chunk or before
	// x-amz-decoded-content-length bytes [n/a | IncompleteBody 400].
	ErrIncompleteBody = errors.New("sigv4: incomplete body")
	// ErrSigning: Sign or Presign was called with incomplete credentials or arguments (a
	// client-side programming error, never a request's fault).
	ErrSigning = errors.New("sigv4: cannot sign request")
)

// Error is the one error type of this package. Err is one of the sentinels above; Message is a
// client-safe description in AWS's wording. The other fields are filled only for the kinds
// named in their comments. No field ever holds a secret or a signing key.
type Error struct {
	Err     error
	Message string

	// ErrSignatureMismatch, ErrChunkSignature: what S3 echoes in SignatureDoesNotMatch.
	AccessKeyID       string
	SignatureProvided string
	StringToSign      string
	CanonicalRequest  string // empty for chunk signatures

	// ErrSkewed, ErrExpired: the request time, the server's clock and the allowance.
	RequestTime time.Time
	ServerTime  time.Time
	MaxSkew     time.Duration
	// ErrExpired: X-Amz-Expires and the instant the URL stopped being valid.
	ExpiresIn time.Duration
	ExpiresAt time.Time

	// ErrPayloadMismatch: the hash the client claimed and the hash of the body received.
	ClaimedSHA256  string
	ComputedSHA256 string
}

// Error returns the client-safe message.
func (e *Error) Error() string { return "sigv4: " + e.Message }

// Unwrap returns the sentinel, so errors.Is(err, ErrSkewed) works through wrapping.
func (e *Error) Unwrap() error { return e.Err }

func newError(sentinel error, msg string) *Error { return &Error{Err: sentinel, Message: msg} }
