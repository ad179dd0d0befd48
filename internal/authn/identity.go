// Package authn turns a signed HTTP request into the principal who sent it: it verifies the
// SigV4 signature (header or presigned) against a long-term access key from the store or a sealed
// session token, and reports failures as typed errors each protocol renders in its own words.
package authn

import (
	"time"

	"rolegate/internal/token"
)

// Kind is the type of principal behind a request.
type Kind uint8

// Principal kinds.
const (
	Anonymous Kind = iota
	Root
	User
	AssumedRole
	FederatedUser
	// WebIdentity is a caller proven by an OIDC token (AssumeRoleWithWebIdentity); ARN is the IAM
	// OIDC provider's ARN, matched by a trust policy's Federated principal.
	WebIdentity
	// Service is an AWS service principal acting on its own (ec2.amazonaws.com assuming an
	// instance profile's role); ARN is the service name.
	Service
)

// Identity is the authenticated principal of a request.
type Identity struct {
	Kind    Kind
	Account string
	// ARN is the principal's ARN: the user's, the root's, the role session's
	// (arn:aws:sts::A:assumed-role/R/s) or the federated user's.
	ARN string
	// UserID is aws:userid: AIDA… for users, ROLEID:session for role sessions, ACCT:name for
	// federated users, the account ID for root.
	UserID string
	// UserName is the IAM user's name (users, and the caller of GetSessionToken).
	UserName string
	// RoleARN, RoleName and RoleID describe the role of a role session.
	RoleARN, RoleName, RoleID string
	// AccessKeyID is the key the request was signed with.
	AccessKeyID string
	// Session is set for temporary credentials.
	Session *token.Session
	// SecretAccessKey is the signing secret (for aws-chunked payload verification); never logged.
	SecretAccessKey string `json:"-"`
}

// Temporary reports whether the request used temporary credentials.
func (id *Identity) Temporary() bool { return id.Session != nil }

// PrincipalType returns the value of aws:PrincipalType.
func (id *Identity) PrincipalType() string {
	switch id.Kind {
	case Root:
		return "Account"
	case User:
		return "User"
	case AssumedRole:
		return "AssumedRole"
	case FederatedUser:
		return "FederatedUser"
	}
	return "Anonymous"
}

// PrincipalARN returns aws:PrincipalArn: the role's ARN for a role session, else the principal's.
func (id *Identity) PrincipalARN() string {
	if id.Kind == AssumedRole {
		return id.RoleARN
	}
	return id.ARN
}

// MFAAge returns how long ago MFA was used, and whether it was.
func (id *Identity) MFAAge(now time.Time) (time.Duration, bool) {
	if id.Session == nil || !id.Session.MFA {
		return 0, false
	}
	return now.Sub(id.Session.MFAAuthTime), true
}
