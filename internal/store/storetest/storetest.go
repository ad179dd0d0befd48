package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"rolegate/internal/store"
)

// errBoom is the error test callbacks return to abort a transaction or a scan.
var errBoom = errors.New("storetest: boom")

// Opener opens a fresh, empty store for one test. It is called once per subtest, from parallel
// subtests, and should close the store with t.Cleanup (the suite itself closes some stores
// earlier, which the contract makes harmless).
type Opener func(t *testing.T) store.Store

// DirOpener opens the store kept in dir, creating it when dir holds none. Each call returns a
// new handle on the same data; it should also register a t.Cleanup that closes the handle.
type DirOpener func(t *testing.T, dir string) store.Store

type suiteTest struct {
	name string
	fn   func(t *testing.T, s store.Store)
}

// Run runs the conformance suite against stores returned by open.
func Run(t *testing.T, open Opener) {
	var tests []suiteTest
	tests = append(tests, recordTests...)
	tests = append(tests, scanTests...)
	tests = append(tests, txTests...)
	tests = append(tests, lifecycleTests...)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

// update runs fn in an Update and fails the test if it returns an error.
func update(t *testing.T, s store.Store, fn func(tx store.Tx) error) {
	t.Helper()
	if err := s.Update(t.Context(), fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

// view runs fn in a View and fails the test if it returns an error.
func view(t *testing.T, s store.Store, fn func(tx store.Tx) error) {
	t.Helper()
	if err := s.View(t.Context(), fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

// record is one key and value of a table.
type record struct {
	key string
	val []byte
}

// putAll stores recs in tbl in one Update.
func putAll(t *testing.T, s store.Store, tbl store.Table, recs ...record) {
	t.Helper()
	update(t, s, func(tx store.Tx) error {
		for _, r := range recs {
			if err := tx.Put(tbl, r.key, r.val); err != nil {
				return err
			}
		}
		return nil
	})
}

// putKeys stores each key in tbl with the key itself as its value.
func putKeys(t *testing.T, s store.Store, tbl store.Table, keys []string) {
	t.Helper()
	recs := make([]record, len(keys))
	for i, k := range keys {
		recs[i] = record{k, []byte(k)}
	}
	putAll(t, s, tbl, recs...)
}

// scanAll returns the records a Scan visits, copying each value.
func scanAll(tx store.Tx, tbl store.Table, prefix, after string, limit int) ([]record, error) {
	var out []record
	err := tx.Scan(tbl, prefix, after, limit, func(k string, v []byte) error {
		out = append(out, record{k, bytes.Clone(v)})
		return nil
	})
	return out, err
}

// keysOf returns the keys of recs in order.
func keysOf(recs []record) []string {
	keys := make([]string, len(recs))
	for i, r := range recs {
		keys[i] = r.key
	}
	return keys
}

// wantValue fails the test unless tbl/key holds want in tx.
func wantValue(t *testing.T, tx store.Tx, tbl store.Table, key string, want []byte) {
	t.Helper()
	got, err := tx.Get(tbl, key)
	if err != nil {
		t.Fatalf("Get(%s, %q): %v", tbl, key, err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("Get(%s, %q) = %s, want %s", tbl, key, short(got), short(want))
	}
}

// wantMissing fails the test unless tbl/key is absent in tx.
func wantMissing(t *testing.T, tx store.Tx, tbl store.Table, key string) {
	t.Helper()
	got, err := tx.Get(tbl, key)
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get(%s, %q) = %s, %v; want ErrNotFound", tbl, key, short(got), err)
	}
}

// wantKeys fails the test unless a Scan of tbl with the given arguments visits exactly want.
func wantKeys(t *testing.T, tx store.Tx, tbl store.Table, prefix, after string, limit int, want []string) {
	t.Helper()
	recs, err := scanAll(tx, tbl, prefix, after, limit)
	if err != nil {
		t.Fatalf("Scan(%s, prefix %q, after %q, limit %d): %v", tbl, prefix, after, limit, err)
	}
	if got := keysOf(recs); !slices.Equal(got, want) {
		t.Fatalf("Scan(%s, prefix %q, after %q, limit %d) keys\n got %q\nwant %q", tbl, prefix, after, limit, got, want)
	}
}

// wantCount fails the test unless Count(tbl, prefix) is want.
func wantCount(t *testing.T, tx store.Tx, tbl store.Table, prefix string, want int) {
	t.Helper()
	n, err := tx.Count(tbl, prefix)
	if err != nil {
		t.Fatalf("Count(%s, %q): %v", tbl, prefix, err)
	}
	if n != want {
		t.Fatalf("Count(%s, %q) = %d, want %d", tbl, prefix, n, want)
	}
}

// short renders a value for a failure message without flooding the log with large values.
func short(b []byte) string {
	const max = 32
	if len(b) > max {
		return fmt.Sprintf("%q...(%d bytes)", b[:max], len(b))
	}
	return fmt.Sprintf("%q", b)
}

// canceledContext returns a context that is already canceled.
func canceledContext(t *testing.T) context.Context {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	return ctx
}
