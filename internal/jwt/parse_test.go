package jwt_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"rolegate/internal/jwt"
)

// unsigned builds a token with any header and claims text and a dummy signature: Parse does not
// verify, so these reach the claim checks.
func unsigned(header, claims string) string {
	return seg(header) + "." + seg(claims) + "." + seg("sig")
}

const rsHeader = `{"alg":"RS256","kid":"k"}`

func TestParseRejectsMalformed(t *testing.T) {
	t.Parallel()
	good := unsigned(rsHeader, `{"sub":"x"}`)
	cases := map[string]struct {
		tok  string
		want error
	}{
		"empty":                     {"", jwt.ErrMalformed},
		"two parts":                 {seg(rsHeader) + "." + seg(`{}`), jwt.ErrMalformed},
		"four parts":                {good + ".x", jwt.ErrMalformed},
		"JWE (five parts)":          {good + ".x.y", jwt.ErrMalformed},
		"padded base64":             {seg(rsHeader) + "=." + seg(`{}`) + "." + seg("sig"), jwt.ErrMalformed},
		"standard base64 alphabet":  {seg(rsHeader) + "." + strings.ReplaceAll(seg(`{"a":"???"}`), "_", "/") + "." + seg("s"), jwt.ErrMalformed},
		"header not JSON":           {unsigned(`RS256`, `{}`), jwt.ErrMalformed},
		"header an array":           {unsigned(`["RS256"]`, `{}`), jwt.ErrMalformed},
		"header trailing data":      {unsigned(rsHeader+`{}`, `{}`), jwt.ErrMalformed},
		"duplicate alg":             {unsigned(`{"alg":"none","alg":"RS256"}`, `{}`), jwt.ErrMalformed},
		"alg not a string":          {unsigned(`{"alg":256}`, `{}`), jwt.ErrMalformed},
		"kid not a string":          {unsigned(`{"alg":"RS256","kid":1}`, `{}`), jwt.ErrMalformed},
		"critical extension":        {unsigned(`{"alg":"RS256","crit":["b64"],"b64":false}`, `{}`), jwt.ErrMalformed},
		"claims not an object":      {unsigned(rsHeader, `"sub"`), jwt.ErrMalformed},
		"claims truncated":          {unsigned(rsHeader, `{"sub":"x"`), jwt.ErrMalformed},
		"duplicate aud":             {unsigned(rsHeader, `{"aud":"a","aud":"b"}`), jwt.ErrMalformed},
		"iss a number":              {unsigned(rsHeader, `{"iss":1}`), jwt.ErrMalformed},
		"aud a number":              {unsigned(rsHeader, `{"aud":1}`), jwt.ErrMalformed},
		"aud array with a number":   {unsigned(rsHeader, `{"aud":["a",1]}`), jwt.ErrMalformed},
		"exp a string":              {unsigned(rsHeader, `{"exp":"1700000000"}`), jwt.ErrMalformed},
		"exp null":                  {unsigned(rsHeader, `{"exp":null}`), jwt.ErrMalformed},
		"exp a bool":                {unsigned(rsHeader, `{"exp":true}`), jwt.ErrMalformed},
		"exp too large":             {unsigned(rsHeader, `{"exp":1e300}`), jwt.ErrMalformed},
		"amr an object":             {unsigned(rsHeader, `{"amr":{}}`), jwt.ErrMalformed},
		"tags claim a string":       {unsigned(rsHeader, `{"https://aws.amazon.com/tags":"x"}`), jwt.ErrMalformed},
		"principal tag two values":  {unsigned(rsHeader, `{"https://aws.amazon.com/tags":{"principal_tags":{"k":["a","b"]}}}`), jwt.ErrMalformed},
		"principal tag a number":    {unsigned(rsHeader, `{"https://aws.amazon.com/tags":{"principal_tags":{"k":1}}}`), jwt.ErrMalformed},
		"transitive keys an object": {unsigned(rsHeader, `{"https://aws.amazon.com/tags":{"transitive_tag_keys":{}}}`), jwt.ErrMalformed},
		"source identity a number":  {unsigned(rsHeader, `{"https://aws.amazon.com/source_identity":5}`), jwt.ErrMalformed},
		"empty signature":           {seg(rsHeader) + "." + seg(`{}`) + ".", jwt.ErrMalformed},
		"too long":                  {seg(rsHeader) + "." + strings.Repeat("A", jwt.MaxLen) + ".c2ln", jwt.ErrMalformed},
	}
	if _, err := jwt.Parse(good); err != nil {
		t.Fatalf("control token: %v", err)
	}
	for name, tc := range cases {
		if _, err := jwt.Parse(tc.tok); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", name, err, tc.want)
		}
	}
}

