package iam

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"rolegate/internal/api/awserr"
	"rolegate/internal/idgen"
	"rolegate/internal/secretbox"
	"rolegate/internal/store"
)

// Tables of the IAM service.
const (
	tUser         store.Table = "iam.user"
	tGroup        store.Table = "iam.group"
	tMember       store.Table = "iam.member"     // acct/group/user
	tUserGroups   store.Table = "iam.usergroup"  // acct/user/group
	tRole         store.Table = "iam.role"       // acct/role
	tPolicy       store.Table = "iam.policy"     // acct/name
	tInline       store.Table = "iam.inline"     // acct/kind/entity/name
	tAttach       store.Table = "iam.attach"     // acct/kind/entity/policyARN
	tAttachedTo   store.Table = "iam.attachedto" // policyARN/kind/acct/entity
	tKey          store.Table = "iam.key"        // access key id
	tUserKeys     store.Table = "iam.userkey"    // acct/user/keyid ("" user = root)
	tLogin        store.Table = "iam.login"      // acct/user
	tProfile      store.Table = "iam.profile"    // acct/profile
	tRoleProfiles store.Table = "iam.roleprof"   // acct/role/profile
	tOIDC         store.Table = "iam.oidc"       // acct/url
	tMFA          store.Table = "iam.mfa"        // acct/name
	tUserMFA      store.Table = "iam.usermfa"    // acct/user/serial
)

// Entity kinds in attachment and inline-policy keys.
const (
	KindUser  = "user"
	KindGroup = "group"
	KindRole  = "role"
)

// Config holds the service's dependencies.
type Config struct {
	Store store.Store
	IDs   *idgen.Gen
	Box   *secretbox.Box
	Now   func() time.Time
	// CheckPolicy validates a new policy document of the given kind ("identity", "trust",
	// "boundary") and returns an *awserr.Error (MalformedPolicyDocument) when it is not valid.
	CheckPolicy func(doc, kind string) error
}

// Service is the IAM domain. It is safe for concurrent use.
type Service struct {
	cfg     Config
	gens    sync.Map // account -> *atomic.Uint64
	roleUse sync.Map // role ID -> time.Time of the last recorded use
	reads   readCache
}

// New returns the IAM service.
func New(cfg Config) *Service { return &Service{cfg: cfg} }

// Generation returns a counter that grows every time an IAM write commits in account. Caches of
// anything derived from an account's IAM state compare it to know when to reload.
func (s *Service) Generation(account string) uint64 { return s.gen(account).Load() }

func (s *Service) gen(account string) *atomic.Uint64 {
	if g, ok := s.gens.Load(account); ok {
		return g.(*atomic.Uint64)
	}
	g, _ := s.gens.LoadOrStore(account, new(atomic.Uint64))
	return g.(*atomic.Uint64)
}

// update runs fn in a write transaction and bumps account's generation when it commits.
func (s *Service) update(ctx context.Context, account string, fn func(store.Tx) error) error {
	err := s.cfg.Store.Update(ctx, fn)
	if err == nil {
		s.gen(account).Add(1)
	}
	return err
}

func (s *Service) view(ctx context.Context, fn func(store.Tx) error) error {
	return s.cfg.Store.View(ctx, fn)
}

func (s *Service) now() time.Time { return s.cfg.Now().UTC().Truncate(time.Second) }

// key builds a record key from an account and names; names are compared case-insensitively.
func key(account string, parts ...string) string {
	var b strings.Builder
	b.WriteString(account)
	for _, p := range parts {
		b.WriteByte('/')
		b.WriteString(strings.ToLower(p))
	}
	return b.String()
}

func get[T any](tx store.Tx, t store.Table, k string) (*T, error) {
	raw, err := tx.Get(t, k)
	if err != nil {
		return nil, err
	}
	v := new(T)
	if err := json.Unmarshal(raw, v); err != nil {
		return nil, err
	}
	return v, nil
}

func put(tx store.Tx, t store.Table, k string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return tx.Put(t, k, raw)
}

func insert(tx store.Tx, t store.Table, k string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return tx.Insert(t, k, raw)
}

// exists reports whether k is present in t.
func exists(tx store.Tx, t store.Table, k string) (bool, error) {
	_, err := tx.Get(t, k)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// Page is a request for one page of a list.
type Page struct {
	Marker   string
	MaxItems int
}

// limit returns the page size: IAM's default 100 when MaxItems is unset.
func (p Page) limit() int {
	if p.MaxItems <= 0 {
		return 100
	}
	return p.MaxItems
}

// after decodes the marker into the last key returned by the previous page.
func (p Page) after() (string, error) {
	if p.Marker == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(p.Marker)
	if err != nil {
		return "", awserr.New(awserr.InvalidInput, "Invalid Marker.")
	}
	return string(b), nil
}

func marker(lastKey string) string { return base64.RawURLEncoding.EncodeToString([]byte(lastKey)) }

// scanRefs pages through the reference records of t under prefix (a member, group, key or
// profile name each) and loads the entity each one names.
func scanRefs[R, T any](tx store.Tx, t store.Table, prefix string, p Page, load func(*R) (T, error)) ([]T, string, error) {
	refs, next, err := scanPage[R](tx, t, prefix, p, nil)
	if err != nil {
		return nil, "", err
	}
	out := make([]T, 0, len(refs))
	for _, r := range refs {
		v, err := load(r)
		if err != nil {
			return nil, "", err
		}
		out = append(out, v)
	}
	return out, next, nil
}

// scanPage lists records of t under prefix for one page, keeping those keep accepts (nil keeps
// all). It returns the next marker when more records follow.
func scanPage[T any](tx store.Tx, t store.Table, prefix string, p Page, keep func(*T) bool) ([]*T, string, error) {
	after, err := p.after()
	if err != nil {
		return nil, "", err
	}
	if after != "" && !strings.HasPrefix(after, prefix) {
		return nil, "", awserr.New(awserr.InvalidInput, "Invalid Marker.")
	}
	var out []*T
	var next, last string
	n := p.limit()
	errFull := errors.New("full")
	err = tx.Scan(t, prefix, after, 0, func(k string, raw []byte) error {
		if len(out) == n {
			next = marker(last)
			return errFull
		}
		v := new(T)
		if err := json.Unmarshal(raw, v); err != nil {
			return err
		}
		last = k
		if keep == nil || keep(v) {
			out = append(out, v)
		}
		return nil
	})
	if err != nil && !errors.Is(err, errFull) {
		return nil, "", err
	}
	return out, next, nil
}

// scanAll returns every record of t under prefix.
func scanAll[T any](tx store.Tx, t store.Table, prefix string) ([]*T, error) {
	var out []*T
	err := tx.Scan(t, prefix, "", 0, func(_ string, raw []byte) error {
		v := new(T)
		if err := json.Unmarshal(raw, v); err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	return out, err
}

// keysUnder returns the last path element of every key of t under prefix.
func keysUnder(tx store.Tx, t store.Table, prefix string) ([]string, error) {
	var out []string
	err := tx.Scan(t, prefix, "", 0, func(k string, _ []byte) error {
		out = append(out, k[len(prefix):])
		return nil
	})
	return out, err
}

func notFound(format string, args ...any) error {
	return awserr.Newf(awserr.NoSuchEntity, format, args...)
}

func conflict(msg string) error { return awserr.New(awserr.DeleteConflict, msg) }

func limitExceeded(quota string, n int) error {
	return awserr.Newf(awserr.LimitExceeded, "Cannot exceed quota for %s: %d", quota, n)
}
