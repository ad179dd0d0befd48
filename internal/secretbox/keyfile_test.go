package secretbox_test

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"rolegate/internal/secretbox"
)

// failingReader stands for a source of randomness that must not be consulted.
type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("randomness used") }

func TestLoadOrCreateKeyCreatesPrivateFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kek")
	want := bytes.Repeat([]byte{0xab}, secretbox.KeySize)
	key, err := secretbox.LoadOrCreateKey(path, bytes.NewReader(want))
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if !bytes.Equal(key, want) {
		t.Fatalf("created key %x, want the bytes drawn from the reader", key)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(text) != secretbox.EncodeKey(want)+"\n" {
		t.Errorf("key file holds %q, want the base64 key and a newline", text)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only the key file", len(entries))
	}

	again, err := secretbox.LoadOrCreateKey(path, failingReader{})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if !bytes.Equal(again, want) {
		t.Fatal("loading the key file returned another key")
	}
}

func TestLoadOrCreateKeyRefusesOpenPermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permission bits")
	}
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o660} {
		path := filepath.Join(t.TempDir(), "kek")
		if err := os.WriteFile(path, []byte(secretbox.EncodeKey(make([]byte, 32))), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, mode); err != nil { // WriteFile's mode is filtered by the umask
			t.Fatal(err)
		}
		if _, err := secretbox.LoadOrCreateKey(path, failingReader{}); !errors.Is(err, secretbox.ErrKeyFilePermissions) {
			t.Errorf("mode %v: %v, want ErrKeyFilePermissions", mode, err)
		}
	}
}

func TestLoadOrCreateKeyRejectsBadFiles(t *testing.T) {
	secretText := "c2VjcmV0LXNlY3JldC1zZWNyZXQ=" // valid base64 of 21 bytes: wrong length
	tests := []struct {
		name    string
		content string
	}{
		{"short-key", secretText},
		{"not-base64", "this is not base64 at all!"},
		{"empty", ""},
		{"two-keys", secretbox.EncodeKey(make([]byte, 32)) + "\n" + secretbox.EncodeKey(make([]byte, 32))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "kek")
			if err := os.WriteFile(path, []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := secretbox.LoadOrCreateKey(path, failingReader{})
			if !errors.Is(err, secretbox.ErrKey) {
				t.Fatalf("%v, want ErrKey", err)
			}
			if tc.content != "" && strings.Contains(err.Error(), tc.content[:8]) {
				t.Errorf("error %q quotes the key file", err)
			}
			got, _ := os.ReadFile(path)
			if string(got) != tc.content {
				t.Error("a bad key file was replaced")
			}
		})
	}
}

func TestLoadOrCreateKeyShortRandomness(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kek")
	if _, err := secretbox.LoadOrCreateKey(path, bytes.NewReader(make([]byte, 10))); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("%v, want io.ErrUnexpectedEOF", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a key file was left behind: %v", err)
	}
}

func TestLoadOrCreateKeyMissingDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "absent", "kek")
	if _, err := secretbox.LoadOrCreateKey(path, bytes.NewReader(make([]byte, 32))); err == nil {
		t.Fatal("created a key file in a directory that does not exist")
	}
}

// TestLoadOrCreateKeyRace starts several creators at once, each with its own randomness: all
// must return the single key that ended up in the file.
func TestLoadOrCreateKeyRace(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kek")
	const n = 8
	keys := make([][]byte, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			keys[i], errs[i] = secretbox.LoadOrCreateKey(path, bytes.NewReader(bytes.Repeat([]byte{byte(i + 1)}, 32)))
		})
	}
	wg.Wait()
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	onDisk, err := secretbox.DecodeKey(string(text))
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("creator %d: %v", i, errs[i])
		}
		if !bytes.Equal(keys[i], onDisk) {
			t.Fatalf("creator %d got a key other than the one on disk", i)
		}
	}
}

func TestDecodeKey(t *testing.T) {
	key := bytes.Repeat([]byte{0x5a}, 32)
	good := secretbox.EncodeKey(key)
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"plain", good, true},
		{"whitespace", "  " + good + "\n", true},
		{"url-alphabet", strings.NewReplacer("+", "-", "/", "_").Replace(secretbox.EncodeKey(bytes.Repeat([]byte{0xfb}, 32))), false},
		{"unpadded", strings.TrimRight(good, "="), false},
		{"16-bytes", secretbox.EncodeKey(make([]byte, 16)), false},
		{"empty", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := secretbox.DecodeKey(tc.in)
			if tc.ok {
				if err != nil || !bytes.Equal(got, key) {
					t.Fatalf("DecodeKey = %x, %v; want the key", got, err)
				}
				return
			}
			if !errors.Is(err, secretbox.ErrKey) {
				t.Fatalf("DecodeKey = %v, want ErrKey", err)
			}
		})
	}
}
