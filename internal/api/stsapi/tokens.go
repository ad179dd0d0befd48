package stsapi

import (
	"time"

	"rolegate/internal/api/awserr"
	"rolegate/internal/api/query"
	"rolegate/internal/authn"
	"rolegate/internal/gate"
	"rolegate/internal/sts"
	"rolegate/internal/token"
)

// callerARN returns the long-term principal's ARN (an IAM user or the root).
func callerARN(id *authn.Identity) string { return id.ARN }

// getSessionToken issues the caller's own identity with temporary credentials. AWS requires no
// permission for it ("you cannot use policies to control authentication operations"), but only
// long-term credentials may call it.
func (a *API) getSessionToken(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	id := c.Identity
	max := int64(129600)
	if id.Kind == authn.Root {
		max = 3600
	}
	var d time.Duration
	if n, ok := ck.Int(p, "DurationSeconds", "durationSeconds", 900, max); ok {
		d = time.Duration(n) * time.Second
	}
	serial, hasSerial := p.Opt("SerialNumber")
	code, hasCode := p.Opt("TokenCode")
	if hasSerial {
		ck.Len("serialNumber", serial, 9, 256)
	}
	if hasCode {
		ck.Len("tokenCode", code, 6, 6)
		ck.Chars("tokenCode", code, func(r rune) bool { return r >= '0' && r <= '9' }, `[\d]*`)
	}
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	if id.Temporary() {
		return gate.Check{}, nil, awserr.New(awserr.AccessDenied, "Cannot call GetSessionToken with session credentials")
	}
	if id.Kind != authn.User && id.Kind != authn.Root {
		return gate.Check{}, nil, awserr.New(awserr.AccessDenied, "Cannot call GetSessionToken with session credentials")
	}
	if d == 0 {
		d = sts.DefaultFedOrUser
		if id.Kind == authn.Root {
			d = sts.RootTokenMax
		}
	}
	return gate.Check{}, func() (any, error) {
		if hasSerial != hasCode {
			return nil, awserr.New(awserr.AccessDenied, "MultiFactorAuthentication failed, must provide both MFA device serial number and one time pass code.")
		}
		mfa := hasSerial && hasCode
		if mfa {
			if err := a.VerifyMFA(c.Ctx, id, serial, code, c.Now); err != nil {
				return nil, err
			}
		}
		is, err := a.STS.IssueUserSession(sts.UserSessionRequest{Kind: token.KindSessionToken, Account: id.Account,
			UserARN: callerARN(id), UserID: callerUserID(id), Duration: d, MFA: mfa, Now: c.Now})
		if err != nil {
			return nil, err
		}
		return struct{ Credentials credentialsXML }{credentialsOut(is.Credentials)}, nil
	}, nil
}

func (a *API) getFederationToken(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	id := c.Identity
	name := ck.Required(p, "Name", "name")
	ck.Len("name", name, 2, 32)
	ck.Chars("name", name, wordChar("+=,.@-"), `[\w+=,.@-]*`)
	max := int64(129600)
	if id.Kind == authn.Root {
		max = 3600
	}
	sp := readSession(&ck, p, 900, max)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	if id.Temporary() || id.Kind != authn.User && id.Kind != authn.Root {
		return gate.Check{}, nil, awserr.New(awserr.AccessDenied, "Cannot call GetFederationToken with session credentials")
	}
	if len(sp.transitive) > 0 {
		return gate.Check{}, nil, awserr.New(awserr.InvalidParameterValue, "TransitiveTagKeys are not supported by GetFederationToken.")
	}
	if sp.policy != "" && a.CheckPolicy != nil {
		if err := a.CheckPolicy(sp.policy); err != nil {
			return gate.Check{}, nil, err
		}
	}
	d := sp.duration
	if d == 0 {
		d = sts.DefaultFedOrUser
		if id.Kind == authn.Root {
			d = sts.RootTokenMax
		}
	}
	chk := gate.Check{Action: "sts:GetFederationToken", Resource: "arn:aws:sts::" + id.Account + ":federated-user/" + name,
		Keys: sp.tagKeys()}
	return chk, func() (any, error) {
		if sp.tagged() {
			tagChk := chk
			tagChk.Action = "sts:TagSession"
			if err := c.Authorize(tagChk); err != nil {
				return nil, err
			}
		}
		if err := a.checkPolicyARNs(c, sp.policyARNs); err != nil {
			return nil, err
		}
		is, err := a.STS.IssueUserSession(sts.UserSessionRequest{Kind: token.KindFederatedUser, Account: id.Account,
			UserARN: callerARN(id), UserID: callerUserID(id), Name: name, Duration: d, Policy: sp.policy,
			PolicyARNs: sp.policyARNs, Tags: sp.tags, Now: c.Now})
		if err != nil {
			return nil, err
		}
		out := struct {
			Credentials      credentialsXML
			FederatedUser    struct{ FederatedUserId, Arn string }
			PackedPolicySize *int `xml:",omitempty"`
		}{Credentials: credentialsOut(is.Credentials)}
		out.FederatedUser.FederatedUserId, out.FederatedUser.Arn = is.Session.PrincipalID(), is.Session.ARN
		if is.PackedPolicySize >= 0 {
			n := is.PackedPolicySize
			out.PackedPolicySize = &n
		}
		return out, nil
	}, nil
}

func (a *API) getAccessKeyInfo(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	keyID := ck.Required(p, "AccessKeyId", "accessKeyId")
	ck.Len("accessKeyId", keyID, 16, 128)
	ck.Chars("accessKeyId", keyID, wordChar(""), `[\w]*`)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	return gate.Check{Action: "sts:GetAccessKeyInfo", Resource: "*"}, func() (any, error) {
		acct, err := a.AccessKeyAccount(c.Ctx, keyID)
		if err != nil {
			return nil, err
		}
		return struct{ Account string }{acct}, nil
	}, nil
}

func (a *API) decodeAuthorizationMessage(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	msg := ck.Required(p, "EncodedMessage", "encodedMessage")
	ck.Len("encodedMessage", msg, 1, 10240)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	return gate.Check{Action: "sts:DecodeAuthorizationMessage", Resource: "*"}, func() (any, error) {
		decoded, err := a.Decode(msg)
		if err != nil {
			return nil, awserr.New(awserr.InvalidAuthorizationMessage, "Invalid authorization message.")
		}
		return struct{ DecodedMessage string }{decoded}, nil
	}, nil
}
