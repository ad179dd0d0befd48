package stsapi

import (
	"errors"

	"rolegate/internal/api/awserr"
	"rolegate/internal/api/query"
	"rolegate/internal/authn"
	"rolegate/internal/gate"
	"rolegate/internal/iam"
	"rolegate/internal/sts"
)

// assumeRoleResult is AssumeRole's and AssumeRoleWithWebIdentity's result.
type assumeRoleResult struct {
	SubjectFromWebIdentityToken string `xml:",omitempty"`
	Audience                    string `xml:",omitempty"`
	Provider                    string `xml:",omitempty"`
	SourceIdentity              string `xml:",omitempty"`
	AssumedRoleUser             assumedRoleUserXML
	Credentials                 credentialsXML
	PackedPolicySize            *int `xml:",omitempty"`
}

func issuedOut(is *sts.Issued) assumeRoleResult {
	out := assumeRoleResult{
		SourceIdentity:  is.Session.SourceIdentity,
		AssumedRoleUser: assumedRoleUserXML{Arn: is.Session.ARN, AssumedRoleId: is.Session.PrincipalID()},
		Credentials:     credentialsOut(is.Credentials),
	}
	if is.PackedPolicySize >= 0 {
		n := is.PackedPolicySize
		out.PackedPolicySize = &n
	}
	return out
}

// roleCheck names the role (when it exists) with its trust policy for action.
func (a *API) roleCheck(c *gate.Call, action, roleARN string) (gate.Check, *iam.Role, error) {
	acct, _, _ := iam.ParseRoleARN(roleARN)
	chk := gate.Check{Action: action, Resource: roleARN, ResourceAccount: acct, ResourcePolicyName: "trust policy"}
	role, err := a.IAM.RoleByARN(c.Ctx, roleARN)
	switch {
	case err == nil:
		chk.ResourcePolicy, chk.ResourceTags = role.TrustPolicy, role.Tags
	case iam.IsNoSuchEntity(err) || isValidation(err):
		// AWS answers AccessDenied for a role that does not exist: without a trust policy the
		// gate can only deny.
		if chk.ResourceAccount == "" {
			chk.ResourceAccount = "000000000000"
		}
	default:
		return chk, nil, err
	}
	return chk, role, nil
}

func isValidation(err error) bool {
	var e *awserr.Error
	return errors.As(err, &e) && e.Code == awserr.ValidationError
}

