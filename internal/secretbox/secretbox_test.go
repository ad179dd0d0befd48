package secretbox_test

import (
	"bytes"
	"errors"
	"testing"

	"rolegate/internal/secretbox"
)

func testKey(b byte) []byte { return bytes.Repeat([]byte{b}, secretbox.KeySize) }

func newBox(t testing.TB, b byte) *secretbox.Box {
	t.Helper()
	box, err := secretbox.New(testKey(b))
	if err != nil {
		t.Fatal(err)
	}
	return box
}

func TestRoundTrip(t *testing.T) {
	box := newBox(t, 1)
	tests := []struct {
		name      string
		plaintext []byte
		ad        []byte
	}{
		{"secret-key", []byte("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), []byte("AKIAIOSFODNN7EXAMPLE")},
		{"empty", nil, []byte("id")},
		{"no-ad", []byte("x"), nil},
		{"binary", []byte{0, 1, 0xff, 0}, []byte{0}},
		{"large", bytes.Repeat([]byte("k"), 1<<20), []byte("ring/3")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sealed := box.Seal(tc.plaintext, tc.ad)
			if len(sealed) != len(tc.plaintext)+box.Overhead() {
				t.Errorf("sealed length %d, want %d", len(sealed), len(tc.plaintext)+box.Overhead())
			}
			if sealed[0] != 1 {
				t.Errorf("version byte %d, want 1", sealed[0])
			}
			if len(tc.plaintext) >= 8 && bytes.Contains(sealed, tc.plaintext[:8]) {
				t.Error("sealed value contains the plaintext")
			}
			got, err := box.Open(sealed, tc.ad)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if !bytes.Equal(got, tc.plaintext) {
				t.Fatalf("Open = %q, want %q", got, tc.plaintext)
			}
		})
	}
}

func TestNoncesAreFresh(t *testing.T) {
	box := newBox(t, 1)
	seen := map[string]bool{}
	for range 100 {
		sealed := box.Seal([]byte("same secret"), []byte("same id"))
		nonce := string(sealed[1:13])
		if seen[nonce] {
			t.Fatal("a nonce repeated")
		}
		seen[nonce] = true
	}
}

// TestTamperEveryByte flips every bit of a sealed value, truncates it at every length and
// extends it; each variant must be rejected with ErrOpen.
func TestTamperEveryByte(t *testing.T) {
	box := newBox(t, 1)
	ad := []byte("AKIAIOSFODNN7EXAMPLE")
	sealed := box.Seal([]byte("wJalrXUtnFEMI/K7MDENG"), ad)
	for i := range sealed {
		for bit := range 8 {
			bad := bytes.Clone(sealed)
			bad[i] ^= 1 << bit
			if got, err := box.Open(bad, ad); !errors.Is(err, secretbox.ErrOpen) || got != nil {
				t.Fatalf("flip byte %d bit %d: Open = %q, %v; want ErrOpen", i, bit, got, err)
			}
		}
	}
	for n := range len(sealed) {
		if _, err := box.Open(sealed[:n], ad); !errors.Is(err, secretbox.ErrOpen) {
			t.Fatalf("truncated to %d bytes: Open = %v, want ErrOpen", n, err)
		}
	}
	if _, err := box.Open(append(bytes.Clone(sealed), 0), ad); !errors.Is(err, secretbox.ErrOpen) {
		t.Fatalf("extended: Open = %v, want ErrOpen", err)
	}
}

func TestWrongKey(t *testing.T) {
	sealed := newBox(t, 1).Seal([]byte("secret"), []byte("id"))
	if _, err := newBox(t, 2).Open(sealed, []byte("id")); !errors.Is(err, secretbox.ErrOpen) {
		t.Fatalf("Open under another key = %v, want ErrOpen", err)
	}
}

// TestWrongAssociatedData covers a secret moved to another record: the associated data names
// the record, so the secret does not open there.
func TestWrongAssociatedData(t *testing.T) {
	box := newBox(t, 1)
	sealed := box.Seal([]byte("secret of key 1"), []byte("AKIA0000000000000001"))
	for _, ad := range [][]byte{
		[]byte("AKIA0000000000000002"),
		[]byte("AKIA000000000000000"),
		[]byte("AKIA00000000000000010"),
		[]byte{0x01, 'A', 'K', 'I', 'A'},
		nil,
	} {
		if _, err := box.Open(sealed, ad); !errors.Is(err, secretbox.ErrOpen) {
			t.Errorf("Open with associated data %q = %v, want ErrOpen", ad, err)
		}
	}
	// Nil and empty associated data are the same.
	sealed = box.Seal([]byte("s"), nil)
	if _, err := box.Open(sealed, []byte{}); err != nil {
		t.Errorf("Open with empty associated data of a value sealed with nil: %v", err)
	}
}

func TestNewRejectsBadKeys(t *testing.T) {
	for _, n := range []int{0, 16, 24, 31, 33, 64} {
		if _, err := secretbox.New(make([]byte, n)); !errors.Is(err, secretbox.ErrKey) {
			t.Errorf("New with a %d-byte key = %v, want ErrKey", n, err)
		}
	}
}

func TestNewDoesNotKeepKey(t *testing.T) {
	key := testKey(7)
	box, err := secretbox.New(key)
	if err != nil {
		t.Fatal(err)
	}
	sealed := box.Seal([]byte("s"), nil)
	clear(key)
	if _, err := box.Open(sealed, nil); err != nil {
		t.Fatalf("Open after the caller cleared its key: %v", err)
	}
}

func FuzzOpen(f *testing.F) {
	box := newBox(f, 1)
	f.Add(box.Seal([]byte("secret"), []byte("id")), []byte("id"))
	f.Add([]byte{1}, []byte(nil))
	f.Add([]byte{}, []byte("x"))
	f.Fuzz(func(t *testing.T, sealed, ad []byte) {
		got, err := box.Open(sealed, ad)
		if err != nil {
			if !errors.Is(err, secretbox.ErrOpen) || got != nil {
				t.Fatalf("Open = %q, %v; want nil, ErrOpen", got, err)
			}
			return
		}
		// Only a genuine sealed value opens; resealing it must round trip.
		if again, err := box.Open(box.Seal(got, ad), ad); err != nil || !bytes.Equal(again, got) {
			t.Fatalf("reseal round trip failed: %v", err)
		}
	})
}

func FuzzSealOpen(f *testing.F) {
	box := newBox(f, 1)
	f.Add([]byte("secret"), []byte("id"), uint(0))
	f.Add([]byte{}, []byte{}, uint(40))
	f.Fuzz(func(t *testing.T, plaintext, ad []byte, flip uint) {
		sealed := box.Seal(plaintext, ad)
		got, err := box.Open(sealed, ad)
		if err != nil || !bytes.Equal(got, plaintext) {
			t.Fatalf("round trip: %q, %v", got, err)
		}
		sealed[flip%uint(len(sealed))] ^= 0x80
		if _, err := box.Open(sealed, ad); !errors.Is(err, secretbox.ErrOpen) {
			t.Fatalf("Open of a tampered value = %v, want ErrOpen", err)
		}
	})
}

func BenchmarkSeal(b *testing.B) {
	box := newBox(b, 1)
	secret, ad := []byte("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), []byte("AKIAIOSFODNN7EXAMPLE")
	b.ReportAllocs()
	for b.Loop() {
		box.Seal(secret, ad)
	}
}

func BenchmarkOpen(b *testing.B) {
	box := newBox(b, 1)
	ad := []byte("AKIAIOSFODNN7EXAMPLE")
	sealed := box.Seal([]byte("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), ad)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := box.Open(sealed, ad); err != nil {
			b.Fatal(err)
		}
	}
}
