package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"rolegate/internal/store"
)

// errReadOnly reports a write attempted in a View.
var errReadOnly = errors.New("sqlite: write in a read-only transaction")

// errEmptyKey reports a write under the empty key, which the store contract rules out.
var errEmptyKey = errors.New("sqlite: empty key")

// errTxDone reports use of a Tx after its function returned.
var errTxDone = errors.New("sqlite: transaction already finished")

// tx is the store.Tx of one View or Update.
type tx struct {
	ctx      context.Context
	sqlTx    *sql.Tx
	db       *stmts // statements prepared on the pool
	stmts    stmts  // the same statements bound to this transaction, made on first use
	writable bool
	done     bool
}

// stmt returns the prepared statement id bound to this transaction. Binding reuses the
// statement already prepared on the connection; only the small wrapper is new.
func (t *tx) stmt(id stmtID) *sql.Stmt {
	if t.stmts[id] == nil {
		t.stmts[id] = t.sqlTx.StmtContext(t.ctx, t.db[id])
	}
	return t.stmts[id]
}

// finish marks the transaction over; database/sql closes the bound statements with it.
func (t *tx) finish() { t.done = true }

// check reports whether the transaction may run an operation.
func (t *tx) check(write bool) error {
	if t.done {
		return errTxDone
	}
	if write && !t.writable {
		return errReadOnly
	}
	return nil
}

// checkWrite reports whether the transaction may store a record under key.
func (t *tx) checkWrite(key string) error {
	if err := t.check(true); err != nil {
		return err
	}
	if key == "" {
		return errEmptyKey
	}
	return nil
}

// Get returns the value under key; see store.Tx.
func (t *tx) Get(tbl store.Table, key string) ([]byte, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	var v []byte
	err := t.stmt(stmtGet).QueryRowContext(t.ctx, string(tbl), key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: get %s %q: %w", tbl, key, err)
	}
	return v, nil
}

// Put stores val under key; see store.Tx.
func (t *tx) Put(tbl store.Table, key string, val []byte) error {
	if err := t.checkWrite(key); err != nil {
		return err
	}
	if _, err := t.stmt(stmtPut).ExecContext(t.ctx, string(tbl), key, val); err != nil {
		return fmt.Errorf("sqlite: put %s %q: %w", tbl, key, err)
	}
	return nil
}

// Insert stores val under a new key; see store.Tx.
func (t *tx) Insert(tbl store.Table, key string, val []byte) error {
	if err := t.checkWrite(key); err != nil {
		return err
	}
	res, err := t.stmt(stmtInsert).ExecContext(t.ctx, string(tbl), key, val)
	if err != nil {
		return fmt.Errorf("sqlite: insert %s %q: %w", tbl, key, err)
	}
	return affected(res, store.ErrExists)
}

// Delete removes key; see store.Tx.
func (t *tx) Delete(tbl store.Table, key string) error {
	if err := t.check(true); err != nil {
		return err
	}
	res, err := t.stmt(stmtDelete).ExecContext(t.ctx, string(tbl), key)
	if err != nil {
		return fmt.Errorf("sqlite: delete %s %q: %w", tbl, key, err)
	}
	return affected(res, store.ErrNotFound)
}

// affected returns none if the statement changed no row.
func affected(res sql.Result, none error) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("sqlite: rows affected: %w", err)
	}
	if n == 0 {
		return none
	}
	return nil
}

// Scan visits the records under prefix after after; see store.Tx.
func (t *tx) Scan(tbl store.Table, prefix, after string, limit int, fn func(key string, val []byte) error) error {
	if err := t.check(false); err != nil {
		return err
	}
	if limit <= 0 {
		limit = -1
	}
	lo, hi, bounded := keyRange(prefix, after)
	var rows *sql.Rows
	var err error
	if bounded {
		rows, err = t.stmt(stmtScan).QueryContext(t.ctx, string(tbl), lo, hi, limit)
	} else {
		rows, err = t.stmt(stmtScanOpen).QueryContext(t.ctx, string(tbl), lo, limit)
	}
	if err != nil {
		return fmt.Errorf("sqlite: scan %s %q: %w", tbl, prefix, err)
	}
	defer rows.Close()
	for rows.Next() {
		// RawBytes points into the driver's row buffer: no copy for values fn only reads.
		var k, v sql.RawBytes
		if err := rows.Scan(&k, &v); err != nil {
			return fmt.Errorf("sqlite: scan %s %q: %w", tbl, prefix, err)
		}
		if err := fn(string(k), v); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: scan %s %q: %w", tbl, prefix, err)
	}
	return nil
}

// Count counts the keys under prefix; see store.Tx.
func (t *tx) Count(tbl store.Table, prefix string) (int, error) {
	if err := t.check(false); err != nil {
		return 0, err
	}
	var row *sql.Row
	if hi, ok := successor(prefix); ok {
		row = t.stmt(stmtCount).QueryRowContext(t.ctx, string(tbl), prefix, hi)
	} else {
		row = t.stmt(stmtCountOpen).QueryRowContext(t.ctx, string(tbl), prefix)
	}
	var n int
	if err := row.Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: count %s %q: %w", tbl, prefix, err)
	}
	return n, nil
}

// keyRange turns a prefix and an exclusive lower bound into the half-open key range
// [lo, hi) that an index can walk; bounded is false when the range has no upper end.
func keyRange(prefix, after string) (lo, hi string, bounded bool) {
	lo = prefix
	// after+"\x00" is the smallest key strictly greater than after.
	if after != "" && after >= prefix {
		lo = after + "\x00"
	}
	hi, bounded = successor(prefix)
	return lo, hi, bounded
}

// successor returns the smallest key greater than every key that starts with prefix, or false
// when there is none (prefix is empty or all 0xFF bytes).
func successor(prefix string) (string, bool) {
	b := []byte(prefix)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] != 0xff {
			b[i]++
			return string(b[:i+1]), true
		}
	}
	return "", false
}

var _ store.Tx = (*tx)(nil)
