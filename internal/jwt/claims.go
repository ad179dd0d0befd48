package jwt

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"
)

// Claim names AWS defines for web identity federation.
const (
	// TagsClaim holds session tags: {"principal_tags": {"k": ["v"]}, "transitive_tag_keys": [...]}.
	TagsClaim = "https://aws.amazon.com/tags"
	// SourceIdentityClaim holds the session's source identity.
	SourceIdentityClaim = "https://aws.amazon.com/source_identity"
)

// Claims are the claims of an ID token that STS reads. Times are zero when the claim is absent.
type Claims struct {
	// Issuer is iss.
	Issuer string
	// Subject is sub.
	Subject string
	// Audience is aud, a string or an array in the token.
	Audience []string
	// AuthorizedParty is azp.
	AuthorizedParty string
	// Expiry is exp.
	Expiry time.Time
	// IssuedAt is iat.
	IssuedAt time.Time
	// NotBefore is nbf.
	NotBefore time.Time
	// AMR is amr, a string or an array in the token.
	AMR []string
	// PrincipalTags are the principal_tags of TagsClaim.
	PrincipalTags map[string]string
	// TransitiveTagKeys are the transitive_tag_keys of TagsClaim.
	TransitiveTagKeys []string
	// SourceIdentity is SourceIdentityClaim.
	SourceIdentity string
	// Raw holds every claim as decoded JSON (numbers as json.Number), for provider-specific
	// condition keys.
	Raw map[string]any
}

func (c *Claims) read(m map[string]json.RawMessage) error {
	for name, dst := range map[string]*string{"iss": &c.Issuer, "sub": &c.Subject,
		"azp": &c.AuthorizedParty, SourceIdentityClaim: &c.SourceIdentity} {
		if err := readString(m, name, dst); err != nil {
			return err
		}
	}
	for name, dst := range map[string]*[]string{"aud": &c.Audience, "amr": &c.AMR} {
		if err := readStrings(m, name, dst); err != nil {
			return err
		}
	}
	for name, dst := range map[string]*time.Time{"exp": &c.Expiry, "iat": &c.IssuedAt, "nbf": &c.NotBefore} {
		if err := readTime(m, name, dst); err != nil {
			return err
		}
	}
	if err := c.readTags(m[TagsClaim]); err != nil {
		return err
	}
	c.Raw = make(map[string]any, len(m))
	for name, v := range m {
		dec := json.NewDecoder(bytes.NewReader(v))
		dec.UseNumber()
		var x any
		if err := dec.Decode(&x); err != nil {
			return fmt.Errorf("%w: claim %q", ErrMalformed, name)
		}
		c.Raw[name] = x
	}
	return nil
}

// readStrings accepts a string or an array of strings, as aud and amr come in either form.
func readStrings(m map[string]json.RawMessage, name string, dst *[]string) error {
	v, ok := m[name]
	if !ok || string(v) == "null" {
		return nil
	}
	var one string
	if json.Unmarshal(v, &one) == nil {
		*dst = []string{one}
		return nil
	}
	if err := json.Unmarshal(v, dst); err != nil {
		return fmt.Errorf("%w: %s is not a string or an array of strings", ErrMalformed, name)
	}
	return nil
}

