// Package org owns the accounts of a deployment and the organization that groups them: the
// management account created on first start and the member accounts created after it. Every
// account has a root user whose long-term keys are ordinary access keys of the IAM service.
package org

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync/atomic"
	"time"

	"rolegate/internal/api/awserr"
	"rolegate/internal/idgen"
	"rolegate/internal/store"
)

const (
	tOrg         store.Table = "org.org"
	tAccount     store.Table = "org.account"
	tAccountName store.Table = "org.accountname"
)

// Organization is the one organization of a deployment.
type Organization struct {
	ID                string    `json:"id"` // o-xxxxxxxxxx
	RootID            string    `json:"root"`
	ManagementAccount string    `json:"mgmt"`
	Created           time.Time `json:"created"`
}

// Account is an AWS account.
type Account struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Email      string    `json:"email"`
	Created    time.Time `json:"created"`
	Management bool      `json:"mgmt,omitempty"`
}

// ARN returns the account's ARN in the organization.
func (a *Account) ARN(o *Organization) string {
	return "arn:aws:organizations::" + o.ManagementAccount + ":account/" + o.ID + "/" + a.ID
}

// Service keeps accounts. It is safe for concurrent use.
type Service struct {
	st    store.Store
	ids   *idgen.Gen
	now   func() time.Time
	orgID atomic.Pointer[string]
}

// ID returns the organization's ID, or "" before the first start completed.
func (s *Service) ID() string {
	if id := s.orgID.Load(); id != nil {
		return *id
	}
	o, err := s.Organization(context.Background())
	if err != nil {
		return ""
	}
	s.orgID.Store(&o.ID)
	return o.ID
}

// New returns the accounts service.
func New(st store.Store, ids *idgen.Gen, now func() time.Time) *Service {
	return &Service{st: st, ids: ids, now: now}
}

// Organization returns the organization, or store.ErrNotFound before the first start completed.
func (s *Service) Organization(ctx context.Context) (*Organization, error) {
	var o Organization
	err := s.st.View(ctx, func(tx store.Tx) error {
		raw, err := tx.Get(tOrg, "org")
		if err != nil {
			return err
		}
		return json.Unmarshal(raw, &o)
	})
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// Bootstrap creates the organization and its management account named name. Within the same
// transaction it calls then, so the caller can create the account's root keys atomically.
func (s *Service) Bootstrap(ctx context.Context, name, email string, then func(tx store.Tx, a *Account) error) (*Organization, *Account, error) {
	now := s.now().UTC().Truncate(time.Second)
	a := &Account{ID: s.ids.Account(), Name: name, Email: email, Created: now, Management: true}
	o := &Organization{ID: "o-" + strings.ToLower(s.ids.Hex(10)), RootID: "r-" + s.ids.Hex(4),
		ManagementAccount: a.ID, Created: now}
	err := s.st.Update(ctx, func(tx store.Tx) error {
		raw, _ := json.Marshal(o)
		if err := tx.Insert(tOrg, "org", raw); err != nil {
			return err
		}
		if err := s.insertAccount(tx, a); err != nil {
			return err
		}
		return then(tx, a)
	})
	if err != nil {
		return nil, nil, err
	}
	return o, a, nil
}

// Create creates a member account. then runs in the same transaction.
func (s *Service) Create(ctx context.Context, name, email string, then func(tx store.Tx, a *Account) error) (*Account, error) {
	a := &Account{ID: s.ids.Account(), Name: name, Email: email, Created: s.now().UTC().Truncate(time.Second)}
	err := s.st.Update(ctx, func(tx store.Tx) error {
		if err := s.insertAccount(tx, a); err != nil {
			return err
		}
		return then(tx, a)
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

func (s *Service) insertAccount(tx store.Tx, a *Account) error {
	err := tx.Insert(tAccountName, strings.ToLower(a.Name), []byte(a.ID))
	if errors.Is(err, store.ErrExists) {
		return awserr.Newf(awserr.EntityAlreadyExists, "An account named %s already exists.", a.Name)
	}
	if err != nil {
		return err
	}
	raw, err := json.Marshal(a)
	if err != nil {
		return err
	}
	return tx.Insert(tAccount, a.ID, raw)
}

// Account returns an account by ID.
func (s *Service) Account(ctx context.Context, id string) (*Account, error) {
	var a Account
	err := s.st.View(ctx, func(tx store.Tx) error {
		raw, err := tx.Get(tAccount, id)
		if err != nil {
			return err
		}
		return json.Unmarshal(raw, &a)
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// Accounts lists every account, management account included.
func (s *Service) Accounts(ctx context.Context) ([]*Account, error) {
	var out []*Account
	err := s.st.View(ctx, func(tx store.Tx) error {
		return tx.Scan(tAccount, "", "", 0, func(_ string, raw []byte) error {
			a := new(Account)
			if err := json.Unmarshal(raw, a); err != nil {
				return err
			}
			out = append(out, a)
			return nil
		})
	})
	return out, err
}
