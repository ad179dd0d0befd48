package sigv4

import (
	"fmt"
	"strings"
)

// Parse extracts the signing information of r from its Authorization header or its presigned
// query parameters. It checks form only; Verify checks the signature and the time. Errors are
// *Error values wrapping ErrMissingAuth, ErrMalformed, ErrUnsupportedAlgorithm, ErrScopeDate,
// ErrHostNotSigned, ErrMissingContentHash or ErrInvalidContentHash.
func Parse(r *Request) (Auth, error) {
	authz := r.first("Authorization")
	presigned, err := hasPresignParams(r.RawQuery)
	if err != nil {
		return Auth{}, err
	}
	switch {
	case authz != "" && presigned:
		return Auth{}, newError(ErrMalformed, "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified.")
	case presigned:
		return parsePresigned(r)
	case authz != "":
		return parseHeader(r, authz)
	}
	return Auth{}, newError(ErrMissingAuth, "Request is missing Authentication Token")
}

// forEachParam calls fn with the raw (still encoded) name and value of each '&'-separated query
// parameter, skipping empty ones, until fn returns false.
func forEachParam(raw string, fn func(name, value string) bool) {
	for raw != "" {
		var p string
		if i := strings.IndexByte(raw, '&'); i >= 0 {
			p, raw = raw[:i], raw[i+1:]
		} else {
			p, raw = raw, ""
		}
		if p == "" {
			continue
		}
		name, value, _ := strings.Cut(p, "=")
		if !fn(name, value) {
			return
		}
	}
}

func parseHeader(r *Request, authz string) (Auth, error) {
	algo, rest, _ := strings.Cut(strings.TrimLeft(authz, " "), " ")
	if err := checkAlgorithm(algo); err != nil {
		return Auth{}, err
	}
	var cred, signed, sig string
	for rest != "" {
		var part string
		if i := strings.IndexByte(rest, ','); i >= 0 {
			part, rest = rest[:i], rest[i+1:]
		} else {
			part, rest = rest, ""
		}
		part = strings.Trim(part, " ")
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			if part == "" {
				continue
			}
			return Auth{}, newError(ErrMalformed, fmt.Sprintf("Authorization header component %q is not of the form key=value.", truncate(part)))
		}
		switch k {
		case "Credential":
			cred = v
		case "SignedHeaders":
			signed = v
		case "Signature":
			sig = v
		}
	}
	if cred == "" || signed == "" || sig == "" {
		var msg []string
		for _, m := range [...][2]string{{cred, "Credential"}, {signed, "SignedHeaders"}, {sig, "Signature"}} {
			if m[0] == "" {
				msg = append(msg, "Authorization header requires '"+m[1]+"' parameter.")
			}
		}
		return Auth{}, newError(ErrMalformed, strings.Join(msg, " "))
	}

	a := Auth{SignedHeaders: signed, Signature: sig}
	if err := a.setCredential(cred); err != nil {
		return Auth{}, err
	}
	if amz := r.first("X-Amz-Date"); amz != "" {
		t, ok := parseAmzDate(amz)
		if !ok {
			return Auth{}, newError(ErrMalformed, fmt.Sprintf("X-Amz-Date %q must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\".", truncate(amz)))
		}
		a.AmzDate, a.Time = amz, t
	} else if d := r.first("Date"); d != "" {
		t, ok := parseHTTPDate(d)
		if !ok {
			return Auth{}, newError(ErrMalformed, fmt.Sprintf("Date header %q is not an RFC 1123 date.", truncate(d)))
		}
		a.AmzDate, a.Time = t.Format(TimeFormat), t
	} else {
		return Auth{}, newError(ErrMalformed, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
	}
	a.SecurityToken = r.first("X-Amz-Security-Token")
	claim, present := r.first("X-Amz-Content-Sha256"), len(r.header("X-Amz-Content-Sha256")) > 0
	if err := a.setPayloadHash(claim, present); err != nil {
		return Auth{}, err
	}
	if err := a.checkConsistency(); err != nil {
		return Auth{}, err
	}
	return a, nil
}

