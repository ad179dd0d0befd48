package iam

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"rolegate/internal/api/awserr"
	"rolegate/internal/idgen"
	"rolegate/internal/store"
)

// Quotas of managed policies.
const (
	maxPolicyVersions = 5
	maxManagedSize    = 6144
)

// AWSAccount is the pseudo-account that owns AWS managed policies.
const AWSAccount = "aws"

// ParsePolicyARN splits arn:aws:iam::ACCOUNT:policy/PATH/NAME.
func ParsePolicyARN(arn string) (account, path, name string, ok bool) {
	const pre = "arn:aws:iam::"
	if !strings.HasPrefix(arn, pre) {
		return "", "", "", false
	}
	rest := arn[len(pre):]
	colon := strings.IndexByte(rest, ':')
	if colon < 0 || !strings.HasPrefix(rest[colon+1:], "policy/") {
		return "", "", "", false
	}
	account = rest[:colon]
	res := rest[colon+1+len("policy"):] // /path/name
	slash := strings.LastIndexByte(res, '/')
	path, name = res[:slash+1], res[slash+1:]
	if account == "" || name == "" {
		return "", "", "", false
	}
	return account, path, name, true
}

// policySize is IAM's size measure of a document: its characters other than white space.
func policySize(doc string) int {
	n := 0
	for _, r := range doc {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

func (s *Service) check(doc, kind string) error {
	if s.cfg.CheckPolicy == nil {
		return nil
	}
	return s.cfg.CheckPolicy(doc, kind)
}

// CreatePolicy creates a customer managed policy with version v1 as default.
func (s *Service) CreatePolicy(ctx context.Context, account, name, path, description, doc string, tags []Tag) (*ManagedPolicy, error) {
	if policySize(doc) > maxManagedSize {
		return nil, limitExceeded("PolicySize", maxManagedSize)
	}
	if err := s.check(doc, "managed"); err != nil {
		return nil, err
	}
	now := s.now()
	p := &ManagedPolicy{Account: account, Name: name, Path: orRoot(path), ID: s.cfg.IDs.Unique(idgen.Policy),
		Description: description, Created: now, Updated: now, DefaultVersion: "v1", NextVersion: 2,
		Versions: []PolicyVersion{{ID: "v1", Document: doc, Created: now}}, Tags: tags}
	err := s.update(ctx, account, func(tx store.Tx) error {
		return s.insertNew(tx, tPolicy, account, name, "PoliciesPerAccount", 1500, p,
			awserr.Newf(awserr.EntityAlreadyExists, "A policy called %s already exists. Duplicate names are not allowed.", name))
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// Policy returns a managed policy by ARN.
func (s *Service) Policy(ctx context.Context, arn string) (*ManagedPolicy, error) {
	var p *ManagedPolicy
	err := s.view(ctx, func(tx store.Tx) error {
		var err error
		p, err = s.policy(tx, arn)
		return err
	})
	return p, err
}

func (s *Service) policy(tx store.Tx, arn string) (*ManagedPolicy, error) {
	account, path, name, ok := ParsePolicyARN(arn)
	if !ok {
		return nil, awserr.Newf(awserr.InvalidInput, "ARN %s is not valid.", arn)
	}
	p, err := get[ManagedPolicy](tx, tPolicy, key(account, name))
	if errors.Is(err, store.ErrNotFound) || err == nil && (p.Path != path || p.Name != name) {
		return nil, notFound("Policy %s does not exist or is not attachable.", arn)
	}
	return p, err
}

func (s *Service) putPolicy(tx store.Tx, p *ManagedPolicy) error {
	return put(tx, tPolicy, key(p.Account, p.Name), p)
}

// PolicyScope filters ListPolicies: All, AWS or Local.
type PolicyScope string

// ListPolicies lists managed policies of account (Local), AWS managed policies (AWS), or both.
func (s *Service) ListPolicies(ctx context.Context, account string, scope PolicyScope, onlyAttached bool, pathPrefix string, p Page) ([]*ManagedPolicy, string, error) {
	keep := func(mp *ManagedPolicy) bool {
		return strings.HasPrefix(mp.Path, orRoot(pathPrefix)) && (!onlyAttached || mp.Attachments > 0)
	}
	var out []*ManagedPolicy
	var next string
	err := s.view(ctx, func(tx store.Tx) error {
		var err error
		switch scope {
		case "AWS":
			out, next, err = scanPage(tx, tPolicy, AWSAccount+"/", p, keep)
		case "Local":
			out, next, err = scanPage(tx, tPolicy, account+"/", p, keep)
		default:
			// AWS managed policies sort after 12-digit accounts; list local ones first, then AWS's,
			// with a marker that stays within one key space at a time.
			out, next, err = s.listAllPolicies(tx, account, p, keep)
		}
		return err
	})
	return out, next, err
}

func (s *Service) listAllPolicies(tx store.Tx, account string, p Page, keep func(*ManagedPolicy) bool) ([]*ManagedPolicy, string, error) {
	after, err := p.after()
	if err != nil {
		return nil, "", err
	}
	var out []*ManagedPolicy
	if after == "" || strings.HasPrefix(after, account+"/") {
		local, next, err := scanPage(tx, tPolicy, account+"/", p, keep)
		if err != nil || next != "" {
			return local, next, err
		}
		out = local
		p = Page{MaxItems: p.limit() - len(local)}
		if p.MaxItems == 0 {
			n, err := tx.Count(tPolicy, AWSAccount+"/")
			if err != nil || n == 0 {
				return out, "", err
			}
			return out, marker(AWSAccount + "/"), nil
		}
	}
	aws, next, err := scanPage(tx, tPolicy, AWSAccount+"/", p, keep)
	return append(out, aws...), next, err
}

// DeletePolicy deletes a managed policy that is not attached and has only its default version.
func (s *Service) DeletePolicy(ctx context.Context, account, arn string) error {
	return s.update(ctx, account, func(tx store.Tx) error {
		p, err := s.ownPolicy(tx, account, arn)
		if err != nil {
			return err
		}
		if p.Attachments > 0 || p.BoundaryUses > 0 {
			return conflict("Cannot delete a policy attached to entities.")
		}
		if len(p.Versions) > 1 {
			return conflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.")
		}
		return tx.Delete(tPolicy, key(p.Account, p.Name))
	})
}

// ownPolicy loads a policy that account may change (not an AWS managed one).
func (s *Service) ownPolicy(tx store.Tx, account, arn string) (*ManagedPolicy, error) {
	p, err := s.policy(tx, arn)
	if err != nil {
		return nil, err
	}
	if p.Account != account {
		return nil, notFound("Policy %s does not exist or is not attachable.", arn)
	}
	return p, nil
}

// CreatePolicyVersion adds a version, optionally making it the default.
func (s *Service) CreatePolicyVersion(ctx context.Context, account, arn, doc string, setDefault bool) (*PolicyVersion, error) {
	if policySize(doc) > maxManagedSize {
		return nil, limitExceeded("PolicySize", maxManagedSize)
	}
	if err := s.check(doc, "managed"); err != nil {
		return nil, err
	}
	var v PolicyVersion
	err := s.update(ctx, account, func(tx store.Tx) error {
		p, err := s.ownPolicy(tx, account, arn)
		if err != nil {
			return err
		}
		if len(p.Versions) >= maxPolicyVersions {
			return awserr.New(awserr.LimitExceeded, "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.")
		}
		v = PolicyVersion{ID: "v" + strconv.Itoa(p.NextVersion), Document: doc, Created: s.now()}
		p.NextVersion++
		p.Versions = append(p.Versions, v)
		if setDefault {
			p.DefaultVersion = v.ID
		}
		p.Updated = v.Created
		return s.putPolicy(tx, p)
	})
	return &v, err
}

// PolicyVersion returns one version of a policy.
func (s *Service) PolicyVersion(ctx context.Context, arn, versionID string) (*ManagedPolicy, *PolicyVersion, error) {
	p, err := s.Policy(ctx, arn)
	if err != nil {
		return nil, nil, err
	}
	for i := range p.Versions {
		if p.Versions[i].ID == versionID {
			return p, &p.Versions[i], nil
		}
	}
	return nil, nil, notFound("Policy %s version %s does not exist or is not attachable.", arn, versionID)
}

// DeletePolicyVersion deletes a version other than the default.
func (s *Service) DeletePolicyVersion(ctx context.Context, account, arn, versionID string) error {
	return s.update(ctx, account, func(tx store.Tx) error {
		p, err := s.ownPolicy(tx, account, arn)
		if err != nil {
			return err
		}
		if p.DefaultVersion == versionID {
			return conflict("Cannot delete the default version of a policy.")
		}
		for i := range p.Versions {
			if p.Versions[i].ID == versionID {
				p.Versions = append(p.Versions[:i], p.Versions[i+1:]...)
				return s.putPolicy(tx, p)
			}
		}
		return notFound("Policy %s version %s does not exist or is not attachable.", arn, versionID)
	})
}

// SetDefaultPolicyVersion makes a version the default.
func (s *Service) SetDefaultPolicyVersion(ctx context.Context, account, arn, versionID string) error {
	return s.update(ctx, account, func(tx store.Tx) error {
		p, err := s.ownPolicy(tx, account, arn)
		if err != nil {
			return err
		}
		for i := range p.Versions {
			if p.Versions[i].ID == versionID {
				p.DefaultVersion = versionID
				p.Updated = s.now()
				return s.putPolicy(tx, p)
			}
		}
		return notFound("Policy %s version %s does not exist or is not attachable.", arn, versionID)
	})
}

// SortedVersions returns the versions newest first, as ListPolicyVersions returns them.
func SortedVersions(p *ManagedPolicy) []PolicyVersion {
	vs := append([]PolicyVersion(nil), p.Versions...)
	sort.Slice(vs, func(i, j int) bool { return versionNumber(vs[i].ID) > versionNumber(vs[j].ID) })
	return vs
}

func versionNumber(id string) int {
	n, _ := strconv.Atoi(strings.TrimPrefix(id, "v"))
	return n
}

// TagPolicy adds or replaces tags on a managed policy.
func (s *Service) TagPolicy(ctx context.Context, account, arn string, tags []Tag) error {
	return s.update(ctx, account, func(tx store.Tx) error {
		p, err := s.ownPolicy(tx, account, arn)
		if err != nil {
			return err
		}
		if p.Tags, err = mergeTags(p.Tags, tags); err != nil {
			return err
		}
		return s.putPolicy(tx, p)
	})
}

// UntagPolicy removes tags from a managed policy.
func (s *Service) UntagPolicy(ctx context.Context, account, arn string, keys []string) error {
	return s.update(ctx, account, func(tx store.Tx) error {
		p, err := s.ownPolicy(tx, account, arn)
		if err != nil {
			return err
		}
		p.Tags = removeTags(p.Tags, keys)
		return s.putPolicy(tx, p)
	})
}

// useBoundary counts one more (delta 1) or one less (delta -1) use of a policy as a permissions
// boundary; the policy must exist.
func (s *Service) useBoundary(tx store.Tx, arn string, delta int) error {
	p, err := s.policy(tx, arn)
	if err != nil {
		return err
	}
	if p.Account == AWSAccount {
		return nil // AWS managed policies are not counted per account
	}
	p.BoundaryUses += delta
	if p.BoundaryUses < 0 {
		p.BoundaryUses = 0
	}
	return s.putPolicy(tx, p)
}

// swapBoundary moves the boundary use count from old to new (either may be "").
func (s *Service) swapBoundary(tx store.Tx, old, new string) error {
	if old == new {
		return nil
	}
	if new != "" {
		if err := s.useBoundary(tx, new, 1); err != nil {
			return err
		}
	}
	if old != "" {
		if err := s.useBoundary(tx, old, -1); err != nil && !IsNoSuchEntity(err) {
			return err
		}
	}
	return nil
}
