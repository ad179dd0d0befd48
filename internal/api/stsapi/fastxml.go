package stsapi

import (
	"strconv"
	"time"

	"rolegate/internal/api/query"
	"rolegate/internal/audit"
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

// AppendAuditJSON writes the audit record's responseElements: the result without its secrets
// (the secret access key and the session token); a test keeps it equal to the reflective
// encoder's output.
func (r assumeRoleResult) AppendAuditJSON(b []byte) []byte {
	field := func(b []byte, first bool, name, v string) []byte {
		if !first {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, name...)
		b = append(b, `":`...)
		return audit.AppendString(b, v)
	}
	b = append(b, '{')
	for _, f := range [...]struct{ name, v string }{{"subjectFromWebIdentityToken", r.SubjectFromWebIdentityToken},
		{"audience", r.Audience}, {"provider", r.Provider}, {"sourceIdentity", r.SourceIdentity}} {
		if f.v != "" { // optional members, left out when empty as the API's answer leaves them out
			b = append(field(b, true, f.name, f.v), ',')
		}
	}
	b = append(b, `"assumedRoleUser":{`...)
	b = field(b, true, "arn", r.AssumedRoleUser.Arn)
	b = field(b, false, "assumedRoleId", r.AssumedRoleUser.AssumedRoleId)
	b = append(b, `},"credentials":{`...)
	b = field(b, true, "accessKeyId", r.Credentials.AccessKeyId)
	b = append(b, `,"expiration":"`...)
	b = append(r.Credentials.Expiration.UTC().AppendFormat(b, time.RFC3339), '"')
	b = append(b, '}')
	if r.PackedPolicySize != nil {
		b = append(b, `,"packedPolicySize":`...)
		b = strconv.AppendInt(b, int64(*r.PackedPolicySize), 10)
	}
	return append(b, '}')
}
