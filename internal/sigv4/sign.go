package sigv4

import (
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Credentials are an access key pair, with the session token of temporary credentials.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
}

// String shows the access key id only.
func (c Credentials) String() string { return "Credentials{" + c.AccessKeyID + ", REDACTED}" }

// GoString shows the access key id only.
func (c Credentials) GoString() string { return c.String() }

// Signer signs requests for one credential, region and service, as rolegate's own clients (the
// CLI, the benchmark harness) do. It is the client side of Verify and signs with the same
// canonicalisation. A Signer is safe for concurrent use if its Keys cache is.
type Signer struct {
	Credentials Credentials
	Region      string
	Service     string
	// Keys, if set, caches derived keys across calls.
	Keys *KeyCache
}

// unsignedHeader reports headers that are never signed because transports and proxies set or
// change them; botocore and aws-sdk-go-v2 leave them out too. k is a canonical MIME name.
func unsignedHeader(k string) bool {
	switch k {
	case "Authorization", "User-Agent", "X-Amzn-Trace-Id", "Expect", "Transfer-Encoding", "Connection",
		"Keep-Alive", "Te", "Trailer", "Upgrade", "Proxy-Authorization", "Proxy-Authenticate":
		return true
	}
	return false
}

func (s *Signer) check() error {
	switch {
	case s.Credentials.AccessKeyID == "" || s.Credentials.SecretAccessKey == "":
		return newError(ErrSigning, "credentials need an access key id and a secret access key")
	case s.Region == "" || s.Service == "":
		return newError(ErrSigning, "a region and a service are required")
	}
	return nil
}

func (s *Signer) key(date string) Key {
	if s.Keys != nil {
		return s.Keys.Key(s.Credentials.SecretAccessKey, s.Credentials.AccessKeyID, date, s.Region, s.Service)
	}
	return DeriveKey(s.Credentials.SecretAccessKey, date, s.Region, s.Service)
}

func (s *Signer) scope(date string) string {
	return date + "/" + s.Region + "/" + s.Service + "/aws4_request"
}

// signedHeaderList returns the sorted ';'-joined lower-case names of host and every header of r
// that unsignedHeader does not exclude.
func signedHeaderList(r *Request) string {
	names := []string{"host"}
	for k := range r.Header {
		if unsignedHeader(k) || strings.EqualFold(k, "host") {
			continue
		}
		names = append(names, strings.ToLower(k))
	}
	slices.Sort(names)
	return strings.Join(slices.Compact(names), ";")
}

// Sign signs r in place with the Authorization header. It sets X-Amz-Date to now,
// X-Amz-Security-Token for temporary credentials and, for S3, X-Amz-Content-Sha256, then signs
// host and every other header present except those transports rewrite (User-Agent, Expect,
// Transfer-Encoding, hop-by-hop headers). payloadHash is the hex SHA-256 of the body
// (EmptySHA256 for none) or, for S3, one of the sentinels such as UnsignedPayload.
func (s *Signer) Sign(r *Request, now time.Time, payloadHash string) error {
	if err := s.check(); err != nil {
		return err
	}
	if payloadHash == "" {
		return newError(ErrSigning, "a payload hash is required (EmptySHA256 for an empty body)")
	}
	if r.Header == nil {
		r.Header = make(map[string][]string)
	}
	amzDate := now.UTC().Format(TimeFormat)
	setHeader(r.Header, "Authorization", "")
	setHeader(r.Header, "X-Amz-Date", amzDate)
	setHeader(r.Header, "X-Amz-Security-Token", s.Credentials.SessionToken)
	if isS3(s.Service) {
		setHeader(r.Header, "X-Amz-Content-Sha256", payloadHash)
	}
	signed := signedHeaderList(r)
	scope := s.scope(amzDate[:8])
	sig := s.signature(r, amzDate, scope, signed, payloadHash, false)
	r.Header["Authorization"] = []string{Algorithm + " Credential=" + s.Credentials.AccessKeyID + "/" + scope +
		", SignedHeaders=" + signed + ", Signature=" + sig}
	return nil
}

// Presign signs r with query parameters valid for expires (1 s to 7 days) from now, sets
// r.RawQuery to the signed query and returns it. It signs host and the headers present in r,
// which the caller MUST send with the URL. S3 URLs sign UNSIGNED-PAYLOAD, others the empty body.
func (s *Signer) Presign(r *Request, now time.Time, expires time.Duration) (string, error) {
	if err := s.check(); err != nil {
		return "", err
	}
	if expires < time.Second || expires > MaxPresignExpiry {
		return "", newError(ErrSigning, fmt.Sprintf("presign expiry %v is outside 1s..%v", expires, MaxPresignExpiry))
	}
	if present, err := hasPresignParams(r.RawQuery); err != nil || present {
		return "", newError(ErrSigning, "the query already carries signing parameters")
	}
	amzDate := now.UTC().Format(TimeFormat)
	scope := s.scope(amzDate[:8])
	signed := signedHeaderList(r)
	q := []byte(r.RawQuery)
	add := func(name, value string) {
		if len(q) > 0 {
			q = append(q, '&')
		}
		q = append(q, name...)
		q = append(q, '=')
		q = appendEncodedString(q, value, false)
	}
	add(qAlgorithm, Algorithm)
	add(qCredential, s.Credentials.AccessKeyID+"/"+scope)
	add(qDate, amzDate)
	add(qExpires, strconv.FormatInt(int64(expires/time.Second), 10))
	add(qSignedHeaders, signed)
	if s.Credentials.SessionToken != "" {
		add(qSecurityToken, s.Credentials.SessionToken)
	}
	r.RawQuery = string(q)
	payload := EmptySHA256
	if isS3(s.Service) {
		payload = UnsignedPayload
	}
	add(qSignature, s.signature(r, amzDate, scope, signed, payload, true))
	r.RawQuery = string(q)
	return r.RawQuery, nil
}

// setHeader replaces every spelling of the header key with the single value v, or removes it
// when v is empty.
func setHeader(h map[string][]string, key, v string) {
	for k := range h {
		if strings.EqualFold(k, key) {
			delete(h, k)
		}
	}
	if v != "" {
		h[key] = []string{v}
	}
}

// signature returns the hex signature of r.
func (s *Signer) signature(r *Request, amzDate, scope, signed, payload string, presigned bool) string {
	uri := appendCanonicalURI(nil, r.Path, isS3(s.Service), uriRebuilt)
	creq := appendCanonicalRequest(nil, r, uri, signed, payload, presigned)
	key := s.key(amzDate[:8])
	sum := key.sign(appendStringToSign(nil, amzDate, scope, creq))
	return hex.EncodeToString(sum[:])
}
