package iam

import "time"

// Tag is a key/value pair on an IAM entity.
type Tag struct {
	Key   string `json:"k"`
	Value string `json:"v"`
}

// User is an IAM user.
type User struct {
	Account  string    `json:"acct"`
	Name     string    `json:"name"`
	Path     string    `json:"path"`
	ID       string    `json:"id"`
	Created  time.Time `json:"created"`
	Boundary string    `json:"boundary,omitempty"` // permissions boundary policy ARN
	Tags     []Tag     `json:"tags,omitempty"`
	// PasswordLastUsed is set when the console password was used (never, in rolegate).
	PasswordLastUsed time.Time `json:"pwdUsed,omitzero"`
}

// ARN returns the user's ARN.
func (u *User) ARN() string { return "arn:aws:iam::" + u.Account + ":user" + u.Path + u.Name }

// Group is an IAM group.
type Group struct {
	Account string    `json:"acct"`
	Name    string    `json:"name"`
	Path    string    `json:"path"`
	ID      string    `json:"id"`
	Created time.Time `json:"created"`
}

// ARN returns the group's ARN.
func (g *Group) ARN() string { return "arn:aws:iam::" + g.Account + ":group" + g.Path + g.Name }

// Role is an IAM role.
type Role struct {
	Account            string    `json:"acct"`
	Name               string    `json:"name"`
	Path               string    `json:"path"`
	ID                 string    `json:"id"`
	Created            time.Time `json:"created"`
	TrustPolicy        string    `json:"trust"`
	Description        string    `json:"desc,omitempty"`
	MaxSessionDuration int       `json:"maxSession"`
	Boundary           string    `json:"boundary,omitempty"`
	Tags               []Tag     `json:"tags,omitempty"`
	LastUsed           time.Time `json:"lastUsed,omitzero"`
	LastUsedRegion     string    `json:"lastUsedRegion,omitempty"`
}

// ARN returns the role's ARN (with its path).
func (r *Role) ARN() string { return "arn:aws:iam::" + r.Account + ":role" + r.Path + r.Name }

// PolicyVersion is one version of a managed policy.
type PolicyVersion struct {
	ID       string    `json:"id"` // v1, v2, ...
	Document string    `json:"doc"`
	Created  time.Time `json:"created"`
}

// ManagedPolicy is a customer managed policy with up to five versions.
type ManagedPolicy struct {
	Account        string          `json:"acct"` // "aws" for AWS managed policies
	Name           string          `json:"name"`
	Path           string          `json:"path"`
	ID             string          `json:"id"`
	Description    string          `json:"desc,omitempty"`
	Created        time.Time       `json:"created"`
	Updated        time.Time       `json:"updated"`
	DefaultVersion string          `json:"default"`
	NextVersion    int             `json:"next"`
	Versions       []PolicyVersion `json:"versions"`
	Tags           []Tag           `json:"tags,omitempty"`
	Attachments    int             `json:"attachments"`
	BoundaryUses   int             `json:"boundaryUses"`
}

// ARN returns the policy's ARN.
func (p *ManagedPolicy) ARN() string {
	return "arn:aws:iam::" + p.Account + ":policy" + p.Path + p.Name
}

// Default returns the default version.
func (p *ManagedPolicy) Default() *PolicyVersion {
	for i := range p.Versions {
		if p.Versions[i].ID == p.DefaultVersion {
			return &p.Versions[i]
		}
	}
	return nil
}

// InlinePolicy is a policy embedded in a user, group or role.
type InlinePolicy struct {
	Name     string `json:"name"`
	Document string `json:"doc"`
}

// AccessKey is a long-term access key of a user or of an account's root user (UserName "").
type AccessKey struct {
	ID       string    `json:"id"`
	Account  string    `json:"acct"`
	UserName string    `json:"user,omitempty"`
	Status   string    `json:"status"` // Active | Inactive
	Created  time.Time `json:"created"`
	// Sealed is the secret access key encrypted under the key-encryption key, bound to ID.
	Sealed      []byte    `json:"sealed"`
	LastUsed    time.Time `json:"lastUsed,omitzero"`
	LastService string    `json:"lastService,omitempty"`
	LastRegion  string    `json:"lastRegion,omitempty"`
}

// LoginProfile is a user's console password.
type LoginProfile struct {
	UserName      string    `json:"user"`
	Created       time.Time `json:"created"`
	ResetRequired bool      `json:"reset"`
	// Hash is a salted scrypt-like hash of the password; the password itself is never kept.
	Hash []byte `json:"hash"`
}

// InstanceProfile is a container for at most one role, given to EC2 instances.
type InstanceProfile struct {
	Account string    `json:"acct"`
	Name    string    `json:"name"`
	Path    string    `json:"path"`
	ID      string    `json:"id"`
	Created time.Time `json:"created"`
	Roles   []string  `json:"roles"` // role names
	Tags    []Tag     `json:"tags,omitempty"`
}

// ARN returns the instance profile's ARN.
func (p *InstanceProfile) ARN() string {
	return "arn:aws:iam::" + p.Account + ":instance-profile" + p.Path + p.Name
}

// OIDCProvider is an IAM OpenID Connect identity provider.
type OIDCProvider struct {
	Account     string    `json:"acct"`
	URL         string    `json:"url"` // without scheme, e.g. token.example.com/path
	ClientIDs   []string  `json:"clients"`
	Thumbprints []string  `json:"thumbprints"`
	Created     time.Time `json:"created"`
	Tags        []Tag     `json:"tags,omitempty"`
	// JWKS, when set, is the provider's key set supplied for offline use instead of fetching it
	// from the issuer.
	JWKS string `json:"jwks,omitempty"`
}

// ARN returns the provider's ARN.
func (p *OIDCProvider) ARN() string {
	return "arn:aws:iam::" + p.Account + ":oidc-provider/" + p.URL
}

// MFADevice is a virtual MFA device.
type MFADevice struct {
	Account string    `json:"acct"`
	Name    string    `json:"name"`
	Path    string    `json:"path"`
	Created time.Time `json:"created"`
	// SealedSeed is the base32 TOTP seed encrypted under the key-encryption key.
	SealedSeed []byte    `json:"seed"`
	UserName   string    `json:"user,omitempty"` // set once enabled
	Enabled    time.Time `json:"enabled,omitzero"`
	// LastStep is the last TOTP time step accepted, so a code cannot be used twice.
	LastStep int64 `json:"lastStep,omitempty"`
	Tags     []Tag `json:"tags,omitempty"`
}

// Serial returns the device's serial number, its ARN.
func (d *MFADevice) Serial() string { return "arn:aws:iam::" + d.Account + ":mfa" + d.Path + d.Name }
