// Package gate is rolegate's one authorization choke point. Every operation of every service
// reaches its handler only through a Call whose Authorize asked the policy engine and got
// "allowed": it gathers the caller's identity-based policies, permissions boundary, session
// policies and the resource's policy, builds the request context (global and service condition
// keys), decides, and turns a denial into AWS's AccessDenied with the reason and an encoded
// authorization message.
package gate

import (
	"context"
	"time"

	"rolegate/internal/api/awserr"
	"rolegate/internal/authn"
	"rolegate/internal/iam"
)

// Call is one authenticated request on its way to an operation handler.
type Call struct {
	Ctx       context.Context
	RequestID string
	Service   string // iam, sts, s3, ec2
	Operation string // e.g. CreateUser
	Region    string // the signing region
	Identity  *authn.Identity
	SourceIP  string
	Secure    bool // request arrived over TLS (aws:SecureTransport)
	UserAgent string
	Now       time.Time

	gate *Gate
	// Denied holds the last denial, for the audit record.
	Denied error
	// Failed is the error answered to the client by protocols that render it themselves (S3),
	// for the audit record.
	Failed *awserr.Error
	// AuditParams is the audit record's requestParameters for protocols whose parameters are not
	// a form (S3), or nil.
	AuditParams any
}

// Key is one request-specific condition key and its values.
type Key struct {
	Name   string
	Values []string
}

// Check is what one authorization asks: may the caller perform Action on Resource?
type Check struct {
	// Action is the IAM action, e.g. "iam:CreateUser".
	Action string
	// Resource is the resource ARN, or "*" for actions without resource-level permissions.
	Resource string
	// ResourceAccount owns the resource; "" means the caller's own account.
	ResourceAccount string
	// ResourcePolicy is the resource-based policy in play (bucket policy, role trust policy), or
	// "" for none. Its Name is how matched statements report it.
	ResourcePolicy     string
	ResourcePolicyName string
	// ResourceTags are the tags of the resource (aws:ResourceTag/…).
	ResourceTags []iam.Tag
	// Keys are request-specific condition keys (aws:RequestTag/…, aws:TagKeys, s3:prefix, ...).
	Keys []Key
}

// Account returns the caller's account.
func (c *Call) Account() string { return c.Identity.Account }

// As returns a copy of c acting as another principal: the web identity a token proved, or the
// service principal acting on the caller's behalf.
func (c *Call) As(id *authn.Identity) *Call {
	cp := *c
	cp.Identity = id
	return &cp
}
