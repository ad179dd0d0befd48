package sigv4

import (
	"strconv"
	"strings"
)

// Request is the part of an HTTP request that SigV4 covers, as it arrived on the wire. A server
// fills it from its HTTP request without decoding or normalising anything; a client fills it with
// what it is about to send.
type Request struct {
	// Method is the HTTP method, e.g. "POST".
	Method string
	// Path is the path of the request target exactly as sent, still percent-encoded and without
	// the query: for a Go server, r.RequestURI up to the first '?'. Not r.URL.Path (decoded) and
	// not r.URL.EscapedPath() (Go may re-encode it differently). An absolute-form target
	// ("http://host/p") is accepted; empty means "/".
	Path string
	// RawQuery is the query string as sent, without the '?' (r.URL.RawQuery).
	RawQuery string
	// Host is the Host header as sent, with ":port" when the client sent one (r.Host). If empty,
	// Header["Host"] is used.
	Host string
	// Header holds the request headers keyed by canonical MIME name, as http.Header does.
	// Multiple values of one header are separate elements. Keys that are not canonical are still
	// found, more slowly.
	Header map[string][]string
	// ContentLength is the body length in bytes, or -1 if unknown (r.ContentLength). It supplies
	// content-length when that header is signed but absent from Header, as for a Go server
	// receiving a chunked body.
	ContentLength int64
	// BodySHA256 is the lower-case hex SHA-256 of the whole body, for callers that hold the body
	// in memory (Query form posts). Verify needs it when the client sent no
	// x-amz-content-sha256 (every non-S3 request) and checks any hex claim against it. Leave it
	// empty for S3 bodies that are streamed; NewBodyReader checks them instead.
	BodySHA256 string
}

// header returns the values of the header named by the canonical MIME key key.
func (r *Request) header(key string) []string {
	if v, ok := r.Header[key]; ok {
		return v
	}
	return r.headerSlow(key)
}

// headerSlow finds key case-insensitively, for maps whose keys were not canonicalised (Go keeps
// header names with characters outside the token set as sent).
func (r *Request) headerSlow(name string) []string {
	for k, v := range r.Header {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return nil
}

// first returns the first value of a header, or "".
func (r *Request) first(key string) string {
	if v := r.header(key); len(v) > 0 {
		return v[0]
	}
	return ""
}

// headerByLower returns the values of the header whose lower-case name is name, converting to
// the canonical MIME form in a stack buffer so the common lookup does not allocate.
func (r *Request) headerByLower(name string) []string {
	var buf [64]byte
	if len(name) > len(buf) {
		return r.headerSlow(name)
	}
	k := buf[:len(name)]
	upper := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		if upper && 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		} else if !upper && 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		k[i] = c
		upper = c == '-'
	}
	if v, ok := r.Header[string(k)]; ok {
		return v
	}
	return r.headerSlow(name)
}

// host returns the Host header value.
func (r *Request) host() string {
	if r.Host != "" {
		return r.Host
	}
	return r.first("Host")
}

// appendSignedHeaderValue appends the canonical value of the signed header name (lower case):
// values trimmed, inner runs of spaces collapsed to one, several values joined with ','.
func (r *Request) appendSignedHeaderValue(dst []byte, name string) []byte {
	switch name {
	case "host":
		return appendTrimmed(dst, r.host())
	case "content-length":
		if v := r.headerByLower(name); len(v) > 0 {
			break
		}
		if r.ContentLength >= 0 {
			return strconv.AppendInt(dst, r.ContentLength, 10)
		}
		return dst
	}
	for i, v := range r.headerByLower(name) {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendTrimmed(dst, v)
	}
	return dst
}

// appendTrimmed appends v without leading and trailing spaces and tabs, with each inner run of
// spaces collapsed to a single space.
//
// AWS: the SigV4 spec says "sequential spaces"; aws-sdk-go-v2 collapses only ' ' while botocore
// collapses all whitespace. Go servers strip leading and trailing tabs already, so the two agree
// on everything but inner tabs, which no header we serve carries.
func appendTrimmed(dst []byte, v string) []byte {
	start, end := 0, len(v)
	for start < end && (v[start] == ' ' || v[start] == '\t') {
		start++
	}
	for end > start && (v[end-1] == ' ' || v[end-1] == '\t') {
		end--
	}
	space := false
	for i := start; i < end; i++ {
		c := v[i]
		if c == ' ' {
			if space {
				continue
			}
			space = true
		} else {
			space = false
		}
		dst = append(dst, c)
	}
	return dst
}
