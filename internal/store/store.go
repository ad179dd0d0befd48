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
// Names are short dotted words, e.g. "iam.user", "s3.object". Tables are fully independent: no
// table's records are visible through another, even when one name is a prefix of the other.
type Table string

// Store is an opened database. Implementations MUST be safe for concurrent use.
type Store interface {
	// View runs fn in a read-only transaction that sees one consistent snapshot: every read in fn
	// observes the same committed state, which includes every Update that returned before View
	// was called. A View MUST NOT block a concurrent Update from committing, nor be disturbed by
	// it. View returns the error fn returns.
	//
	// If ctx is done before the transaction starts, View returns ctx.Err() (possibly wrapped)
	// without calling fn. If fn panics, the transaction is released and the panic propagates.
	View(ctx context.Context, fn func(Tx) error) error
	// Update runs fn in a read-write transaction. Update MUST commit iff fn returns nil, and when it
	// returns nil the writes MUST be durable (they survive a crash of the process or the machine).
	// If fn returns an error nothing fn wrote is visible to anyone, and Update returns that error.
	// Update transactions are serialized; fn MUST NOT call Update on the same Store.
	//
	// If ctx is done before the transaction starts, Update returns ctx.Err() (possibly wrapped)
	// without calling fn; if it ends while fn runs, Tx methods MAY fail with its error. If fn
	// panics, the transaction is rolled back and the panic propagates.
	Update(ctx context.Context, fn func(Tx) error) error
	// Close releases the database. Transactions started after Close MUST fail with ErrClosed.
	// Close waits for transactions already running to finish, so an Update in flight when the
	// process shuts down still commits. Calling Close again does nothing and returns nil.
	Close() error
}

// Tx is a transaction. A Tx MUST NOT be used after the function it was passed to returns, and MUST
// NOT be used from several goroutines at once. Writes on a read-only Tx MUST fail. Reads in an
// Update see the transaction's own earlier writes.
type Tx interface {
	// Get returns the value stored under key, or ErrNotFound. The returned slice belongs to the
	// caller.
	Get(t Table, key string) ([]byte, error)
	// Put stores val under key, replacing any previous value. The store does not keep val: the
	// caller may reuse it once Put returns.
	Put(t Table, key string, val []byte) error
	// Insert stores val under key, or returns ErrExists if the key is present (and leaves the
	// present value unchanged).
	Insert(t Table, key string, val []byte) error
	// Delete removes key, or returns ErrNotFound if it is absent.
	Delete(t Table, key string) error
	// Scan calls fn for each record of t whose key starts with prefix and sorts strictly after
	// after (or from the first such key when after is ""), in ascending byte order of keys, until
	// fn returns an error, limit records were visited (limit <= 0 means no limit), or the keys run
	// out. An error returned by fn is returned by Scan. The val slice is only valid during fn.
	//
	// Pagination is keyset-based: passing the last key of one page as after yields the next page,
	// whatever after is (it need not exist, and may sort before or beyond the prefix's keys).
	// fn MAY call other methods of the same Tx, writes included. Deleting or overwriting the key
	// being visited does not disturb the scan; whether keys inserted during the scan are visited
	// is unspecified.
	Scan(t Table, prefix, after string, limit int, fn func(key string, val []byte) error) error
	// Count returns how many keys of t start with prefix.
	Count(t Table, prefix string) (int, error)
}
