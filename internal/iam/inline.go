package iam

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"rolegate/internal/api/awserr"
	"rolegate/internal/store"
)

// inlineLimit returns the aggregate size limit of an entity kind's inline policies.
func inlineLimit(kind string) int {
	switch kind {
	case KindUser:
		return 2048
	case KindGroup:
		return 5120
	}
	return 10240
}

func inlinePrefix(account, kind, entity string) string { return key(account, kind, entity) + "/" }

// PutInlinePolicy adds or replaces an inline policy of a user, group or role.
func (s *Service) PutInlinePolicy(ctx context.Context, account, kind, entity, name, doc string) error {
	if err := s.check(doc, "identity"); err != nil {
		return err
	}
	return s.update(ctx, account, func(tx store.Tx) error {
		ename, err := s.entityName(tx, account, kind, entity)
		if err != nil {
			return err
		}
		prefix := inlinePrefix(account, kind, ename)
		total := policySize(doc)
		others, err := scanAll[InlinePolicy](tx, tInline, prefix)
		if err != nil {
			return err
		}
		for _, o := range others {
			if o.Name != name {
				total += policySize(o.Document)
			}
		}
		if limit := inlineLimit(kind); total > limit {
			return awserr.New(awserr.LimitExceeded, "Maximum policy size of "+strconv.Itoa(limit)+" bytes exceeded for "+kind+" "+ename)
		}
		return put(tx, tInline, prefix+lower(name), InlinePolicy{Name: name, Document: doc})
	})
}

// InlinePolicy returns one inline policy.
func (s *Service) InlinePolicy(ctx context.Context, account, kind, entity, name string) (string, *InlinePolicy, error) {
	var ename string
	var p *InlinePolicy
	err := s.view(ctx, func(tx store.Tx) error {
		var err error
		if ename, err = s.entityName(tx, account, kind, entity); err != nil {
			return err
		}
		p, err = get[InlinePolicy](tx, tInline, inlinePrefix(account, kind, ename)+lower(name))
		if errors.Is(err, store.ErrNotFound) {
			return notFound("The %s policy with name %s cannot be found.", kind, name)
		}
		return err
	})
	return ename, p, err
}

// DeleteInlinePolicy deletes an inline policy.
func (s *Service) DeleteInlinePolicy(ctx context.Context, account, kind, entity, name string) error {
	return s.update(ctx, account, func(tx store.Tx) error {
		ename, err := s.entityName(tx, account, kind, entity)
		if err != nil {
			return err
		}
		err = tx.Delete(tInline, inlinePrefix(account, kind, ename)+lower(name))
		if errors.Is(err, store.ErrNotFound) {
			return notFound("The %s policy with name %s cannot be found.", kind, name)
		}
		return err
	})
}

// InlinePolicyNames lists the names of an entity's inline policies.
func (s *Service) InlinePolicyNames(ctx context.Context, account, kind, entity string, p Page) ([]string, string, error) {
	var names []string
	var next string
	err := s.view(ctx, func(tx store.Tx) error {
		ename, err := s.entityName(tx, account, kind, entity)
		if err != nil {
			return err
		}
		ps, n, err := scanPage[InlinePolicy](tx, tInline, inlinePrefix(account, kind, ename), p, nil)
		for _, ip := range ps {
			names = append(names, ip.Name)
		}
		next = n
		return err
	})
	return names, next, err
}

// inlinePolicies returns every inline policy of an entity.
func inlinePolicies(tx store.Tx, account, kind, name string) ([]*InlinePolicy, error) {
	return scanAll[InlinePolicy](tx, tInline, inlinePrefix(account, kind, name))
}

func lower(s string) string { return strings.ToLower(s) }
