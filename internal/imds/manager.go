package imds

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"rolegate/internal/audit"
	"rolegate/internal/ec2"
	"rolegate/internal/gate"
	"rolegate/internal/idgen"
	"rolegate/internal/sts"
)

// Config holds the manager's dependencies.
type Config struct {
	// Profiles finds instance profiles and their roles (the IAM service).
	Profiles ec2.Profiles
	// Gate judges roles' trust policies.
	Gate *gate.Gate
	// STS issues the role sessions.
	STS *sts.Service
	Now func() time.Time
	// Rand draws token keys and nonces.
	Rand io.Reader
	Log  *slog.Logger
	// Audit receives an event for every role session EC2 obtains or is refused for an instance,
	// as CloudTrail records EC2's AssumeRole; nil records nothing. IDs names those events.
	Audit *audit.Log
	IDs   *idgen.Gen
	// Host is the address endpoints listen on (default 127.0.0.1).
	Host string
}

// Manager runs one metadata endpoint per running instance, each on its own loopback port. It
// implements ec2.Metadata. Its methods are safe for concurrent use.
type Manager struct {
	cfg       Config
	mu        sync.Mutex
	endpoints map[string]*endpoint
	closed    bool
}

// New returns a manager with no endpoints.
func New(cfg Config) *Manager {
	if cfg.Host == "" {
		cfg.Host = "127.0.0.1"
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Manager{cfg: cfg, endpoints: map[string]*endpoint{}}
}

// errClosed reports an Open after Shutdown.
var errClosed = errors.New("imds: manager is shut down")

// Open starts inst's endpoint, on inst.MetadataPort when that port is free, else on any free
// port, and returns the port. Opening an open endpoint updates it.
func (m *Manager) Open(inst *ec2.Instance) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return 0, errClosed
	}
	if e := m.endpoints[inst.ID]; e != nil {
		e.set(inst)
		return e.port, nil
	}
	var ln net.Listener
	var err error
	if inst.MetadataPort != 0 {
		ln, err = net.Listen("tcp", net.JoinHostPort(m.cfg.Host, strconv.Itoa(inst.MetadataPort)))
	}
	if ln == nil {
		if ln, err = net.Listen("tcp", net.JoinHostPort(m.cfg.Host, "0")); err != nil {
			return 0, err
		}
	}
	key, err := newTokenKey(m.cfg.Rand)
	if err != nil {
		ln.Close()
		return 0, err
	}
	e := &endpoint{m: m, key: key, port: ln.Addr().(*net.TCPAddr).Port}
	e.set(inst)
	e.srv = &http.Server{Handler: e, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: time.Minute,
		ErrorLog: slog.NewLogLogger(m.cfg.Log.Handler(), slog.LevelDebug)}
	m.endpoints[inst.ID] = e
	go func() {
		if err := e.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.cfg.Log.Error("instance metadata endpoint stopped", "instance", inst.ID, "err", err)
		}
	}()
	m.cfg.Log.Info("instance metadata endpoint open", "instance", inst.ID, "address", ln.Addr().String())
	return e.port, nil
}

// Update replaces the instance an endpoint serves (new association, options or tags).
func (m *Manager) Update(inst *ec2.Instance) {
	m.mu.Lock()
	e := m.endpoints[inst.ID]
	m.mu.Unlock()
	if e != nil {
		e.set(inst)
	}
}

// Close stops an instance's endpoint and drops its connections.
func (m *Manager) Close(id string) {
	m.mu.Lock()
	e := m.endpoints[id]
	delete(m.endpoints, id)
	m.mu.Unlock()
	if e != nil {
		e.srv.Close()
		m.cfg.Log.Info("instance metadata endpoint closed", "instance", id)
	}
}

// Endpoint returns the base URL of an instance's endpoint ("http://127.0.0.1:PORT").
func (m *Manager) Endpoint(id string) (string, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.endpoints[id]
	if e == nil {
		return "", false
	}
	return "http://" + net.JoinHostPort(m.cfg.Host, strconv.Itoa(e.port)), true
}

// Shutdown stops every endpoint; later Opens fail.
func (m *Manager) Shutdown(ctx context.Context) error {
	m.mu.Lock()
	eps := m.endpoints
	m.endpoints = map[string]*endpoint{}
	m.closed = true
	m.mu.Unlock()
	var errs []error
	for _, e := range eps {
		errs = append(errs, e.srv.Shutdown(ctx))
	}
	return errors.Join(errs...)
}

var _ ec2.Metadata = (*Manager)(nil)