func checkAlgorithm(algo string) error {
	switch algo {
	case Algorithm:
		return nil
	case algorithmV4A:
		return newError(ErrUnsupportedAlgorithm, "SigV4A (AWS4-ECDSA-P256-SHA256) signatures are not supported; sign with AWS4-HMAC-SHA256.")
	case "":
		return newError(ErrMalformed, "Authorization header is missing the signing algorithm.")
	case "AWS":
		return newError(ErrUnsupportedAlgorithm, "Signature Version 2 is not supported; sign with AWS4-HMAC-SHA256.")
	}
	return newError(ErrUnsupportedAlgorithm, fmt.Sprintf("Unsupported signing algorithm %q; only AWS4-HMAC-SHA256 is supported.", truncate(algo)))
}

// setCredential parses "<AKID>/<yyyyMMdd>/<region>/<service>/aws4_request".
func (a *Auth) setCredential(cred string) error {
	const expect = `the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`
	akid, scope, ok := strings.Cut(cred, "/")
	if !ok || akid == "" {
		return newError(ErrMalformed, expect)
	}
	date, rest, ok1 := strings.Cut(scope, "/")
	region, rest, ok2 := strings.Cut(rest, "/")
	service, term, ok3 := strings.Cut(rest, "/")
	if !ok1 || !ok2 || !ok3 || strings.Contains(term, "/") {
		return newError(ErrMalformed, expect)
	}
	switch {
	case !validScopeDate(date):
		return newError(ErrMalformed, fmt.Sprintf("Invalid credential date %q; the Credential date must be in YYYYMMDD format.", truncate(date)))
	case region == "":
		return newError(ErrMalformed, "Credential should be scoped to a valid region.")
	case service == "":
		return newError(ErrMalformed, "Credential should be scoped to correct service.")
	case term != "aws4_request":
		return newError(ErrMalformed, fmt.Sprintf("Credential should be scoped with a valid terminator: 'aws4_request', not '%s'.", truncate(term)))
	}
	a.AccessKeyID, a.Date, a.Region, a.Service, a.Scope = akid, date, region, service, scope
	return nil
}

// setPayloadHash validates the claimed payload hash and fills PayloadHash, applying the
// service's default when the client sent none.
func (a *Auth) setPayloadHash(claim string, present bool) error {
	s3 := isS3(a.Service)
	if !present {
		switch {
		case s3 && a.Presigned:
			a.PayloadHash = UnsignedPayload
		case s3:
			return newError(ErrMissingContentHash, "Missing required header for this request: x-amz-content-sha256")
		}
		return nil
	}
	if isHexSHA256(claim) {
		a.PayloadHash = claim
		return nil
	}
	if s3 {
		switch claim {
		case UnsignedPayload:
			a.PayloadHash = claim
			return nil
		case StreamingPayload, StreamingPayloadTrailer, StreamingUnsignedPayloadTrailer:
			if !a.Presigned {
				a.PayloadHash = claim
				return nil
			}
		}
		return newError(ErrInvalidContentHash, "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, or a valid sha256 value.")
	}
	return newError(ErrInvalidContentHash, "x-amz-content-sha256 must be the hex SHA-256 of the request body.")
}

// checkConsistency checks what ties the parts together: the scope date is the request date, and
// host is signed.
func (a *Auth) checkConsistency() error {
	if a.Date != a.AmzDate[:8] {
		return newError(ErrScopeDate, fmt.Sprintf("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.", a.Date, a.AmzDate[:8], a.AmzDate))
	}
	host := false
	for _, name := range splitNames(a.SignedHeaders) {
		if name == "" {
			return newError(ErrMalformed, fmt.Sprintf("SignedHeaders %q contains an empty header name.", truncate(a.SignedHeaders)))
		}
		host = host || strings.EqualFold(name, "host")
	}
	if host {
		return nil
	}
	return newError(ErrHostNotSigned, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
}

// splitNames iterates over the ';'-separated names of a SignedHeaders value without allocating;
// an empty list yields one empty name.
func splitNames(list string) func(yield func(int, string) bool) {
	return func(yield func(int, string) bool) {
		for i := 0; ; i++ {
			name, rest, more := strings.Cut(list, ";")
			if !yield(i, name) || !more {
				return
			}
			list = rest
		}
	}
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// truncate bounds client-supplied text echoed in messages.
func truncate(s string) string {
	const max = 64
	if len(s) > max {
		return s[:max] + "..."
	}
	return s
}
