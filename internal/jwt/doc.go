// Package jwt verifies OpenID Connect ID tokens for AssumeRoleWithWebIdentity: it parses compact
// JWS tokens, checks RS256/384/512 and ES256/384/512 signatures against a JWKS document, and
// extracts and validates the claims STS looks at (iss, sub, aud, azp, exp, iat, nbf, amr, and
// AWS's session tag and source identity claims).
//
// It also signs tokens, which tests of other packages use to mint ID tokens and which rolegate
// may later use to issue its own.
//
// The package is pure: it fetches nothing (the caller brings the JWKS) and reads no clock (the
// caller passes now). Keys named inside a token (jku, jwk, x5u headers) are never used.
package jwt
