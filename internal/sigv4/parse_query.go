package sigv4

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Presigned query parameter names.
const (
	qAlgorithm     = "X-Amz-Algorithm"
	qCredential    = "X-Amz-Credential"
	qDate          = "X-Amz-Date"
	qExpires       = "X-Amz-Expires"
	qSignedHeaders = "X-Amz-SignedHeaders"
	qSecurityToken = "X-Amz-Security-Token"
	qSignature     = "X-Amz-Signature"
	qContentSHA256 = "X-Amz-Content-Sha256"
)

// hasPresignParams reports whether the query carries SigV4 presign parameters, and refuses SigV2
// presigned URLs (AWSAccessKeyId + Signature).
func hasPresignParams(raw string) (bool, error) {
	v4, v2 := false, false
	forEachParam(raw, func(name, _ string) bool {
		switch decodeComponent(name, true) {
		case qAlgorithm, qCredential, qSignature:
			v4 = true
		case "AWSAccessKeyId":
			v2 = true
		}
		return true
	})
	if v2 && !v4 {
		return false, newError(ErrUnsupportedAlgorithm, "Signature Version 2 presigned URLs are not supported; use AWS4-HMAC-SHA256.")
	}
	return v4, nil
}

// parsePresigned parses query-string authentication.
func parsePresigned(r *Request) (Auth, error) {
	var v [8]string
	var seen [8]int
	keys := [8]string{qAlgorithm, qCredential, qDate, qExpires, qSignedHeaders, qSecurityToken, qSignature, qContentSHA256}
	var dup string
	forEachParam(r.RawQuery, func(name, value string) bool {
		name = decodeComponent(name, true)
		for i, k := range keys {
			if name == k {
				seen[i]++
				if seen[i] > 1 {
					dup = k
					return false
				}
				v[i] = decodeComponent(value, true)
			}
		}
		return true
	})
	if dup != "" {
		return Auth{}, newError(ErrMalformed, fmt.Sprintf("Query-string authentication parameter %s appears more than once.", dup))
	}
	algo, cred, amz, exp, signed, token, sig, claim := v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]
	if seen[0] > 0 {
		if err := checkAlgorithm(algo); err != nil {
			return Auth{}, err
		}
	}
	a := Auth{Presigned: true, SignedHeaders: signed, Signature: sig, SecurityToken: token}
	var missing []string
	for _, p := range [...][2]string{{algo, qAlgorithm}, {cred, qCredential}, {sig, qSignature}, {amz, qDate}, {signed, qSignedHeaders}} {
		if p[0] == "" {
			missing = append(missing, p[1])
		}
	}
	var credErr error
	if cred != "" {
		credErr = a.setCredential(cred)
	}
	// AWS: S3 requires X-Amz-Expires; STS accepts presigned GetCallerIdentity URLs without it and
	// applies the usual skew window, which is what Verify does when Expires is 0.
	if exp == "" && isS3(a.Service) {
		missing = append(missing, qExpires)
	}
	if len(missing) > 0 {
		return Auth{}, newError(ErrMalformed, "Query-string authentication version 4 requires the "+strings.Join(missing, ", ")+" parameters.")
	}
	if credErr != nil {
		return Auth{}, credErr
	}
	if exp != "" {
		n, err := strconv.ParseInt(exp, 10, 64)
		switch {
		case err != nil && !isDigits(exp):
			return Auth{}, newError(ErrMalformed, "X-Amz-Expires should be a number")
		case err != nil || n > int64(MaxPresignExpiry/time.Second):
			return Auth{}, newError(ErrMalformed, "X-Amz-Expires must be less than a week (in seconds) that is 604800")
		case n < 1:
			return Auth{}, newError(ErrMalformed, "X-Amz-Expires must be at least 1 second")
		}
		a.Expires = time.Duration(n) * time.Second
	}
	t, ok := parseAmzDate(amz)
	if !ok {
		return Auth{}, newError(ErrMalformed, fmt.Sprintf("X-Amz-Date %q must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\".", truncate(amz)))
	}
	a.AmzDate, a.Time = amz, t
	if err := a.setPayloadHash(claim, seen[7] > 0); err != nil {
		return Auth{}, err
	}
	if err := a.checkConsistency(); err != nil {
		return Auth{}, err
	}
	return a, nil
}
