package server

import (
	"context"
	"errors"
	"path/filepath"
	"time"

	"rolegate/internal/awsconfig"
	"rolegate/internal/iam"
	"rolegate/internal/org"
	"rolegate/internal/secretbox"
	"rolegate/internal/store"
	"rolegate/internal/token"
)

// ManagementProfile is the AWS CLI profile name of the management account.
const ManagementProfile = "management"

// openBox loads the key-encryption key: cfg.KEK, or DataDir/kek created on first start.
func openBox(cfg Config) (*secretbox.Box, error) {
	key := cfg.KEK
	if key == nil {
		var err error
		if key, err = secretbox.LoadOrCreateKey(filepath.Join(cfg.DataDir, "kek"), cfg.Rand); err != nil {
			return nil, err
		}
	}
	return secretbox.New(key)
}

// bootstrap creates the organization and its management account (with a root key) when the data
// directory is new, and returns the management account.
func (s *Server) bootstrap(ctx context.Context) (*org.Account, error) {
	o, err := s.org.Organization(ctx)
	if err == nil {
		return s.org.Account(ctx, o.ManagementAccount)
	}
	if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	_, acct, err := s.org.Bootstrap(ctx, ManagementProfile, "management@rolegate.local", func(tx store.Tx, a *org.Account) error {
		_, _, err := s.iam.CreateRootKey(tx, a.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.cfg.Log.Info("created organization", "management_account", acct.ID)
	return acct, nil
}

// WriteProfiles writes DataDir/aws/config and credentials with the management account's profile
// pointing at endpoint; member accounts' profiles are added by "rolegate account create".
func (s *Server) WriteProfiles(ctx context.Context, endpoint string) error {
	keys, _, err := s.iam.AccessKeys(ctx, s.mgmt.ID, "", iam.Page{})
	if err != nil {
		return err
	}
	if len(keys) == 0 {
		return errors.New("management account has no root access key")
	}
	_, secret, err := s.iam.AccessKey(ctx, keys[0].ID)
	if err != nil {
		return err
	}
	return awsconfig.InDir(s.cfg.DataDir).Write(awsconfig.Profile{Name: ManagementProfile,
		AccessKeyID: keys[0].ID, SecretAccessKey: secret, EndpointURL: endpoint})
}

// ringTable holds the session-token key ring, sealed under the key-encryption key.
const ringTable store.Table = "sts.keyring"

// ringRotation is how old the current key may get before a new one is added.
const ringRotation = 24 * time.Hour

// loadRing loads the session key ring, creating it on first start and rotating it when its current
// key is older than a day; keys older than the longest session are pruned.
func (s *Server) loadRing(ctx context.Context) (*token.KeyRing, error) {
	var ring *token.KeyRing
	err := s.db.Update(ctx, func(tx store.Tx) error {
		now := s.cfg.Now()
		raw, err := tx.Get(ringTable, "ring")
		switch {
		case errors.Is(err, store.ErrNotFound):
			if ring, err = token.NewKeyRing(s.cfg.Rand, now); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			plain, err := s.box.Open(raw, []byte(ringTable))
			if err != nil {
				return err
			}
			if ring, err = token.ParseKeyRing(plain); err != nil {
				return err
			}
			if keys := ring.Keys(); len(keys) > 0 && now.Sub(keys[len(keys)-1].Created) > ringRotation {
				if ring, err = ring.Rotate(s.cfg.Rand, now); err != nil {
					return err
				}
			}
			ring = ring.Prune(now, token.MaxLifetime)
		}
		plain, err := ring.MarshalBinary()
		if err != nil {
			return err
		}
		return tx.Put(ringTable, "ring", s.box.Seal(plain, []byte(ringTable)))
	})
	return ring, err
}

// SessionKeys describes the keys of the session-token key ring, oldest first.
func (s *Server) SessionKeys() []token.KeyInfo { return s.ring.Load().Keys() }
