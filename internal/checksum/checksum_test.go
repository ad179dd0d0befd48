package checksum_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc64"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/iotest"

	"rolegate/internal/checksum"
)

func TestCheckValues(t *testing.T) {
	t.Parallel()
	// The "check" value of each CRC catalogue entry is the checksum of "123456789"; the SHA
	// values are those of the FIPS examples.
	check := []byte("123456789")
	tests := []struct {
		alg  checksum.Algorithm
		data []byte
		want []byte
	}{
		{checksum.CRC32, check, binary.BigEndian.AppendUint32(nil, 0xCBF43926)},
		{checksum.CRC32C, check, binary.BigEndian.AppendUint32(nil, 0xE3069283)},
		{checksum.CRC64NVME, check, binary.BigEndian.AppendUint64(nil, 0xAE8B14860A799888)},
		{checksum.SHA1, []byte("abc"), mustHex("a9993e364706816aba3e25717850c26c9cd0d89d")},
		{checksum.SHA256, []byte("abc"), mustHex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")},
	}
	for _, tc := range tests {
		t.Run(tc.alg.String(), func(t *testing.T) {
			t.Parallel()
			if got, want := tc.alg.Sum(tc.data), checksum.Encode(tc.want); got != want {
				t.Errorf("Sum = %s, want %s", got, want)
			}
			if tc.alg.Size() != len(tc.want) {
				t.Errorf("Size = %d, want %d", tc.alg.Size(), len(tc.want))
			}
		})
	}
}

func mustHex(s string) []byte {
	b := make([]byte, len(s)/2)
	for i := range b {
		var v byte
		for _, c := range s[2*i : 2*i+2] {
			v <<= 4
			switch {
			case c >= '0' && c <= '9':
				v |= byte(c - '0')
			default:
				v |= byte(c-'a') + 10
			}
		}
		b[i] = v
	}
	return b
}

// TestCRC64NVMEMatchesReference compares the slicing-by-8 implementation with hash/crc64 over
// the same polynomial for many lengths and split points.
func TestCRC64NVMEMatchesReference(t *testing.T) {
	t.Parallel()
	table := crc64.MakeTable(0x9a6c9329ac4bc9b5)
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 600; n += 1 + n/10 {
		data := make([]byte, n)
		for i := range data {
			data[i] = byte(rng.Uint32())
		}
		want := crc64.Checksum(data, table)
		h := checksum.CRC64NVME.New()
		split := 0
		if n > 0 {
			split = rng.IntN(n)
		}
		h.Write(data[:split])
		h.Write(data[split:])
		if got := binary.BigEndian.Uint64(h.Sum(nil)); got != want {
			t.Fatalf("len %d split %d: %x, want %x", n, split, got, want)
		}
		h.Reset()
		h.Write(data)
		if got := binary.BigEndian.Uint64(h.Sum(nil)); got != want {
			t.Fatalf("len %d after Reset: %x, want %x", n, got, want)
		}
	}
}

func TestNames(t *testing.T) {
	t.Parallel()
	for _, a := range checksum.Algorithms() {
		if got, ok := checksum.Parse(strings.ToLower(a.String())); !ok || got != a {
			t.Errorf("Parse(%q) = %v, %v", strings.ToLower(a.String()), got, ok)
		}
		if got, ok := checksum.FromHeader(strings.ToUpper(a.Header())); !ok || got != a {
			t.Errorf("FromHeader(%q) = %v, %v", a.Header(), got, ok)
		}
		if a.New() == nil {
			t.Errorf("%v.New() = nil", a)
		}
	}
	for _, name := range []string{"x-amz-checksum-mode", "x-amz-checksum-type", "x-amz-checksum-", "x-amz-checksum-md5", "content-md5", "x-amz"} {
		if a, ok := checksum.FromHeader(name); ok {
			t.Errorf("FromHeader(%q) = %v, want none", name, a)
		}
	}
	if _, ok := checksum.Parse("MD5"); ok {
		t.Error("Parse(MD5) succeeded")
	}
	if got := checksum.CRC64NVME.Header(); got != "x-amz-checksum-crc64nvme" {
		t.Errorf("Header = %q", got)
	}
	var zero checksum.Algorithm
	if zero.New() != nil || zero.Size() != 0 || zero.Sum(nil) != "" {
		t.Error("the zero Algorithm computes something")
	}
}

func TestCompare(t *testing.T) {
	t.Parallel()
	data := []byte("payload")
	good := checksum.CRC32.Sum(data)
	h := checksum.CRC32.New()
	h.Write(data)
	sum := h.Sum(nil)
	tests := []struct {
		name     string
		expected string
		want     error
	}{
		{"match", good, nil},
		{"mismatch", checksum.CRC32.Sum([]byte("other")), checksum.ErrMismatch},
		{"wrong length", "AAAAAAAA", checksum.ErrInvalid},
		{"not base64", "!!!!!!==", checksum.ErrInvalid},
		{"empty", "", checksum.ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := checksum.CRC32.Compare(tc.expected, sum)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("Compare = %v, want %v", err, tc.want)
			}
			var ce *checksum.Error
			if tc.want != nil && (!errors.As(err, &ce) || ce.Algorithm != checksum.CRC32 || ce.Expected != tc.expected) {
				t.Errorf("error = %#v", err)
			}
			if errors.Is(err, checksum.ErrMismatch) && (ce.Computed != good || !strings.Contains(err.Error(), "CRC32 you specified did not match")) {
				t.Errorf("mismatch error = %v (computed %q)", err, ce.Computed)
			}
		})
	}
}

func TestReader(t *testing.T) {
	t.Parallel()
	data := bytes.Repeat([]byte("abcdefgh"), 5000)
	for _, a := range checksum.Algorithms() {
		t.Run(a.String(), func(t *testing.T) {
			t.Parallel()
			r, err := checksum.NewReader(iotest.HalfReader(bytes.NewReader(data)), a, a.Sum(data))
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(r)
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("ReadAll = %d bytes, %v", len(got), err)
			}
			if r.Sum() != a.Sum(data) || r.Algorithm() != a {
				t.Errorf("Sum = %s", r.Sum())
			}
			r, err = checksum.NewReader(bytes.NewReader(data[1:]), a, a.Sum(data))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.ReadAll(r); !errors.Is(err, checksum.ErrMismatch) {
				t.Fatalf("short body: err = %v, want ErrMismatch", err)
			}
			if _, err := r.Read(make([]byte, 1)); !errors.Is(err, checksum.ErrMismatch) {
				t.Errorf("error is not sticky: %v", err)
			}
			if _, err := checksum.NewReader(bytes.NewReader(data), a, "x"); !errors.Is(err, checksum.ErrInvalid) {
				t.Errorf("malformed expected value: err = %v", err)
			}
			r, err = checksum.NewReader(bytes.NewReader(data), a, "")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.ReadAll(r); err != nil || r.Sum() != a.Sum(data) {
				t.Errorf("compute-only reader: %v, %s", err, r.Sum())
			}
		})
	}
	if _, err := checksum.NewReader(bytes.NewReader(nil), 0, ""); !errors.Is(err, checksum.ErrInvalid) {
		t.Errorf("zero algorithm: err = %v", err)
	}
}

func BenchmarkChecksum(b *testing.B) {
	data := make([]byte, 1<<20)
	for _, a := range checksum.Algorithms() {
		b.Run(a.String(), func(b *testing.B) {
			h := a.New()
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				h.Reset()
				h.Write(data)
			}
		})
	}
}
