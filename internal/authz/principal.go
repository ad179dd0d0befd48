package authz

import (
	"errors"
	"fmt"
	"strings"

	"rolegate/internal/arn"
	"rolegate/internal/policy"
)

// ErrPrincipal is returned (wrapped) by ParsePrincipal for a string that names no caller.
var ErrPrincipal = errors.New("authz: not a caller principal")

// webIdentityProviders are the identity providers that call AssumeRoleWithWebIdentity
// under their host name rather than an IAM provider ARN.
var webIdentityProviders = [...]string{"cognito-identity.amazonaws.com", "www.amazon.com", "accounts.google.com", "graph.facebook.com"}

// ParsePrincipal describes the caller named by s as `rolegate policy decide` and the
// policy simulator name callers: "" is anonymous; a root, user, assumed-role or
// federated-user ARN is that kind of caller; a SAML or OIDC provider ARN, or a web
// identity provider host, is a web identity; any other non-ARN string is an AWS service
// principal. account, when not empty, overrides the account taken from the ARN. roleARN is
// the role (with its path) of an assumed-role session, as aws:PrincipalArn carries it;
// when empty it is derived from the session ARN, without a path.
func ParsePrincipal(s, account, roleARN string) (policy.Principal, error) {
	p, err := parsePrincipal(s, roleARN)
	if err != nil {
		return policy.Principal{}, err
	}
	if account != "" && p.Kind != policy.Anonymous {
		p.Account = account
	}
	return p, nil
}

func parsePrincipal(s, roleARN string) (policy.Principal, error) {
	if s == "" {
		return policy.Principal{Kind: policy.Anonymous}, nil
	}
	a, ok := arn.Split(s)
	if !ok {
		if strings.HasPrefix(s, "arn:") {
			return policy.Principal{}, fmt.Errorf("%w: %q", ErrPrincipal, s)
		}
		for _, host := range webIdentityProviders {
			if s == host {
				return policy.Principal{Kind: policy.WebIdentity, ARN: s}, nil
			}
		}
		return policy.Principal{Kind: policy.ServicePrincipal, ARN: s}, nil
	}
	p := policy.Principal{ARN: s, Account: a.Account}
	switch typ := a.ResourceType(); {
	case a.Service == "iam" && a.Resource == "root":
		p.Kind = policy.AccountRoot
	case a.Service == "iam" && typ == "user":
		p.Kind = policy.User
	case a.Service == "iam" && (typ == "saml-provider" || typ == "oidc-provider"):
		p.Kind = policy.WebIdentity
	case a.Service == "sts" && typ == "federated-user":
		p.Kind = policy.FederatedUser
	case a.Service == "sts" && typ == "assumed-role":
		role, _, ok := strings.Cut(strings.TrimPrefix(a.Resource, "assumed-role/"), "/")
		if !ok || role == "" {
			return policy.Principal{}, fmt.Errorf("%w: %q", ErrPrincipal, s)
		}
		p.Kind = policy.AssumedRole
		p.RoleARN = roleARN
		if p.RoleARN == "" {
			p.RoleARN = "arn:" + a.Partition + ":iam::" + a.Account + ":role/" + role
		}
	default:
		return policy.Principal{}, fmt.Errorf("%w: %q", ErrPrincipal, s)
	}
	return p, nil
}
