package jwt

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// MaxLen bounds the tokens Parse reads. STS itself accepts WebIdentityToken up to 20000
// characters.
const MaxLen = 1 << 16

// Errors. STS reports ErrNoKey and ErrBadKeySet as "Couldn't retrieve verification key from
// your identity provider", ErrIssuer as "No OpenIDConnect provider found", ErrAudience as
// "Incorrect token audience", *ExpiredError as ExpiredTokenException and the rest as
// InvalidIdentityToken.
var (
	// ErrMalformed reports a token that is not a compact JWS with JSON object header and
	// claims of the expected types.
	ErrMalformed = errors.New("jwt: malformed token")
	// ErrUnsupportedAlg reports an alg other than RS256/384/512 and ES256/384/512, including
	// "none" and the HMAC algorithms.
	ErrUnsupportedAlg = errors.New("jwt: unsupported signing algorithm")
	// ErrNoKey reports that the key set has no key for the token's kid and alg.
	ErrNoKey = errors.New("jwt: no matching verification key")
	// ErrSignature reports a signature that no candidate key verifies.
	ErrSignature = errors.New("jwt: invalid signature")
	// ErrBadKeySet reports a JWKS document that does not parse or has no usable signing key.
	ErrBadKeySet = errors.New("jwt: malformed key set")
	// ErrMissingClaim reports a token without a claim validation requires (exp).
	ErrMissingClaim = errors.New("jwt: missing claim")
	// ErrNotYetValid reports a token whose nbf is after now.
	ErrNotYetValid = errors.New("jwt: token not yet valid")
	// ErrIssuer reports an iss other than the expected issuer.
	ErrIssuer = errors.New("jwt: issuer mismatch")
	// ErrAudience reports a token whose aud and azp are not in the accepted client IDs.
	ErrAudience = errors.New("jwt: audience not accepted")
)

// segment is unpadded base64url as RFC 7515 requires; Strict rejects non-zero trailing bits so
// a signature has exactly one encoding.
var segment = base64.RawURLEncoding.Strict()

// Header is the JOSE header of a token.
type Header struct {
	// Alg is the signing algorithm, one of RS256, RS384, RS512, ES256, ES384 and ES512.
	Alg string
	// Kid names the key that signed the token, or "".
	Kid string
	// Typ is the declared media type, usually "JWT"; it is not checked.
	Typ string
}

// Token is a parsed, not yet verified, ID token.
type Token struct {
	// Header is the decoded JOSE header.
	Header Header
	// Claims are the decoded claims. Trust them only after Verify and Claims.Validate.
	Claims Claims

	signingInput string // header.payload, as signed
	signature    []byte
}

// Parse decodes a compact JWS. It rejects tokens longer than MaxLen, unsupported algorithms,
// critical header extensions, duplicate member names in the header or claims, and claims of
// the wrong JSON type; it does not check the signature or any time.
func Parse(compact string) (*Token, error) {
	if len(compact) > MaxLen {
		return nil, fmt.Errorf("%w: longer than %d characters", ErrMalformed, MaxLen)
	}
	h, rest, ok1 := strings.Cut(compact, ".")
	p, s, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || strings.Contains(s, ".") {
		return nil, fmt.Errorf("%w: not three dot-separated parts", ErrMalformed)
	}
	header, err := decodeObject(h)
	if err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrMalformed, err)
	}
	t := &Token{signingInput: compact[:len(h)+1+len(p)]}
	if err := t.Header.read(header); err != nil {
		return nil, err
	}
	claims, err := decodeObject(p)
	if err != nil {
		return nil, fmt.Errorf("%w: claims: %v", ErrMalformed, err)
	}
	if err := t.Claims.read(claims); err != nil {
		return nil, err
	}
	if t.signature, err = segment.DecodeString(s); err != nil || len(t.signature) == 0 {
		return nil, fmt.Errorf("%w: signature encoding", ErrMalformed)
	}
	return t, nil
}

func (h *Header) read(m map[string]json.RawMessage) error {
	if _, ok := m["crit"]; ok {
		// RFC 7515 §4.1.11: extensions we do not understand make the token invalid.
		return fmt.Errorf("%w: critical header extension", ErrMalformed)
	}
	if err := readString(m, "alg", &h.Alg); err != nil {
		return err
	}
	if _, ok := lookupAlg(h.Alg); !ok {
		return fmt.Errorf("%w: %q", ErrUnsupportedAlg, h.Alg)
	}
	if err := readString(m, "kid", &h.Kid); err != nil {
		return err
	}
	return readString(m, "typ", &h.Typ)
}

// decodeObject decodes one base64url segment holding a JSON object into its members, refusing
// duplicate names: two parsers that each pick a different "aud" must not disagree about a token.
func decodeObject(seg string) (map[string]json.RawMessage, error) {
	raw, err := segment.DecodeString(seg)
	if err != nil {
		return nil, errors.New("not base64url")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errors.New("not a JSON object")
	}
	m := make(map[string]json.RawMessage)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, errors.New("bad JSON")
		}
		name, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, errors.New("bad JSON")
		}
		if _, dup := m[name]; dup {
			return nil, fmt.Errorf("duplicate member %q", name)
		}
		m[name] = v
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return nil, errors.New("bad JSON")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the JSON object")
	}
	return m, nil
}

// readString sets *dst from member name when present; null counts as absent.
func readString(m map[string]json.RawMessage, name string, dst *string) error {
	v, ok := m[name]
	if !ok || string(v) == "null" {
		return nil
	}
	if err := json.Unmarshal(v, dst); err != nil {
		return fmt.Errorf("%w: %s is not a string", ErrMalformed, name)
	}
	return nil
}
