package seed_test

import (
	"context"
	"crypto/rand"
	"path/filepath"
	"testing"
	"time"

	"rolegate/internal/secretbox"
	"rolegate/internal/seed"
	"rolegate/internal/store/sqlite"
)

// BenchmarkFill seeds 2,000 policies (20 accounts) into a fresh store per iteration; the
// million-policy store takes 500 of these.
func BenchmarkFill(b *testing.B) {
	key := make([]byte, 32)
	rand.Read(key)
	box, err := secretbox.New(key)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		db, err := sqlite.Open(filepath.Join(b.TempDir(), "rolegate.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := seed.Fill(context.Background(), db, box, seed.Plan{Policies: 2000}, time.Now(), rand.Reader); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
}
