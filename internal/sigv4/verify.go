package sigv4

import (
	"bytes"
	"fmt"
	"strings"
	"time"
)

// CheckTime checks the request time against now: within MaxSkew either way for header-signed
// requests (and presigned ones without X-Amz-Expires); for presigned requests, not before
// X-Amz-Date - MaxSkew and not after X-Amz-Date + X-Amz-Expires. It returns an *Error wrapping
// ErrSkewed or ErrExpired.
func (a *Auth) CheckTime(now time.Time) error {
	now = now.UTC()
	earliest, latest := now.Add(-MaxSkew), now.Add(MaxSkew)
	if a.Time.After(latest) {
		return &Error{
			Err: ErrSkewed,
			Message: fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + %d min.)",
				a.Time.Format(TimeFormat), latest.Format(TimeFormat), now.Format(TimeFormat), int(MaxSkew/time.Minute)),
			RequestTime: a.Time, ServerTime: now, MaxSkew: MaxSkew,
		}
	}
	if a.Presigned && a.Expires > 0 {
		if end := a.Time.Add(a.Expires); now.After(end) {
			return &Error{
				Err: ErrExpired, Message: "Request has expired",
				RequestTime: a.Time, ServerTime: now, MaxSkew: MaxSkew, ExpiresIn: a.Expires, ExpiresAt: end,
			}
		}
		return nil
	}
	if a.Time.Before(earliest) {
		return &Error{
			Err: ErrSkewed,
			Message: fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - %d min.)",
				a.Time.Format(TimeFormat), earliest.Format(TimeFormat), now.Format(TimeFormat), int(MaxSkew/time.Minute)),
			RequestTime: a.Time, ServerTime: now, MaxSkew: MaxSkew,
		}
	}
	return nil
}

// Verify checks that a, parsed from r, carries a valid signature made with key at a time
// acceptable at now. It checks the time first (CheckTime), then rebuilds the canonical request
// over exactly the headers in a.SignedHeaders and compares signatures in constant time.
//
// The payload hash signed is a.PayloadHash, or r.BodySHA256 when the client claimed none; a hex
// claim is compared with r.BodySHA256 when the caller supplied it. A hex claim on a streamed S3
// body is checked later, by NewBodyReader.
//
// Errors are *Error values wrapping ErrSkewed, ErrExpired, ErrMissingContentHash,
// ErrPayloadMismatch or ErrSignatureMismatch; the last carries the canonical request and the
// string to sign for S3's SignatureDoesNotMatch.
func Verify(r *Request, a *Auth, key Key, now time.Time) error {
	if err := a.CheckTime(now); err != nil {
		return err
	}
	payload, err := signedPayloadHash(r, a)
	if err != nil {
		return err
	}
	s3 := isS3(a.Service)
	var uriStack, altStack [256]byte
	uri := appendCanonicalURI(uriStack[:0], r.Path, s3, uriRebuilt)
	var creqStack [4096]byte
	creq := appendCanonicalRequest(creqStack[:0], r, uri, a.SignedHeaders, payload, a.Presigned)
	var stsStack [256]byte
	sts := appendStringToSign(stsStack[:0], a.AmzDate, a.Scope, creq)
	if signatureEqual(key.sign(sts), a.Signature) {
		return nil
	}
	// AWS: AWS documents one canonical URI; clients that sign the path exactly as they send it
	// (or skip normalisation) agree with it for every path the SDKs generate, and differ only
	// for raw reserved characters or dot segments. Both forms name the same resource, so
	// accepting either gives an attacker nothing.
	if alt := appendCanonicalURI(altStack[:0], r.Path, s3, uriAsSent); !bytes.Equal(alt, uri) {
		var altReqStack [4096]byte
		altReq := appendCanonicalRequest(altReqStack[:0], r, alt, a.SignedHeaders, payload, a.Presigned)
		var altSTSStack [256]byte
		if signatureEqual(key.sign(appendStringToSign(altSTSStack[:0], a.AmzDate, a.Scope, altReq)), a.Signature) {
			return nil
		}
	}
	return &Error{
		Err:               ErrSignatureMismatch,
		Message:           "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
		AccessKeyID:       a.AccessKeyID,
		SignatureProvided: a.Signature,
		StringToSign:      string(sts),
		CanonicalRequest:  string(creq),
	}
}

// signedPayloadHash returns the payload hash line of the canonical request.
func signedPayloadHash(r *Request, a *Auth) (string, error) {
	claim := a.PayloadHash
	if claim == "" {
		if r.BodySHA256 == "" {
			return "", newError(ErrMissingContentHash, "the SHA-256 of the request body is required to verify this request")
		}
		return r.BodySHA256, nil
	}
	if r.BodySHA256 != "" && isHexSHA256(claim) && !strings.EqualFold(claim, r.BodySHA256) {
		return "", &Error{
			Err:            ErrPayloadMismatch,
			Message:        "The provided 'x-amz-content-sha256' header does not match what was computed.",
			ClaimedSHA256:  claim,
			ComputedSHA256: r.BodySHA256,
		}
	}
	return claim, nil
}
