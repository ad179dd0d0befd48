package storetest

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"rolegate/internal/store"
)

var recordTests = []suiteTest{
	{"GetMissing", testGetMissing},
	{"PutGet", testPutGet},
	{"Insert", testInsert},
	{"Delete", testDelete},
	{"ReadOwnWrites", testReadOwnWrites},
	{"TablesIndependent", testTablesIndependent},
	{"KeysAreBytes", testKeysAreBytes},
	{"EmptyKey", testEmptyKey},
	{"BinaryValues", testBinaryValues},
	{"ValueOwnership", testValueOwnership},
}

func testGetMissing(t *testing.T, s store.Store) {
	view(t, s, func(tx store.Tx) error {
		wantMissing(t, tx, "t", "nothing")
		wantMissing(t, tx, "t", "")
		return nil
	})
	update(t, s, func(tx store.Tx) error {
		wantMissing(t, tx, "t", "nothing")
		if err := tx.Delete("t", "nothing"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("Delete of a missing key = %v, want ErrNotFound", err)
		}
		return nil
	})
}

func testPutGet(t *testing.T, s store.Store) {
	update(t, s, func(tx store.Tx) error {
		if err := tx.Put("t", "k", []byte("v1")); err != nil {
			return err
		}
		wantValue(t, tx, "t", "k", []byte("v1"))
		if err := tx.Put("t", "k", []byte("v2")); err != nil {
			return err
		}
		wantValue(t, tx, "t", "k", []byte("v2"))
		return tx.Put("t", "other", []byte("o"))
	})
	view(t, s, func(tx store.Tx) error {
		wantValue(t, tx, "t", "k", []byte("v2"))
		wantValue(t, tx, "t", "other", []byte("o"))
		return nil
	})
	putAll(t, s, "t", record{"k", []byte("a much longer third value")})
	view(t, s, func(tx store.Tx) error {
		wantValue(t, tx, "t", "k", []byte("a much longer third value"))
		wantCount(t, tx, "t", "", 2)
		return nil
	})
}

func testInsert(t *testing.T, s store.Store) {
	update(t, s, func(tx store.Tx) error {
		if err := tx.Insert("t", "k", []byte("first")); err != nil {
			t.Fatalf("Insert of a new key: %v", err)
		}
		if err := tx.Insert("t", "k", []byte("second")); !errors.Is(err, store.ErrExists) {
			t.Fatalf("Insert of a key written in the same transaction = %v, want ErrExists", err)
		}
		wantValue(t, tx, "t", "k", []byte("first"))
		return nil
	})
	update(t, s, func(tx store.Tx) error {
		if err := tx.Insert("t", "k", []byte("third")); !errors.Is(err, store.ErrExists) {
			t.Fatalf("Insert of a committed key = %v, want ErrExists", err)
		}
		wantValue(t, tx, "t", "k", []byte("first"))
		if err := tx.Delete("t", "k"); err != nil {
			return err
		}
		if err := tx.Insert("t", "k", []byte("fourth")); err != nil {
			t.Fatalf("Insert after Delete in the same transaction: %v", err)
		}
		return nil
	})
	view(t, s, func(tx store.Tx) error {
		wantValue(t, tx, "t", "k", []byte("fourth"))
		return nil
	})
}

func testDelete(t *testing.T, s store.Store) {
	putKeys(t, s, "t", []string{"a", "b", "c"})
	update(t, s, func(tx store.Tx) error {
		if err := tx.Delete("t", "b"); err != nil {
			t.Fatalf("Delete of a present key: %v", err)
		}
		wantMissing(t, tx, "t", "b")
		if err := tx.Delete("t", "b"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("second Delete = %v, want ErrNotFound", err)
		}
		return nil
	})
	view(t, s, func(tx store.Tx) error {
		wantMissing(t, tx, "t", "b")
		wantValue(t, tx, "t", "a", []byte("a"))
		wantValue(t, tx, "t", "c", []byte("c"))
		wantKeys(t, tx, "t", "", "", 0, []string{"a", "c"})
		wantCount(t, tx, "t", "", 2)
		return nil
	})
	// A deleted key can be put back.
	putAll(t, s, "t", record{"b", []byte("again")})
	view(t, s, func(tx store.Tx) error {
		wantValue(t, tx, "t", "b", []byte("again"))
		return nil
	})
}

func testReadOwnWrites(t *testing.T, s store.Store) {
	putKeys(t, s, "t", []string{"a", "b", "c"})
	update(t, s, func(tx store.Tx) error {
		if err := tx.Put("t", "bb", []byte("new")); err != nil {
			return err
		}
		if err := tx.Delete("t", "c"); err != nil {
			return err
		}
		wantValue(t, tx, "t", "bb", []byte("new"))
		wantMissing(t, tx, "t", "c")
		wantKeys(t, tx, "t", "", "", 0, []string{"a", "b", "bb"})
		wantKeys(t, tx, "t", "b", "", 0, []string{"b", "bb"})
		wantCount(t, tx, "t", "", 3)
		wantCount(t, tx, "t", "b", 2)
		return nil
	})
}

