// Package server wires rolegate together and runs it: it opens the data directory (SQLite store,
// key-encryption key, audit log, object data), creates the organization and its management
// account on first start, builds every service and the router, and serves until its context is
// cancelled. It is the only package that imports everything; only cmd/rolegate imports it.
package server

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"rolegate/internal/api/iamapi"
	"rolegate/internal/api/orgapi"
	"rolegate/internal/api/query"
	"rolegate/internal/api/router"
	"rolegate/internal/api/s3api"
	"rolegate/internal/api/stsapi"
	"rolegate/internal/audit"
	"rolegate/internal/authn"
	"rolegate/internal/gate"
	"rolegate/internal/iam"
	"rolegate/internal/idgen"
	"rolegate/internal/oidc"
	"rolegate/internal/org"
	"rolegate/internal/s3"
	"rolegate/internal/secretbox"
	"rolegate/internal/sigv4"
	"rolegate/internal/store/sqlite"
	"rolegate/internal/sts"
	"rolegate/internal/token"
)

// Config is how rolegate serve runs. Zero values take the documented defaults.
type Config struct {
	// Listen is the address of the endpoint (default 127.0.0.1:4566).
	Listen string
	// DataDir holds the database, keys, audit log and objects (default ./rolegate-data).
	DataDir string
	// KEK is the key-encryption key (32 bytes). Nil reads DataDir/kek, creating it on first start.
	KEK []byte
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Rand is the source of randomness (default crypto/rand).
	Rand io.Reader
	// Log receives operational logs (default: text to stderr).
	Log *slog.Logger
}

// Defaults of Config.
const (
	DefaultListen  = "127.0.0.1:4566"
	DefaultDataDir = "rolegate-data"
)

func (c *Config) fill() {
	if c.Listen == "" {
		c.Listen = DefaultListen
	}
	if c.DataDir == "" {
		c.DataDir = DefaultDataDir
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Rand == nil {
		c.Rand = rand.Reader
	}
	if c.Log == nil {
		c.Log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
}

// Server is a running rolegate.
type Server struct {
	cfg     Config
	db      *sqlite.DB
	box     *secretbox.Box
	ids     *idgen.Gen
	iam     *iam.Service
	org     *org.Service
	auditor *audit.Log
	ring    atomic.Pointer[token.KeyRing]
	handler http.Handler
	mgmt    *org.Account
	s3      *s3.Service
	revoked *revocations
	query   map[string]*query.Service
	ec2     *ec2Runtime
}

// New opens the data directory and builds the server; on first start it creates the
// organization and the management account.
func New(ctx context.Context, cfg Config) (*Server, error) {
	cfg.fill()
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, ids: idgen.New(cfg.Rand)}
	var err error
	if s.box, err = openBox(cfg); err != nil {
		return nil, err
	}
	if s.db, err = sqlite.Open(filepath.Join(cfg.DataDir, "rolegate.db")); err != nil {
		return nil, err
	}
	if s.auditor, err = audit.Open(filepath.Join(cfg.DataDir, "audit.log")); err != nil {
		s.db.Close()
		return nil, err
	}
	s.iam = iam.New(iam.Config{Store: s.db, IDs: s.ids, Box: s.box, Now: cfg.Now, CheckPolicy: s.checkIAMPolicy})
	s.org = org.New(s.db, s.ids, cfg.Now)
	if s.s3, err = s3.Open(ctx, s3.Config{Store: s.db, Dir: filepath.Join(cfg.DataDir, "objects"), IDs: s.ids, Now: cfg.Now}); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.start(ctx); err != nil {
		s.Close()
		return nil, err
	}
	s.handler = s.buildRouter()
	return s, nil
}

// start performs first-start bootstrap and loads the session key ring.
func (s *Server) start(ctx context.Context) error {
	if err := s.iam.SeedAWSManagedPolicies(ctx); err != nil {
		return fmt.Errorf("seed AWS managed policies: %w", err)
	}
	mgmt, err := s.bootstrap(ctx)
	if err != nil {
		return fmt.Errorf("bootstrap: %w", err)
	}
	s.mgmt = mgmt
	ring, err := s.loadRing(ctx)
	if err != nil {
		return fmt.Errorf("session key ring: %w", err)
	}
	s.ring.Store(ring)
	if s.revoked, err = loadRevocations(ctx, s.db, s.cfg.Now); err != nil {
		return fmt.Errorf("revocations: %w", err)
	}
	return nil
}

func (s *Server) buildRouter() http.Handler {
	keys := sigv4.NewKeyCache(4096)
	auth := authn.New(authn.Config{Directory: s.iam, Ring: s.ring.Load, Keys: keys, Revoked: s.revoked.has})
	g := gate.New(gate.Config{Directory: s.iam, OrgID: s.orgID, Encode: s.encodeMessage})
	stsSvc := sts.New(sts.Config{Ring: s.ring.Load, Rand: s.cfg.Rand})
	iamAPI := &iamapi.API{IAM: s.iam, Org: s.org}
	stsAPI := &stsapi.API{IAM: s.iam, STS: stsSvc, CheckPolicy: checkSessionPolicy, VerifyMFA: s.verifyMFA,
		Decode: s.decodeMessage, AccessKeyAccount: s.accessKeyAccount,
		WebIdentity: &oidc.Verifier{Providers: s.iam, Dir: filepath.Join(s.cfg.DataDir, "oidc")}}
	orgAPI := &orgapi.API{Org: s.org, IAM: s.iam, Revoke: s.revoke}
	s.query = map[string]*query.Service{
		"iam":      iamAPI.Service(),
		"sts":      stsAPI.Service(),
		"rolegate": orgAPI.Service(),
		"ec2":      s.ec2Service(g, stsSvc),
	}
	return router.New(router.Config{
		Auth: auth, Gate: g, IDs: s.ids, Audit: s.auditor, Now: s.cfg.Now, Log: s.cfg.Log,
		Query:     s.query,
		S3:        &s3api.API{S3: s.s3, Log: s.cfg.Log},
		Restrict:  sessionKindLimits,
		BaseHosts: []string{"localhost", "localhost.localstack.cloud"},
	})
}

// orgID returns the organization's ID.
func (s *Server) orgID() string { return s.org.ID() }

// Handler returns the endpoint's HTTP handler (for tests under httptest).
func (s *Server) Handler() http.Handler { return s.handler }

// Serve answers requests on ln until ctx is cancelled, then shuts down gracefully: it stops
// accepting, lets requests in flight finish (up to 10 s) and returns.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	defer s.startPprof()()
	hs := &http.Server{Handler: s.handler, ReadHeaderTimeout: 30 * time.Second,
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) }}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := hs.Shutdown(sctx)
	if e := <-errc; !errors.Is(e, http.ErrServerClosed) && err == nil {
		err = e
	}
	return err
}

// Close releases the data directory.
func (s *Server) Close() error {
	errs := []error{s.stopEC2()}
	if s.auditor != nil {
		errs = append(errs, s.auditor.Close())
	}
	if s.db != nil {
		errs = append(errs, s.db.Close())
	}
	return errors.Join(errs...)
}

// DataDir returns the data directory.
func (s *Server) DataDir() string { return s.cfg.DataDir }

// QueryServices returns the Query services the endpoint serves, by signing name.
func (s *Server) QueryServices() map[string]*query.Service { return s.query }
