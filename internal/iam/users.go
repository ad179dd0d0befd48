package iam

import (
	"context"
	"errors"
	"strings"

	"rolegate/internal/api/awserr"
	"rolegate/internal/idgen"
	"rolegate/internal/store"
)

// CreateUser creates a user.
func (s *Service) CreateUser(ctx context.Context, account, name, path, boundary string, tags []Tag) (*User, error) {
	u := &User{Account: account, Name: name, Path: orRoot(path), ID: s.cfg.IDs.Unique(idgen.User),
		Created: s.now(), Boundary: boundary, Tags: tags}
	err := s.update(ctx, account, func(tx store.Tx) error {
		if boundary != "" {
			if err := s.useBoundary(tx, boundary, 1); err != nil {
				return err
			}
		}
		return s.insertNew(tx, tUser, account, name, "UsersPerAccount", 5000, u,
			awserr.Newf(awserr.EntityAlreadyExists, "User with name %s already exists.", name))
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// User returns a user by name.
func (s *Service) User(ctx context.Context, account, name string) (*User, error) {
	return cachedRead(ctx, s, tUser, account, name, (*Service).user)
}

func (s *Service) user(tx store.Tx, account, name string) (*User, error) {
	u, err := get[User](tx, tUser, key(account, name))
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("The user with name %s cannot be found.", name)
	}
	return u, err
}

// ListUsers lists the users whose path starts with pathPrefix.
func (s *Service) ListUsers(ctx context.Context, account, pathPrefix string, p Page) ([]*User, string, error) {
	var out []*User
	var next string
	err := s.view(ctx, func(tx store.Tx) error {
		var err error
		out, next, err = scanPage(tx, tUser, account+"/", p, func(u *User) bool {
			return strings.HasPrefix(u.Path, orRoot(pathPrefix))
		})
		return err
	})
	return out, next, err
}

// UpdateUser renames a user and/or changes its path. Everything that refers to the user by name
// (memberships, policies, attachments, keys, login profile, MFA devices) follows the new name.
func (s *Service) UpdateUser(ctx context.Context, account, name, newName, newPath string) error {
	return s.update(ctx, account, func(tx store.Tx) error {
		u, err := s.user(tx, account, name)
		if err != nil {
			return err
		}
		if newPath != "" {
			u.Path = newPath
		}
		if newName == "" || newName == u.Name {
			return put(tx, tUser, key(account, name), u)
		}
		if strings.EqualFold(newName, u.Name) {
			u.Name = newName
			return put(tx, tUser, key(account, name), u)
		}
		if ok, err := exists(tx, tUser, key(account, newName)); err != nil || ok {
			if ok {
				return awserr.Newf(awserr.EntityAlreadyExists, "User with name %s already exists.", newName)
			}
			return err
		}
		oldARN := u.ARN()
		u.Name = newName
		if err := tx.Delete(tUser, key(account, name)); err != nil {
			return err
		}
		if err := put(tx, tUser, key(account, newName), u); err != nil {
			return err
		}
		return s.renameUserRefs(tx, account, name, newName, oldARN, u.ARN())
	})
}

// renameUserRefs moves every record keyed by the user's old name to the new name.
func (s *Service) renameUserRefs(tx store.Tx, account, oldName, newName, oldARN, newARN string) error {
	groups, err := keysUnder(tx, tUserGroups, key(account, oldName)+"/")
	if err != nil {
		return err
	}
	for _, g := range groups {
		if err := moveKey(tx, tUserGroups, key(account, oldName, g), key(account, newName, g)); err != nil {
			return err
		}
		if err := tx.Delete(tMember, key(account, g, oldName)); err != nil {
			return err
		}
		if err := put(tx, tMember, key(account, g, newName), map[string]string{"user": newName}); err != nil {
			return err
		}
	}
	if err := moveTree(tx, tInline, key(account, KindUser, oldName)+"/", key(account, KindUser, newName)+"/"); err != nil {
		return err
	}
	if err := s.renameAttachments(tx, account, KindUser, oldName, newName); err != nil {
		return err
	}
	keyIDs, err := keysUnder(tx, tUserKeys, key(account, oldName)+"/")
	if err != nil {
		return err
	}
	for _, id := range keyIDs {
		k, err := get[AccessKey](tx, tKey, strings.ToUpper(id))
		if err != nil {
			return err
		}
		k.UserName = newName
		if err := put(tx, tKey, k.ID, k); err != nil {
			return err
		}
	}
	if err := moveTree(tx, tUserKeys, key(account, oldName)+"/", key(account, newName)+"/"); err != nil {
		return err
	}
	if err := moveKey(tx, tLogin, key(account, oldName), key(account, newName)); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	devices, err := scanAll[MFADevice](tx, tMFA, account+"/")
	if err != nil {
		return err
	}
	for _, d := range devices {
		if strings.EqualFold(d.UserName, oldName) {
			d.UserName = newName
			if err := put(tx, tMFA, key(account, d.Name), d); err != nil {
				return err
			}
		}
	}
	return moveTree(tx, tUserMFA, key(account, oldName)+"/", key(account, newName)+"/")
}

// DeleteUser deletes a user that has nothing left attached, as AWS requires.
func (s *Service) DeleteUser(ctx context.Context, account, name string) error {
	return s.update(ctx, account, func(tx store.Tx) error {
		u, err := s.user(tx, account, name)
		if err != nil {
			return err
		}
		if err := refuseDependents(tx, []dependent{
			{tLogin, key(account, name), "Cannot delete entity, must delete login profile first."},
			{tUserKeys, key(account, name) + "/", "Cannot delete entity, must delete access keys first."},
			{tUserMFA, key(account, name) + "/", "Cannot delete entity, must delete MFA device first."},
			{tInline, key(account, KindUser, name) + "/", "Cannot delete entity, must delete policies first."},
			{tAttach, key(account, KindUser, name) + "/", "Cannot delete entity, must detach all policies first."},
			{tUserGroups, key(account, name) + "/", "Cannot delete entity, must remove users from group first."},
		}); err != nil {
			return err
		}
		if u.Boundary != "" {
			if err := s.useBoundary(tx, u.Boundary, -1); err != nil && !IsNoSuchEntity(err) {
				return err
			}
		}
		return tx.Delete(tUser, key(account, name))
	})
}

// SetUserBoundary sets (arn != "") or removes (arn == "") a user's permissions boundary.
func (s *Service) SetUserBoundary(ctx context.Context, account, name, arn string) error {
	return s.update(ctx, account, func(tx store.Tx) error {
		u, err := s.user(tx, account, name)
		if err != nil {
			return err
		}
		if err := s.swapBoundary(tx, u.Boundary, arn); err != nil {
			return err
		}
		u.Boundary = arn
		return put(tx, tUser, key(account, name), u)
	})
}

// TagUser adds or replaces tags on a user.
func (s *Service) TagUser(ctx context.Context, account, name string, tags []Tag) error {
	return s.update(ctx, account, func(tx store.Tx) error {
		u, err := s.user(tx, account, name)
		if err != nil {
			return err
		}
		if u.Tags, err = mergeTags(u.Tags, tags); err != nil {
			return err
		}
		return put(tx, tUser, key(account, name), u)
	})
}

// UntagUser removes tags from a user.
func (s *Service) UntagUser(ctx context.Context, account, name string, keys []string) error {
	return s.update(ctx, account, func(tx store.Tx) error {
		u, err := s.user(tx, account, name)
		if err != nil {
			return err
		}
		u.Tags = removeTags(u.Tags, keys)
		return put(tx, tUser, key(account, name), u)
	})
}

func orRoot(path string) string {
	if path == "" {
		return "/"
	}
	return path
}

// IsNoSuchEntity reports whether err is IAM's NoSuchEntity.
func IsNoSuchEntity(err error) bool {
	var e *awserr.Error
	return errors.As(err, &e) && e.Code == awserr.NoSuchEntity
}

// moveKey moves the record at from to to, or returns store.ErrNotFound.
func moveKey(tx store.Tx, t store.Table, from, to string) error {
	raw, err := tx.Get(t, from)
	if err != nil {
		return err
	}
	val := append([]byte(nil), raw...)
	if err := tx.Delete(t, from); err != nil {
		return err
	}
	return tx.Put(t, to, val)
}

// moveTree moves every record under prefix from to prefix to.
func moveTree(tx store.Tx, t store.Table, from, to string) error {
	type kv struct {
		k string
		v []byte
	}
	var recs []kv
	if err := tx.Scan(t, from, "", 0, func(k string, v []byte) error {
		recs = append(recs, kv{k, append([]byte(nil), v...)})
		return nil
	}); err != nil {
		return err
	}
	for _, r := range recs {
		if err := tx.Delete(t, r.k); err != nil {
			return err
		}
		if err := tx.Put(t, to+r.k[len(from):], r.v); err != nil {
			return err
		}
	}
	return nil
}

// insertNew stores a new record of account under name, after checking the account's quota of
// such records; exists is the error when the name is taken.
func (s *Service) insertNew(tx store.Tx, t store.Table, account, name, quota string, max int, v any, exists error) error {
	if err := s.checkQuota(tx, t, account, quota, max); err != nil {
		return err
	}
	err := insert(tx, t, key(account, name), v)
	if errors.Is(err, store.ErrExists) {
		return exists
	}
	return err
}

// dependent is a kind of record that must be gone before an entity can be deleted.
type dependent struct {
	t      store.Table
	prefix string
	msg    string // the DeleteConflict message while some remain
}

// refuseDependents returns DeleteConflict for the first kind of dependent record that remains.
func refuseDependents(tx store.Tx, ds []dependent) error {
	for _, d := range ds {
		n, err := tx.Count(d.t, d.prefix)
		if err != nil {
			return err
		}
		if n > 0 {
			return conflict(d.msg)
		}
	}
	return nil
}

// checkQuota fails with LimitExceeded when account already holds max records of t.
func (s *Service) checkQuota(tx store.Tx, t store.Table, account, quota string, max int) error {
	n, err := tx.Count(t, account+"/")
	if err != nil {
		return err
	}
	if n >= max {
		return limitExceeded(quota, max)
	}
	return nil
}
