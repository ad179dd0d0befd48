package iamapi

import (
	"encoding/xml"

	"rolegate/internal/api/awserr"
	"rolegate/internal/api/query"
	"rolegate/internal/gate"
)

func (a *API) miscOps() []query.Op {
	return []query.Op{
		{Name: "GetAccountSummary", ReadOnly: true, Prepare: a.getAccountSummary},
		{Name: "GetAccountPasswordPolicy", ReadOnly: true, Prepare: a.getAccountPasswordPolicy},
		{Name: "ListSSHPublicKeys", ReadOnly: true, Prepare: a.listNone("iam:ListSSHPublicKeys", 64, "SSHPublicKeys")},
		{Name: "ListSigningCertificates", ReadOnly: true, Prepare: a.listNone("iam:ListSigningCertificates", 128, "Certificates")},
		{Name: "ListServiceSpecificCredentials", ReadOnly: true, Prepare: a.listServiceSpecificCredentials},
	}
}

// summaryEntry is one entry of GetAccountSummary's SummaryMap (a non-flattened Query map).
type summaryEntry struct {
	Key   string `xml:"key"`
	Value int    `xml:"value"`
}

func (a *API) getAccountSummary(c *gate.Call, _ query.Params) (gate.Check, query.Work, error) {
	return gate.Check{Action: "iam:GetAccountSummary", Resource: "*"}, func() (any, error) {
		s, err := a.IAM.Summary(ctx(c), c.Account())
		if err != nil {
			return nil, err
		}
		present := func(n int) int { return min(n, 1) }
		// Counts come from the store; quotas are the limits internal/iam enforces (AWS's defaults).
		entries := []summaryEntry{
			{"Users", s.Users}, {"UsersQuota", 5000},
			{"Groups", s.Groups}, {"GroupsQuota", 300},
			{"ServerCertificates", 0}, {"ServerCertificatesQuota", 20},
			{"UserPolicySizeQuota", 2048}, {"GroupPolicySizeQuota", 5120},
			{"GroupsPerUserQuota", 10}, {"SigningCertificatesPerUserQuota", 2}, {"AccessKeysPerUserQuota", 2},
			{"MFADevices", s.MFADevices}, {"MFADevicesInUse", s.MFADevicesInUse},
			// The root user has neither an MFA device, a password nor signing certificates here.
			{"AccountMFAEnabled", 0}, {"AccountAccessKeysPresent", present(s.RootAccessKeys)},
			{"AccountPasswordPresent", 0}, {"AccountSigningCertificatesPresent", 0},
			{"AttachedPoliciesPerGroupQuota", 10}, {"AttachedPoliciesPerRoleQuota", 10},
			{"AttachedPoliciesPerUserQuota", 10},
			{"Policies", s.Policies}, {"PoliciesQuota", 1500}, {"PolicySizeQuota", 6144},
			{"PolicyVersionsInUse", s.PolicyVersionsInUse}, {"PolicyVersionsInUseQuota", 10000},
			{"VersionsPerPolicyQuota", 5}, {"GlobalEndpointTokenVersion", 1},
			{"AssumeRolePolicySizeQuota", 2048},
			{"InstanceProfiles", s.InstanceProfiles}, {"InstanceProfilesQuota", 1000},
			{"Providers", s.Providers}, {"RolePolicySizeQuota", 10240},
			{"Roles", s.Roles}, {"RolesQuota", 1000},
		}
		return struct {
			SummaryMap struct {
				Entry []summaryEntry `xml:"entry"`
			}
		}{struct {
			Entry []summaryEntry `xml:"entry"`
		}{entries}}, nil
	}, nil
}

func (a *API) getAccountPasswordPolicy(c *gate.Call, _ query.Params) (gate.Check, query.Work, error) {
	return gate.Check{Action: "iam:GetAccountPasswordPolicy", Resource: "*"}, func() (any, error) {
		// rolegate keeps no password policy: every account answers as one where none was set.
		return nil, awserr.Newf(awserr.NoSuchEntity, "The Password Policy with domain name %s cannot be found.", c.Account())
	}, nil
}

// listNone prepares a per-user listing of credentials rolegate does not keep (SSH public keys,
// signing certificates): checked and authorized like any listing, it answers an empty list for an
// existing user and NoSuchEntity for a missing one. Terraform's user force_destroy walks them.
func (a *API) listNone(action string, maxName int, member string) func(*gate.Call, query.Params) (gate.Check, query.Work, error) {
	return func(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
		var ck query.Check
		if _, ok := p.Opt("UserName"); ok {
			name(&ck, p, "UserName", "userName", maxName)
		}
		pg := page(&ck, p)
		if err := ck.Err(); err != nil {
			return gate.Check{}, nil, err
		}
		userName, err := callerUser(c, p)
		if err != nil {
			return gate.Check{}, nil, err
		}
		chk, err := a.ownerCheck(c, action, userName)
		return chk, func() (any, error) {
			if err := a.userExists(c, userName); err != nil {
				return nil, err
			}
			if _, _, err := pageOf([]struct{}{}, pg); err != nil {
				return nil, err
			}
			return emptyList(member), nil
		}, err
	}
}

func (a *API) listServiceSpecificCredentials(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	if _, ok := p.Opt("UserName"); ok {
		name(&ck, p, "UserName", "userName", 64)
	}
	allUsers, _ := ck.Bool(p, "AllUsers", "allUsers")
	pg := page(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	userName, err := callerUser(c, p)
	if allUsers {
		userName, err = "", nil
	}
	if err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.ownerCheck(c, "iam:ListServiceSpecificCredentials", userName)
	if allUsers {
		chk.Resource = arn(c, "user/")
	}
	return chk, func() (any, error) {
		if err := a.userExists(c, userName); err != nil {
			return nil, err
		}
		if _, _, err := pageOf([]struct{}{}, pg); err != nil {
			return nil, err
		}
		return emptyList("ServiceSpecificCredentials"), nil
	}, err
}

// userExists returns NoSuchEntity for a named user that does not exist ("" is the root user).
func (a *API) userExists(c *gate.Call, userName string) error {
	if userName == "" {
		return nil
	}
	_, err := a.IAM.User(ctx(c), c.Account(), userName)
	return err
}

// emptyList renders an empty list result whose list element is named member.
func emptyList(member string) any {
	return struct {
		List entityNameXML
		listResult
	}{List: entityNameXML{XMLName: xml.Name{Local: member}}, listResult: truncated("")}
}
