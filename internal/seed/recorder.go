package seed

import (
	"errors"

	"rolegate/internal/store"
)

// record is one encoded record waiting to be stored.
type record struct {
	table store.Table
	key   string
	val   []byte
}

// errRecorderRead reports a read on a recorder, which holds writes only.
var errRecorderRead = errors.New("seed: the record buffer cannot be read")

// recorder is a write-only store.Tx that keeps what is inserted, so that records are encoded
// (by the same iam and org code that stores them) away from the goroutine that writes them.
type recorder struct{ records []record }

func (r *recorder) Get(store.Table, string) ([]byte, error) { return nil, errRecorderRead }

func (r *recorder) Put(t store.Table, k string, v []byte) error { return r.Insert(t, k, v) }

func (r *recorder) Insert(t store.Table, k string, v []byte) error {
	// The caller may reuse v once Insert returns.
	r.records = append(r.records, record{t, k, append([]byte(nil), v...)})
	return nil
}

func (r *recorder) Delete(store.Table, string) error { return errRecorderRead }

func (r *recorder) Scan(store.Table, string, string, int, func(string, []byte) error) error {
	return errRecorderRead
}

func (r *recorder) Count(store.Table, string) (int, error) { return 0, errRecorderRead }

var _ store.Tx = (*recorder)(nil)
