package router

import (
	"time"

	"rolegate/internal/audit"
	"rolegate/internal/authn"
	"rolegate/internal/gate"
)

// auditEvent starts the CloudTrail-shaped event of a call.
func auditEvent(c *gate.Call, readOnly bool) *audit.Event {
	return &audit.Event{
		UserIdentity: auditIdentity(c.Identity), EventTime: c.Now.UTC().Truncate(time.Second), EventSource: eventSource(c.Service),
		EventName: c.Operation, AWSRegion: c.Region, SourceIPAddress: c.SourceIP, UserAgent: c.UserAgent,
		RequestID: c.RequestID, EventID: c.RequestID, ReadOnly: readOnly, ManagementEvent: c.Service != "s3",
		RecipientAccountID: c.Identity.Account,
	}
}

// eventSource is CloudTrail's eventSource of a service: its endpoint host name.
func eventSource(service string) string {
	switch service { // the services rolegate serves, without building the string on each request
	case "sts":
		return "sts.amazonaws.com"
	case "iam":
		return "iam.amazonaws.com"
	case "s3":
		return "s3.amazonaws.com"
	case "ec2":
		return "ec2.amazonaws.com"
	}
	return service + ".amazonaws.com"
}

// auditIdentity describes the caller as CloudTrail's userIdentity does, with the session issuer
// of temporary credentials.
func auditIdentity(id *authn.Identity) audit.Identity {
	out := audit.Identity{PrincipalID: id.UserID, ARN: id.ARN, AccountID: id.Account, AccessKeyID: id.AccessKeyID}
	switch id.Kind {
	case authn.Anonymous:
		out.Type = "AWSAccount"
		out.PrincipalID = "anonymous"
	case authn.Root:
		out.Type = "Root"
	case authn.User:
		out.Type, out.UserName = "IAMUser", id.UserName
	case authn.AssumedRole:
		out.Type = "AssumedRole"
	case authn.FederatedUser:
		out.Type = "FederatedUser"
	}
	if s := id.Session; s != nil {
		sc := &audit.SessionContext{SourceIdentity: s.SourceIdentity}
		sc.Attributes.CreationDate = s.Issued.UTC().Format("2006-01-02T15:04:05Z")
		sc.Attributes.MFAAuthenticated = "false"
		if s.MFA {
			sc.Attributes.MFAAuthenticated = "true"
		}
		switch id.Kind {
		case authn.AssumedRole:
			sc.SessionIssuer = &audit.Issuer{Type: "Role", PrincipalID: id.RoleID, ARN: id.RoleARN, AccountID: id.Account, UserName: id.RoleName}
			if s.SourceInstanceARN != "" {
				sc.EC2RoleDelivery = "2.0"
			}
		case authn.FederatedUser:
			sc.SessionIssuer = &audit.Issuer{Type: "IAMUser", PrincipalID: s.UserID, ARN: s.UserARN, AccountID: id.Account,
				UserName: s.UserARN[lastSlash(s.UserARN)+1:]}
		}
		out.SessionContext = sc
	}
	return out
}

func lastSlash(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '/' {
			return i
		}
	}
	return -1
}
