package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"rolegate/internal/store"
	"rolegate/internal/store/sqlite"
)

// benchDB opens a database in a fresh directory holding n records "k/%08d" of 100 bytes.
func benchDB(b *testing.B, n int) *sqlite.DB {
	b.Helper()
	d, err := sqlite.Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { d.Close() })
	val := make([]byte, 100)
	err = d.Update(context.Background(), func(tx store.Tx) error {
		for i := range n {
			if err := tx.Put("bench", benchKey(i), val); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return d
}

func benchKey(i int) string { return fmt.Sprintf("k/%08d", i) }

// BenchmarkViewGet is one point read the way a service does it: a View holding one Get.
func BenchmarkViewGet(b *testing.B) {
	const n = 10_000
	d := benchDB(b, n)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		err := d.View(ctx, func(tx store.Tx) error {
			_, err := tx.Get("bench", benchKey(i*7919%n))
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkViewGetParallel runs point reads from all procs to show the reader pool scaling.
func BenchmarkViewGetParallel(b *testing.B) {
	const n = 10_000
	d := benchDB(b, n)
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			err := d.View(ctx, func(tx store.Tx) error {
				_, err := tx.Get("bench", benchKey(i*7919%n))
				return err
			})
			if err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
}

// BenchmarkGet is the cost of a Get alone, inside a View that is already open.
func BenchmarkGet(b *testing.B) {
	const n = 10_000
	d := benchDB(b, n)
	b.ReportAllocs()
	err := d.View(context.Background(), func(tx store.Tx) error {
		i := 0
		for b.Loop() {
			if _, err := tx.Get("bench", benchKey(i*7919%n)); err != nil {
				return err
			}
			i++
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkUpdatePut commits one Put per Update: the cost is dominated by the WAL fsync.
func BenchmarkUpdatePut(b *testing.B) {
	d := benchDB(b, 0)
	ctx := context.Background()
	val := make([]byte, 100)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		err := d.Update(ctx, func(tx store.Tx) error { return tx.Put("bench", benchKey(i), val) })
		if err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkScan100 reads 100 consecutive records in a View.
func BenchmarkScan100(b *testing.B) {
	const n = 10_000
	d := benchDB(b, n)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		after := benchKey(i * 100 % (n - 100))
		seen := 0
		err := d.View(ctx, func(tx store.Tx) error {
			return tx.Scan("bench", "k/", after, 100, func(string, []byte) error {
				seen++
				return nil
			})
		})
		if err != nil || seen != 100 {
			b.Fatalf("Scan: %d records, %v", seen, err)
		}
		i++
	}
}

// BenchmarkBulkLoad inserts b.N records of about 60 bytes in a single Update, the way a seeding
// tool loads a data set, in key order and in scattered order. The time includes the commit and
// the checkpoint at Close. Run with -benchtime=1000000x for the one-million-record figure; the
// file-MB metric is the database size afterwards.
func BenchmarkBulkLoad(b *testing.B) {
	for _, tc := range []struct {
		name string
		key  func(i int) string
	}{
		{"sorted", func(i int) string { return fmt.Sprintf("123456789012/u%09d", i) }},
		// Multiplying by an odd constant modulo 2^32 permutes the indexes.
		{"scattered", func(i int) string { return fmt.Sprintf("123456789012/u%010d", uint32(i)*2654435761) }},
	} {
		b.Run(tc.name, func(b *testing.B) { bulkLoad(b, tc.key) })
	}
}

func bulkLoad(b *testing.B, key func(int) string) {
	path := filepath.Join(b.TempDir(), "bulk.db")
	d, err := sqlite.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	val := []byte(`{"Arn":"arn:aws:iam::123456789012:user/u","Id":"AIDA0000"}`)
	b.ReportAllocs()
	b.ResetTimer()
	err = d.Update(context.Background(), func(tx store.Tx) error {
		for i := range b.N {
			if err := tx.Put("iam.user", key(i), val); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if err := d.Close(); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(fi.Size())/(1<<20), "file-MB")
}
