package stsapi

import (
	"strconv"
	"time"

	"rolegate/internal/api/query"
)

// callerIdentityResult is GetCallerIdentity's result.
type callerIdentityResult struct {
	UserId  string
	Account string
	Arn     string
}

// AppendXML writes the result without reflection; a test keeps it equal to encoding/xml's.
func (r callerIdentityResult) AppendXML(b []byte) []byte {
	b = query.AppendElement(b, "UserId", r.UserId)
	b = query.AppendElement(b, "Account", r.Account)
	return query.AppendElement(b, "Arn", r.Arn)
}

// AppendXML writes the result without reflection; a test keeps it equal to encoding/xml's.
func (r assumeRoleResult) AppendXML(b []byte) []byte {
	opt := func(b []byte, name, v string) []byte {
		if v == "" {
			return b
		}
		return query.AppendElement(b, name, v)
	}
	b = opt(b, "SubjectFromWebIdentityToken", r.SubjectFromWebIdentityToken)
	b = opt(b, "Audience", r.Audience)
	b = opt(b, "Provider", r.Provider)
	b = opt(b, "SourceIdentity", r.SourceIdentity)
	b = append(b, "<AssumedRoleUser>"...)
	b = query.AppendElement(b, "Arn", r.AssumedRoleUser.Arn)
	b = query.AppendElement(b, "AssumedRoleId", r.AssumedRoleUser.AssumedRoleId)
	b = append(b, "</AssumedRoleUser><Credentials>"...)
	c := r.Credentials
	b = query.AppendElement(b, "AccessKeyId", c.AccessKeyId)
	b = query.AppendElement(b, "SecretAccessKey", c.SecretAccessKey)
	b = query.AppendElement(b, "SessionToken", c.SessionToken)
	b = append(b, "<Expiration>"...)
	b = c.Expiration.AppendFormat(b, time.RFC3339Nano)
	b = append(b, "</Expiration></Credentials>"...)
	if r.PackedPolicySize != nil {
		b = append(b, "<PackedPolicySize>"...)
		b = strconv.AppendInt(b, int64(*r.PackedPolicySize), 10)
		b = append(b, "</PackedPolicySize>"...)
	}
	return b
}
