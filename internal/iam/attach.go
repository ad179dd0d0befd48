package iam

import (
	"context"
	"errors"
	"strings"

	"rolegate/internal/store"
)

// Attachment links a managed policy to a user, group or role.
type Attachment struct {
	PolicyARN  string `json:"arn"`
	PolicyName string `json:"policy"`
	Kind       string `json:"kind"`
	Entity     string `json:"entity"` // entity name as spelled by its owner
	Account    string `json:"acct"`
}

// attachQuota returns the quota name and limit of managed policies per entity kind.
func attachQuota(kind string) (string, int) {
	switch kind {
	case KindUser:
		return "PoliciesPerUser", 10
	case KindGroup:
		return "PoliciesPerGroup", 10
	}
	return "PoliciesPerRole", 10
}

func attachKey(account, kind, entity, policyARN string) string {
	return key(account, kind, entity) + "/" + strings.ToLower(policyARN)
}

func attachedToKey(policyARN, kind, account, entity string) string {
	return strings.ToLower(policyARN) + "/" + key(account, kind, entity)
}

// AttachmentCount returns how many entities of account a policy is attached to.
func (s *Service) AttachmentCount(ctx context.Context, account, policyARN string) (int, error) {
	var n int
	err := s.view(ctx, func(tx store.Tx) error {
		var err error
		n, err = tx.Count(tAttachedTo, strings.ToLower(policyARN)+"/"+account+"/")
		return err
	})
	return n, err
}

// entityName returns the exact spelling of an existing user, group or role.
func (s *Service) entityName(tx store.Tx, account, kind, name string) (string, error) {
	switch kind {
	case KindUser:
		u, err := s.user(tx, account, name)
		if err != nil {
			return "", err
		}
		return u.Name, nil
	case KindGroup:
		g, err := s.group(tx, account, name)
		if err != nil {
			return "", err
		}
		return g.Name, nil
	}
	r, err := s.role(tx, account, name)
	if err != nil {
		return "", err
	}
	return r.Name, nil
}

// AttachPolicy attaches a managed policy to a user, group or role; attaching twice is a no-op.
func (s *Service) AttachPolicy(ctx context.Context, account, kind, entity, policyARN string) error {
	return s.update(ctx, account, func(tx store.Tx) error {
		name, err := s.entityName(tx, account, kind, entity)
		if err != nil {
			return err
		}
		p, err := s.policy(tx, policyARN)
		if err != nil {
			return err
		}
		if p.Account != account && p.Account != AWSAccount {
			return notFound("Policy %s does not exist or is not attachable.", policyARN)
		}
		k := attachKey(account, kind, name, policyARN)
		if ok, err := exists(tx, tAttach, k); err != nil || ok {
			return err
		}
		quota, max := attachQuota(kind)
		n, err := tx.Count(tAttach, key(account, kind, name)+"/")
		if err != nil {
			return err
		}
		if n >= max {
			return limitExceeded(quota, max)
		}
		a := Attachment{PolicyARN: p.ARN(), PolicyName: p.Name, Kind: kind, Entity: name, Account: account}
		if err := put(tx, tAttach, k, a); err != nil {
			return err
		}
		if err := put(tx, tAttachedTo, attachedToKey(p.ARN(), kind, account, name), a); err != nil {
			return err
		}
		if p.Account == AWSAccount {
			return nil
		}
		p.Attachments++
		return s.putPolicy(tx, p)
	})
}

