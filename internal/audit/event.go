// Package audit records every authenticated call, allowed or denied, as a CloudTrail-shaped JSON
// event: who called (with the full identity chain of a role session), what, from where, with which
// parameters and result — secrets removed — and the error code when the call failed. Events go to a
// JSON Lines file in the data directory through a bounded queue written by one goroutine, so the
// request path never waits on the disk unless the queue is full.
package audit

import (
	"strings"
	"time"
)

// Identity is CloudTrail's userIdentity element.
type Identity struct {
	Type           string          `json:"type"` // IAMUser, AssumedRole, FederatedUser, Root, AWSAccount, AWSService
	PrincipalID    string          `json:"principalId,omitempty"`
	ARN            string          `json:"arn,omitempty"`
	AccountID      string          `json:"accountId,omitempty"`
	AccessKeyID    string          `json:"accessKeyId,omitempty"`
	UserName       string          `json:"userName,omitempty"`
	InvokedBy      string          `json:"invokedBy,omitempty"`
	SessionContext *SessionContext `json:"sessionContext,omitempty"`
}

// SessionContext describes the temporary credentials a call was made with.
type SessionContext struct {
	SessionIssuer   *Issuer          `json:"sessionIssuer,omitempty"`
	Attributes      SessionAttribute `json:"attributes"`
	SourceIdentity  string           `json:"sourceIdentity,omitempty"`
	EC2RoleDelivery string           `json:"ec2RoleDelivery,omitempty"`
}

// Issuer is the role or user whose credentials created the session.
type Issuer struct {
	Type        string `json:"type"` // Role or IAMUser
	PrincipalID string `json:"principalId"`
	ARN         string `json:"arn"`
	AccountID   string `json:"accountId"`
	UserName    string `json:"userName"`
}

// SessionAttribute holds when the session was created and whether MFA was used.
type SessionAttribute struct {
	CreationDate     string `json:"creationDate"`
	MFAAuthenticated string `json:"mfaAuthenticated"`
}

// Event is one CloudTrail-shaped record.
type Event struct {
	EventVersion       string    `json:"eventVersion"`
	UserIdentity       Identity  `json:"userIdentity"`
	EventTime          time.Time `json:"eventTime"`
	EventSource        string    `json:"eventSource"`
	EventName          string    `json:"eventName"`
	AWSRegion          string    `json:"awsRegion"`
	SourceIPAddress    string    `json:"sourceIPAddress"`
	UserAgent          string    `json:"userAgent,omitempty"`
	ErrorCode          string    `json:"errorCode,omitempty"`
	ErrorMessage       string    `json:"errorMessage,omitempty"`
	RequestParameters  any       `json:"requestParameters"`
	ResponseElements   any       `json:"responseElements"`
	RequestID          string    `json:"requestID"`
	EventID            string    `json:"eventID"`
	ReadOnly           bool      `json:"readOnly"`
	EventType          string    `json:"eventType"`
	ManagementEvent    bool      `json:"managementEvent"`
	RecipientAccountID string    `json:"recipientAccountId,omitempty"`
}

// secretNames are parameter and response member names whose values never reach the log, in
// lower case; names are compared case-insensitively.
var secretNames = [...]string{
	"secretaccesskey", "sessiontoken", "password", "newpassword", "oldpassword", "base32stringseed",
	"qrcodepng", "webidentitytoken", "samlassertion", "authenticationcode1", "authenticationcode2",
	"tokencode", "token", "x-amz-security-token", "authorization",
}

// IsSecret reports whether a parameter or member of this name holds a secret.
func IsSecret(name string) bool {
	for _, s := range secretNames {
		if len(s) == len(name) && strings.EqualFold(s, name) {
			return true
		}
	}
	return false
}

func lowerCamel(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}
