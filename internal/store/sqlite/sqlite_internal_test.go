package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"rolegate/internal/store"
)

func openTemp(t *testing.T) *DB {
	t.Helper()
	d, err := Open(filepath.Join(t.TempDir(), "rolegate.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// TestQueryPlans checks that every keyed statement is an index search on the primary key: no
// full-table scan, no LIKE, no sort step.
func TestQueryPlans(t *testing.T) {
	d := openTemp(t)
	for id := range numStmts {
		if id == stmtPut || id == stmtInsert {
			continue // single-row upserts; their conflict check is the primary key by definition
		}
		args := []any{"t", "a/", "a0", 10}[:strings.Count(id.text(), "?")]
		rows, err := d.r.Query("EXPLAIN QUERY PLAN "+id.text(), args...)
		if err != nil {
			t.Fatalf("%d: %v", id, err)
		}
		var plan []string
		for rows.Next() {
			var a, b, c int
			var detail string
			if err := rows.Scan(&a, &b, &c, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		all := strings.Join(plan, "; ")
		t.Logf("%s: %s", id.text(), all)
		if !strings.Contains(all, "SEARCH kv USING PRIMARY KEY (tbl=? AND k") || strings.Contains(all, "TEMP B-TREE") {
			t.Errorf("plan of %q is %q, want a primary-key search without sorting", id.text(), all)
		}
	}
}

func TestKeyRange(t *testing.T) {
	tests := []struct {
		prefix, after string
		lo, hi        string
		bounded       bool
	}{
		{"", "", "", "", false},
		{"a", "", "a", "b", true},
		{"a/", "a/x", "a/x\x00", "a0", true},
		{"a", "0", "a", "b", true},              // after before the range: start at the prefix
		{"a", "b", "b\x00", "b", true},          // after beyond the range: empty range
		{"a\xff", "", "a\xff", "b", true},       // trailing 0xFF carries
		{"\xff\xff", "", "\xff\xff", "", false}, // no successor
		{"", "k", "k\x00", "", false},
	}
	for _, tc := range tests {
		lo, hi, bounded := keyRange(tc.prefix, tc.after)
		if lo != tc.lo || hi != tc.hi || bounded != tc.bounded {
			t.Errorf("keyRange(%q, %q) = %q, %q, %v; want %q, %q, %v",
				tc.prefix, tc.after, lo, hi, bounded, tc.lo, tc.hi, tc.bounded)
		}
	}
}

// FuzzKeyRange checks that a key falls in the range keyRange computes exactly when Scan must
// visit it.
func FuzzKeyRange(f *testing.F) {
	f.Add("a", "", "a/b")
	f.Add("a\xff", "a\xff\x00", "a\xff\x01")
	f.Add("", "z", "\xff")
	f.Add("\xff", "", "\xff\xff")
	f.Fuzz(func(t *testing.T, prefix, after, key string) {
		if key == "" {
			return
		}
		lo, hi, bounded := keyRange(prefix, after)
		in := key >= lo && (!bounded || key < hi)
		want := strings.HasPrefix(key, prefix) && (after == "" || key > after)
		if in != want {
			t.Fatalf("prefix %q after %q key %q: in range [%q, %q) = %v, want %v", prefix, after, key, lo, hi, in, want)
		}
	})
}

func TestFilesArePrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permission bits")
	}
	d := openTemp(t)
	if err := d.Update(t.Context(), func(tx store.Tx) error { return tx.Put("t", "k", nil) }); err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		fi, err := os.Stat(d.Path() + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s has mode %v, want no group or other access", filepath.Base(d.Path()+suffix), perm)
		}
	}
}

func TestPathWithURICharacters(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a?b=c&d%20 #e")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "x.db")
	d, err := Open(path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if err := d.Update(t.Context(), func(tx store.Tx) error { return tx.Put("t", "k", []byte("v")) }); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "x.db" {
		t.Fatalf("directory holds %v, want just x.db", entries)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rolegate.db")
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.w.Exec(`UPDATE meta SET value = '2' WHERE name = 'schema_version'`); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path); !errors.Is(err, ErrSchema) {
		t.Fatalf("Open of a newer schema = %v, want ErrSchema", err)
	}
}

func TestTxUnusableAfterReturn(t *testing.T) {
	d := openTemp(t)
	var kept store.Tx
	if err := d.Update(t.Context(), func(tx store.Tx) error { kept = tx; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := kept.Get("t", "k"); !errors.Is(err, errTxDone) {
		t.Errorf("Get on a finished Tx = %v, want errTxDone", err)
	}
	if err := kept.Put("t", "k", nil); !errors.Is(err, errTxDone) {
		t.Errorf("Put on a finished Tx = %v, want errTxDone", err)
	}
}

func TestCheckHealthy(t *testing.T) {
	d := openTemp(t)
	if err := d.Check(context.Background()); err != nil {
		t.Fatalf("Check: %v", err)
	}
}

// TestCancelDuringUpdate cancels the context while fn runs: the next statement fails with the
// context's error, nothing is committed, and the writer is free for the next Update.
func TestCancelDuringUpdate(t *testing.T) {
	d := openTemp(t)
	ctx, cancel := context.WithCancel(t.Context())
	err := d.Update(ctx, func(tx store.Tx) error {
		if err := tx.Put("t", "a", []byte("1")); err != nil {
			return err
		}
		cancel()
		return tx.Put("t", "b", []byte("2"))
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Update = %v, want context.Canceled", err)
	}
	err = d.Update(t.Context(), func(tx store.Tx) error {
		if _, err := tx.Get("t", "a"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("write before the cancel: Get = %v, want ErrNotFound", err)
		}
		return tx.Put("t", "c", nil)
	})
	if err != nil {
		t.Fatalf("Update after a canceled one: %v", err)
	}
}

// TestPragmas checks the settings durability rests on. A process kill cannot tell
// synchronous=FULL from OFF (the kernel still holds the writes); only a power cut could, so the
// setting itself is asserted.
func TestPragmas(t *testing.T) {
	d := openTemp(t)
	tests := []struct {
		pool   *sql.DB
		pragma string
		want   string
	}{
		{d.w, "journal_mode", "wal"},
		{d.w, "synchronous", "2"}, // FULL
		{d.w, "busy_timeout", "10000"},
		{d.w, "query_only", "0"},
		{d.r, "journal_mode", "wal"},
		{d.r, "busy_timeout", "10000"},
		{d.r, "query_only", "1"},
	}
	for _, tc := range tests {
		var got string
		if err := tc.pool.QueryRow("PRAGMA " + tc.pragma).Scan(&got); err != nil {
			t.Fatalf("%s: %v", tc.pragma, err)
		}
		if got != tc.want {
			name := "writer"
			if tc.pool == d.r {
				name = "reader"
			}
			t.Errorf("%s %s = %s, want %s", name, tc.pragma, got, tc.want)
		}
	}
}
