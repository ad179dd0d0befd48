package sqlite_test

import (
	"path/filepath"
	"testing"

	"rolegate/internal/store"
	"rolegate/internal/store/sqlite"
	"rolegate/internal/store/storetest"
)

// openIn opens the database file of dir and closes it when the test ends.
func openIn(t *testing.T, dir string) *sqlite.DB {
	t.Helper()
	d, err := sqlite.Open(filepath.Join(dir, "rolegate.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := d.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return d
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openIn(t, t.TempDir()) })
}

func TestDurable(t *testing.T) {
	storetest.RunDurable(t, func(t *testing.T, dir string) store.Store { return openIn(t, dir) })
}
