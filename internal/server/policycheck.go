package server

import (
	"context"
	"errors"
	"strings"

	"rolegate/internal/api/awserr"
	"rolegate/internal/policy"
)

// policyError turns the policy package's validation error into the AWS error the API returns.
func policyError(err error) error {
	var pe *policy.Error
	if errors.As(err, &pe) {
		return awserr.New(awserr.Code(pe.Code), pe.Message)
	}
	return err
}

// checkSessionPolicy validates an inline session policy of AssumeRole* or GetFederationToken.
func checkSessionPolicy(doc string) error {
	_, err := policy.Validate([]byte(doc), policy.Rules{Kind: policy.Session})
	return policyError(err)
}

// checkIAMPolicy validates a document written through IAM: "identity" (inline), "managed" or
// "trust". Trust policies must name principals that exist, as IAM requires.
func (s *Server) checkIAMPolicy(doc, kind string) error {
	rules := policy.Rules{Kind: policy.Identity}
	switch kind {
	case "managed":
		rules.Managed = true
	case "trust":
		rules.Kind = policy.Trust
	}
	d, err := policy.Validate([]byte(doc), rules)
	if err != nil {
		return policyError(err)
	}
	if kind != "trust" {
		return nil
	}
	for _, p := range d.NamedPrincipals() {
		if p.Type != "AWS" {
			continue
		}
		if !s.principalExists(p.Value) {
			return policyError(policy.InvalidPrincipal(p.Type, p.Value))
		}
	}
	return nil
}

// principalExists reports whether an AWS principal named in a policy exists: an account ID or
// root ARN of any 12-digit account, or an existing user or role.
func (s *Server) principalExists(v string) bool {
	if len(v) == 12 && strings.Trim(v, "0123456789") == "" {
		return true
	}
	const pre = "arn:aws:iam::"
	rest, ok := strings.CutPrefix(v, pre)
	if !ok {
		return strings.HasPrefix(v, "arn:aws:sts::") // sessions are not checked, as in AWS
	}
	acct, res, ok := strings.Cut(rest, ":")
	if !ok {
		return false
	}
	ctx := context.Background()
	name := res[strings.LastIndexByte(res, '/')+1:]
	switch {
	case res == "root":
		return true
	case strings.HasPrefix(res, "user/"):
		u, err := s.iam.User(ctx, acct, name)
		return err == nil && u.ARN() == v
	case strings.HasPrefix(res, "role/"):
		r, err := s.iam.Role(ctx, acct, name)
		return err == nil && r.ARN() == v
	}
	return false
}
