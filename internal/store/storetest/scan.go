package storetest

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"rolegate/internal/store"
)

var scanTests = []suiteTest{
	{"ScanByteOrder", testScanByteOrder},
	{"ScanPrefix", testScanPrefix},
	{"ScanAfter", testScanAfter},
	{"ScanLimit", testScanLimit},
	{"ScanPaginate", testScanPaginate},
	{"ScanRandomQueries", testScanRandomQueries},
	{"ScanValues", testScanValues},
	{"ScanFnError", testScanFnError},
	{"ScanWhileWriting", testScanWhileWriting},
	{"CountEmpty", testCountEmpty},
}

// orderKeys sort differently under byte order, UTF-16 order, case folding or locale collation,
// and contain the characters SQL LIKE treats as wildcards.
var orderKeys = []string{
	"\x00", "\x01", " ", "%", "/", "0", "9", "A", "Z", "_", "a", "a\x00", "a%", "a%b", "a/",
	"a/b", "a/b/c", "a0", "a_", "a_b", "aB", "ab", "abc", "a\x7f", "a\x80", "a\xff", "b", "z",
	"\x7f", "\u00e9", "\u00fc", "\u65e5\u672c", "\uff5e", "\ufffd", "\U0001f600", "\U0001f600x",
	"\xff", "\xff\x00", "\xff\xff", "\xff\xff\xff",
}

// reference answers a Scan over keys by brute force.
func reference(keys []string, prefix, after string, limit int) []string {
	sorted := slices.Clone(keys)
	slices.Sort(sorted)
	out := []string{}
	for _, k := range sorted {
		if !strings.HasPrefix(k, prefix) || (after != "" && k <= after) {
			continue
		}
		if limit > 0 && len(out) == limit {
			break
		}
		out = append(out, k)
	}
	return out
}

