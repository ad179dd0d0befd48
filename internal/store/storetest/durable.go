package storetest

import (
	"bytes"
	"errors"
	"testing"

	"rolegate/internal/store"
)

// RunDurable runs the part of the suite that needs data to outlive a store handle: every test
// gets a fresh directory, opens it, closes it and opens it again with open.
func RunDurable(t *testing.T, open DirOpener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, dir string, open DirOpener)
	}{
		{"Reopen", testReopen},
		{"ReopenAfterRollback", testReopenAfterRollback},
		{"ReopenAfterCloseDuringUpdate", testReopenAfterCloseDuringUpdate},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, t.TempDir(), open)
		})
	}
}

func testReopen(t *testing.T, dir string, open DirOpener) {
	big := bytes.Repeat([]byte{0, 1, 2, 0xff}, 1<<18)
	s := open(t, dir)
	update(t, s, func(tx store.Tx) error {
		for _, w := range []func() error{
			func() error { return tx.Put("iam.user", "a/alice", []byte("alice")) },
			func() error { return tx.Put("iam.user", "a/bob", []byte("bob")) },
			func() error { return tx.Put("iam.user", "\x00\xff", []byte{0}) },
			func() error { return tx.Put("iam.role", "a/alice", big) },
			func() error { return tx.Put("iam.role", "empty", nil) },
		} {
			if err := w(); err != nil {
				return err
			}
		}
		return nil
	})
	update(t, s, func(tx store.Tx) error { return tx.Delete("iam.user", "a/bob") })
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	s = open(t, dir)
	view(t, s, func(tx store.Tx) error {
		wantValue(t, tx, "iam.user", "a/alice", []byte("alice"))
		wantMissing(t, tx, "iam.user", "a/bob")
		wantValue(t, tx, "iam.user", "\x00\xff", []byte{0})
		wantValue(t, tx, "iam.role", "a/alice", big)
		wantValue(t, tx, "iam.role", "empty", nil)
		wantKeys(t, tx, "iam.user", "", "", 0, []string{"\x00\xff", "a/alice"})
		return nil
	})
	putAll(t, s, "iam.user", record{"a/carol", []byte("carol")})
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	s = open(t, dir)
	view(t, s, func(tx store.Tx) error {
		wantKeys(t, tx, "iam.user", "a/", "", 0, []string{"a/alice", "a/carol"})
		wantCount(t, tx, "iam.role", "", 2)
		return nil
	})
}

func testReopenAfterRollback(t *testing.T, dir string, open DirOpener) {
	s := open(t, dir)
	putAll(t, s, "t", record{"kept", []byte("1")})
	err := s.Update(t.Context(), func(tx store.Tx) error {
		if err := tx.Put("t", "rolled-back", []byte("x")); err != nil {
			return err
		}
		if err := tx.Delete("t", "kept"); err != nil {
			return err
		}
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("Update = %v, want the error fn returned", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	s = open(t, dir)
	view(t, s, func(tx store.Tx) error {
		wantKeys(t, tx, "t", "", "", 0, []string{"kept"})
		return nil
	})
}

func testReopenAfterCloseDuringUpdate(t *testing.T, dir string, open DirOpener) {
	closeDuringUpdate(t, open(t, dir))
	s := open(t, dir)
	view(t, s, func(tx store.Tx) error {
		wantValue(t, tx, "t", "in-flight", []byte("committed"))
		return nil
	})
}
