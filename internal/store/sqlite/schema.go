package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
)

// schemaVersion is the layout this code reads and writes. A database with a higher version was
// written by a newer rolegate and is refused rather than misread.
const schemaVersion = 1

// ErrSchema reports a database file whose schema this version of rolegate cannot use.
var ErrSchema = errors.New("sqlite: unsupported schema")

// schemaV1 creates the tables of version 1. WITHOUT ROWID makes (tbl, k) the b-tree key itself,
// so a Get is one b-tree descent and a Scan walks records in key order with no second lookup.
const schemaV1 = `
CREATE TABLE meta (
	name  TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE kv (
	tbl TEXT NOT NULL,
	k   BLOB NOT NULL,
	v   BLOB NOT NULL,
	PRIMARY KEY (tbl, k)
) WITHOUT ROWID;
INSERT INTO meta (name, value) VALUES ('schema_version', '1');
`

// migrate brings the database to schemaVersion. It runs on the writer connection under BEGIN
// IMMEDIATE, so two processes opening a new file at once do not both create the tables.
func migrate(ctx context.Context, w *sql.DB) error {
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	defer tx.Rollback()

	version, err := readVersion(ctx, tx)
	if err != nil {
		return err
	}
	switch {
	case version == schemaVersion:
		return nil
	case version > schemaVersion:
		return fmt.Errorf("%w: database is at version %d, this build knows up to %d", ErrSchema, version, schemaVersion)
	}
	// Migrations from version n to n+1 go here, in order, once there is more than one version.
	if _, err := tx.ExecContext(ctx, schemaV1); err != nil {
		return fmt.Errorf("sqlite: create schema: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	return nil
}

// readVersion returns the schema version recorded in the database, or 0 for an empty database.
func readVersion(ctx context.Context, tx *sql.Tx) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx,
		`SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'meta'`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("sqlite: read schema: %w", err)
	}
	if n == 0 {
		return 0, nil
	}
	var s string
	err = tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE name = 'schema_version'`).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("%w: meta table has no schema_version", ErrSchema)
	}
	if err != nil {
		return 0, fmt.Errorf("sqlite: read schema version: %w", err)
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 1 {
		return 0, fmt.Errorf("%w: schema_version %q", ErrSchema, s)
	}
	return v, nil
}

// stmtID names one of the prepared statements every connection reuses.
type stmtID int

const (
	stmtGet stmtID = iota
	stmtScan
	stmtScanOpen
	stmtCount
	stmtCountOpen
	stmtPut
	stmtInsert
	stmtDelete
	numStmts
)

// numReadStmts counts the statements a read-only connection needs: those before stmtPut.
const numReadStmts = stmtPut

// text returns the SQL of the statement.
//
// Keys are bound as Go strings and cast to BLOB in SQL: binding them as []byte would turn the
// empty key into NULL, while a cast of the empty text is the empty BLOB. The "Open" variants
// serve prefixes that have no successor (empty, or all 0xFF bytes), whose range has no upper
// bound. LIMIT -1 means no limit to SQLite. Values go through coalesce because database/sql
// binds a nil []byte as NULL, and the contract makes nil and empty the same value.
func (id stmtID) text() string {
	switch id {
	case stmtGet:
		return `SELECT v FROM kv WHERE tbl = ?1 AND k = CAST(?2 AS BLOB)`
	case stmtScan:
		return `SELECT k, v FROM kv WHERE tbl = ?1 AND k >= CAST(?2 AS BLOB) AND k < CAST(?3 AS BLOB) ORDER BY k LIMIT ?4`
	case stmtScanOpen:
		return `SELECT k, v FROM kv WHERE tbl = ?1 AND k >= CAST(?2 AS BLOB) ORDER BY k LIMIT ?3`
	case stmtCount:
		return `SELECT count(*) FROM kv WHERE tbl = ?1 AND k >= CAST(?2 AS BLOB) AND k < CAST(?3 AS BLOB)`
	case stmtCountOpen:
		return `SELECT count(*) FROM kv WHERE tbl = ?1 AND k >= CAST(?2 AS BLOB)`
	case stmtPut:
		return `INSERT INTO kv (tbl, k, v) VALUES (?1, CAST(?2 AS BLOB), coalesce(?3, X'')) ON CONFLICT (tbl, k) DO UPDATE SET v = excluded.v`
	case stmtInsert:
		return `INSERT INTO kv (tbl, k, v) VALUES (?1, CAST(?2 AS BLOB), coalesce(?3, X'')) ON CONFLICT (tbl, k) DO NOTHING`
	case stmtDelete:
		return `DELETE FROM kv WHERE tbl = ?1 AND k = CAST(?2 AS BLOB)`
	}
	panic("sqlite: unknown statement " + strconv.Itoa(int(id)))
}

// stmts holds prepared statements by stmtID; a reader's write entries stay nil.
type stmts [numStmts]*sql.Stmt

// prepare prepares the first n statements on db.
func prepare(ctx context.Context, db *sql.DB, n stmtID) (*stmts, error) {
	var st stmts
	for id := range n {
		s, err := db.PrepareContext(ctx, id.text())
		if err != nil {
			st.close()
			return nil, fmt.Errorf("sqlite: prepare: %w", err)
		}
		st[id] = s
	}
	return &st, nil
}

// close closes the prepared statements in st.
func (st *stmts) close() {
	for _, s := range st {
		if s != nil {
			s.Close()
		}
	}
}
