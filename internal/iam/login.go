package iam

import (
	"context"
	"crypto/pbkdf2"
	"crypto/sha256"
	"errors"

	"rolegate/internal/api/awserr"
	"rolegate/internal/store"
)

// pbkdf2Iterations makes each stored password costly to guess; rolegate never checks console
// passwords on a hot path.
const pbkdf2Iterations = 100_000

func (s *Service) hashPassword(password string) ([]byte, error) {
	salt := s.cfg.IDs.Bytes(16)
	dk, err := pbkdf2.Key(sha256.New, password, salt, pbkdf2Iterations, 32)
	if err != nil {
		return nil, err
	}
	return append(salt, dk...), nil
}

// CreateLoginProfile gives a user a console password.
func (s *Service) CreateLoginProfile(ctx context.Context, account, userName, password string, reset bool) (*LoginProfile, error) {
	hash, err := s.hashPassword(password)
	if err != nil {
		return nil, err
	}
	var lp *LoginProfile
	err = s.update(ctx, account, func(tx store.Tx) error {
		u, err := s.user(tx, account, userName)
		if err != nil {
			return err
		}
		lp = &LoginProfile{UserName: u.Name, Created: s.now(), ResetRequired: reset, Hash: hash}
		err = insert(tx, tLogin, key(account, u.Name), lp)
		if errors.Is(err, store.ErrExists) {
			return awserr.Newf(awserr.EntityAlreadyExists, "Login Profile for user %s already exists.", u.Name)
		}
		return err
	})
	return lp, err
}

// LoginProfile returns a user's login profile.
func (s *Service) LoginProfile(ctx context.Context, account, userName string) (*LoginProfile, error) {
	var lp *LoginProfile
	err := s.view(ctx, func(tx store.Tx) error {
		u, err := s.user(tx, account, userName)
		if err != nil {
			return err
		}
		lp, err = get[LoginProfile](tx, tLogin, key(account, u.Name))
		if errors.Is(err, store.ErrNotFound) {
			return notFound("Login Profile for User %s cannot be found.", u.Name)
		}
		return err
	})
	return lp, err
}

// UpdateLoginProfile changes a user's password (when non-nil) and reset flag (when non-nil).
func (s *Service) UpdateLoginProfile(ctx context.Context, account, userName string, password *string, reset *bool) error {
	var hash []byte
	if password != nil {
		var err error
		if hash, err = s.hashPassword(*password); err != nil {
			return err
		}
	}
	return s.update(ctx, account, func(tx store.Tx) error {
		u, err := s.user(tx, account, userName)
		if err != nil {
			return err
		}
		lp, err := get[LoginProfile](tx, tLogin, key(account, u.Name))
		if errors.Is(err, store.ErrNotFound) {
			return notFound("Login Profile for User %s cannot be found.", u.Name)
		}
		if err != nil {
			return err
		}
		if hash != nil {
			lp.Hash = hash
		}
		if reset != nil {
			lp.ResetRequired = *reset
		}
		return put(tx, tLogin, key(account, u.Name), lp)
	})
}

// DeleteLoginProfile removes a user's console password.
func (s *Service) DeleteLoginProfile(ctx context.Context, account, userName string) error {
	return s.update(ctx, account, func(tx store.Tx) error {
		u, err := s.user(tx, account, userName)
		if err != nil {
			return err
		}
		err = tx.Delete(tLogin, key(account, u.Name))
		if errors.Is(err, store.ErrNotFound) {
			return notFound("Login Profile for User %s cannot be found.", u.Name)
		}
		return err
	})
}
