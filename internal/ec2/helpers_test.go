package ec2

import (
	"context"
	"crypto/rand"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"rolegate/internal/api/awserr"
	"rolegate/internal/iam"
	"rolegate/internal/idgen"
	"rolegate/internal/store/sqlite"
)

const (
	acct   = "111122223333"
	region = "us-east-1"
	al2023 = "ami-0a1b2c3d4e5f60001" // x86_64, IMDSv2 by default
	ubuntu = "ami-0a1b2c3d4e5f60004" // x86_64
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// profiles is an in-memory instance-profile directory.
type profiles map[string]*iam.InstanceProfile

func (p profiles) InstanceProfile(_ context.Context, account, name string) (*iam.InstanceProfile, []*iam.Role, error) {
	ip, ok := p[account+"/"+name]
	if !ok {
		return nil, nil, awserr.Newf(awserr.NoSuchEntity, "Instance Profile %s cannot be found.", name)
	}
	var roles []*iam.Role
	for _, r := range ip.Roles {
		roles = append(roles, &iam.Role{Account: account, Name: r, Path: "/", ID: "AROAEXAMPLE" + r})
	}
	return ip, roles, nil
}

// metadata records the endpoint calls of the service.
type metadata struct {
	mu     sync.Mutex
	open   map[string]*Instance
	calls  []string
	next   int
	failOn string
}

func (m *metadata) Open(in *Instance) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls = append(m.calls, "open "+in.ID)
	if in.ID == m.failOn {
		return 0, errors.New("no port")
	}
	if m.open == nil {
		m.open = map[string]*Instance{}
	}
	m.open[in.ID] = in
	if in.MetadataPort != 0 {
		return in.MetadataPort, nil
	}
	m.next++
	return 40000 + m.next, nil
}

func (m *metadata) Update(in *Instance) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls = append(m.calls, "update "+in.ID)
	m.open[in.ID] = in
}

func (m *metadata) Close(id string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls = append(m.calls, "close "+id)
	delete(m.open, id)
}

func (m *metadata) isOpen(id string) (*Instance, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	in, ok := m.open[id]
	return in, ok
}

type fixture struct {
	svc   *Service
	clock *clock
	md    *metadata
	profs profiles
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := &fixture{clock: &clock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}, md: &metadata{},
		profs: profiles{
			acct + "/web":   {Account: acct, Name: "web", Path: "/", ID: "AIPAWEB", Roles: []string{"web-role"}},
			acct + "/batch": {Account: acct, Name: "batch", Path: "/jobs/", ID: "AIPABATCH", Roles: []string{"batch-role"}},
			acct + "/empty": {Account: acct, Name: "empty", Path: "/", ID: "AIPAEMPTY", Roles: []string{}},
		}}
	f.svc = New(Config{Store: db, IDs: idgen.New(rand.Reader), Now: f.clock.Now, Profiles: f.profs, Metadata: f.md})
	return f
}

// run launches one instance and returns it as stored.
func (f *fixture) run(t *testing.T, in RunInput) *Instance {
	t.Helper()
	if in.Account == "" {
		in.Account, in.Region = acct, region
	}
	if in.ImageID == "" {
		in.ImageID = ubuntu
	}
	if in.MinCount == 0 {
		in.MinCount, in.MaxCount = 1, 1
	}
	res, err := f.svc.Run(context.Background(), in)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	got, err := f.svc.Instance(context.Background(), in.Account, in.Region, res.Instances[0].ID)
	if err != nil {
		t.Fatalf("Instance: %v", err)
	}
	return got
}

// wantCode fails unless err is an *awserr.Error with code.
func wantCode(t *testing.T, err error, code awserr.Code) *awserr.Error {
	t.Helper()
	var e *awserr.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("err = %v, want %s", err, code)
	}
	return e
}
