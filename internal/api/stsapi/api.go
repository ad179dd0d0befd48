package stsapi

import (
	"context"
	"time"

	"rolegate/internal/api/query"
	"rolegate/internal/authn"
	"rolegate/internal/gate"
	"rolegate/internal/iam"
	"rolegate/internal/sts"
	"rolegate/internal/token"
)

// API holds what the STS operations need.
type API struct {
	IAM *iam.Service
	STS *sts.Service
	// CheckPolicy validates a session policy document (MalformedPolicyDocument on failure).
	CheckPolicy func(doc string) error
	// VerifyMFA checks a TOTP code for an MFA device at t and marks it used; it returns an
	// AccessDenied error when the code is wrong or was used before.
	VerifyMFA func(ctx context.Context, caller *authn.Identity, serial, code string, t time.Time) error
	// Decode opens an encoded authorization message.
	Decode func(encoded string) (string, error)
	// WebIdentity verifies a web identity token for AssumeRoleWithWebIdentity.
	WebIdentity WebIdentityVerifier
	// AccessKeyAccount returns the account of any access key, long-term or temporary.
	AccessKeyAccount func(ctx context.Context, id string) (string, error)
}

// Service returns the STS Query service.
func (a *API) Service() *query.Service {
	return query.NewService("sts", query.STSNamespace, "2011-06-15", []query.Op{
		{Name: "GetCallerIdentity", Public: true, ReadOnly: true, Prepare: a.getCallerIdentity},
		{Name: "AssumeRole", Prepare: a.assumeRole},
		{Name: "AssumeRoleWithWebIdentity", Unsigned: true, Prepare: a.assumeRoleWithWebIdentity},
		{Name: "AssumeRoleWithSAML", Unsigned: true, Prepare: a.assumeRoleWithSAML},
		{Name: "GetSessionToken", Public: true, Prepare: a.getSessionToken},
		{Name: "GetFederationToken", Prepare: a.getFederationToken},
		{Name: "GetAccessKeyInfo", ReadOnly: true, Prepare: a.getAccessKeyInfo},
		{Name: "DecodeAuthorizationMessage", ReadOnly: true, Prepare: a.decodeAuthorizationMessage},
	})
}

// credentialsXML is the Credentials member of every token operation.
type credentialsXML struct {
	AccessKeyId     string
	SecretAccessKey string
	SessionToken    string
	Expiration      time.Time
}

func credentialsOut(c token.Credentials) credentialsXML {
	return credentialsXML{c.AccessKeyID, c.SecretAccessKey, c.SessionToken, c.Expiration.UTC()}
}

type assumedRoleUserXML struct {
	Arn           string
	AssumedRoleId string
}

func (a *API) getCallerIdentity(c *gate.Call, _ query.Params) (gate.Check, query.Work, error) {
	return gate.Check{}, func() (any, error) {
		id := c.Identity
		return callerIdentityResult{callerUserID(id), id.Account, id.ARN}, nil
	}, nil
}

// callerUserID returns GetCallerIdentity's UserId.
func callerUserID(id *authn.Identity) string {
	if id.Kind == authn.Root {
		return id.Account
	}
	return id.UserID
}
