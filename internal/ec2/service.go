package ec2

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"time"

	"rolegate/internal/iam"
	"rolegate/internal/idgen"
	"rolegate/internal/store"
)

// Tables of the EC2 service.
const (
	tInstance store.Table = "ec2.instance" // acct/instance-id
	tToken    store.Table = "ec2.token"    // acct/region/client-token -> reservation
)

// TerminatedRetention is how long a terminated instance stays describable.
// AWS: terminated instances remain visible for about an hour.
const TerminatedRetention = time.Hour

// MaxLaunchCount is the most instances one RunInstances call launches.
const MaxLaunchCount = 20

// Profiles is where instance profiles are found (the IAM service).
type Profiles interface {
	InstanceProfile(ctx context.Context, account, name string) (*iam.InstanceProfile, []*iam.Role, error)
}

// Metadata runs the instance metadata endpoints of running instances. The service calls it while
// it holds its transition lock, so calls for one instance never overlap or reorder.
type Metadata interface {
	// Open starts the endpoint of an instance entering the running state and returns its port.
	// inst.MetadataPort is the port it had before (0 for none), which Open should reuse when it
	// is free.
	Open(inst *Instance) (port int, err error)
	// Update tells a running instance's endpoint about a changed instance (a new profile
	// association, metadata options or tags).
	Update(inst *Instance)
	// Close stops the endpoint of an instance leaving the running state.
	Close(instanceID string)
}

// Config holds the service's dependencies.
type Config struct {
	Store    store.Store
	IDs      *idgen.Gen
	Now      func() time.Time
	Profiles Profiles
	// Metadata opens and closes metadata endpoints; nil runs instances without one.
	Metadata Metadata
	Log      *slog.Logger
}

// Service is the EC2 domain. It is safe for concurrent use.
type Service struct {
	cfg Config
	// mu serializes state transitions with their Metadata calls, so an endpoint is never left
	// open for an instance that stopped meanwhile.
	mu sync.Mutex
}

// New returns the EC2 service.
func New(cfg Config) *Service {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Service{cfg: cfg}
}

func (s *Service) now() time.Time { return s.cfg.Now().UTC().Truncate(time.Millisecond) }

func instanceKey(account, id string) string { return account + "/" + id }

func getInstance(tx store.Tx, account, id string) (*Instance, error) {
	raw, err := tx.Get(tInstance, instanceKey(account, id))
	if err != nil {
		return nil, err
	}
	var in Instance
	if err := json.Unmarshal(raw, &in); err != nil {
		return nil, err
	}
	return &in, nil
}

func putInstance(tx store.Tx, in *Instance) error {
	raw, err := json.Marshal(in)
	if err != nil {
		return err
	}
	return tx.Put(tInstance, instanceKey(in.Account, in.ID), raw)
}

// visible reports whether an instance is describable in region at now: terminated instances
// disappear after TerminatedRetention.
func visible(in *Instance, region string, now time.Time) bool {
	if in.Region != region {
		return false
	}
	return in.State != Terminated || now.Sub(in.Changed) < TerminatedRetention
}

// lookup reads the instances named by ids in the caller's account and region, failing with
// InvalidInstanceID.NotFound for every one that does not exist (or is out of sight).
func (s *Service) lookup(tx store.Tx, account, region string, ids []string) ([]*Instance, error) {
	now := s.now()
	out := make([]*Instance, 0, len(ids))
	var missing []string
	for _, id := range ids {
		in, err := getInstance(tx, account, id)
		switch {
		case errors.Is(err, store.ErrNotFound):
			missing = append(missing, id)
			continue
		case err != nil:
			return nil, err
		}
		if !visible(in, region, now) {
			missing = append(missing, id)
			continue
		}
		out = append(out, in)
	}
	if len(missing) > 0 {
		return nil, instancesNotFound(missing)
	}
	return out, nil
}

// Instance returns one instance of account in region.
func (s *Service) Instance(ctx context.Context, account, region, id string) (*Instance, error) {
	if err := CheckInstanceID(id); err != nil {
		return nil, err
	}
	var out *Instance
	err := s.cfg.Store.View(ctx, func(tx store.Tx) error {
		ins, err := s.lookup(tx, account, region, []string{id})
		if err != nil {
			return err
		}
		out = ins[0]
		return nil
	})
	return out, err
}

// Resume opens the metadata endpoints of every instance stored as running (at server start) and
// forgets terminated instances past their retention.
func (s *Service) Resume(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var running []*Instance
	var stale []string
	now := s.now()
	err := s.cfg.Store.View(ctx, func(tx store.Tx) error {
		return tx.Scan(tInstance, "", "", 0, func(k string, v []byte) error {
			var in Instance
			if err := json.Unmarshal(v, &in); err != nil {
				return err
			}
			switch {
			case in.State == Running:
				running = append(running, &in)
			case in.State == Terminated && now.Sub(in.Changed) >= TerminatedRetention:
				stale = append(stale, k)
			}
			return nil
		})
	})
	if err != nil {
		return err
	}
	var changed []*Instance
	for _, in := range running {
		port := s.open(in)
		if port != in.MetadataPort {
			in.MetadataPort = port
			changed = append(changed, in)
		}
	}
	if len(changed) == 0 && len(stale) == 0 {
		return nil
	}
	return s.cfg.Store.Update(ctx, func(tx store.Tx) error {
		for _, in := range changed {
			if err := putInstance(tx, in); err != nil {
				return err
			}
		}
		for _, k := range stale {
			if err := tx.Delete(tInstance, k); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		return nil
	})
}

// open starts an instance's metadata endpoint and returns its port, or 0 when there is no
// endpoint (no Metadata, or it failed: the instance runs without one, as the log says).
func (s *Service) open(in *Instance) int {
	if s.cfg.Metadata == nil {
		return 0
	}
	port, err := s.cfg.Metadata.Open(in.clone())
	if err != nil {
		s.cfg.Log.Error("cannot open the instance metadata endpoint", "instance", in.ID, "err", err)
		return 0
	}
	return port
}

func (s *Service) close(id string) {
	if s.cfg.Metadata != nil {
		s.cfg.Metadata.Close(id)
	}
}

func (s *Service) update(in *Instance) {
	if s.cfg.Metadata != nil && in.State == Running {
		s.cfg.Metadata.Update(in.clone())
	}
}
