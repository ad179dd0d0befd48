package storetest

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"

	"rolegate/internal/store"
)

var lifecycleTests = []suiteTest{
	{"ContextDoneBeforeStart", testContextDoneBeforeStart},
	{"Closed", testClosed},
	{"CloseWaitsForUpdate", func(t *testing.T, s store.Store) { closeDuringUpdate(t, s) }},
}

func testContextDoneBeforeStart(t *testing.T, s store.Store) {
	expired, cancel := context.WithDeadline(t.Context(), time.Unix(0, 0))
	defer cancel()
	tests := []struct {
		name string
		ctx  context.Context
		want error
	}{
		{"canceled", canceledContext(t), context.Canceled},
		{"deadline", expired, context.DeadlineExceeded},
	}
	for _, tc := range tests {
		called := false
		fn := func(tx store.Tx) error {
			called = true
			return tx.Put("t", "k", nil)
		}
		if err := s.Update(tc.ctx, fn); !errors.Is(err, tc.want) {
			t.Errorf("%s: Update = %v, want %v", tc.name, err, tc.want)
		}
		if err := s.View(tc.ctx, fn); !errors.Is(err, tc.want) {
			t.Errorf("%s: View = %v, want %v", tc.name, err, tc.want)
		}
		if called {
			t.Errorf("%s: fn ran under a done context", tc.name)
		}
	}
	// The store is unaffected.
	view(t, s, func(tx store.Tx) error {
		wantMissing(t, tx, "t", "k")
		return nil
	})
}

func testClosed(t *testing.T, s store.Store) {
	putAll(t, s, "t", record{"k", []byte("v")})
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	called := false
	fn := func(store.Tx) error {
		called = true
		return nil
	}
	if err := s.View(t.Context(), fn); !errors.Is(err, store.ErrClosed) {
		t.Errorf("View after Close = %v, want ErrClosed", err)
	}
	if err := s.Update(t.Context(), fn); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Update after Close = %v, want ErrClosed", err)
	}
	if called {
		t.Error("fn ran on a closed store")
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close = %v, want nil", err)
	}
}

// closeDuringUpdate calls Close while an Update is inside fn and checks that Close waits for it
// and the Update still commits. It returns with the store closed.
func closeDuringUpdate(t *testing.T, s store.Store) {
	entered, release := make(chan struct{}), make(chan struct{})
	updated := make(chan error, 1)
	go func() {
		updated <- s.Update(context.Background(), func(tx store.Tx) error {
			close(entered)
			<-release
			return tx.Put("t", "in-flight", []byte("committed"))
		})
	}()
	<-entered
	closed := make(chan error, 1)
	go func() { closed <- s.Close() }()
	// Wait until Close has taken effect: new transactions are refused.
	for {
		err := s.View(t.Context(), func(store.Tx) error { return nil })
		if errors.Is(err, store.ErrClosed) {
			break
		}
		if err != nil {
			close(release)
			t.Fatalf("View while closing: %v", err)
		}
		runtime.Gosched()
	}
	select {
	case err := <-closed:
		close(release)
		t.Fatalf("Close returned (%v) while an Update was running", err)
	default:
	}
	close(release)
	if err := <-updated; err != nil {
		t.Fatalf("Update in flight during Close: %v", err)
	}
	if err := <-closed; err != nil {
		t.Fatalf("Close: %v", err)
	}
}
