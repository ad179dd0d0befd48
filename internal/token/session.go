package token

import (
	"errors"
	"time"
)

// Kind says which STS operation produced a session. It decides the shape of the principal
// (assumed role, federated user or IAM user) and which calls the credentials may make.
type Kind uint8

// Session kinds. The zero Kind is invalid so that a forgotten field cannot seal.
const (
	// KindAssumedRole is a role session from AssumeRole, AssumeRoleWithWebIdentity (Provider is
	// set), AssumeRoleWithSAML or an instance profile (SourceInstanceARN is set).
	KindAssumedRole Kind = iota + 1
	// KindFederatedUser is a session from GetFederationToken.
	KindFederatedUser
	// KindSessionToken is a session from GetSessionToken: the caller's own identity (an IAM user
	// or the account root) with temporary credentials, usually to carry MFA.
	KindSessionToken
)

// String returns the kind as the word CloudTrail uses for the principal type.
func (k Kind) String() string {
	switch k {
	case KindAssumedRole:
		return "AssumedRole"
	case KindFederatedUser:
		return "FederatedUser"
	case KindSessionToken:
		return "SessionToken"
	}
	return "Invalid"
}

// Tag is one session tag. Keys keep the case the caller sent; AWS compares them
// case-insensitively, which is the concern of whoever builds the session.
type Tag struct {
	// Key is the tag key (1..128 characters).
	Key string
	// Value is the tag value (0..256 characters).
	Value string
}

// Session is everything a request signed with temporary credentials needs to know about its
// principal. It is sealed whole into the session token, so adding a field grows every token:
// keep texts short and derive what can be derived.
//
// Seal records times to the second (AWS reports Expiration to the second); Open returns them
// in UTC.
type Session struct {
	// Kind is the STS operation family that produced the session.
	Kind Kind
	// Account is the 12-digit account that owns the principal.
	Account string
	// ARN is the session principal's ARN: for a role session
	// "arn:aws:sts::111122223333:assumed-role/demo/sess" (role path dropped), for a federated
	// user "arn:aws:sts::111122223333:federated-user/name", for GetSessionToken the IAM user's
	// or root's own ARN.
	ARN string
	// RoleARN is the full ARN of the assumed role, path included ("arn:aws:iam::…:role/p/demo").
	// Empty unless Kind is KindAssumedRole.
	RoleARN string
	// RoleID is the unique ID of the assumed role ("AROA…"); aws:userid is RoleID:Name.
	RoleID string
	// UserARN is the long-term principal that called GetSessionToken or GetFederationToken
	// (an IAM user's ARN or "arn:aws:iam::<acct>:root").
	UserARN string
	// UserID is the unique ID of UserARN's principal ("AIDA…", or the account ID for root).
	UserID string
	// Name is the role session name (AssumeRole*) or the federated user name
	// (GetFederationToken); empty for GetSessionToken.
	Name string
	// Issued is when STS issued the credentials (aws:TokenIssueTime); revocation policies
	// compare against it.
	Issued time.Time
	// Expires is the first instant at which the credentials no longer work.
	Expires time.Time
	// Policy is the inline session policy text as the caller sent it, or "" for none. The text
	// is kept, not a compiled form, so a token outlives changes to the compiler.
	Policy string
	// PolicyARNs are the managed session policies (PolicyArns parameter).
	PolicyARNs []string
	// Tags are the session tags, including those inherited as transitive from a parent session.
	Tags []Tag
	// TransitiveTagKeys name the tags that pass on to sessions chained from this one.
	TransitiveTagKeys []string
	// SourceIdentity is the sts:SourceIdentity set at the start of a chain; it never changes
	// within the chain.
	SourceIdentity string
	// MFA reports aws:MultiFactorAuthPresent: the session was issued against a valid MFA code,
	// or chained from a session that was.
	MFA bool
	// MFAAuthTime is when the MFA code was checked (aws:MultiFactorAuthAge is measured from
	// it); zero when MFA is false.
	MFAAuthTime time.Time
	// ChainDepth is 0 for a session made with long-term credentials and one more than the
	// parent's for role chaining; chained role sessions are capped at one hour.
	ChainDepth int
	// Provider is the identity provider of a federated role session: the OIDC provider ARN
	// for AssumeRoleWithWebIdentity, the SAML provider ARN for AssumeRoleWithSAML, or "".
	// It is aws:FederatedProvider.
	Provider string
	// SourceInstanceARN is the EC2 instance ARN for credentials served through instance
	// metadata (ec2:SourceInstanceARN), or "".
	SourceInstanceARN string
}

// PrincipalID returns the value of aws:userid and of GetCallerIdentity's UserId: RoleID:Name for
// a role session, Account:Name for a federated user, and UserID for GetSessionToken credentials.
func (s *Session) PrincipalID() string {
	switch s.Kind {
	case KindAssumedRole:
		return s.RoleID + ":" + s.Name
	case KindFederatedUser:
		return s.Account + ":" + s.Name
	}
	return s.UserID
}

// Expired reports whether the credentials have stopped working at now.
func (s *Session) Expired(now time.Time) bool {
	return !now.Before(s.Expires)
}

// errBadSession reports a Session that Seal refuses: a bug in the caller, not client input.
var errBadSession = errors.New("token: session is incomplete")

// check rejects sessions that could not have come from STS, so a half-built record never
// becomes a working credential.
func (s *Session) check() error {
	switch {
	case s.Kind < KindAssumedRole || s.Kind > KindSessionToken:
		return errBadSession
	case s.Account == "" || s.ARN == "":
		return errBadSession
	case s.Issued.IsZero() || !s.Expires.After(s.Issued):
		return errBadSession
	case s.Expires.Sub(s.Issued) > MaxLifetime:
		// A longer session could outlive its key: Prune assumes MaxLifetime.
		return errBadSession
	case s.ChainDepth < 0:
		return errBadSession
	case s.Kind == KindAssumedRole && (s.RoleARN == "" || s.RoleID == "" || s.Name == ""):
		return errBadSession
	case s.Kind == KindFederatedUser && (s.UserARN == "" || s.Name == ""):
		return errBadSession
	case s.Kind == KindSessionToken && (s.UserARN == "" || s.UserID == ""):
		return errBadSession
	}
	return nil
}
