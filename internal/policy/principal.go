package policy

import (
	"slices"

	"rolegate/internal/arn"
)

// PrincipalKind is the kind of caller making a request.
type PrincipalKind uint8

// Principal kinds.
const (
	Anonymous        PrincipalKind = iota // unsigned request
	AccountRoot                           // the root user of an account
	User                                  // an IAM user with long-term credentials
	AssumedRole                           // a role session (AssumeRole*, instance profiles, role chaining)
	FederatedUser                         // a GetFederationToken session
	ServicePrincipal                      // an AWS service calling directly (lambda.amazonaws.com)
	WebIdentity                           // an OIDC or SAML identity calling AssumeRoleWithWebIdentity/SAML
)

var principalKindNames = [...]string{"Anonymous", "Account", "User", "AssumedRole", "FederatedUser", "Service", "WebIdentity"}

// String returns the aws:PrincipalType spelling of the kind ("User", "AssumedRole", ...).
func (k PrincipalKind) String() string {
	if int(k) < len(principalKindNames) {
		return principalKindNames[k]
	}
	return "Unknown"
}

// Principal describes the caller of a request as resource-based policies see it.
type Principal struct {
	Kind PrincipalKind
	// ARN identifies the caller: the user ARN, the role session ARN
	// (arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION), the root ARN, the federated-user ARN,
	// the service principal name (lambda.amazonaws.com) or, for WebIdentity, the identity
	// provider (accounts.google.com, or a SAML/OIDC provider ARN). Empty for Anonymous.
	ARN string
	// Account is the caller's account id; empty for Anonymous and service principals.
	Account string
	// RoleARN is the ARN, with its path, of the role behind an AssumedRole session.
	RoleARN string
	// ParentUserARN is the IAM user that created a FederatedUser session.
	ParentUserARN string
	// CanonicalUser is the S3 canonical user id of the caller's account, when known; a
	// CanonicalUser principal names the account.
	CanonicalUser string
}

// Name returns the caller as AWS names it in AccessDenied messages: its ARN, or
// "anonymous".
func (p *Principal) Name() string {
	if p.Kind == Anonymous || p.ARN == "" {
		return "anonymous"
	}
	return p.ARN
}

// Grant says how a resource-based policy statement named the caller; the evaluator
// decides from it which implicit denies the grant bypasses.
type Grant uint8

// Grant bits.
const (
	// GrantDirect: the caller itself — its user, role session or federated-user ARN, its
	// service principal or its identity provider.
	GrantDirect Grant = 1 << iota
	// GrantAnyone: "*", {"AWS": "*"} or an Allow with NotPrincipal.
	GrantAnyone
	// GrantRole: the role of the calling session.
	GrantRole
	// GrantParentUser: the IAM user behind a federated-user session.
	GrantParentUser
	// GrantAccount: the caller's account (account id or arn:...:root).
	GrantAccount
)

// principals is a compiled Principal or NotPrincipal element.
type principals struct {
	anyone    bool
	accounts  []string // from account ids and root ARNs
	arns      []string // user, role, session and federated-user ARNs, unique ids
	services  []string
	federated []string
	canonical []string
}

func compilePrincipals(p *Principals) principals {
	var m principals
	if p.All {
		m.anyone = true
		return m
	}
	for _, a := range p.AWS {
		switch {
		case a == "*":
			m.anyone = true
		case arn.IsAccountID(a):
			m.accounts = append(m.accounts, a)
		default:
			if x, ok := arn.Split(a); ok && x.Service == "iam" && x.Resource == "root" {
				m.accounts = append(m.accounts, x.Account)
			} else {
				m.arns = append(m.arns, a)
			}
		}
	}
	m.services = p.Service
	m.federated = p.Federated
	m.canonical = p.CanonicalUser
	return m
}

// match returns how the element names the caller, or 0.
func (m *principals) match(p *Principal) Grant {
	var g Grant
	if m.anyone {
		g |= GrantAnyone
	}
	switch p.Kind {
	case ServicePrincipal:
		if slices.Contains(m.services, p.ARN) {
			g |= GrantDirect
		}
		return g
	case WebIdentity:
		if slices.Contains(m.federated, p.ARN) {
			g |= GrantDirect
		}
		return g
	case Anonymous:
		return g
	}
	for _, a := range m.arns {
		switch {
		case a == p.ARN:
			g |= GrantDirect
		case p.Kind == AssumedRole && a == p.RoleARN:
			g |= GrantRole
		case p.Kind == FederatedUser && a == p.ParentUserARN:
			g |= GrantParentUser
		}
	}
	if (p.Account != "" && slices.Contains(m.accounts, p.Account)) || (p.CanonicalUser != "" && slices.Contains(m.canonical, p.CanonicalUser)) {
		g |= GrantAccount
	}
	return g
}

// excludes reports whether a NotPrincipal element exempts the caller. AWS may check the
// account, the role and the session separately, so a caller is exempt only when every
// layer of its identity is listed: the account and the user for an IAM user; the
// account, the role and the session for a role session. Anonymous callers are exempt
// only through "*".
func (m *principals) excludes(p *Principal) bool {
	if m.anyone {
		return true
	}
	switch p.Kind {
	case Anonymous:
		return false
	case ServicePrincipal:
		return slices.Contains(m.services, p.ARN)
	case WebIdentity:
		return slices.Contains(m.federated, p.ARN)
	}
	if !slices.Contains(m.accounts, p.Account) {
		return false
	}
	switch p.Kind {
	case User, FederatedUser:
		return slices.Contains(m.arns, p.ARN)
	case AssumedRole:
		return slices.Contains(m.arns, p.ARN) && slices.Contains(m.arns, p.RoleARN)
	}
	return true // the root user's only layer is its account
}
