package iam

import (
	"context"
	"errors"

	"rolegate/internal/store"
)

// PolicyText is a policy document with the name it is reported under in decisions: an inline
// policy's name or a managed policy's ARN.
type PolicyText struct {
	Name string
	Text string
}

// Permissions is everything the authorizer needs about an IAM user or role: its identity-based
// policies (a user's own and its groups', or a role's), its permissions boundary and its tags.
type Permissions struct {
	Identity []PolicyText
	Boundary *PolicyText
	Tags     []Tag
}

// UserPermissions returns a user with its permissions.
func (s *Service) UserPermissions(ctx context.Context, account, name string) (*User, *Permissions, error) {
	var u *User
	var perms *Permissions
	err := s.view(ctx, func(tx store.Tx) error {
		var err error
		if u, err = s.user(tx, account, name); err != nil {
			return err
		}
		perms = &Permissions{Tags: u.Tags}
		if err := s.entityPolicies(tx, account, KindUser, u.Name, perms); err != nil {
			return err
		}
		groups, err := userGroups(tx, account, u.Name)
		if err != nil {
			return err
		}
		for _, g := range groups {
			if err := s.entityPolicies(tx, account, KindGroup, g, perms); err != nil {
				return err
			}
		}
		perms.Boundary, err = s.boundaryText(tx, u.Boundary)
		return err
	})
	return u, perms, err
}

// RolePermissions returns a role with its permissions.
func (s *Service) RolePermissions(ctx context.Context, account, name string) (*Role, *Permissions, error) {
	var r *Role
	var perms *Permissions
	err := s.view(ctx, func(tx store.Tx) error {
		var err error
		if r, err = s.role(tx, account, name); err != nil {
			return err
		}
		perms = &Permissions{Tags: r.Tags}
		if err := s.entityPolicies(tx, account, KindRole, r.Name, perms); err != nil {
			return err
		}
		perms.Boundary, err = s.boundaryText(tx, r.Boundary)
		return err
	})
	return r, perms, err
}

// entityPolicies appends an entity's inline policies and the default versions of its attached
// managed policies.
func (s *Service) entityPolicies(tx store.Tx, account, kind, name string, perms *Permissions) error {
	inline, err := inlinePolicies(tx, account, kind, name)
	if err != nil {
		return err
	}
	for _, p := range inline {
		perms.Identity = append(perms.Identity, PolicyText{Name: p.Name, Text: p.Document})
	}
	arns, err := attachedARNs(tx, account, kind, name)
	if err != nil {
		return err
	}
	for _, arn := range arns {
		mp, err := s.policy(tx, arn)
		if IsNoSuchEntity(err) {
			continue
		}
		if err != nil {
			return err
		}
		if v := mp.Default(); v != nil {
			perms.Identity = append(perms.Identity, PolicyText{Name: arn, Text: v.Document})
		}
	}
	return nil
}

// boundaryText returns the default version of a boundary policy; a boundary whose policy is gone
// allows nothing, which an empty statement list expresses.
func (s *Service) boundaryText(tx store.Tx, arn string) (*PolicyText, error) {
	if arn == "" {
		return nil, nil
	}
	mp, err := s.policy(tx, arn)
	if IsNoSuchEntity(err) || errors.Is(err, store.ErrNotFound) {
		return &PolicyText{Name: arn, Text: `{"Version":"2012-10-17","Statement":[]}`}, nil
	}
	if err != nil {
		return nil, err
	}
	v := mp.Default()
	return &PolicyText{Name: arn, Text: v.Document}, nil
}

// ManagedPolicyText returns the default version of a managed policy (for session policy ARNs).
func (s *Service) ManagedPolicyText(ctx context.Context, arn string) (*PolicyText, error) {
	mp, err := s.Policy(ctx, arn)
	if err != nil {
		return nil, err
	}
	return &PolicyText{Name: arn, Text: mp.Default().Document}, nil
}
