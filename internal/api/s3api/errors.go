package s3api

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"rolegate/internal/api/awserr"
	"rolegate/internal/api/router"
	"rolegate/internal/authn"
	"rolegate/internal/checksum"
	"rolegate/internal/sigv4"
)

// fail writes err as S3 does: an <Error> document (no namespace, no wrapper) with the code, the
// message, the code's extra fields, the request id and host id; HEAD responses carry the status
// only. Internal failures are logged with their cause and answered InternalError.
func (a *API) fail(q *request, err error) {
	e := asError(err)
	q.c.Failed = e
	if e.Status >= 500 && a.Log != nil {
		a.Log.Error("s3 request failed", "request_id", q.c.RequestID, "operation", q.c.Operation, "error", err)
	}
	h := q.w.Header()
	h.Del("Content-Length")
	h.Del("ETag")
	h.Del("Last-Modified")
	if q.r.Method == http.MethodHead || e.Status == http.StatusNotModified {
		q.w.WriteHeader(e.Status)
		return
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	buf.WriteString("<Error><Code>")
	xml.EscapeText(&buf, []byte(e.Code))
	buf.WriteString("</Code><Message>")
	xml.EscapeText(&buf, []byte(e.Message))
	buf.WriteString("</Message>")
	for _, f := range e.Fields {
		fmt.Fprintf(&buf, "<%s>", f.Name)
		xml.EscapeText(&buf, []byte(f.Value))
		fmt.Fprintf(&buf, "</%s>", f.Name)
	}
	buf.WriteString("<RequestId>" + q.c.RequestID + "</RequestId><HostId>" + hostID(q.c.RequestID) + "</HostId></Error>")
	h.Set("Content-Type", "application/xml")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	q.w.WriteHeader(e.Status)
	q.w.Write(buf.Bytes())
}

// asError turns any failure into the S3 error to send: errors of this package's dependencies
// that describe a bad request (signature, body, checksum) get S3's codes; anything else unknown
// is an internal error.
func asError(err error) *awserr.Error {
	var e *awserr.Error
	if errors.As(err, &e) {
		return e
	}
	var se *sigv4.Error
	if errors.As(err, &se) || router.IsAuthFailure(err) {
		return authError(err, nil)
	}
	var ce *checksum.Error
	if errors.As(err, &ce) {
		if errors.Is(err, checksum.ErrMismatch) {
			return awserr.Newf(awserr.BadDigest, "The %s you specified did not match the calculated checksum.", ce.Algorithm)
		}
		return awserr.Newf(awserr.InvalidRequest, "Value for %s header is invalid.", ce.Algorithm.Header())
	}
	return awserr.From(err, awserr.InternalError)
}

// authError renders a failure to authenticate (or to verify a signed body) in S3's words, with
// the extra fields AWS adds so that clients and people can see what went wrong.
func authError(err error, in *router.S3Request) *awserr.Error {
	var se *sigv4.Error
	errors.As(err, &se)
	presigned := in != nil && in.Sig != nil && hasQueryAuth(in.Sig.RawQuery)
	switch {
	case errors.Is(err, authn.ErrUnknownKey):
		e := awserr.New(awserr.InvalidAccessKeyID, "The AWS Access Key Id you provided does not exist in our records.")
		if id := accessKeyOf(in); id != "" {
			e = e.With("AWSAccessKeyId", id)
		}
		return e
	case errors.Is(err, authn.ErrExpiredToken):
		return awserr.New(awserr.ExpiredToken, "The provided token has expired.").WithStatus(http.StatusBadRequest)
	case errors.Is(err, authn.ErrBadToken):
		return awserr.New(awserr.InvalidToken, "The provided token is malformed or otherwise invalid.").WithStatus(http.StatusBadRequest)
	case se == nil:
		return awserr.From(err, awserr.InternalError)
	case errors.Is(err, sigv4.ErrSignatureMismatch), errors.Is(err, sigv4.ErrChunkSignature):
		e := awserr.New(awserr.SignatureDoesNotMatch, "The request signature we calculated does not match the signature you provided. Check your key and signing method.")
		if se.AccessKeyID != "" {
			e = e.With("AWSAccessKeyId", se.AccessKeyID)
		}
		e = e.With("StringToSign", se.StringToSign).With("SignatureProvided", se.SignatureProvided).
			With("StringToSignBytes", hexBytes(se.StringToSign))
		if se.CanonicalRequest != "" {
			e = e.With("CanonicalRequest", se.CanonicalRequest).With("CanonicalRequestBytes", hexBytes(se.CanonicalRequest))
		}
		return e
	case errors.Is(err, sigv4.ErrSkewed):
		return awserr.New(awserr.RequestTimeTooSkewed, "The difference between the request time and the current time is too large.").
			With("RequestTime", se.RequestTime.UTC().Format(sigv4.TimeFormat)).
			With("ServerTime", se.ServerTime.UTC().Format(time.RFC3339)).
			With("MaxAllowedSkewMilliseconds", strconv.FormatInt(se.MaxSkew.Milliseconds(), 10))
	case errors.Is(err, sigv4.ErrExpired):
		return awserr.New(awserr.AccessDenied, "Request has expired").
			With("X-Amz-Expires", strconv.FormatInt(int64(se.ExpiresIn/time.Second), 10)).
			With("Expires", se.ExpiresAt.UTC().Format(time.RFC3339)).
			With("ServerTime", se.ServerTime.UTC().Format(time.RFC3339))
	case errors.Is(err, sigv4.ErrPayloadMismatch):
		return awserr.New(awserr.XAmzContentSHA256Mismatch, "The provided 'x-amz-content-sha256' header does not match what was computed.").
			With("ClientComputedContentSHA256", se.ClaimedSHA256).With("S3ComputedContentSHA256", se.ComputedSHA256)
	case errors.Is(err, sigv4.ErrIncompleteBody):
		return awserr.New(awserr.IncompleteBody, "The request body terminated unexpectedly")
	case errors.Is(err, sigv4.ErrChunkEncoding):
		return awserr.New(awserr.InvalidRequest, se.Message)
	case errors.Is(err, sigv4.ErrUnsupportedAlgorithm):
		return awserr.New(awserr.InvalidRequest, "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.")
	case errors.Is(err, sigv4.ErrHostNotSigned):
		return awserr.New(awserr.AccessDenied, "There were headers present in the request which were not signed").With("HeadersNotSigned", "host")
	case errors.Is(err, sigv4.ErrMissingContentHash):
		return awserr.New(awserr.InvalidRequest, "Missing required header for this request: x-amz-content-sha256")
	case errors.Is(err, sigv4.ErrInvalidContentHash):
		return awserr.New(awserr.InvalidArgument, "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.").
			With("ArgumentName", "x-amz-content-sha256")
	case errors.Is(err, sigv4.ErrMalformed), errors.Is(err, sigv4.ErrScopeDate):
		// AWS: S3 adds <Region> to AuthorizationHeaderMalformed when the scope names another
		// region; SDKs then re-sign for that region, so rolegate, which accepts every region,
		// never sends it.
		if presigned {
			return awserr.New(awserr.AuthorizationQueryParametersError, se.Message)
		}
		return awserr.New(awserr.AuthorizationHeaderMalformed, se.Message)
	}
	return awserr.From(err, awserr.InternalError)
}

func hasQueryAuth(raw string) bool {
	return bytes.Contains([]byte(raw), []byte("X-Amz-Signature=")) || bytes.Contains([]byte(raw), []byte("X-Amz-Credential="))
}

// accessKeyOf returns the access key id a request was signed with, if it can be parsed.
func accessKeyOf(in *router.S3Request) string {
	if in == nil || in.Sig == nil {
		return ""
	}
	a, err := sigv4.Parse(in.Sig)
	if err != nil {
		return ""
	}
	return a.AccessKeyID
}

// hexBytes renders s as S3 does in StringToSignBytes: space-separated two-digit hex.
func hexBytes(s string) string {
	const digits = "0123456789abcdef"
	b := make([]byte, 0, len(s)*3)
	for i := 0; i < len(s); i++ {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, digits[s[i]>>4], digits[s[i]&15])
	}
	return string(b)
}

// accessDenied is S3's answer to a request the gate refused.
func accessDenied() *awserr.Error { return awserr.New(awserr.AccessDenied, "Access Denied") }
