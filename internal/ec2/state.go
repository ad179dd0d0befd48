package ec2

import (
	"context"

	"rolegate/internal/api/awserr"
	"rolegate/internal/store"
)

// mutate applies fn to the instances named by ids in one transaction and then tells the
// metadata endpoints of the running ones about the change. Nothing is written when fn fails for
// any instance.
func (s *Service) mutate(ctx context.Context, account, region string, ids []string, fn func(*Instance) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var changed []*Instance
	err := s.cfg.Store.Update(ctx, func(tx store.Tx) error {
		ins, err := s.lookup(tx, account, region, ids)
		if err != nil {
			return err
		}
		for _, in := range ins {
			if err := fn(in); err != nil {
				return err
			}
			if err := putInstance(tx, in); err != nil {
				return err
			}
		}
		changed = ins
		return nil
	})
	if err != nil {
		return err
	}
	for _, in := range changed {
		s.update(in)
	}
	return nil
}

// Start starts stopped instances. Running ones are left as they are.
func (s *Service) Start(ctx context.Context, account, region string, ids []string) ([]StateChange, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []StateChange
	var opened []string
	err := s.cfg.Store.Update(ctx, func(tx store.Tx) error {
		ins, err := s.lookup(tx, account, region, ids)
		if err != nil {
			return err
		}
		for _, in := range ins {
			switch in.State {
			case Running, Pending:
				out = append(out, StateChange{in.ID, in.State, Running})
				continue
			case Stopped:
			default:
				return awserr.Newf(CodeIncorrectState, "The instance '%s' is not in a state from which it can be started.", in.ID)
			}
		}
		now := s.now()
		for _, in := range ins {
			if in.State != Stopped {
				continue
			}
			out = append(out, StateChange{in.ID, Stopped, Pending})
			in.State, in.Changed, in.Reason, in.ReasonCode = Running, now, "", ""
			in.MetadataPort = s.open(in)
			opened = append(opened, in.ID)
			if err := putInstance(tx, in); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		for _, id := range opened {
			s.close(id)
		}
		return nil, err
	}
	return out, nil
}

// Stop stops running instances. Stopped ones are left as they are.
func (s *Service) Stop(ctx context.Context, account, region string, ids []string) ([]StateChange, error) {
	return s.leave(ctx, account, region, ids, func(in *Instance) (State, error) {
		switch in.State {
		case Stopped, Stopping:
			return "", nil
		case Terminated, ShuttingDown:
			return "", awserr.Newf(CodeIncorrectState, "This instance '%s' is not in a state from which it can be stopped.", in.ID)
		}
		if in.DisableAPIStop {
			return "", awserr.Newf(CodeOperationNotPermitted, "The instance '%s' may not be stopped. Modify its 'disableApiStop' instance attribute and try again.", in.ID)
		}
		return Stopped, nil
	})
}

// Terminate terminates instances. Terminated ones are left as they are.
func (s *Service) Terminate(ctx context.Context, account, region string, ids []string) ([]StateChange, error) {
	return s.leave(ctx, account, region, ids, func(in *Instance) (State, error) {
		if in.State == Terminated {
			return "", nil
		}
		if in.DisableAPITermination {
			return "", awserr.Newf(CodeOperationNotPermitted, "The instance '%s' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.", in.ID)
		}
		return Terminated, nil
	})
}

// leave moves instances out of the running state: next returns the target state (Stopped or
// Terminated), "" to leave an instance as it is, or the error that refuses the whole call.
// Endpoints close after the change is stored.
func (s *Service) leave(ctx context.Context, account, region string, ids []string, next func(*Instance) (State, error)) ([]StateChange, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []StateChange
	var closing []string
	err := s.cfg.Store.Update(ctx, func(tx store.Tx) error {
		ins, err := s.lookup(tx, account, region, ids)
		if err != nil {
			return err
		}
		targets := make([]State, len(ins))
		for i, in := range ins {
			if targets[i], err = next(in); err != nil {
				return err
			}
		}
		now := s.now()
		for i, in := range ins {
			target := targets[i]
			if target == "" {
				out = append(out, StateChange{in.ID, in.State, in.State})
				continue
			}
			shown := Stopping
			in.ReasonCode = "Client.UserInitiatedShutdown"
			if target == Terminated {
				shown = ShuttingDown
			}
			out = append(out, StateChange{in.ID, in.State, shown})
			if in.State == Running || in.State == Pending {
				closing = append(closing, in.ID)
			}
			in.State, in.Changed, in.Reason = target, now, userReason(now)
			if err := putInstance(tx, in); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, id := range closing {
		s.close(id)
	}
	return out, nil
}
