package iam

import (
	"context"
	"errors"
	"strings"

	"rolegate/internal/api/awserr"
	"rolegate/internal/store"
)

// OIDCProviderURL normalises an issuer URL to the form used in provider ARNs: no scheme, no
// trailing slash.
func OIDCProviderURL(url string) string {
	url = strings.TrimPrefix(strings.TrimPrefix(url, "https://"), "http://")
	return strings.TrimSuffix(url, "/")
}

// CreateOIDCProvider registers an OpenID Connect identity provider.
func (s *Service) CreateOIDCProvider(ctx context.Context, account, url string, clientIDs, thumbprints []string, tags []Tag) (*OIDCProvider, error) {
	if clientIDs == nil {
		clientIDs = []string{}
	}
	if thumbprints == nil {
		thumbprints = []string{}
	}
	p := &OIDCProvider{Account: account, URL: OIDCProviderURL(url), ClientIDs: clientIDs, Thumbprints: thumbprints,
		Created: s.now(), Tags: tags}
	err := s.update(ctx, account, func(tx store.Tx) error {
		if err := s.checkQuota(tx, tOIDC, account, "OpenIdConnectProvidersPerAccount", 100); err != nil {
			return err
		}
		err := insert(tx, tOIDC, oidcKey(account, p.URL), p)
		if errors.Is(err, store.ErrExists) {
			return awserr.Newf(awserr.EntityAlreadyExists, "Provider with url %s already exists.", url)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

func oidcKey(account, url string) string { return account + "/" + url }

// ParseOIDCProviderARN splits arn:aws:iam::ACCOUNT:oidc-provider/URL.
func ParseOIDCProviderARN(arn string) (account, url string, ok bool) {
	const pre = "arn:aws:iam::"
	if !strings.HasPrefix(arn, pre) {
		return "", "", false
	}
	rest := arn[len(pre):]
	account, res, ok := strings.Cut(rest, ":")
	if !ok || !strings.HasPrefix(res, "oidc-provider/") {
		return "", "", false
	}
	return account, strings.TrimPrefix(res, "oidc-provider/"), true
}

func (s *Service) oidc(tx store.Tx, arn string) (*OIDCProvider, error) {
	account, url, ok := ParseOIDCProviderARN(arn)
	if !ok {
		return nil, awserr.Newf(awserr.InvalidInput, "ARN %s is not valid.", arn)
	}
	p, err := get[OIDCProvider](tx, tOIDC, oidcKey(account, url))
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("OpenIDConnect Provider not found for arn %s", arn)
	}
	return p, err
}

// OIDCProvider returns a provider by ARN.
func (s *Service) OIDCProvider(ctx context.Context, arn string) (*OIDCProvider, error) {
	var p *OIDCProvider
	err := s.view(ctx, func(tx store.Tx) error {
		var err error
		p, err = s.oidc(tx, arn)
		return err
	})
	return p, err
}

// OIDCProviders lists the providers of account.
func (s *Service) OIDCProviders(ctx context.Context, account string) ([]*OIDCProvider, error) {
	var out []*OIDCProvider
	err := s.view(ctx, func(tx store.Tx) error {
		var err error
		out, err = scanAll[OIDCProvider](tx, tOIDC, account+"/")
		return err
	})
	return out, err
}

// ModifyOIDCProvider applies fn to a provider of account and stores the result.
func (s *Service) ModifyOIDCProvider(ctx context.Context, account, arn string, fn func(*OIDCProvider) error) error {
	return s.update(ctx, account, func(tx store.Tx) error {
		p, err := s.oidc(tx, arn)
		if err != nil {
			return err
		}
		if p.Account != account {
			return notFound("OpenIDConnect Provider not found for arn %s", arn)
		}
		if err := fn(p); err != nil {
			return err
		}
		return put(tx, tOIDC, oidcKey(account, p.URL), p)
	})
}

// DeleteOIDCProvider deletes a provider.
func (s *Service) DeleteOIDCProvider(ctx context.Context, account, arn string) error {
	return s.update(ctx, account, func(tx store.Tx) error {
		p, err := s.oidc(tx, arn)
		if err != nil {
			return err
		}
		if p.Account != account {
			return notFound("OpenIDConnect Provider not found for arn %s", arn)
		}
		return tx.Delete(tOIDC, oidcKey(account, p.URL))
	})
}

// OIDCProviderForIssuer returns the provider of account registered for an issuer URL.
func (s *Service) OIDCProviderForIssuer(ctx context.Context, account, issuer string) (*OIDCProvider, error) {
	return s.OIDCProvider(ctx, "arn:aws:iam::"+account+":oidc-provider/"+OIDCProviderURL(issuer))
}
