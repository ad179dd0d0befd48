// Package store is rolegate's persistence boundary: an ordered, transactional key-value space
// split into named tables, on which the services (iam, sts, s3, ec2) keep their aggregates.
//
// Drivers live in sub-packages (store/sqlite is the embedded default) and every driver passes the
// conformance suite in store/storetest. Services never see SQL: they read and write encoded records
// by key inside a transaction, so an aggregate and the index records that point at it always change
// together.
package store

import (
	"context"
	"errors"
)

// Sentinel errors. Drivers MUST return these (wrapped or not) so callers can test with errors.Is.
var (
	// ErrNotFound reports that no record exists under the key.
	ErrNotFound = errors.New("store: not found")
	// ErrExists reports that Insert found a record already present under the key.
	ErrExists = errors.New("store: already exists")
	// ErrClosed reports use of a closed store.
	ErrClosed = errors.New("store: closed")
)

// Table names a key space. Tables need no declaration: a table exists once a record is put in it.
// Names are short dotted words, e.g. "iam.user", "s3.object".
type Table string

// Store is an opened database. Implementations MUST be safe for concurrent use.
type Store interface {
	// View runs fn in a read-only transaction that sees one consistent snapshot.
	View(ctx context.Context, fn func(Tx) error) error
	// Update runs fn in a read-write transaction. Update MUST commit iff fn returns nil, and when it
	// returns nil the writes MUST be durable (they survive a crash of the process or the machine).
	// If fn returns an error nothing fn wrote is visible to anyone, and Update returns that error.
	// Update transactions are serialized.
	Update(ctx context.Context, fn func(Tx) error) error
	// Close releases the database. Transactions started after Close MUST fail with ErrClosed.
	Close() error
}

// Tx is a transaction. A Tx MUST NOT be used after the function it was passed to returns, and MUST
// NOT be used from several goroutines at once. Writes on a read-only Tx MUST fail.
type Tx interface {
	// Get returns the value stored under key, or ErrNotFound.
	Get(t Table, key string) ([]byte, error)
	// Put stores val under key, replacing any previous value.
	Put(t Table, key string, val []byte) error
	// Insert stores val under key, or returns ErrExists if the key is present.
	Insert(t Table, key string, val []byte) error
	// Delete removes key, or returns ErrNotFound if it is absent.
	Delete(t Table, key string) error
	// Scan calls fn for each record of t whose key starts with prefix and sorts strictly after
	// after (or from the first such key when after is ""), in ascending byte order of keys, until
	// fn returns an error, limit records were visited (limit <= 0 means no limit), or the keys run
	// out. An error returned by fn is returned by Scan. The val slice is only valid during fn.
	Scan(t Table, prefix, after string, limit int, fn func(key string, val []byte) error) error
	// Count returns how many keys of t start with prefix.
	Count(t Table, prefix string) (int, error)
}
