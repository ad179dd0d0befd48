package gate

import "rolegate/internal/policy/cond"

// globalKeys are the condition keys the gate sets on (nearly) every request, prepared once so
// that filling a request's context does not hash their names again.
type globalKeys struct {
	currentTime, epochTime, secureTransport, sourceIP, userAgent, requestedRegion cond.Key
	principalType, resourceAccount, resourceOrgID, principalOrgID, userID         cond.Key
	principalIsAWSService, principalServiceName, principalARN, principalAccount   cond.Key
	viaAWSService, username, tokenIssueTime, mfaPresent                           cond.Key
}

func newGlobalKeys() globalKeys {
	return globalKeys{
		currentTime: cond.NewKey("aws:CurrentTime"), epochTime: cond.NewKey("aws:EpochTime"),
		secureTransport: cond.NewKey("aws:SecureTransport"), sourceIP: cond.NewKey("aws:SourceIp"),
		userAgent: cond.NewKey("aws:UserAgent"), requestedRegion: cond.NewKey("aws:RequestedRegion"),
		principalType: cond.NewKey("aws:PrincipalType"), resourceAccount: cond.NewKey("aws:ResourceAccount"),
		resourceOrgID: cond.NewKey("aws:ResourceOrgID"), principalOrgID: cond.NewKey("aws:PrincipalOrgID"),
		userID: cond.NewKey("aws:userid"), principalIsAWSService: cond.NewKey("aws:PrincipalIsAWSService"),
		principalServiceName: cond.NewKey("aws:PrincipalServiceName"), principalARN: cond.NewKey("aws:PrincipalArn"),
		principalAccount: cond.NewKey("aws:PrincipalAccount"), viaAWSService: cond.NewKey("aws:ViaAWSService"),
		username: cond.NewKey("aws:username"), tokenIssueTime: cond.NewKey("aws:TokenIssueTime"),
		mfaPresent: cond.NewKey("aws:MultiFactorAuthPresent"),
	}
}
