package iam

import (
	"context"
	"errors"
	"strings"

	"rolegate/internal/api/awserr"
	"rolegate/internal/idgen"
	"rolegate/internal/store"
)

const maxGroupsPerUser = 10

// CreateGroup creates a group.
func (s *Service) CreateGroup(ctx context.Context, account, name, path string) (*Group, error) {
	g := &Group{Account: account, Name: name, Path: orRoot(path), ID: s.cfg.IDs.Unique(idgen.Group), Created: s.now()}
	err := s.update(ctx, account, func(tx store.Tx) error {
		return s.insertNew(tx, tGroup, account, name, "GroupsPerAccount", 300, g,
			awserr.Newf(awserr.EntityAlreadyExists, "Group with name %s already exists.", name))
	})
	if err != nil {
		return nil, err
	}
	return g, nil
}

func (s *Service) group(tx store.Tx, account, name string) (*Group, error) {
	g, err := get[Group](tx, tGroup, key(account, name))
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("The group with name %s cannot be found.", name)
	}
	return g, err
}

// Group returns a group by name.
func (s *Service) Group(ctx context.Context, account, name string) (*Group, error) {
	var g *Group
	err := s.view(ctx, func(tx store.Tx) error {
		var err error
		g, err = s.group(tx, account, name)
		return err
	})
	return g, err
}

// GroupMembers returns a group and one page of its users.
func (s *Service) GroupMembers(ctx context.Context, account, name string, p Page) (*Group, []*User, string, error) {
	var g *Group
	var users []*User
	var next string
	err := s.view(ctx, func(tx store.Tx) error {
		var err error
		if g, err = s.group(tx, account, name); err != nil {
			return err
		}
		type member struct {
			User string `json:"user"`
		}
		users, next, err = scanRefs(tx, tMember, key(account, g.Name)+"/", p, func(m *member) (*User, error) {
			return s.user(tx, account, m.User)
		})
		return err
	})
	return g, users, next, err
}

// ListGroups lists groups whose path starts with pathPrefix.
func (s *Service) ListGroups(ctx context.Context, account, pathPrefix string, p Page) ([]*Group, string, error) {
	var out []*Group
	var next string
	err := s.view(ctx, func(tx store.Tx) error {
		var err error
		out, next, err = scanPage(tx, tGroup, account+"/", p, func(g *Group) bool {
			return strings.HasPrefix(g.Path, orRoot(pathPrefix))
		})
		return err
	})
	return out, next, err
}

// GroupsForUser lists the groups a user belongs to.
func (s *Service) GroupsForUser(ctx context.Context, account, userName string, p Page) ([]*Group, string, error) {
	var out []*Group
	var next string
	err := s.view(ctx, func(tx store.Tx) error {
		u, err := s.user(tx, account, userName)
		if err != nil {
			return err
		}
		type ref struct {
			Group string `json:"group"`
		}
		out, next, err = scanRefs(tx, tUserGroups, key(account, u.Name)+"/", p, func(r *ref) (*Group, error) {
			return s.group(tx, account, r.Group)
		})
		return err
	})
	return out, next, err
}

// userGroups returns the names of every group of a user.
func userGroups(tx store.Tx, account, userName string) ([]string, error) {
	type ref struct {
		Group string `json:"group"`
	}
	refs, err := scanAll[ref](tx, tUserGroups, key(account, userName)+"/")
	if err != nil {
		return nil, err
	}
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.Group
	}
	return out, nil
}

// AddUserToGroup adds a user to a group; adding twice is a no-op.
func (s *Service) AddUserToGroup(ctx context.Context, account, groupName, userName string) error {
	return s.update(ctx, account, func(tx store.Tx) error {
		g, err := s.group(tx, account, groupName)
		if err != nil {
			return err
		}
		u, err := s.user(tx, account, userName)
		if err != nil {
			return err
		}
		if ok, err := exists(tx, tMember, key(account, g.Name, u.Name)); err != nil || ok {
			return err
		}
		n, err := tx.Count(tUserGroups, key(account, u.Name)+"/")
		if err != nil {
			return err
		}
		if n >= maxGroupsPerUser {
			return limitExceeded("GroupsPerUser", maxGroupsPerUser)
		}
		if err := put(tx, tMember, key(account, g.Name, u.Name), map[string]string{"user": u.Name}); err != nil {
			return err
		}
		return put(tx, tUserGroups, key(account, u.Name, g.Name), map[string]string{"group": g.Name})
	})
}

// RemoveUserFromGroup removes a user from a group.
func (s *Service) RemoveUserFromGroup(ctx context.Context, account, groupName, userName string) error {
	return s.update(ctx, account, func(tx store.Tx) error {
		g, err := s.group(tx, account, groupName)
		if err != nil {
			return err
		}
		u, err := s.user(tx, account, userName)
		if err != nil {
			return err
		}
		if err := tx.Delete(tMember, key(account, g.Name, u.Name)); errors.Is(err, store.ErrNotFound) {
			return notFound("The user with name %s cannot be found in group %s.", u.Name, g.Name)
		} else if err != nil {
			return err
		}
		return tx.Delete(tUserGroups, key(account, u.Name, g.Name))
	})
}

// UpdateGroup renames a group and/or changes its path.
func (s *Service) UpdateGroup(ctx context.Context, account, name, newName, newPath string) error {
	return s.update(ctx, account, func(tx store.Tx) error {
		g, err := s.group(tx, account, name)
		if err != nil {
			return err
		}
		if newPath != "" {
			g.Path = newPath
		}
		if newName == "" || strings.EqualFold(newName, g.Name) {
			if newName != "" {
				g.Name = newName
			}
			return put(tx, tGroup, key(account, name), g)
		}
		if ok, err := exists(tx, tGroup, key(account, newName)); err != nil || ok {
			if ok {
				return awserr.Newf(awserr.EntityAlreadyExists, "Group with name %s already exists.", newName)
			}
			return err
		}
		old := g.Name
		g.Name = newName
		if err := tx.Delete(tGroup, key(account, old)); err != nil {
			return err
		}
		if err := put(tx, tGroup, key(account, newName), g); err != nil {
			return err
		}
		members, err := keysUnder(tx, tMember, key(account, old)+"/")
		if err != nil {
			return err
		}
		for _, m := range members {
			if err := moveKey(tx, tMember, key(account, old, m), key(account, newName, m)); err != nil {
				return err
			}
			if err := put(tx, tUserGroups, key(account, m, newName), map[string]string{"group": newName}); err != nil {
				return err
			}
			if err := tx.Delete(tUserGroups, key(account, m, old)); err != nil {
				return err
			}
		}
		if err := moveTree(tx, tInline, inlinePrefix(account, KindGroup, old), inlinePrefix(account, KindGroup, newName)); err != nil {
			return err
		}
		return s.renameAttachments(tx, account, KindGroup, old, newName)
	})
}

// DeleteGroup deletes a group with no members and no policies.
func (s *Service) DeleteGroup(ctx context.Context, account, name string) error {
	return s.update(ctx, account, func(tx store.Tx) error {
		g, err := s.group(tx, account, name)
		if err != nil {
			return err
		}
		if err := refuseDependents(tx, []dependent{
			{tMember, key(account, g.Name) + "/", "Cannot delete entity, must remove users from group first."},
			{tInline, inlinePrefix(account, KindGroup, g.Name), "Cannot delete entity, must delete policies first."},
			{tAttach, key(account, KindGroup, g.Name) + "/", "Cannot delete entity, must detach all policies first."},
		}); err != nil {
			return err
		}
		return tx.Delete(tGroup, key(account, g.Name))
	})
}
