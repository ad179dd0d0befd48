// Package oidc verifies the web identity tokens of AssumeRoleWithWebIdentity against the IAM
// OpenID Connect providers of the role's account: it finds the provider for the token's issuer,
// obtains the issuer's signing keys (a JWKS document supplied in the data directory for offline
// use, else discovered from the issuer's /.well-known/openid-configuration), checks the signature,
// expiry and audience, and reports failures in STS's words.
package oidc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"rolegate/internal/api/awserr"
	"rolegate/internal/api/stsapi"
	"rolegate/internal/iam"
	"rolegate/internal/jwt"
	"rolegate/internal/token"
)

// Providers finds IAM OIDC providers.
type Providers interface {
	OIDCProviderForIssuer(ctx context.Context, account, issuer string) (*iam.OIDCProvider, error)
}

// Verifier checks web identity tokens. It is safe for concurrent use.
type Verifier struct {
	Providers Providers
	// Dir holds JWKS documents supplied for offline use, one per provider, named after the
	// provider URL with '/' replaced by '_' and ".json" appended
	// (token.example.com_path.json).
	Dir string
	// HTTP fetches discovery documents and key sets (default: a client with a 10 s timeout).
	HTTP *http.Client

	mu    sync.Mutex
	cache map[string]cached // provider URL -> key set
}

type cached struct {
	keys    jwt.KeySet
	fetched time.Time
}

// cacheFor is how long a fetched key set is reused.
const cacheFor = 10 * time.Minute

var _ stsapi.WebIdentityVerifier = (*Verifier)(nil)

func invalid(msg string) *awserr.Error { return awserr.New(awserr.InvalidIdentityToken, msg) }

// Verify implements stsapi.WebIdentityVerifier.
func (v *Verifier) Verify(ctx context.Context, account, raw string, now time.Time) (*stsapi.WebIdentity, error) {
	tok, err := jwt.Parse(raw)
	if err != nil {
		return nil, invalid("The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.").Wrap(err)
	}
	c := &tok.Claims
	if c.Issuer == "" {
		return nil, invalid("The web identity token that was passed has no issuer.")
	}
	p, err := v.Providers.OIDCProviderForIssuer(ctx, account, c.Issuer)
	if iam.IsNoSuchEntity(err) {
		return nil, invalid("No OpenIDConnect provider found in your account for " + c.Issuer)
	}
	if err != nil {
		return nil, err
	}
	keys, err := v.keySet(ctx, p, now)
	if err != nil {
		return nil, err
	}
	if err := tok.Verify(keys); err != nil {
		return nil, invalid("The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.").Wrap(err)
	}
	if err := c.CheckTime(now); err != nil {
		var exp *jwt.ExpiredError
		if errors.As(err, &exp) {
			return nil, awserr.New(awserr.ExpiredTokenException, exp.Error())
		}
		return nil, invalid("The web identity token is not valid at this time.").Wrap(err)
	}
	aud, err := c.CheckAudience(p.ClientIDs)
	if err != nil {
		return nil, invalid("Incorrect token audience")
	}
	wi := &stsapi.WebIdentity{ProviderARN: p.ARN(), ProviderURL: p.URL, Issuer: c.Issuer, Subject: c.Subject,
		Audience: aud, AMR: c.AMR, Transitive: c.TransitiveTagKeys, SourceIdentity: c.SourceIdentity}
	keysSorted := make([]string, 0, len(c.PrincipalTags))
	for k := range c.PrincipalTags {
		keysSorted = append(keysSorted, k)
	}
	sort.Strings(keysSorted)
	for _, k := range keysSorted {
		wi.Tags = append(wi.Tags, token.Tag{Key: k, Value: c.PrincipalTags[k]})
	}
	return wi, nil
}

// keySet returns the provider's signing keys: supplied offline, cached, or fetched.
func (v *Verifier) keySet(ctx context.Context, p *iam.OIDCProvider, now time.Time) (jwt.KeySet, error) {
	if p.JWKS != "" {
		return parseKeys([]byte(p.JWKS))
	}
	if v.Dir != "" {
		raw, err := os.ReadFile(filepath.Join(v.Dir, strings.ReplaceAll(p.URL, "/", "_")+".json"))
		if err == nil {
			return parseKeys(raw)
		}
		if !errors.Is(err, os.ErrNotExist) {
			return jwt.KeySet{}, err
		}
	}
	v.mu.Lock()
	c, ok := v.cache[p.URL]
	v.mu.Unlock()
	if ok && now.Sub(c.fetched) < cacheFor {
		return c.keys, nil
	}
	keys, err := v.fetch(ctx, "https://"+p.URL)
	if err != nil {
		return jwt.KeySet{}, awserr.New(awserr.InvalidIdentityToken, "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements").Wrap(err)
	}
	v.mu.Lock()
	if v.cache == nil {
		v.cache = map[string]cached{}
	}
	v.cache[p.URL] = cached{keys: keys, fetched: now}
	v.mu.Unlock()
	return keys, nil
}

func parseKeys(raw []byte) (jwt.KeySet, error) {
	ks, err := jwt.ParseKeySet(raw)
	if err != nil {
		return jwt.KeySet{}, invalid("The identity provider's key set could not be read.").Wrap(err)
	}
	return ks, nil
}

// fetch discovers and downloads the issuer's key set.
func (v *Verifier) fetch(ctx context.Context, issuer string) (jwt.KeySet, error) {
	var disc struct {
		JWKSURI string `json:"jwks_uri"`
	}
	if err := v.getJSON(ctx, strings.TrimSuffix(issuer, "/")+"/.well-known/openid-configuration", &disc); err != nil {
		return jwt.KeySet{}, err
	}
	if !strings.HasPrefix(disc.JWKSURI, "https://") {
		return jwt.KeySet{}, fmt.Errorf("jwks_uri %q is not https", disc.JWKSURI)
	}
	var raw json.RawMessage
	if err := v.getJSON(ctx, disc.JWKSURI, &raw); err != nil {
		return jwt.KeySet{}, err
	}
	return jwt.ParseKeySet(raw)
}

func (v *Verifier) getJSON(ctx context.Context, url string, out any) error {
	hc := v.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 10 * time.Second}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(out)
}
