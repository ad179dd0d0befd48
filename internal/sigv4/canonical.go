package sigv4

import (
	"bytes"
	"slices"
	"strings"
)

// uriMode selects how the canonical URI is derived from Request.Path.
type uriMode uint8

const (
	// uriRebuilt decodes the path and encodes it again with AWS's rules, so every client
	// encoding of the same path maps to one form. It is what the SigV4 spec prescribes.
	uriRebuilt uriMode = iota
	// uriAsSent takes the path as the client encoded it. A client that signs its own wire
	// encoding (a Go request built with http.NewRequest leaves '+' and other sub-delimiters
	// raw) signs this form; Verify tries it when uriRebuilt fails and the two differ.
	uriAsSent
)

// requestPath returns the path of r, stripping the scheme and authority of an absolute-form
// target and mapping an empty path to "/".
func requestPath(p string) string {
	if p == "" {
		return "/"
	}
	if p[0] != '/' {
		if i := strings.Index(p, "://"); i >= 0 {
			rest := p[i+3:]
			if j := strings.IndexByte(rest, '/'); j >= 0 {
				return rest[j:]
			}
			return "/"
		}
	}
	return p
}

// appendCanonicalURI appends the canonical URI of path for the service's rules.
//
// S3 signs the path as the client encoded it, each byte encoded once, with no dot-segment
// normalisation. Every other service normalises the path and encodes it twice; IAM, STS and EC2
// only ever use "/".
func appendCanonicalURI(dst []byte, path string, s3 bool, mode uriMode) []byte {
	path = requestPath(path)
	switch {
	case s3 && mode == uriRebuilt:
		return appendReencoded(dst, path, false, true)
	case s3:
		return append(dst, path...)
	case path == "/":
		return append(dst, '/')
	case mode == uriAsSent || path[0] != '/':
		// aws-sdk-go-v2 escapes the wire path once more and does not normalise. A target that
		// is not a path ("*", or garbage) is never normalised into one.
		return appendEncodedString(dst, path, true)
	}
	once := appendEncodedString(nil, normalizePath(decodeComponent(path, false)), true)
	return appendEncodedString(dst, string(once), true)
}

// normalizePath removes "." and ".." segments and empty segments ("//"), keeping a trailing
// slash, as botocore does for non-S3 services.
func normalizePath(p string) string {
	trailing := strings.HasSuffix(p, "/")
	segs := strings.Split(p, "/")
	out := segs[:0]
	for _, s := range segs {
		switch s {
		case "", ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, s)
		}
	}
	res := "/" + strings.Join(out, "/")
	if trailing && len(out) > 0 {
		res += "/"
	}
	return res
}

// param locates one encoded query parameter inside a scratch buffer.
type param struct{ k0, k1, v1 int }

// appendCanonicalQuery appends the canonical query string of raw: every parameter's name and value
// decoded and re-encoded with RFC 3986 rules (space as %20), sorted by name then value, valueless
// parameters as "name=". For presigned requests X-Amz-Signature is left out.
func appendCanonicalQuery(dst []byte, raw string, presigned bool) []byte {
	if raw == "" {
		return dst
	}
	var paramStack [32]param
	var scratchStack [1024]byte
	params, scratch := paramStack[:0], scratchStack[:0]
	forEachParam(raw, func(name, value string) bool {
		if presigned && isSignatureParam(name) {
			return true
		}
		k0 := len(scratch)
		scratch = appendReencoded(scratch, name, true, false)
		k1 := len(scratch)
		scratch = appendReencoded(scratch, value, true, false)
		params = append(params, param{k0, k1, len(scratch)})
		return true
	})
	slices.SortFunc(params, func(a, b param) int {
		if c := bytes.Compare(scratch[a.k0:a.k1], scratch[b.k0:b.k1]); c != 0 {
			return c
		}
		return bytes.Compare(scratch[a.k1:a.v1], scratch[b.k1:b.v1])
	})
	for i, p := range params {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = append(dst, scratch[p.k0:p.k1]...)
		dst = append(dst, '=')
		dst = append(dst, scratch[p.k1:p.v1]...)
	}
	return dst
}

func isSignatureParam(rawName string) bool {
	return rawName == qSignature || decodeComponent(rawName, true) == qSignature
}

// appendCanonicalHeaders appends "name:value\n" for every name of the ';'-separated list, in the
// order given, names in lower case.
func appendCanonicalHeaders(dst []byte, r *Request, signedHeaders string) []byte {
	for _, name := range splitNames(signedHeaders) {
		if hasUpper(name) {
			name = strings.ToLower(name)
		}
		dst = append(dst, name...)
		dst = append(dst, ':')
		dst = r.appendSignedHeaderValue(dst, name)
		dst = append(dst, '\n')
	}
	return dst
}

func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return true
		}
	}
	return false
}

// appendLower appends s in lower case.
func appendLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// appendCanonicalRequest appends the canonical request:
// METHOD \n URI \n QUERY \n HEADERS \n SIGNEDHEADERS \n PAYLOADHASH, where HEADERS ends with its
// own newline.
func appendCanonicalRequest(dst []byte, r *Request, uri []byte, signedHeaders, payloadHash string, presigned bool) []byte {
	dst = append(dst, r.Method...)
	dst = append(dst, '\n')
	dst = append(dst, uri...)
	dst = append(dst, '\n')
	dst = appendCanonicalQuery(dst, r.RawQuery, presigned)
	dst = append(dst, '\n')
	dst = appendCanonicalHeaders(dst, r, signedHeaders)
	dst = append(dst, '\n')
	dst = appendLower(dst, signedHeaders)
	dst = append(dst, '\n')
	dst = append(dst, payloadHash...)
	return dst
}

// appendStringToSign appends the string to sign for a canonical request.
func appendStringToSign(dst []byte, amzDate, scope string, canonicalRequest []byte) []byte {
	dst = append(dst, Algorithm...)
	dst = append(dst, '\n')
	dst = append(dst, amzDate...)
	dst = append(dst, '\n')
	dst = append(dst, scope...)
	dst = append(dst, '\n')
	return appendSHA256Hex(dst, canonicalRequest)
}