// readTime reads a NumericDate. STS requires the time claims to be numbers.
//
// AWS: RFC 7519 allows fractional seconds and STS's handling of them is not documented; the
// value is truncated to the second, so an exp of 100.5 expires at 100.
func readTime(m map[string]json.RawMessage, name string, dst *time.Time) error {
	v, ok := m[name]
	if !ok {
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(v, &n); err != nil || v[0] == '"' || string(v) == "null" {
		return fmt.Errorf("%w: %s is not a number", ErrMalformed, name)
	}
	sec, err := strconv.ParseInt(string(n), 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(string(n), 64)
		// Beyond ±2^53 a float no longer holds whole seconds; real dates are far below.
		if ferr != nil || math.Abs(f) > 1<<53 {
			return fmt.Errorf("%w: %s is out of range", ErrMalformed, name)
		}
		sec = int64(math.Floor(f))
	}
	*dst = time.Unix(sec, 0).UTC()
	return nil
}

// readTags reads AWS's session tag claim.
//
// AWS: each principal tag value is documented as an array holding one string; a bare string is
// accepted too, and anything else makes the token malformed.
func (c *Claims) readTags(v json.RawMessage) error {
	if v == nil || string(v) == "null" {
		return nil
	}
	var tags struct {
		PrincipalTags     map[string]json.RawMessage `json:"principal_tags"`
		TransitiveTagKeys json.RawMessage            `json:"transitive_tag_keys"`
	}
	if err := json.Unmarshal(v, &tags); err != nil {
		return fmt.Errorf("%w: %s is not an object", ErrMalformed, TagsClaim)
	}
	if len(tags.PrincipalTags) > 0 {
		c.PrincipalTags = make(map[string]string, len(tags.PrincipalTags))
	}
	for k, raw := range tags.PrincipalTags {
		var one string
		var list []string
		switch {
		case json.Unmarshal(raw, &one) == nil:
		case json.Unmarshal(raw, &list) == nil && len(list) == 1:
			one = list[0]
		default:
			return fmt.Errorf("%w: principal tag %q is not a single string", ErrMalformed, k)
		}
		c.PrincipalTags[k] = one
	}
	return readStrings(map[string]json.RawMessage{"transitive_tag_keys": tags.TransitiveTagKeys},
		"transitive_tag_keys", &c.TransitiveTagKeys)
}

// ExpiredError reports a token whose exp is not after now. Its message is the text STS returns
// in ExpiredTokenException.
type ExpiredError struct {
	// Now and Expiry are Unix seconds.
	Now, Expiry int64
}

// Error returns STS's message, which carries no secret.
func (e *ExpiredError) Error() string {
	return fmt.Sprintf("Token expired: current date/time %d must be before the expiration date/time %d",
		e.Now, e.Expiry)
}

// CheckTime requires exp to be present and after now, and nbf (when present) to be at or before
// now. An expired token fails with *ExpiredError.
//
// AWS: STS documents the exp check and its message; it does not document nbf. A token that says
// it is not valid yet is refused here, with no leeway: the caller may pass a later now to allow
// for clock skew.
func (c *Claims) CheckTime(now time.Time) error {
	if c.Expiry.IsZero() {
		return fmt.Errorf("%w: exp", ErrMissingClaim)
	}
	if c.Expiry.Unix() <= now.Unix() {
		return &ExpiredError{Now: now.Unix(), Expiry: c.Expiry.Unix()}
	}
	if !c.NotBefore.IsZero() && c.NotBefore.Unix() > now.Unix() {
		return ErrNotYetValid
	}
	return nil
}

// CheckIssuer requires iss to equal issuer exactly.
func (c *Claims) CheckIssuer(issuer string) error {
	if c.Issuer == "" || c.Issuer != issuer {
		return ErrIssuer
	}
	return nil
}

// CheckAudience returns the first aud value found in clientIDs or, failing that, azp when it is
// in clientIDs; STS returns the matched value as Audience. Google-style tokens put the OAuth
// client in azp and another audience in aud, which is why azp is a fallback.
func (c *Claims) CheckAudience(clientIDs []string) (string, error) {
	for _, a := range c.Audience {
		if a != "" && slices.Contains(clientIDs, a) {
			return a, nil
		}
	}
	if c.AuthorizedParty != "" && slices.Contains(clientIDs, c.AuthorizedParty) {
		return c.AuthorizedParty, nil
	}
	return "", ErrAudience
}

// Expect is what Validate checks claims against.
type Expect struct {
	// Issuer is the exact iss expected, e.g. "https://token.actions.githubusercontent.com".
	Issuer string
	// ClientIDs are the accepted audiences (an OIDC provider's ClientIDList).
	ClientIDs []string
	// Now is the current time.
	Now time.Time
}

// Validate runs CheckIssuer, CheckAudience and CheckTime, in the order STS reports failures,
// and returns the matched audience. An empty Issuer or ClientIDs matches nothing: a provider
// without them accepts no token.
func (c *Claims) Validate(e Expect) (string, error) {
	if err := c.CheckIssuer(e.Issuer); err != nil {
		return "", err
	}
	aud, err := c.CheckAudience(e.ClientIDs)
	if err != nil {
		return "", err
	}
	if err := c.CheckTime(e.Now); err != nil {
		return "", err
	}
	return aud, nil
}
