package iam

import (
	"context"
	"strconv"

	"rolegate/internal/api/awserr"
	"rolegate/internal/store"
)

// UserDetail is a user with everything attached to it.
type UserDetail struct {
	User     *User
	Inline   []*InlinePolicy
	Groups   []string
	Attached []*Attachment
}

// GroupDetail is a group with its policies.
type GroupDetail struct {
	Group    *Group
	Inline   []*InlinePolicy
	Attached []*Attachment
}

// RoleDetail is a role with its policies and instance profiles.
type RoleDetail struct {
	Role     *Role
	Inline   []*InlinePolicy
	Attached []*Attachment
	Profiles []ProfileWithRoles
}

// AuthorizationDetails is one page of GetAccountAuthorizationDetails.
type AuthorizationDetails struct {
	Users    []UserDetail
	Groups   []GroupDetail
	Roles    []RoleDetail
	Policies []*ManagedPolicy
}

// AccountAuthorizationDetails returns the account's IAM entities with their policies. filter
// selects entity types (User, Group, Role, LocalManagedPolicy, AWSManagedPolicy); empty means all.
// Pages count entities across all types.
func (s *Service) AccountAuthorizationDetails(ctx context.Context, account string, filter []string, p Page) (*AuthorizationDetails, string, error) {
	want := func(f string) bool {
		if len(filter) == 0 {
			return true
		}
		for _, x := range filter {
			if x == f {
				return true
			}
		}
		return false
	}
	start := 0
	if p.Marker != "" {
		n, err := strconv.Atoi(p.Marker)
		if err != nil || n < 0 {
			return nil, "", awserr.New(awserr.InvalidInput, "Invalid Marker.")
		}
		start = n
	}
	end := start + p.limit()
	out := &AuthorizationDetails{}
	i := 0
	inPage := func() bool { i++; return i-1 >= start && i-1 < end }
	err := s.view(ctx, func(tx store.Tx) error {
		if want("User") {
			users, err := scanAll[User](tx, tUser, account+"/")
			if err != nil {
				return err
			}
			for _, u := range users {
				if !inPage() {
					continue
				}
				d := UserDetail{User: u}
				if d.Inline, err = inlinePolicies(tx, account, KindUser, u.Name); err != nil {
					return err
				}
				if d.Groups, err = userGroups(tx, account, u.Name); err != nil {
					return err
				}
				if d.Attached, err = scanAll[Attachment](tx, tAttach, key(account, KindUser, u.Name)+"/"); err != nil {
					return err
				}
				out.Users = append(out.Users, d)
			}
		}
		if want("Group") {
			groups, err := scanAll[Group](tx, tGroup, account+"/")
			if err != nil {
				return err
			}
			for _, g := range groups {
				if !inPage() {
					continue
				}
				d := GroupDetail{Group: g}
				if d.Inline, err = inlinePolicies(tx, account, KindGroup, g.Name); err != nil {
					return err
				}
				if d.Attached, err = scanAll[Attachment](tx, tAttach, key(account, KindGroup, g.Name)+"/"); err != nil {
					return err
				}
				out.Groups = append(out.Groups, d)
			}
		}
		if want("Role") {
			roles, err := scanAll[Role](tx, tRole, account+"/")
			if err != nil {
				return err
			}
			for _, r := range roles {
				if !inPage() {
					continue
				}
				d := RoleDetail{Role: r}
				if d.Inline, err = inlinePolicies(tx, account, KindRole, r.Name); err != nil {
					return err
				}
				if d.Attached, err = scanAll[Attachment](tx, tAttach, key(account, KindRole, r.Name)+"/"); err != nil {
					return err
				}
				type ref struct {
					Profile string `json:"profile"`
				}
				refs, err := scanAll[ref](tx, tRoleProfiles, key(account, r.Name)+"/")
				if err != nil {
					return err
				}
				for _, rf := range refs {
					ip, err := s.profile(tx, account, rf.Profile)
					if err != nil {
						return err
					}
					roles, err := s.profileRoles(tx, ip)
					if err != nil {
						return err
					}
					d.Profiles = append(d.Profiles, ProfileWithRoles{ip, roles})
				}
				out.Roles = append(out.Roles, d)
			}
		}
		for _, scope := range []struct{ filter, acct string }{{"LocalManagedPolicy", account}, {"AWSManagedPolicy", AWSAccount}} {
			if !want(scope.filter) {
				continue
			}
			ps, err := scanAll[ManagedPolicy](tx, tPolicy, scope.acct+"/")
			if err != nil {
				return err
			}
			for _, mp := range ps {
				if scope.acct == AWSAccount {
					// AWS lists the AWS managed policies in use in the account, with their
					// attachment count in this account.
					n, err := tx.Count(tAttachedTo, lower(mp.ARN())+"/"+account+"/")
					if err != nil {
						return err
					}
					if n == 0 {
						continue
					}
					mp.Attachments = n
				}
				if inPage() {
					out.Policies = append(out.Policies, mp)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	next := ""
	if i > end {
		next = strconv.Itoa(end)
	}
	return out, next, nil
}