func TestParseClaims(t *testing.T) {
	t.Parallel()
	claims := `{
		"iss":"https://accounts.google.com","sub":"110169484474386276334",
		"aud":["a","b"],"azp":"client.apps.googleusercontent.com",
		"exp":1700000600.75,"iat":1700000000,"nbf":1700000000,
		"amr":"pwd","email":"alice@example.com","email_verified":true,"groups":["admins","dev"],
		"https://aws.amazon.com/tags":{"principal_tags":{"Project":["Automation"],"CostCenter":"987654"},"transitive_tag_keys":["Project"]},
		"https://aws.amazon.com/source_identity":"alice"
	}`
	tok, err := jwt.Parse(unsigned(rsHeader, claims))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	c := tok.Claims
	want := jwt.Claims{
		Issuer: "https://accounts.google.com", Subject: "110169484474386276334",
		Audience: []string{"a", "b"}, AuthorizedParty: "client.apps.googleusercontent.com",
		Expiry:            time.Unix(1700000600, 0).UTC(),
		IssuedAt:          time.Unix(1700000000, 0).UTC(),
		NotBefore:         time.Unix(1700000000, 0).UTC(),
		AMR:               []string{"pwd"},
		PrincipalTags:     map[string]string{"Project": "Automation", "CostCenter": "987654"},
		TransitiveTagKeys: []string{"Project"},
		SourceIdentity:    "alice",
		Raw:               c.Raw,
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("Claims =\n%+v\nwant\n%+v", c, want)
	}
	if c.Raw["email"] != "alice@example.com" || c.Raw["email_verified"] != true ||
		c.Raw["iat"] != json.Number("1700000000") || !reflect.DeepEqual(c.Raw["groups"], []any{"admins", "dev"}) {
		t.Errorf("Raw = %#v", c.Raw)
	}
	if len(c.Raw) != 13 {
		t.Errorf("Raw has %d claims, want 13", len(c.Raw))
	}
}

func TestParseAcceptsNullOptionalClaims(t *testing.T) {
	t.Parallel()
	tok, err := jwt.Parse(unsigned(`{"alg":"ES256","kid":null,"typ":null}`, `{"aud":null,"azp":null,"https://aws.amazon.com/tags":null}`))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if tok.Header.Kid != "" || tok.Claims.Audience != nil || tok.Claims.PrincipalTags != nil {
		t.Errorf("null claims produced values: %+v", tok)
	}
}

