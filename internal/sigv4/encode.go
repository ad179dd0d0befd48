package sigv4

const upperHex = "0123456789ABCDEF"

// unreserved reports whether c is in RFC 3986's unreserved set, which SigV4 never encodes.
func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// decodeAt returns the byte that s[i:] encodes and how many input bytes it used: a valid "%XX"
// escape is one byte, '+' is a space when plusSpace is set, and anything else (including a '%'
// that starts no valid escape) stands for itself.
func decodeAt(s string, i int, plusSpace bool) (byte, int) {
	c := s[i]
	if c == '%' && i+2 < len(s) {
		if h, ok := unhex(s[i+1]); ok {
			if l, ok := unhex(s[i+2]); ok {
				return h<<4 | l, 3
			}
		}
	}
	if c == '+' && plusSpace {
		return ' ', 1
	}
	return c, 1
}

// appendEncoded appends the SigV4 URI encoding of b: unreserved bytes as they are, '/' as is
// when keepSlash, everything else as %XX with upper-case hex.
func appendEncoded(dst []byte, b byte, keepSlash bool) []byte {
	if unreserved(b) || b == '/' && keepSlash {
		return append(dst, b)
	}
	return append(dst, '%', upperHex[b>>4], upperHex[b&15])
}

// appendReencoded decodes s and appends its SigV4 encoding, so that any client encoding of the
// same bytes (lower-case hex, needless escapes of unreserved bytes, raw reserved characters)
// yields the one canonical form. In query components '+' means a space, as form decoding (and
// aws-sdk-go-v2, which signs url.Values) reads it; in paths it is a literal '+'.
func appendReencoded(dst []byte, s string, plusSpace, keepSlash bool) []byte {
	for i := 0; i < len(s); {
		b, n := decodeAt(s, i, plusSpace)
		dst = appendEncoded(dst, b, keepSlash)
		i += n
	}
	return dst
}

// appendEncodedString appends the SigV4 encoding of the raw (not yet encoded) string s.
func appendEncodedString(dst []byte, s string, keepSlash bool) []byte {
	for i := 0; i < len(s); i++ {
		dst = appendEncoded(dst, s[i], keepSlash)
	}
	return dst
}

// decodeComponent returns the decoded form of a query component.
func decodeComponent(s string, plusSpace bool) string {
	needs := false
	for i := 0; i < len(s); i++ {
		if s[i] == '%' || s[i] == '+' && plusSpace {
			needs = true
			break
		}
	}
	if !needs {
		return s
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		b, n := decodeAt(s, i, plusSpace)
		out = append(out, b)
		i += n
	}
	return string(out)
}
