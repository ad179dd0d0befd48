package iam

import (
	"context"
	"errors"
	"strings"
	"time"

	"rolegate/internal/api/awserr"
	"rolegate/internal/idgen"
	"rolegate/internal/store"
)

// Role limits.
const (
	DefaultMaxSessionDuration = 3600
	maxTrustPolicySize        = 2048
)

// RoleInput holds the parameters of CreateRole.
type RoleInput struct {
	Name, Path, TrustPolicy, Description, Boundary string
	MaxSessionDuration                             int
	Tags                                           []Tag
}

// CreateRole creates a role.
func (s *Service) CreateRole(ctx context.Context, account string, in RoleInput) (*Role, error) {
	if err := s.checkTrust(in.TrustPolicy); err != nil {
		return nil, err
	}
	r := &Role{Account: account, Name: in.Name, Path: orRoot(in.Path), ID: s.cfg.IDs.Unique(idgen.Role),
		Created: s.now(), TrustPolicy: in.TrustPolicy, Description: in.Description,
		MaxSessionDuration: in.MaxSessionDuration, Boundary: in.Boundary, Tags: in.Tags}
	if r.MaxSessionDuration == 0 {
		r.MaxSessionDuration = DefaultMaxSessionDuration
	}
	err := s.update(ctx, account, func(tx store.Tx) error {
		if in.Boundary != "" {
			if err := s.useBoundary(tx, in.Boundary, 1); err != nil {
				return err
			}
		}
		return s.insertNew(tx, tRole, account, in.Name, "RolesPerAccount", 1000, r,
			awserr.Newf(awserr.EntityAlreadyExists, "Role with name %s already exists.", in.Name))
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

func (s *Service) checkTrust(doc string) error {
	if policySize(doc) > maxTrustPolicySize {
		return limitExceeded("ACLSizePerRole", maxTrustPolicySize)
	}
	return s.check(doc, "trust")
}

// Role returns a role by name.
func (s *Service) Role(ctx context.Context, account, name string) (*Role, error) {
	return cachedRead(ctx, s, tRole, account, name, (*Service).role)
}

func (s *Service) role(tx store.Tx, account, name string) (*Role, error) {
	r, err := get[Role](tx, tRole, key(account, name))
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("The role with name %s cannot be found.", name)
	}
	return r, err
}

// RoleByARN returns a role by ARN; the path in the ARN must match.
func (s *Service) RoleByARN(ctx context.Context, arn string) (*Role, error) {
	account, name, ok := ParseRoleARN(arn)
	if !ok {
		return nil, awserr.Newf(awserr.ValidationError, "%s is invalid", arn)
	}
	r, err := s.Role(ctx, account, name)
	if err != nil {
		return nil, err
	}
	if !r.HasARN(arn) {
		return nil, notFound("The role with name %s cannot be found.", name)
	}
	return r, nil
}

// HasARN reports whether arn is the role's ARN, without building it.
func (r *Role) HasARN(arn string) bool {
	const pre = "arn:aws:iam::"
	rest, ok := strings.CutPrefix(arn, pre)
	if !ok {
		return false
	}
	rest, ok = strings.CutPrefix(rest, r.Account)
	if !ok {
		return false
	}
	rest, ok = strings.CutPrefix(rest, ":role")
	if !ok {
		return false
	}
	rest, ok = strings.CutPrefix(rest, r.Path)
	return ok && rest == r.Name
}

// ParseRoleARN splits arn:aws:iam::ACCOUNT:role/PATH/NAME into account and name.
func ParseRoleARN(arn string) (account, name string, ok bool) {
	const pre = "arn:aws:iam::"
	if !strings.HasPrefix(arn, pre) {
		return "", "", false
	}
	rest := arn[len(pre):]
	colon := strings.IndexByte(rest, ':')
	if colon != 12 || !strings.HasPrefix(rest[colon+1:], "role/") {
		return "", "", false
	}
	res := rest[colon+1:]
	name = res[strings.LastIndexByte(res, '/')+1:]
	return rest[:colon], name, name != ""
}

// ListRoles lists roles whose path starts with pathPrefix.
func (s *Service) ListRoles(ctx context.Context, account, pathPrefix string, p Page) ([]*Role, string, error) {
	var out []*Role
	var next string
	err := s.view(ctx, func(tx store.Tx) error {
		var err error
		out, next, err = scanPage(tx, tRole, account+"/", p, func(r *Role) bool {
			return strings.HasPrefix(r.Path, orRoot(pathPrefix))
		})
		return err
	})
	return out, next, err
}

// modifyRole loads a role, applies fn and stores it.
func (s *Service) modifyRole(ctx context.Context, account, name string, fn func(tx store.Tx, r *Role) error) error {
	return s.update(ctx, account, func(tx store.Tx) error {
		r, err := s.role(tx, account, name)
		if err != nil {
			return err
		}
		if err := fn(tx, r); err != nil {
			return err
		}
		return put(tx, tRole, key(account, name), r)
	})
}

// UpdateRole changes a role's description (when description is non-nil) and maximum session
// duration (when maxSession > 0).
func (s *Service) UpdateRole(ctx context.Context, account, name string, description *string, maxSession int) (*Role, error) {
	var out *Role
	err := s.modifyRole(ctx, account, name, func(_ store.Tx, r *Role) error {
		if description != nil {
			r.Description = *description
		}
		if maxSession > 0 {
			r.MaxSessionDuration = maxSession
		}
		out = r
		return nil
	})
	return out, err
}

// UpdateAssumeRolePolicy replaces a role's trust policy.
func (s *Service) UpdateAssumeRolePolicy(ctx context.Context, account, name, doc string) error {
	if err := s.checkTrust(doc); err != nil {
		return err
	}
	return s.modifyRole(ctx, account, name, func(_ store.Tx, r *Role) error {
		r.TrustPolicy = doc
		return nil
	})
}

// SetRoleBoundary sets (arn != "") or removes (arn == "") a role's permissions boundary.
func (s *Service) SetRoleBoundary(ctx context.Context, account, name, arn string) error {
	return s.modifyRole(ctx, account, name, func(tx store.Tx, r *Role) error {
		if err := s.swapBoundary(tx, r.Boundary, arn); err != nil {
			return err
		}
		r.Boundary = arn
		return nil
	})
}

// TagRole adds or replaces tags on a role.
func (s *Service) TagRole(ctx context.Context, account, name string, tags []Tag) error {
	return s.modifyRole(ctx, account, name, func(_ store.Tx, r *Role) error {
		var err error
		r.Tags, err = mergeTags(r.Tags, tags)
		return err
	})
}

// UntagRole removes tags from a role.
func (s *Service) UntagRole(ctx context.Context, account, name string, keys []string) error {
	return s.modifyRole(ctx, account, name, func(_ store.Tx, r *Role) error {
		r.Tags = removeTags(r.Tags, keys)
		return nil
	})
}

// DeleteRole deletes a role that is in no instance profile and has no policies.
func (s *Service) DeleteRole(ctx context.Context, account, name string) error {
	return s.update(ctx, account, func(tx store.Tx) error {
		r, err := s.role(tx, account, name)
		if err != nil {
			return err
		}
		if err := refuseDependents(tx, []dependent{
			{tRoleProfiles, key(account, r.Name) + "/", "Cannot delete entity, must remove roles from instance profile first."},
			{tInline, inlinePrefix(account, KindRole, r.Name), "Cannot delete entity, must delete policies first."},
			{tAttach, key(account, KindRole, r.Name) + "/", "Cannot delete entity, must detach all policies first."},
		}); err != nil {
			return err
		}
		if r.Boundary != "" {
			if err := s.useBoundary(tx, r.Boundary, -1); err != nil && !IsNoSuchEntity(err) {
				return err
			}
		}
		return tx.Delete(tRole, key(account, r.Name))
	})
}

// NoteRoleUse records, at most once a minute per role and off the request path, that a role was
// assumed (GetRole's RoleLastUsed).
func (s *Service) NoteRoleUse(r *Role, region string, at time.Time) {
	k := r.ID // unique, and already a string: this runs on every AssumeRole
	if last, ok := s.roleUse.Load(k); ok && at.Sub(last.(time.Time)) < time.Minute {
		return
	}
	s.roleUse.Store(k, at)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = s.cfg.Store.Update(ctx, func(tx store.Tx) error {
			cur, err := s.role(tx, r.Account, r.Name)
			if err != nil || cur.ID != r.ID {
				return err
			}
			cur.LastUsed, cur.LastUsedRegion = at.UTC().Truncate(time.Second), region
			return put(tx, tRole, key(r.Account, r.Name), cur)
		})
		s.reads.drop(tRole, r.Account, r.Name)
	}()
}