// testTablesIndependent uses table and key pairs that collide if a driver joins table and key
// into one string, and table names that are prefixes of each other.
func testTablesIndependent(t *testing.T, s store.Store) {
	pairs := []struct {
		tbl store.Table
		key string
	}{
		{"a", "b/c"}, {"a/b", "c"}, {"a", "bc"}, {"ab", "c"},
		{"iam.user", "k"}, {"iam.users", "k"}, {"iam", "k"}, {"iam.user.x", "k"},
	}
	update(t, s, func(tx store.Tx) error {
		for _, p := range pairs {
			if err := tx.Insert(p.tbl, p.key, []byte(string(p.tbl)+"|"+p.key)); err != nil {
				t.Fatalf("Insert(%s, %q): %v", p.tbl, p.key, err)
			}
		}
		return nil
	})
	view(t, s, func(tx store.Tx) error {
		for _, p := range pairs {
			wantValue(t, tx, p.tbl, p.key, []byte(string(p.tbl)+"|"+p.key))
		}
		wantKeys(t, tx, "a", "", "", 0, []string{"b/c", "bc"})
		wantKeys(t, tx, "a/b", "", "", 0, []string{"c"})
		wantKeys(t, tx, "iam.user", "", "", 0, []string{"k"})
		wantCount(t, tx, "iam", "", 1)
		wantCount(t, tx, "ia", "", 0)
		wantMissing(t, tx, "a", "b")
		wantMissing(t, tx, "iam.use", "k")
		return nil
	})
	update(t, s, func(tx store.Tx) error { return tx.Delete("iam.user", "k") })
	view(t, s, func(tx store.Tx) error {
		wantMissing(t, tx, "iam.user", "k")
		for _, tbl := range []store.Table{"iam.users", "iam", "iam.user.x"} {
			wantValue(t, tx, tbl, "k", []byte(string(tbl)+"|k"))
		}
		return nil
	})
}

// testKeysAreBytes stores keys holding bytes that text-oriented storage mangles.
func testKeysAreBytes(t *testing.T, s store.Store) {
	keys := []string{
		"\x00", "a\x00", "a\x00b", "\xff", "\xfe\xff", "\xc3\x28", "\xed\xa0\x80",
		"é", "e\u0301", "%", "_", "\\", "'", "\"", "a b", "\n",
		strings.Repeat("k", 1024),
	}
	update(t, s, func(tx store.Tx) error {
		for i, k := range keys {
			if err := tx.Insert("t", k, []byte{byte(i)}); err != nil {
				t.Fatalf("Insert(%q): %v", k, err)
			}
		}
		return nil
	})
	view(t, s, func(tx store.Tx) error {
		for i, k := range keys {
			wantValue(t, tx, "t", k, []byte{byte(i)})
		}
		wantCount(t, tx, "t", "", len(keys))
		// "é" precomposed and decomposed are different keys; so are "a" and "a\x00".
		wantMissing(t, tx, "t", "a")
		wantMissing(t, tx, "t", "E\u0301")
		return nil
	})
}

func testEmptyKey(t *testing.T, s store.Store) {
	update(t, s, func(tx store.Tx) error {
		if err := tx.Put("t", "", []byte("v")); err == nil {
			t.Error("Put under the empty key succeeded")
		}
		if err := tx.Insert("t", "", []byte("v")); err == nil {
			t.Error("Insert under the empty key succeeded")
		}
		wantMissing(t, tx, "t", "")
		if err := tx.Delete("t", ""); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Delete of the empty key = %v, want ErrNotFound", err)
		}
		return tx.Put("t", "k", nil)
	})
	view(t, s, func(tx store.Tx) error {
		wantKeys(t, tx, "t", "", "", 0, []string{"k"})
		return nil
	})
}

func testBinaryValues(t *testing.T, s store.Store) {
	every := make([]byte, 256)
	for i := range every {
		every[i] = byte(i)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	large := make([]byte, 16<<20)
	for i := range large {
		large[i] = byte(rng.Uint32())
	}
	tests := []struct {
		name string
		val  []byte
	}{
		{"nil", nil},
		{"empty", []byte{}},
		{"nul", []byte{0}},
		{"every-byte", every},
		{"high-bytes", bytes.Repeat([]byte{0xff, 0xfe, 0x80}, 100)},
		{"invalid-utf8", []byte("\xc3\x28\xa0\xa1")},
		{"text", []byte("{\"PolicyName\": \"é\"}")},
		{"large", large},
	}
	update(t, s, func(tx store.Tx) error {
		for _, tc := range tests {
			if err := tx.Put("t", tc.name, tc.val); err != nil {
				t.Fatalf("Put(%s): %v", tc.name, err)
			}
			wantValue(t, tx, "t", tc.name, tc.val)
		}
		return nil
	})
	view(t, s, func(tx store.Tx) error {
		for _, tc := range tests {
			wantValue(t, tx, "t", tc.name, tc.val)
		}
		want := map[string][]byte{}
		for _, tc := range tests {
			want[tc.name] = tc.val
		}
		err := tx.Scan("t", "", "", 0, func(k string, v []byte) error {
			w, ok := want[k]
			if !ok {
				t.Errorf("Scan visited unexpected key %q", k)
			}
			if !bytes.Equal(v, w) {
				t.Errorf("Scan value of %s = %s, want %s", k, short(v), short(w))
			}
			delete(want, k)
			return nil
		})
		if len(want) != 0 {
			t.Errorf("Scan did not visit %d keys", len(want))
		}
		return err
	})
}

func testValueOwnership(t *testing.T, s store.Store) {
	buf := []byte("original")
	update(t, s, func(tx store.Tx) error {
		if err := tx.Put("t", "k", buf); err != nil {
			return err
		}
		copy(buf, "XXXXXXXX")
		wantValue(t, tx, "t", "k", []byte("original"))
		return nil
	})
	view(t, s, func(tx store.Tx) error {
		got, err := tx.Get("t", "k")
		if err != nil {
			return err
		}
		copy(got, "YYYYYYYY")
		wantValue(t, tx, "t", "k", []byte("original"))
		return nil
	})
}
