package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	msqlite "modernc.org/sqlite"

	"rolegate/internal/store"
)

// busyTimeoutMillis bounds how long a connection waits for a lock held by another process on the
// same file (a second rolegate, a backup tool). Inside one process the writer pool already
// serializes writers, so this wait only happens across processes.
const busyTimeoutMillis = 10_000

// DB is a store.Store kept in one SQLite file. It is safe for concurrent use.
type DB struct {
	path string
	w    *sql.DB // exactly one connection: the writer
	r    *sql.DB // read-only connections for View
	wst  *stmts
	rst  *stmts

	mu     sync.Mutex
	closed bool
	active sync.WaitGroup // transactions running; Close waits for them
}

// Open opens the database file at path, creating it (mode 0600) and its schema if absent. The
// directory must exist.
func Open(path string) (*DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if err := createFile(abs); err != nil {
		return nil, err
	}
	d := &DB{path: abs}
	if err := d.open(context.Background()); err != nil {
		d.release()
		return nil, err
	}
	return d, nil
}

// createFile creates an empty database file readable only by its owner. SQLite would create it
// 0644; the WAL and shared-memory files it makes later copy the database file's mode, so doing
// this once keeps all three private. The directory is synced so the new name survives a crash.
func createFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("sqlite: create %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("sqlite: create %s: %w", path, err)
	}
	return syncDir(filepath.Dir(path))
}

// syncDir flushes a directory's entries to stable storage.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sqlite: sync %s: %w", dir, err)
	}
	defer f.Close()
	// Some platforms cannot fsync a directory; the file contents are still synced by SQLite.
	if err := f.Sync(); err != nil && runtime.GOOS != "windows" {
		return fmt.Errorf("sqlite: sync %s: %w", dir, err)
	}
	return nil
}

// dsn returns the connection string for path. The "file:" URI form keeps any character of the
// path (a '?' in a directory name, say) from being read as connection parameters.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeoutMillis))
	if readOnly {
		// A second guard behind the Tx's own check: SQLite refuses writes on these connections.
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		// FULL syncs the WAL at every commit: an acknowledged Update survives power loss.
		q.Add("_pragma", "synchronous(FULL)")
		// Large transactions (bulk loads) spill fewer pages with a bigger cache (in KiB).
		q.Add("_pragma", "cache_size(-65536)")
		// After a checkpoint, cut a WAL that a large transaction grew back to 64 MiB.
		q.Add("_pragma", "journal_size_limit(67108864)")
		q.Add("_txlock", "immediate")
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path), RawQuery: q.Encode()}
	return u.String()
}

func (d *DB) open(ctx context.Context) error {
	var err error
	if d.w, err = openPool(d.path, false); err != nil {
		return err
	}
	// One writer connection: database/sql queues Updates for it, so they never meet SQLITE_BUSY.
	d.w.SetMaxOpenConns(1)
	d.w.SetMaxIdleConns(1)
	if err := migrate(ctx, d.w); err != nil {
		return err
	}
	if d.r, err = openPool(d.path, true); err != nil {
		return err
	}
	n := max(4, runtime.GOMAXPROCS(0))
	d.r.SetMaxOpenConns(n)
	d.r.SetMaxIdleConns(n) // idle connections keep their prepared statements
	if d.wst, err = prepare(ctx, d.w, numStmts); err != nil {
		return err
	}
	if d.rst, err = prepare(ctx, d.r, numReadStmts); err != nil {
		return err
	}
	return nil
}

// openPool returns a connection pool on path. No connection is opened yet.
func openPool(path string, readOnly bool) (*sql.DB, error) {
	c, err := msqlite.NewConnector(dsn(path, readOnly))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db := sql.OpenDB(c)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	return db, nil
}

// Path returns the absolute path of the database file.
func (d *DB) Path() string { return d.path }

// View runs fn in a read-only transaction on one WAL snapshot; see store.Store.
func (d *DB) View(ctx context.Context, fn func(store.Tx) error) error {
	return d.run(ctx, d.r, d.rst, false, fn)
}

// Update runs fn in a read-write transaction that is synced to disk before Update returns nil;
// see store.Store.
func (d *DB) Update(ctx context.Context, fn func(store.Tx) error) error {
	return d.run(ctx, d.w, d.wst, true, fn)
}

// run runs fn in a transaction on a connection of pool.
func (d *DB) run(ctx context.Context, pool *sql.DB, st *stmts, writable bool, fn func(store.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := d.enter(); err != nil {
		return err
	}
	defer d.active.Done()

	// Waiting for a connection honours ctx. The transaction itself is begun without
	// cancellation so a COMMIT is never cut short and reported as failed after it took
	// effect; the statements inside still run under ctx, and an interrupted statement makes fn
	// fail, which rolls the transaction back.
	conn, err := pool.Conn(ctx)
	if err != nil {
		return fmt.Errorf("sqlite: connection: %w", err)
	}
	defer conn.Close()
	sqlTx, err := conn.BeginTx(context.WithoutCancel(ctx), &sql.TxOptions{ReadOnly: !writable})
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	t := &tx{ctx: ctx, sqlTx: sqlTx, db: st, writable: writable}
	committed := false
	defer func() {
		t.finish()
		if !committed {
			// Also reached when fn panics: the connection goes back to the pool clean.
			sqlTx.Rollback()
		}
	}()
	if err := fn(t); err != nil {
		return err
	}
	if !writable {
		return nil // the deferred rollback ends the read transaction
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	committed = true
	return nil
}

// enter registers a starting transaction, or reports that the store is closed.
func (d *DB) enter() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return store.ErrClosed
	}
	d.active.Add(1)
	return nil
}

// Close waits for running transactions, then closes the file. Later calls return nil.
func (d *DB) Close() error {
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return nil
	}
	d.closed = true
	d.mu.Unlock()
	d.active.Wait()
	return d.release()
}

// release closes whatever open managed to open.
func (d *DB) release() error {
	for _, st := range []*stmts{d.rst, d.wst} {
		if st != nil {
			st.close()
		}
	}
	var errs []error
	// Readers first: the last connection to close checkpoints the WAL into the main file.
	for _, p := range []*sql.DB{d.r, d.w} {
		if p != nil {
			errs = append(errs, p.Close())
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("sqlite: close: %w", err)
	}
	return nil
}

// ErrCorrupt reports that the integrity check found the database file damaged.
var ErrCorrupt = errors.New("sqlite: database corrupt")

// Check runs SQLite's integrity check over the whole file and returns ErrCorrupt, with what it
// found, if the file is damaged. It reads every page, so it takes time on a large database.
func (d *DB) Check(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := d.enter(); err != nil {
		return err
	}
	defer d.active.Done()
	rows, err := d.r.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return fmt.Errorf("sqlite: integrity check: %w", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("sqlite: integrity check: %w", err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: integrity check: %w", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrCorrupt, strings.Join(problems, "; "))
	}
	return nil
}

var _ store.Store = (*DB)(nil)
