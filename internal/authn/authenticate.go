package authn

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"rolegate/internal/iam"
	"rolegate/internal/sigv4"
	"rolegate/internal/token"
)

// Failures of authentication other than those of package sigv4 (which Authenticate returns as
// they are). Each protocol renders them in its own words.
var (
	// ErrUnknownKey: the access key does not exist or is inactive.
	ErrUnknownKey = errors.New("authn: unknown access key")
	// ErrBadToken: a temporary key without a session token, or a token that does not open.
	ErrBadToken = errors.New("authn: invalid session token")
	// ErrExpiredToken: the temporary credentials have expired.
	ErrExpiredToken = errors.New("authn: expired session token")
)

// Directory is where long-term keys and their users are found.
type Directory interface {
	AccessKey(ctx context.Context, id string) (*iam.AccessKey, string, error)
	User(ctx context.Context, account, name string) (*iam.User, error)
	Generation(account string) uint64
	RecordKeyUse(ctx context.Context, id, service, region string, at time.Time) error
}

// Config holds the authenticator's dependencies.
type Config struct {
	Directory Directory
	// Ring returns the current session-token key ring.
	Ring func() *token.KeyRing
	// Revoked reports whether a temporary access key was revoked explicitly.
	Revoked func(accessKeyID string) bool
	Keys    *sigv4.KeyCache
}

// Authenticator verifies signed requests. It is safe for concurrent use.
type Authenticator struct {
	cfg  Config
	keys sync.Map // access key id -> *longTerm
}

// longTerm is a cached long-term key with its principal, valid while its account's IAM
// generation is unchanged.
type longTerm struct {
	gen      uint64
	identity Identity
	secret   string
	lastUse  atomic.Int64 // unix seconds of the last recorded use
}

// New returns an authenticator.
func New(cfg Config) *Authenticator { return &Authenticator{cfg: cfg} }

// Authenticate verifies the signature of r described by auth and returns who signed it, with the
// signing key (needed to verify aws-chunked bodies). Errors wrap the sentinels of this package or
// of package sigv4.
func (a *Authenticator) Authenticate(ctx context.Context, r *sigv4.Request, auth *sigv4.Auth, now time.Time) (*Identity, sigv4.Key, error) {
	id, secret, err := a.principal(ctx, auth, now)
	if err != nil {
		return nil, sigv4.Key{}, err
	}
	key := a.cfg.Keys.Key(secret, auth.AccessKeyID, auth.Date, auth.Region, auth.Service)
	if err := sigv4.Verify(r, auth, key, now); err != nil {
		return nil, sigv4.Key{}, err
	}
	return id, key, nil
}

// principal resolves the access key of auth to an identity and its secret.
func (a *Authenticator) principal(ctx context.Context, auth *sigv4.Auth, now time.Time) (*Identity, string, error) {
	if strings.HasPrefix(auth.AccessKeyID, "ASIA") {
		return a.session(auth, now)
	}
	lt, err := a.longTerm(ctx, auth.AccessKeyID)
	if err != nil {
		return nil, "", err
	}
	if auth.SecurityToken != "" {
		// A long-term key never carries a token; AWS rejects the pair.
		return nil, "", ErrBadToken
	}
	a.noteUse(lt, auth, now)
	id := lt.identity
	return &id, lt.secret, nil
}

func (a *Authenticator) session(auth *sigv4.Auth, now time.Time) (*Identity, string, error) {
	if auth.SecurityToken == "" {
		return nil, "", ErrBadToken
	}
	s, secret, err := a.cfg.Ring().Open(auth.AccessKeyID, auth.SecurityToken, now)
	switch {
	case errors.Is(err, token.ErrExpired):
		return nil, "", ErrExpiredToken
	case err != nil:
		return nil, "", ErrBadToken
	}
	if a.cfg.Revoked != nil && a.cfg.Revoked(auth.AccessKeyID) {
		return nil, "", ErrBadToken
	}
	return SessionIdentity(&s, auth.AccessKeyID), secret, nil
}

// SessionIdentity returns the identity of temporary credentials.
func SessionIdentity(s *token.Session, accessKeyID string) *Identity {
	id := &Identity{Account: s.Account, ARN: s.ARN, UserID: s.PrincipalID(), AccessKeyID: accessKeyID, Session: s}
	switch s.Kind {
	case token.KindAssumedRole:
		id.Kind = AssumedRole
		id.RoleARN, id.RoleID = s.RoleARN, s.RoleID
		id.RoleName = s.RoleARN[strings.LastIndexByte(s.RoleARN, '/')+1:]
	case token.KindFederatedUser:
		id.Kind = FederatedUser
	default: // GetSessionToken: the caller's own identity
		if strings.HasSuffix(s.UserARN, ":root") {
			id.Kind = Root
		} else {
			id.Kind = User
			id.UserName = s.UserARN[strings.LastIndexByte(s.UserARN, '/')+1:]
		}
	}
	return id
}

func (a *Authenticator) longTerm(ctx context.Context, keyID string) (*longTerm, error) {
	if v, ok := a.keys.Load(keyID); ok {
		lt := v.(*longTerm)
		if lt.gen == a.cfg.Directory.Generation(lt.identity.Account) {
			return lt, nil
		}
		a.keys.Delete(keyID)
	}
	k, secret, err := a.cfg.Directory.AccessKey(ctx, keyID)
	if iam.IsNoSuchEntity(err) {
		return nil, ErrUnknownKey
	}
	if err != nil {
		return nil, err
	}
	gen := a.cfg.Directory.Generation(k.Account)
	if k.Status != iam.StatusActive {
		return nil, ErrUnknownKey
	}
	lt := &longTerm{gen: gen, secret: secret}
	lt.identity = Identity{Account: k.Account, AccessKeyID: k.ID}
	if k.UserName == "" {
		lt.identity.Kind, lt.identity.ARN, lt.identity.UserID = Root, "arn:aws:iam::"+k.Account+":root", k.Account
	} else {
		u, err := a.cfg.Directory.User(ctx, k.Account, k.UserName)
		if iam.IsNoSuchEntity(err) {
			return nil, ErrUnknownKey
		}
		if err != nil {
			return nil, err
		}
		lt.identity.Kind, lt.identity.ARN, lt.identity.UserID, lt.identity.UserName = User, u.ARN(), u.ID, u.Name
	}
	lt.lastUse.Store(k.LastUsed.Unix())
	a.keys.Store(keyID, lt)
	return lt, nil
}

// noteUse records, at most once a minute per key and off the request path, that a key was used.
func (a *Authenticator) noteUse(lt *longTerm, auth *sigv4.Auth, now time.Time) {
	last := lt.lastUse.Load()
	if now.Unix()-last < 60 || !lt.lastUse.CompareAndSwap(last, now.Unix()) {
		return
	}
	id, service, region := lt.identity.AccessKeyID, auth.Service, auth.Region
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = a.cfg.Directory.RecordKeyUse(ctx, id, service, region, now)
	}()
}
