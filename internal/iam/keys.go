package iam

import (
	"context"
	"errors"
	"time"

	"rolegate/internal/api/awserr"
	"rolegate/internal/idgen"
	"rolegate/internal/store"
)

const maxKeysPerUser = 2

// Key status values.
const (
	StatusActive   = "Active"
	StatusInactive = "Inactive"
)

// CreateAccessKey creates an access key for a user, or for the account's root user when
// userName is "". It returns the key and its secret, which is never retrievable again.
func (s *Service) CreateAccessKey(ctx context.Context, account, userName string) (*AccessKey, string, error) {
	var k *AccessKey
	var secret string
	err := s.update(ctx, account, func(tx store.Tx) error {
		var err error
		k, secret, err = s.createAccessKey(tx, account, userName)
		return err
	})
	return k, secret, err
}

func (s *Service) createAccessKey(tx store.Tx, account, userName string) (*AccessKey, string, error) {
	if userName != "" {
		u, err := s.user(tx, account, userName)
		if err != nil {
			return nil, "", err
		}
		userName = u.Name
	}
	n, err := tx.Count(tUserKeys, key(account, userName)+"/")
	if err != nil {
		return nil, "", err
	}
	if n >= maxKeysPerUser {
		return nil, "", limitExceeded("AccessKeysPerUser", maxKeysPerUser)
	}
	secret := s.cfg.IDs.Secret()
	k := &AccessKey{ID: s.cfg.IDs.AccessKeyID(idgen.LongTermKey), Account: account, UserName: userName,
		Status: StatusActive, Created: s.now()}
	k.Sealed = s.cfg.Box.Seal([]byte(secret), []byte(k.ID))
	if err := insert(tx, tKey, k.ID, k); err != nil {
		return nil, "", err
	}
	if err := put(tx, tUserKeys, key(account, userName, k.ID), map[string]string{"id": k.ID}); err != nil {
		return nil, "", err
	}
	return k, secret, nil
}

// AccessKeys lists the access keys of a user ("" for root).
func (s *Service) AccessKeys(ctx context.Context, account, userName string, p Page) ([]*AccessKey, string, error) {
	var out []*AccessKey
	var next string
	err := s.view(ctx, func(tx store.Tx) error {
		if userName != "" {
			u, err := s.user(tx, account, userName)
			if err != nil {
				return err
			}
			userName = u.Name
		}
		type ref struct {
			ID string `json:"id"`
		}
		var err error
		out, next, err = scanRefs(tx, tUserKeys, key(account, userName)+"/", p, func(r *ref) (*AccessKey, error) {
			return get[AccessKey](tx, tKey, r.ID)
		})
		return err
	})
	return out, next, err
}

// ownKey loads an access key that belongs to the given user of account.
func (s *Service) ownKey(tx store.Tx, account, userName, id string) (*AccessKey, error) {
	k, err := get[AccessKey](tx, tKey, id)
	if err == nil && k.Account == account && (userName == "" && k.UserName == "" || userName != "" && equalFold(k.UserName, userName)) {
		return k, nil
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	return nil, notFound("The Access Key with id %s cannot be found.", id)
}

// UpdateAccessKey sets a key's status to Active or Inactive.
func (s *Service) UpdateAccessKey(ctx context.Context, account, userName, id, status string) error {
	return s.update(ctx, account, func(tx store.Tx) error {
		if userName != "" {
			if _, err := s.user(tx, account, userName); err != nil {
				return err
			}
		}
		k, err := s.ownKey(tx, account, userName, id)
		if err != nil {
			return err
		}
		k.Status = status
		return put(tx, tKey, k.ID, k)
	})
}

// DeleteAccessKey deletes an access key.
func (s *Service) DeleteAccessKey(ctx context.Context, account, userName, id string) error {
	return s.update(ctx, account, func(tx store.Tx) error {
		if userName != "" {
			if _, err := s.user(tx, account, userName); err != nil {
				return err
			}
		}
		k, err := s.ownKey(tx, account, userName, id)
		if err != nil {
			return err
		}
		if err := tx.Delete(tKey, k.ID); err != nil {
			return err
		}
		return tx.Delete(tUserKeys, key(account, k.UserName, k.ID))
	})
}

// AccessKey returns any access key by ID, with its secret decrypted. It is the authenticator's
// lookup and answers for keys of every account.
func (s *Service) AccessKey(ctx context.Context, id string) (*AccessKey, string, error) {
	var k *AccessKey
	err := s.view(ctx, func(tx store.Tx) error {
		var err error
		k, err = get[AccessKey](tx, tKey, id)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, "", notFound("The Access Key with id %s cannot be found.", id)
	}
	if err != nil {
		return nil, "", err
	}
	secret, err := s.cfg.Box.Open(k.Sealed, []byte(k.ID))
	if err != nil {
		return nil, "", awserr.From(err, awserr.InternalFailure)
	}
	return k, string(secret), nil
}

// KeyMetadata returns an access key of any account by ID without opening its secret, for callers
// that need only its owner, status or last use (GetAccessKeyLastUsed).
func (s *Service) KeyMetadata(ctx context.Context, id string) (*AccessKey, error) {
	var k *AccessKey
	err := s.view(ctx, func(tx store.Tx) error {
		var err error
		k, err = get[AccessKey](tx, tKey, id)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("The Access Key with id %s cannot be found.", id)
	}
	return k, err
}

// RecordKeyUse notes when, where and for which service a key was last used. Callers throttle it:
// it writes to the store.
func (s *Service) RecordKeyUse(ctx context.Context, id, service, region string, at time.Time) error {
	return s.cfg.Store.Update(ctx, func(tx store.Tx) error {
		k, err := get[AccessKey](tx, tKey, id)
		if err != nil {
			return err
		}
		k.LastUsed, k.LastService, k.LastRegion = at.UTC().Truncate(time.Second), service, region
		return put(tx, tKey, k.ID, k)
	})
}

func equalFold(a, b string) bool { return len(a) == len(b) && lower(a) == lower(b) }

// CreateRootKey creates a root access key of account inside the caller's transaction (used when
// an account is created).
func (s *Service) CreateRootKey(tx store.Tx, account string) (*AccessKey, string, error) {
	k, secret, err := s.createAccessKey(tx, account, "")
	if err == nil {
		s.gen(account).Add(1)
	}
	return k, secret, err
}
