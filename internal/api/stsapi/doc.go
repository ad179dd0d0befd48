// Package stsapi is the STS service on the wire: AssumeRole and every other way to get temporary
// credentials, GetCallerIdentity, GetAccessKeyInfo and DecodeAuthorizationMessage. Each operation
// checks its parameters as the STS model does, asks the gate with the role's trust policy as the
// resource-based policy (and sts:TagSession / sts:SetSourceIdentity when tags or a source
// identity are passed), and only then issues credentials through the sts domain service.
package stsapi
