package iam

import (
	"context"

	"rolegate/internal/store"
)

// Summary counts an account's IAM entities, as GetAccountSummary reports them.
type Summary struct {
	Users, Groups, Roles, Policies, InstanceProfiles, Providers int
	// MFADevices counts virtual MFA devices; MFADevicesInUse those assigned to a user.
	MFADevices, MFADevicesInUse int
	// PolicyVersionsInUse counts managed-policy attachments (customer and AWS managed) to users,
	// groups and roles: each attaches one version, the default, of a policy.
	PolicyVersionsInUse int
	// RootAccessKeys counts the access keys of the account's root user.
	RootAccessKeys int
}

// Summary returns the counts of account's IAM entities.
func (s *Service) Summary(ctx context.Context, account string) (*Summary, error) {
	sum := &Summary{}
	err := s.view(ctx, func(tx store.Tx) error {
		counts := []struct {
			t      store.Table
			prefix string
			n      *int
		}{
			{tUser, account + "/", &sum.Users},
			{tGroup, account + "/", &sum.Groups},
			{tRole, account + "/", &sum.Roles},
			{tPolicy, account + "/", &sum.Policies},
			{tProfile, account + "/", &sum.InstanceProfiles},
			{tOIDC, account + "/", &sum.Providers},
			{tMFA, account + "/", &sum.MFADevices},
			{tUserMFA, account + "/", &sum.MFADevicesInUse},
			{tAttach, account + "/", &sum.PolicyVersionsInUse},
			// Root keys are indexed under the empty user name.
			{tUserKeys, key(account, "") + "/", &sum.RootAccessKeys},
		}
		for _, c := range counts {
			n, err := tx.Count(c.t, c.prefix)
			if err != nil {
				return err
			}
			*c.n = n
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return sum, nil
}
