package iam

import (
	"errors"
	"time"

	"rolegate/internal/secretbox"
	"rolegate/internal/store"
)

// ErrLoad reports a record a Loader refused: a duplicate, or one that names nothing.
var ErrLoad = errors.New("iam: bulk load")

// Loader writes IAM records straight into a store transaction, in the very form the Service
// writes them, without validating documents or counting quotas. It exists for bulk loads ("rolegate
// seed") that would take hours through the API; the caller is responsible for the records making
// sense (policies that parse, attachment counts that match). Generations are not bumped: load
// into a store no server has open.
type Loader struct {
	tx  store.Tx
	box *secretbox.Box
}

// NewLoader returns a Loader writing in tx; box seals access key secrets as the Service does.
func NewLoader(tx store.Tx, box *secretbox.Box) *Loader { return &Loader{tx: tx, box: box} }

// User stores a user.
func (l *Loader) User(u *User) error {
	u.Path = orRoot(u.Path)
	return l.insert(tUser, key(u.Account, u.Name), u)
}

// Group stores a group.
func (l *Loader) Group(g *Group) error {
	g.Path = orRoot(g.Path)
	return l.insert(tGroup, key(g.Account, g.Name), g)
}

// Member makes a stored user a member of a stored group.
func (l *Loader) Member(account, group, user string) error {
	if err := l.insert(tMember, key(account, group, user), map[string]string{"user": user}); err != nil {
		return err
	}
	return l.insert(tUserGroups, key(account, user, group), map[string]string{"group": group})
}

// Role stores a role; a zero MaxSessionDuration takes the default, as CreateRole does.
func (l *Loader) Role(r *Role) error {
	r.Path = orRoot(r.Path)
	if r.MaxSessionDuration == 0 {
		r.MaxSessionDuration = DefaultMaxSessionDuration
	}
	return l.insert(tRole, key(r.Account, r.Name), r)
}

// Policy stores a managed policy. Its Attachments count must already include every Attach the
// caller makes.
func (l *Loader) Policy(p *ManagedPolicy) error {
	p.Path = orRoot(p.Path)
	if p.Default() == nil {
		return errors.Join(ErrLoad, errors.New("policy "+p.Name+" has no default version"))
	}
	return l.insert(tPolicy, key(p.Account, p.Name), p)
}

// Attach records that managed policy p is attached to the user, group or role entity (spelled
// as stored) of account.
func (l *Loader) Attach(account, kind, entity string, p *ManagedPolicy) error {
	a := Attachment{PolicyARN: p.ARN(), PolicyName: p.Name, Kind: kind, Entity: entity, Account: account}
	if err := l.insert(tAttach, attachKey(account, kind, entity, a.PolicyARN), a); err != nil {
		return err
	}
	return l.insert(tAttachedTo, attachedToKey(a.PolicyARN, kind, account, entity), a)
}

// Inline stores an inline policy of a user, group or role.
func (l *Loader) Inline(account, kind, entity string, p InlinePolicy) error {
	return l.insert(tInline, inlinePrefix(account, kind, entity)+lower(p.Name), p)
}

// AccessKey stores an active access key of a user (or of the account's root user, userName "")
// with the given id and secret.
func (l *Loader) AccessKey(account, userName, id, secret string, created time.Time) (*AccessKey, error) {
	k := &AccessKey{ID: id, Account: account, UserName: userName, Status: StatusActive, Created: created}
	k.Sealed = l.box.Seal([]byte(secret), []byte(k.ID))
	if err := l.insert(tKey, k.ID, k); err != nil {
		return nil, err
	}
	if err := l.insert(tUserKeys, key(account, userName, k.ID), map[string]string{"id": k.ID}); err != nil {
		return nil, err
	}
	return k, nil
}

func (l *Loader) insert(t store.Table, k string, v any) error {
	err := insert(l.tx, t, k, v)
	if errors.Is(err, store.ErrExists) {
		return errors.Join(ErrLoad, errors.New(string(t)+" "+k+" already exists"))
	}
	return err
}
