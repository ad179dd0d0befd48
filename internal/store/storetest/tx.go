package storetest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"rolegate/internal/store"
)

var txTests = []suiteTest{
	{"UpdateRollback", testUpdateRollback},
	{"UpdateRollbackAfterFailedWrite", testUpdateRollbackAfterFailedWrite},
	{"PanicRollsBack", testPanicRollsBack},
	{"ViewRejectsWrites", testViewRejectsWrites},
	{"ViewReturnsFnError", testViewReturnsFnError},
	{"ViewSnapshot", testViewSnapshot},
	{"ConcurrentUpdates", testConcurrentUpdates},
}

func testUpdateRollback(t *testing.T, s store.Store) {
	putAll(t, s, "t", record{"a", []byte("1")}, record{"c", []byte("3")})
	err := s.Update(t.Context(), func(tx store.Tx) error {
		for _, w := range []func() error{
			func() error { return tx.Put("t", "a", []byte("2")) },
			func() error { return tx.Put("t", "b", []byte("2")) },
			func() error { return tx.Insert("t", "d", []byte("4")) },
			func() error { return tx.Delete("t", "c") },
			func() error { return tx.Put("other", "x", []byte("x")) },
		} {
			if err := w(); err != nil {
				t.Fatalf("write before rollback: %v", err)
			}
		}
		return fmt.Errorf("wrapped: %w", errBoom)
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("Update = %v, want the error fn returned", err)
	}
	view(t, s, func(tx store.Tx) error {
		wantValue(t, tx, "t", "a", []byte("1"))
		wantMissing(t, tx, "t", "b")
		wantValue(t, tx, "t", "c", []byte("3"))
		wantMissing(t, tx, "t", "d")
		wantMissing(t, tx, "other", "x")
		wantKeys(t, tx, "t", "", "", 0, []string{"a", "c"})
		wantCount(t, tx, "other", "", 0)
		return nil
	})
}

// testUpdateRollbackAfterFailedWrite returns the ErrExists of an Insert from fn, the usual way a
// service reports a name clash, and checks that the writes before it are rolled back.
func testUpdateRollbackAfterFailedWrite(t *testing.T, s store.Store) {
	putAll(t, s, "t", record{"taken", []byte("old")})
	err := s.Update(t.Context(), func(tx store.Tx) error {
		if err := tx.Put("t", "index/taken", []byte("ptr")); err != nil {
			return err
		}
		return tx.Insert("t", "taken", []byte("new"))
	})
	if !errors.Is(err, store.ErrExists) {
		t.Fatalf("Update = %v, want ErrExists", err)
	}
	view(t, s, func(tx store.Tx) error {
		wantValue(t, tx, "t", "taken", []byte("old"))
		wantMissing(t, tx, "t", "index/taken")
		return nil
	})
}

func testPanicRollsBack(t *testing.T, s store.Store) {
	mustPanic := func(name string, run func()) {
		t.Helper()
		defer func() {
			if r := recover(); r != errBoom {
				t.Fatalf("%s: recovered %v, want the panic value", name, r)
			}
		}()
		run()
	}
	mustPanic("Update", func() {
		_ = s.Update(t.Context(), func(tx store.Tx) error {
			if err := tx.Put("t", "k", []byte("v")); err != nil {
				t.Fatalf("Put: %v", err)
			}
			panic(errBoom)
		})
	})
	mustPanic("View", func() {
		_ = s.View(t.Context(), func(store.Tx) error { panic(errBoom) })
	})
	// The store is still usable: the panicking transactions released what they held.
	view(t, s, func(tx store.Tx) error {
		wantMissing(t, tx, "t", "k")
		return nil
	})
	putAll(t, s, "t", record{"k", []byte("after")})
	view(t, s, func(tx store.Tx) error {
		wantValue(t, tx, "t", "k", []byte("after"))
		return nil
	})
}

func testViewRejectsWrites(t *testing.T, s store.Store) {
	putAll(t, s, "t", record{"present", []byte("v")})
	view(t, s, func(tx store.Tx) error {
		if err := tx.Put("t", "new", []byte("x")); err == nil {
			t.Error("Put in a View succeeded")
		}
		if err := tx.Put("t", "present", []byte("x")); err == nil {
			t.Error("Put over a present key in a View succeeded")
		}
		if err := tx.Insert("t", "new2", []byte("x")); err == nil {
			t.Error("Insert in a View succeeded")
		}
		if err := tx.Delete("t", "present"); err == nil {
			t.Error("Delete in a View succeeded")
		}
		// The rejected writes are not even visible inside the View.
		wantMissing(t, tx, "t", "new")
		wantValue(t, tx, "t", "present", []byte("v"))
		return nil
	})
	view(t, s, func(tx store.Tx) error {
		wantKeys(t, tx, "t", "", "", 0, []string{"present"})
		wantValue(t, tx, "t", "present", []byte("v"))
		return nil
	})
}

func testViewReturnsFnError(t *testing.T, s store.Store) {
	err := s.View(t.Context(), func(store.Tx) error { return fmt.Errorf("wrapped: %w", errBoom) })
	if !errors.Is(err, errBoom) {
		t.Fatalf("View = %v, want the error fn returned", err)
	}
}

// testViewSnapshot commits an Update in the middle of a View: the View keeps reading the state
// it started from, and a View started afterwards sees the Update.
func testViewSnapshot(t *testing.T, s store.Store) {
	putAll(t, s, "t", record{"x", []byte("1")}, record{"y", []byte("1")},
		record{"p/1", nil}, record{"p/2", nil}, record{"p/3", nil})
	check := func(tx store.Tx) {
		t.Helper()
		wantValue(t, tx, "t", "x", []byte("1"))
		wantValue(t, tx, "t", "y", []byte("1"))
		wantKeys(t, tx, "t", "p/", "", 0, []string{"p/1", "p/2", "p/3"})
		wantCount(t, tx, "t", "p/", 3)
		wantMissing(t, tx, "t", "z")
	}
	view(t, s, func(tx store.Tx) error {
		check(tx)
		// A driver whose readers block the writer would hang here; the timeout turns that into
		// a failure instead.
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		defer cancel()
		err := s.Update(ctx, func(tx store.Tx) error {
			for _, w := range []func() error{
				func() error { return tx.Put("t", "x", []byte("2")) },
				func() error { return tx.Put("t", "y", []byte("2")) },
				func() error { return tx.Put("t", "z", []byte("2")) },
				func() error { return tx.Delete("t", "p/1") },
				func() error { return tx.Put("t", "p/4", nil) },
			} {
				if err := w(); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("Update during a View: %v", err)
		}
		check(tx)
		return nil
	})
	view(t, s, func(tx store.Tx) error {
		wantValue(t, tx, "t", "x", []byte("2"))
		wantValue(t, tx, "t", "z", []byte("2"))
		wantKeys(t, tx, "t", "p/", "", 0, []string{"p/2", "p/3", "p/4"})
		return nil
	})
}

// testConcurrentUpdates increments two counters together from many goroutines while readers
// check that they never see one incremented without the other.
func testConcurrentUpdates(t *testing.T, s store.Store) {
	const writers, perWriter = 8, 25
	readCounter := func(tx store.Tx, key string) (int, error) {
		v, err := tx.Get("t", key)
		if errors.Is(err, store.ErrNotFound) {
			return 0, nil
		}
		if err != nil {
			return 0, err
		}
		return strconv.Atoi(string(v))
	}
	increment := func(tx store.Tx) error {
		for _, key := range []string{"n", "m"} {
			n, err := readCounter(tx, key)
			if err != nil {
				return err
			}
			if err := tx.Put("t", key, []byte(strconv.Itoa(n+1))); err != nil {
				return err
			}
		}
		return nil
	}
	ctx := t.Context()
	done := make(chan struct{})
	var readers sync.WaitGroup
	for range 2 {
		readers.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				err := s.View(ctx, func(tx store.Tx) error {
					n, err := readCounter(tx, "n")
					if err != nil {
						return err
					}
					m, err := readCounter(tx, "m")
					if err != nil {
						return err
					}
					if n != m {
						return fmt.Errorf("View saw n=%d m=%d: a transaction was torn", n, m)
					}
					return nil
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	var writersWG sync.WaitGroup
	for range writers {
		writersWG.Go(func() {
			for range perWriter {
				if err := s.Update(ctx, increment); err != nil {
					t.Errorf("Update: %v", err)
					return
				}
			}
		})
	}
	writersWG.Wait()
	close(done)
	readers.Wait()
	view(t, s, func(tx store.Tx) error {
		for _, key := range []string{"n", "m"} {
			wantValue(t, tx, "t", key, []byte(strconv.Itoa(writers*perWriter)))
		}
		return nil
	})
}