// shuffled returns keys in a fixed pseudo-random order so insertion order never matches key order.
func shuffled(keys []string) []string {
	out := slices.Clone(keys)
	rand.New(rand.NewPCG(7, 7)).Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func testScanByteOrder(t *testing.T, s store.Store) {
	putKeys(t, s, "t", shuffled(orderKeys))
	want := slices.Clone(orderKeys)
	slices.Sort(want)
	view(t, s, func(tx store.Tx) error {
		wantKeys(t, tx, "t", "", "", 0, want)
		return nil
	})
}

func testScanPrefix(t *testing.T, s store.Store) {
	putKeys(t, s, "t", shuffled(orderKeys))
	// Neighbouring tables must not leak into the scan.
	putKeys(t, s, "t2", []string{"a", "a/b", "\xff"})
	putKeys(t, s, "s", []string{"a", "a/b", "\xff"})
	prefixes := []string{
		"", "a", "a/", "a/b", "a%", "a_", "%", "_", "a\x00", "\x00", "\xff", "\xff\xff",
		"\u00e9", "\u65e5", "\xf0\x9f", "\U0001f600", "nomatch", "a/b/c/d", "abc", "zz",
	}
	view(t, s, func(tx store.Tx) error {
		for _, p := range prefixes {
			want := reference(orderKeys, p, "", 0)
			wantKeys(t, tx, "t", p, "", 0, want)
			wantCount(t, tx, "t", p, len(want))
		}
		return nil
	})
}

func testScanAfter(t *testing.T, s store.Store) {
	putKeys(t, s, "t", shuffled(orderKeys))
	tests := []struct{ prefix, after string }{
		{"", "a"},             // an existing key is excluded
		{"", "a/a"},           // a key that does not exist
		{"", "\xff\xff\xff"},  // the last key
		{"", "\xff\xff\xff0"}, // beyond the end
		{"a", "0"},            // before the prefix range
		{"a", "a"},            // the prefix itself, which is also a key
		{"a/", "a/"},          // the prefix itself
		{"a", "a/b"},          // inside the range
		{"a", "b"},            // beyond the prefix range
		{"a", "\xff"},         // far beyond the prefix range
		{"a%", "a%"},          // wildcard characters in both
		{"a_", "a%b"},         // after sorts before prefix
		{"\xff", "\xff"},      // prefix with no successor byte
		{"\xff\xff", "\xff\xff\x00"},
		{"", "\x00"},
	}
	view(t, s, func(tx store.Tx) error {
		for _, tc := range tests {
			wantKeys(t, tx, "t", tc.prefix, tc.after, 0, reference(orderKeys, tc.prefix, tc.after, 0))
		}
		return nil
	})
}

func testScanLimit(t *testing.T, s store.Store) {
	putKeys(t, s, "t", shuffled(orderKeys))
	view(t, s, func(tx store.Tx) error {
		for _, limit := range []int{-1, 0, 1, 2, 3, len(orderKeys) - 1, len(orderKeys), len(orderKeys) + 5} {
			wantKeys(t, tx, "t", "", "", limit, reference(orderKeys, "", "", limit))
			wantKeys(t, tx, "t", "a", "a%", limit, reference(orderKeys, "a", "a%", limit))
		}
		return nil
	})
}

// testScanPaginate walks a range page by page, each page starting after the last key of the
// previous one, and checks that the pages add up to the whole range.
func testScanPaginate(t *testing.T, s store.Store) {
	putKeys(t, s, "t", shuffled(orderKeys))
	view(t, s, func(tx store.Tx) error {
		for _, prefix := range []string{"", "a", "a/", "\xff"} {
			want := reference(orderKeys, prefix, "", 0)
			for _, size := range []int{1, 2, 3, 7, len(want)} {
				if size == 0 {
					continue
				}
				var got []string
				after := ""
				for pages := 0; ; pages++ {
					if pages > len(want)+1 {
						t.Fatalf("prefix %q size %d: pagination does not end", prefix, size)
					}
					recs, err := scanAll(tx, "t", prefix, after, size)
					if err != nil {
						return err
					}
					if len(recs) > size {
						t.Fatalf("prefix %q: page of %d records with limit %d", prefix, len(recs), size)
					}
					if len(recs) == 0 {
						break
					}
					got = append(got, keysOf(recs)...)
					after = recs[len(recs)-1].key
				}
				if !slices.Equal(got, want) {
					t.Fatalf("prefix %q size %d pages\n got %q\nwant %q", prefix, size, got, want)
				}
			}
		}
		return nil
	})
}

// testScanRandomQueries compares many random prefix/after/limit queries over random binary keys
// against the brute-force reference.
func testScanRandomQueries(t *testing.T, s store.Store) {
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []byte{0x00, 0x01, '%', '/', '_', 'a', 'b', 0x7f, 0x80, 0xc3, 0xff}
	randKey := func(min, max int) string {
		b := make([]byte, min+rng.IntN(max-min+1))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(b)
	}
	seen := map[string]bool{}
	var keys []string
	for len(keys) < 400 {
		if k := randKey(1, 6); !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	putKeys(t, s, "t", keys)
	view(t, s, func(tx store.Tx) error {
		for range 300 {
			prefix, after, limit := randKey(0, 2), randKey(0, 4), rng.IntN(12)-2
			if rng.IntN(3) == 0 {
				after = ""
			}
			wantKeys(t, tx, "t", prefix, after, limit, reference(keys, prefix, after, limit))
			if after == "" && limit <= 0 {
				wantCount(t, tx, "t", prefix, len(reference(keys, prefix, "", 0)))
			}
		}
		return nil
	})
}

func testScanValues(t *testing.T, s store.Store) {
	recs := []record{{"k/1", []byte("one")}, {"k/2", nil}, {"k/3", []byte{0, 0xff, 0}}}
	putAll(t, s, "t", recs...)
	view(t, s, func(tx store.Tx) error {
		got, err := scanAll(tx, "t", "k/", "", 0)
		if err != nil {
			return err
		}
		if len(got) != len(recs) {
			t.Fatalf("Scan visited %d records, want %d", len(got), len(recs))
		}
		for i := range recs {
			if got[i].key != recs[i].key || !bytes.Equal(got[i].val, recs[i].val) {
				t.Errorf("record %d = %q %q, want %q %q", i, got[i].key, got[i].val, recs[i].key, recs[i].val)
			}
		}
		return nil
	})
}

func testScanFnError(t *testing.T, s store.Store) {
	putKeys(t, s, "t", []string{"a", "b", "c", "d"})
	update(t, s, func(tx store.Tx) error {
		calls := 0
		err := tx.Scan("t", "", "", 0, func(string, []byte) error {
			calls++
			if calls == 2 {
				return errBoom
			}
			return nil
		})
		if !errors.Is(err, errBoom) {
			t.Fatalf("Scan = %v, want the error fn returned", err)
		}
		if calls != 2 {
			t.Fatalf("fn called %d times after returning an error on call 2", calls)
		}
		// The transaction is still usable after an aborted scan.
		wantValue(t, tx, "t", "d", []byte("d"))
		return tx.Put("t", "e", []byte("e"))
	})
	view(t, s, func(tx store.Tx) error {
		wantValue(t, tx, "t", "e", []byte("e"))
		return nil
	})
}

// testScanWhileWriting deletes or overwrites each key from inside the Scan callback, the way a
// service clears or rewrites all records under a prefix.
func testScanWhileWriting(t *testing.T, s store.Store) {
	var keys []string
	for i := range 300 {
		keys = append(keys, fmt.Sprintf("p/%d", i))
	}
	slices.Sort(keys)
	putKeys(t, s, "t", keys)
	putKeys(t, s, "t", []string{"q/keep"})
	update(t, s, func(tx store.Tx) error {
		var visited []string
		err := tx.Scan("t", "p/", "", 0, func(k string, v []byte) error {
			visited = append(visited, k)
			wantValue(t, tx, "t", k, []byte(k))
			return tx.Put("t", k, append([]byte("new:"), v...))
		})
		if err != nil {
			return err
		}
		if !slices.Equal(visited, keys) {
			t.Fatalf("overwriting scan visited %d keys, want %d in order", len(visited), len(keys))
		}
		visited = nil
		err = tx.Scan("t", "p/", "", 0, func(k string, v []byte) error {
			visited = append(visited, k)
			if want := "new:" + k; string(v) != want {
				t.Fatalf("value of %q = %q, want %q", k, v, want)
			}
			return tx.Delete("t", k)
		})
		if err != nil {
			return err
		}
		if !slices.Equal(visited, keys) {
			t.Fatalf("deleting scan visited %d keys, want %d in order", len(visited), len(keys))
		}
		wantCount(t, tx, "t", "p/", 0)
		return nil
	})
	view(t, s, func(tx store.Tx) error {
		wantKeys(t, tx, "t", "", "", 0, []string{"q/keep"})
		return nil
	})
}

func testCountEmpty(t *testing.T, s store.Store) {
	view(t, s, func(tx store.Tx) error {
		wantCount(t, tx, "t", "", 0)
		wantKeys(t, tx, "t", "", "", 0, nil)
		return nil
	})
	putKeys(t, s, "t", []string{"a"})
	update(t, s, func(tx store.Tx) error { return tx.Delete("t", "a") })
	view(t, s, func(tx store.Tx) error {
		wantCount(t, tx, "t", "", 0)
		wantCount(t, tx, "t", "a", 0)
		return nil
	})
}