func TestCheckTime(t *testing.T) {
	t.Parallel()
	claims := func(exp, nbf int64) jwt.Claims {
		c := jwt.Claims{}
		if exp != 0 {
			c.Expiry = time.Unix(exp, 0)
		}
		if nbf != 0 {
			c.NotBefore = time.Unix(nbf, 0)
		}
		return c
	}
	now := t0.Unix()
	cases := []struct {
		name string
		c    jwt.Claims
		want error
	}{
		{"valid", claims(now+1, now), nil},
		{"no nbf", claims(now+60, 0), nil},
		{"missing exp", claims(0, 0), jwt.ErrMissingClaim},
		{"nbf in the future", claims(now+60, now+1), jwt.ErrNotYetValid},
	}
	for _, tc := range cases {
		if err := tc.c.CheckTime(t0); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
	expired := []struct {
		exp  int64
		want string
	}{
		{now, "Token expired: current date/time 1741964966 must be before the expiration date/time 1741964966"},
		{now - 3600, "Token expired: current date/time 1741964966 must be before the expiration date/time 1741961366"},
	}
	for _, tc := range expired {
		c := claims(tc.exp, 0)
		err := c.CheckTime(t0.Add(400 * time.Millisecond))
		var ee *jwt.ExpiredError
		if !errors.As(err, &ee) || ee.Now != now || ee.Expiry != tc.exp {
			t.Fatalf("exp %d at %d: err = %v, want ExpiredError", tc.exp, now, err)
		}
		if err.Error() != tc.want {
			t.Errorf("message = %q, want %q", err.Error(), tc.want)
		}
	}
}

func TestCheckIssuerAndAudience(t *testing.T) {
	t.Parallel()
	c := jwt.Claims{Issuer: "https://issuer.example.com", Audience: []string{"api", "sts.amazonaws.com"}}
	if err := c.CheckIssuer("https://issuer.example.com"); err != nil {
		t.Errorf("same issuer: %v", err)
	}
	for _, iss := range []string{"issuer.example.com", "https://issuer.example.com/", "https://ISSUER.example.com", ""} {
		if err := c.CheckIssuer(iss); !errors.Is(err, jwt.ErrIssuer) {
			t.Errorf("CheckIssuer(%q): err = %v, want ErrIssuer", iss, err)
		}
	}
	cases := []struct {
		name      string
		aud       []string
		azp       string
		clientIDs []string
		want      string
		wantErr   error
	}{
		{"single aud", []string{"sts.amazonaws.com"}, "", []string{"sts.amazonaws.com"}, "sts.amazonaws.com", nil},
		{"second of several", []string{"api", "sts.amazonaws.com"}, "", []string{"x", "sts.amazonaws.com"}, "sts.amazonaws.com", nil},
		{"azp fallback", []string{"https://api"}, "client-1", []string{"client-1"}, "client-1", nil},
		{"aud preferred over azp", []string{"client-2"}, "client-1", []string{"client-1", "client-2"}, "client-2", nil},
		{"neither", []string{"api"}, "client-9", []string{"client-1"}, "", jwt.ErrAudience},
		{"no aud", nil, "", []string{"client-1"}, "", jwt.ErrAudience},
		{"empty client list", []string{"client-1"}, "", nil, "", jwt.ErrAudience},
		{"case differs", []string{"Client-1"}, "", []string{"client-1"}, "", jwt.ErrAudience},
		{"empty aud value", []string{""}, "", []string{""}, "", jwt.ErrAudience},
	}
	for _, tc := range cases {
		c := jwt.Claims{Audience: tc.aud, AuthorizedParty: tc.azp}
		got, err := c.CheckAudience(tc.clientIDs)
		if got != tc.want || !errors.Is(err, tc.wantErr) {
			t.Errorf("%s: CheckAudience = %q, %v; want %q, %v", tc.name, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	c := jwt.Claims{Issuer: "https://i", Audience: []string{"a"}, Expiry: t0.Add(time.Minute)}
	ok := jwt.Expect{Issuer: "https://i", ClientIDs: []string{"a"}, Now: t0}
	if aud, err := c.Validate(ok); err != nil || aud != "a" {
		t.Errorf("Validate = %q, %v; want a", aud, err)
	}
	var ee *jwt.ExpiredError
	cases := []struct {
		name string
		e    jwt.Expect
		is   func(error) bool
	}{
		{"zero Expect", jwt.Expect{}, func(err error) bool { return errors.Is(err, jwt.ErrIssuer) }},
		{"wrong issuer", jwt.Expect{Issuer: "https://j", ClientIDs: []string{"a"}, Now: t0}, func(err error) bool { return errors.Is(err, jwt.ErrIssuer) }},
		{"no client IDs", jwt.Expect{Issuer: "https://i", Now: t0}, func(err error) bool { return errors.Is(err, jwt.ErrAudience) }},
		{"expired", jwt.Expect{Issuer: "https://i", ClientIDs: []string{"a"}, Now: t0.Add(time.Hour)}, func(err error) bool { return errors.As(err, &ee) }},
	}
	for _, tc := range cases {
		if _, err := c.Validate(tc.e); !tc.is(err) {
			t.Errorf("%s: err = %v", tc.name, err)
		}
	}
}