// DetachPolicy detaches a managed policy.
func (s *Service) DetachPolicy(ctx context.Context, account, kind, entity, policyARN string) error {
	return s.update(ctx, account, func(tx store.Tx) error {
		name, err := s.entityName(tx, account, kind, entity)
		if err != nil {
			return err
		}
		err = tx.Delete(tAttach, attachKey(account, kind, name, policyARN))
		if errors.Is(err, store.ErrNotFound) {
			return notFound("Policy %s was not found.", policyARN)
		}
		if err != nil {
			return err
		}
		if err := tx.Delete(tAttachedTo, attachedToKey(policyARN, kind, account, name)); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		p, err := s.policy(tx, policyARN)
		if err != nil || p.Account == AWSAccount {
			return nil // the policy may be gone; the attachment record was all that was left
		}
		if p.Attachments > 0 {
			p.Attachments--
		}
		return s.putPolicy(tx, p)
	})
}

// AttachedPolicies lists the managed policies attached to an entity.
func (s *Service) AttachedPolicies(ctx context.Context, account, kind, entity, pathPrefix string, p Page) ([]*Attachment, string, error) {
	var out []*Attachment
	var next string
	err := s.view(ctx, func(tx store.Tx) error {
		name, err := s.entityName(tx, account, kind, entity)
		if err != nil {
			return err
		}
		out, next, err = scanPage(tx, tAttach, key(account, kind, name)+"/", p, func(a *Attachment) bool {
			_, path, _, _ := ParsePolicyARN(a.PolicyARN)
			return strings.HasPrefix(path, orRoot(pathPrefix))
		})
		return err
	})
	return out, next, err
}

// attachedARNs returns the ARNs of the managed policies attached to an entity.
func attachedARNs(tx store.Tx, account, kind, name string) ([]string, error) {
	as, err := scanAll[Attachment](tx, tAttach, key(account, kind, name)+"/")
	if err != nil {
		return nil, err
	}
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.PolicyARN
	}
	return out, nil
}

// EntitiesForPolicy lists the users, groups and roles of account a policy is attached to; kind
// filters ("" for all).
func (s *Service) EntitiesForPolicy(ctx context.Context, account, policyARN, kind, pathPrefix string, p Page) ([]*Attachment, string, error) {
	var out []*Attachment
	var next string
	err := s.view(ctx, func(tx store.Tx) error {
		if _, err := s.policy(tx, policyARN); err != nil {
			return err
		}
		prefix := strings.ToLower(policyARN) + "/" + account + "/"
		if kind != "" {
			prefix += kind + "/"
		}
		var err error
		out, next, err = scanPage(tx, tAttachedTo, prefix, p, func(a *Attachment) bool {
			if pathPrefix == "" || pathPrefix == "/" {
				return true
			}
			path, _ := s.entityPath(tx, a.Account, a.Kind, a.Entity)
			return strings.HasPrefix(path, pathPrefix)
		})
		return err
	})
	return out, next, err
}

func (s *Service) entityPath(tx store.Tx, account, kind, name string) (string, error) {
	switch kind {
	case KindUser:
		u, err := s.user(tx, account, name)
		if err != nil {
			return "", err
		}
		return u.Path, nil
	case KindGroup:
		g, err := s.group(tx, account, name)
		if err != nil {
			return "", err
		}
		return g.Path, nil
	}
	r, err := s.role(tx, account, name)
	if err != nil {
		return "", err
	}
	return r.Path, nil
}

// renameAttachments rewrites the attachment records of an entity that changes its name.
func (s *Service) renameAttachments(tx store.Tx, account, kind, oldName, newName string) error {
	as, err := scanAll[Attachment](tx, tAttach, key(account, kind, oldName)+"/")
	if err != nil {
		return err
	}
	for _, a := range as {
		if err := tx.Delete(tAttach, attachKey(account, kind, oldName, a.PolicyARN)); err != nil {
			return err
		}
		if err := tx.Delete(tAttachedTo, attachedToKey(a.PolicyARN, kind, account, oldName)); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		a.Entity = newName
		if err := put(tx, tAttach, attachKey(account, kind, newName, a.PolicyARN), a); err != nil {
			return err
		}
		if err := put(tx, tAttachedTo, attachedToKey(a.PolicyARN, kind, account, newName), a); err != nil {
			return err
		}
	}
	return nil
}
