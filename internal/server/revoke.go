package server

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"rolegate/internal/store"
	"rolegate/internal/token"
)

// revokedTable lists temporary access keys revoked with "rolegate session revoke".
const revokedTable store.Table = "sts.revoked"

// revocations is the explicit deny list of temporary access keys, kept in memory and in the
// store. An entry lives as long as the longest session could.
type revocations struct {
	mu   sync.RWMutex
	keys map[string]time.Time // access key id -> when the entry may be forgotten
	db   store.Store
	now  func() time.Time
}

func loadRevocations(ctx context.Context, db store.Store, now func() time.Time) (*revocations, error) {
	r := &revocations{keys: map[string]time.Time{}, db: db, now: now}
	var stale []string
	err := db.View(ctx, func(tx store.Tx) error {
		return tx.Scan(revokedTable, "", "", 0, func(k string, v []byte) error {
			var until time.Time
			if err := json.Unmarshal(v, &until); err != nil {
				return err
			}
			if now().After(until) {
				stale = append(stale, k)
				return nil
			}
			r.keys[k] = until
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	if len(stale) > 0 {
		err = db.Update(ctx, func(tx store.Tx) error {
			for _, k := range stale {
				if err := tx.Delete(revokedTable, k); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return r, err
}

// has reports whether a temporary access key was revoked.
func (r *revocations) has(id string) bool {
	r.mu.RLock()
	_, ok := r.keys[id]
	r.mu.RUnlock()
	return ok
}

// revoke adds a temporary access key to the deny list; it takes effect on the next request.
func (s *Server) revoke(ctx context.Context, id string) error {
	until := s.cfg.Now().Add(token.MaxLifetime)
	raw, _ := json.Marshal(until)
	if err := s.db.Update(ctx, func(tx store.Tx) error { return tx.Put(revokedTable, id, raw) }); err != nil {
		return err
	}
	s.revoked.mu.Lock()
	s.revoked.keys[id] = until
	s.revoked.mu.Unlock()
	return nil
}