func (a *API) assumeRole(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	roleARN := ck.Required(p, "RoleArn", "roleArn")
	ck.Len("roleArn", roleARN, 20, 2048)
	name := ck.Required(p, "RoleSessionName", "roleSessionName")
	ck.Len("roleSessionName", name, 2, 64)
	ck.Chars("roleSessionName", name, wordChar("+=,.@-"), `[\w+=,.@-]*`)
	sp := readSession(&ck, p, 900, 43200)
	externalID, hasExternal := p.Opt("ExternalId")
	if hasExternal {
		ck.Len("externalId", externalID, 2, 1224)
		ck.Chars("externalId", externalID, wordChar("+=,.@:/-"), `[\w+=,.@:\/-]*`)
	}
	serial, hasSerial := p.Opt("SerialNumber")
	if hasSerial {
		ck.Len("serialNumber", serial, 9, 256)
		ck.Chars("serialNumber", serial, wordChar("+=/:,.@-"), `[\w+=/:,.@-]*`)
	}
	code, hasCode := p.Opt("TokenCode")
	if hasCode {
		ck.Len("tokenCode", code, 6, 6)
		ck.Chars("tokenCode", code, func(r rune) bool { return r >= '0' && r <= '9' }, `[\d]*`)
	}
	sourceIdentity, hasSource := p.Opt("SourceIdentity")
	if hasSource {
		ck.Len("sourceIdentity", sourceIdentity, 2, 64)
		ck.Chars("sourceIdentity", sourceIdentity, wordChar("+=,.@-"), `[\w+=,.@-]*`)
	}
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	if hasSource && len(sourceIdentity) >= 4 && sourceIdentity[:4] == "aws:" {
		return gate.Check{}, nil, awserr.New(awserr.ValidationError, "SourceIdentity cannot start with 'aws:'.")
	}
	if sp.policy != "" && a.CheckPolicy != nil {
		if err := a.CheckPolicy(sp.policy); err != nil {
			return gate.Check{}, nil, err
		}
	}
	if c.Identity.Kind == authn.Root {
		// AWS: an account's root user cannot assume roles, not even with permission.
		return gate.Check{}, nil, awserr.New(awserr.AccessDenied, "Roles may not be assumed by root accounts.")
	}
	chk, role, err := a.roleCheck(c, "sts:AssumeRole", roleARN)
	if err != nil {
		return chk, nil, err
	}
	// One allocation for the keys and their single values: this runs on every AssumeRole.
	arr := new(struct {
		vals [5]string
		keys [8]gate.Key
	})
	arr.vals = [5]string{name, externalID, sourceIdentity, "true", "0"}
	vals := arr.vals[:]
	chk.Keys = arr.keys[:0]
	chk.Keys = append(chk.Keys, gate.Key{Name: "sts:RoleSessionName", Values: vals[0:1:1]})
	if hasExternal {
		chk.Keys = append(chk.Keys, gate.Key{Name: "sts:ExternalId", Values: vals[1:2:2]})
	}
	if hasSource {
		chk.Keys = append(chk.Keys, gate.Key{Name: "sts:SourceIdentity", Values: vals[2:3:3]})
	}
	mfa := hasSerial && hasCode
	if mfa {
		chk.Keys = append(chk.Keys, gate.Key{Name: "aws:MultiFactorAuthPresent", Values: vals[3:4:4]},
			gate.Key{Name: "aws:MultiFactorAuthAge", Values: vals[4:5:5]})
	}
	chk.Keys = append(chk.Keys, sp.tagKeys()...)
	return chk, func() (any, error) {
		if sp.tagged() {
			tagChk := chk
			tagChk.Action = "sts:TagSession"
			if err := c.Authorize(tagChk); err != nil {
				return nil, err
			}
		}
		if hasSource {
			srcChk := chk
			srcChk.Action = "sts:SetSourceIdentity"
			if err := c.Authorize(srcChk); err != nil {
				return nil, err
			}
		}
		if role == nil {
			// Unreachable: the gate denies a role without a trust policy.
			return nil, awserr.New(awserr.AccessDenied, "Access denied")
		}
		if err := a.checkPolicyARNs(c, sp.policyARNs); err != nil {
			return nil, err
		}
		if hasSerial != hasCode {
			return nil, awserr.New(awserr.AccessDenied, "MultiFactorAuthentication failed, must provide both MFA device serial number and one time pass code.")
		}
		if mfa {
			if err := a.VerifyMFA(c.Ctx, c.Identity, serial, code, c.Now); err != nil {
				return nil, err
			}
		}
		is, err := a.STS.IssueRoleSession(sts.RoleSessionRequest{
			Role: role, Name: name, Duration: sp.duration, Policy: sp.policy, PolicyARNs: sp.policyARNs,
			Tags: sp.tags, TransitiveTagKeys: sp.transitive, SourceIdentity: sourceIdentity, MFA: mfa,
			Parent: c.Identity.Session, Now: c.Now,
		})
		if err != nil {
			return nil, err
		}
		a.IAM.NoteRoleUse(role, c.Region, c.Now)
		return issuedOut(is), nil
	}, nil
}

// checkPolicyARNs checks that every managed session policy exists.
func (a *API) checkPolicyARNs(c *gate.Call, arns []string) error {
	for _, arn := range arns {
		if _, err := a.IAM.Policy(c.Ctx, arn); err != nil {
			if iam.IsNoSuchEntity(err) {
				return awserr.Newf(awserr.InvalidParameterValue, "The policy %s does not exist or is not attachable.", arn)
			}
			return err
		}
	}
	return nil
}
