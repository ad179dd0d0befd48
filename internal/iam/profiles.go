package iam

import (
	"context"
	"errors"
	"strings"

	"rolegate/internal/api/awserr"
	"rolegate/internal/idgen"
	"rolegate/internal/store"
)

// CreateInstanceProfile creates an instance profile.
func (s *Service) CreateInstanceProfile(ctx context.Context, account, name, path string, tags []Tag) (*InstanceProfile, error) {
	p := &InstanceProfile{Account: account, Name: name, Path: orRoot(path), ID: s.cfg.IDs.Unique(idgen.InstanceProfile),
		Created: s.now(), Roles: []string{}, Tags: tags}
	err := s.update(ctx, account, func(tx store.Tx) error {
		return s.insertNew(tx, tProfile, account, name, "InstanceProfilesPerAccount", 1000, p,
			awserr.Newf(awserr.EntityAlreadyExists, "Instance Profile %s already exists.", name))
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

func (s *Service) profile(tx store.Tx, account, name string) (*InstanceProfile, error) {
	p, err := get[InstanceProfile](tx, tProfile, key(account, name))
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("Instance Profile %s cannot be found.", name)
	}
	return p, err
}

// InstanceProfile returns an instance profile with its roles.
func (s *Service) InstanceProfile(ctx context.Context, account, name string) (*InstanceProfile, []*Role, error) {
	var p *InstanceProfile
	var roles []*Role
	err := s.view(ctx, func(tx store.Tx) error {
		var err error
		if p, err = s.profile(tx, account, name); err != nil {
			return err
		}
		roles, err = s.profileRoles(tx, p)
		return err
	})
	return p, roles, err
}

func (s *Service) profileRoles(tx store.Tx, p *InstanceProfile) ([]*Role, error) {
	roles := []*Role{}
	for _, rn := range p.Roles {
		r, err := s.role(tx, p.Account, rn)
		if IsNoSuchEntity(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		roles = append(roles, r)
	}
	return roles, nil
}

// ProfileWithRoles is an instance profile and the roles in it.
type ProfileWithRoles struct {
	*InstanceProfile
	RoleList []*Role
}

// ListInstanceProfiles lists instance profiles whose path starts with pathPrefix.
func (s *Service) ListInstanceProfiles(ctx context.Context, account, pathPrefix string, p Page) ([]ProfileWithRoles, string, error) {
	var out []ProfileWithRoles
	var next string
	err := s.view(ctx, func(tx store.Tx) error {
		ps, n, err := scanPage(tx, tProfile, account+"/", p, func(ip *InstanceProfile) bool {
			return strings.HasPrefix(ip.Path, orRoot(pathPrefix))
		})
		if err != nil {
			return err
		}
		next = n
		for _, ip := range ps {
			roles, err := s.profileRoles(tx, ip)
			if err != nil {
				return err
			}
			out = append(out, ProfileWithRoles{ip, roles})
		}
		return nil
	})
	return out, next, err
}

// InstanceProfilesForRole lists the instance profiles that contain a role.
func (s *Service) InstanceProfilesForRole(ctx context.Context, account, roleName string, p Page) ([]ProfileWithRoles, string, error) {
	var out []ProfileWithRoles
	var next string
	err := s.view(ctx, func(tx store.Tx) error {
		r, err := s.role(tx, account, roleName)
		if err != nil {
			return err
		}
		type ref struct {
			Profile string `json:"profile"`
		}
		out, next, err = scanRefs(tx, tRoleProfiles, key(account, r.Name)+"/", p, func(rf *ref) (ProfileWithRoles, error) {
			ip, err := s.profile(tx, account, rf.Profile)
			if err != nil {
				return ProfileWithRoles{}, err
			}
			roles, err := s.profileRoles(tx, ip)
			return ProfileWithRoles{ip, roles}, err
		})
		return err
	})
	return out, next, err
}

// AddRoleToInstanceProfile puts a role in a profile; a profile holds at most one role.
func (s *Service) AddRoleToInstanceProfile(ctx context.Context, account, profileName, roleName string) error {
	return s.update(ctx, account, func(tx store.Tx) error {
		p, err := s.profile(tx, account, profileName)
		if err != nil {
			return err
		}
		r, err := s.role(tx, account, roleName)
		if err != nil {
			return err
		}
		if len(p.Roles) >= 1 {
			return limitExceeded("InstanceSessionsPerInstanceProfile", 1)
		}
		p.Roles = append(p.Roles, r.Name)
		if err := put(tx, tProfile, key(account, p.Name), p); err != nil {
			return err
		}
		return put(tx, tRoleProfiles, key(account, r.Name, p.Name), map[string]string{"profile": p.Name})
	})
}

// RemoveRoleFromInstanceProfile takes a role out of a profile.
func (s *Service) RemoveRoleFromInstanceProfile(ctx context.Context, account, profileName, roleName string) error {
	return s.update(ctx, account, func(tx store.Tx) error {
		p, err := s.profile(tx, account, profileName)
		if err != nil {
			return err
		}
		for i, rn := range p.Roles {
			if strings.EqualFold(rn, roleName) {
				p.Roles = append(p.Roles[:i], p.Roles[i+1:]...)
				if err := put(tx, tProfile, key(account, p.Name), p); err != nil {
					return err
				}
				err := tx.Delete(tRoleProfiles, key(account, rn, p.Name))
				if errors.Is(err, store.ErrNotFound) {
					return nil
				}
				return err
			}
		}
		return notFound("The role with name %s cannot be found.", roleName)
	})
}

// DeleteInstanceProfile deletes a profile that holds no role.
func (s *Service) DeleteInstanceProfile(ctx context.Context, account, name string) error {
	return s.update(ctx, account, func(tx store.Tx) error {
		p, err := s.profile(tx, account, name)
		if err != nil {
			return err
		}
		if len(p.Roles) > 0 {
			return conflict("Cannot delete entity, must remove roles from instance profile first.")
		}
		return tx.Delete(tProfile, key(account, p.Name))
	})
}

// TagInstanceProfile adds or replaces tags on an instance profile.
func (s *Service) TagInstanceProfile(ctx context.Context, account, name string, tags []Tag) error {
	return s.update(ctx, account, func(tx store.Tx) error {
		p, err := s.profile(tx, account, name)
		if err != nil {
			return err
		}
		if p.Tags, err = mergeTags(p.Tags, tags); err != nil {
			return err
		}
		return put(tx, tProfile, key(account, p.Name), p)
	})
}

// UntagInstanceProfile removes tags from an instance profile.
func (s *Service) UntagInstanceProfile(ctx context.Context, account, name string, keys []string) error {
	return s.update(ctx, account, func(tx store.Tx) error {
		p, err := s.profile(tx, account, name)
		if err != nil {
			return err
		}
		p.Tags = removeTags(p.Tags, keys)
		return put(tx, tProfile, key(account, p.Name), p)
	})
}
