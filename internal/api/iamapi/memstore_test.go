package iamapi

import (
	"context"
	"errors"
	"sort"
	"strings"
	"sync"

	"rolegate/internal/store"
)

// memStore is an in-memory store.Store for these tests. Every Update works on a copy of the data
// and publishes it only when fn returns nil, so a failed transaction leaves nothing behind; Views
// read the last published snapshot, so they may nest inside an Update.
type memStore struct {
	writer sync.Mutex // serializes Updates
	mu     sync.Mutex // guards data and closed
	data   map[store.Table]map[string][]byte
	closed bool
}

func newMemStore() *memStore { return &memStore{data: map[store.Table]map[string][]byte{}} }

func (m *memStore) snapshot() (map[store.Table]map[string][]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, store.ErrClosed
	}
	return m.data, nil
}

func (m *memStore) View(ctx context.Context, fn func(store.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	data, err := m.snapshot()
	if err != nil {
		return err
	}
	return fn(&memTx{data: data, readOnly: true})
}

func (m *memStore) Update(ctx context.Context, fn func(store.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.writer.Lock()
	defer m.writer.Unlock()
	data, err := m.snapshot()
	if err != nil {
		return err
	}
	work := make(map[store.Table]map[string][]byte, len(data))
	for t, recs := range data {
		cp := make(map[string][]byte, len(recs))
		for k, v := range recs {
			cp[k] = v
		}
		work[t] = cp
	}
	tx := &memTx{data: work}
	err = fn(tx)
	tx.done = true
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return store.ErrClosed
	}
	m.data = work
	return nil
}

func (m *memStore) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	return nil
}

type memTx struct {
	data     map[store.Table]map[string][]byte
	readOnly bool
	done     bool
}

var errReadOnly = errors.New("memstore: write in a read-only transaction")

func (tx *memTx) writable() error {
	switch {
	case tx.done:
		return errors.New("memstore: transaction used after it ended")
	case tx.readOnly:
		return errReadOnly
	}
	return nil
}

func (tx *memTx) Get(t store.Table, key string) ([]byte, error) {
	v, ok := tx.data[t][key]
	if !ok {
		return nil, store.ErrNotFound
	}
	return v, nil
}

func (tx *memTx) Put(t store.Table, key string, val []byte) error {
	if err := tx.writable(); err != nil {
		return err
	}
	if tx.data[t] == nil {
		tx.data[t] = map[string][]byte{}
	}
	tx.data[t][key] = append([]byte(nil), val...)
	return nil
}

func (tx *memTx) Insert(t store.Table, key string, val []byte) error {
	if err := tx.writable(); err != nil {
		return err
	}
	if _, ok := tx.data[t][key]; ok {
		return store.ErrExists
	}
	return tx.Put(t, key, val)
}

func (tx *memTx) Delete(t store.Table, key string) error {
	if err := tx.writable(); err != nil {
		return err
	}
	if _, ok := tx.data[t][key]; !ok {
		return store.ErrNotFound
	}
	delete(tx.data[t], key)
	return nil
}

func (tx *memTx) keys(t store.Table, prefix string) []string {
	var ks []string
	for k := range tx.data[t] {
		if strings.HasPrefix(k, prefix) {
			ks = append(ks, k)
		}
	}
	sort.Strings(ks)
	return ks
}

func (tx *memTx) Scan(t store.Table, prefix, after string, limit int, fn func(string, []byte) error) error {
	n := 0
	for _, k := range tx.keys(t, prefix) {
		if after != "" && k <= after {
			continue
		}
		if limit > 0 && n == limit {
			return nil
		}
		n++
		if err := fn(k, tx.data[t][k]); err != nil {
			return err
		}
	}
	return nil
}

func (tx *memTx) Count(t store.Table, prefix string) (int, error) {
	return len(tx.keys(t, prefix)), nil
}

var _ store.Store = (*memStore)(nil)
