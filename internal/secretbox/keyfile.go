package secretbox

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// ErrKeyFilePermissions reports a key file that users other than its owner can access.
var ErrKeyFilePermissions = errors.New("secretbox: key file is accessible to other users")

// EncodeKey returns the base64 text of key, the form kept in key files and accepted by
// DecodeKey.
func EncodeKey(key []byte) string { return base64.StdEncoding.EncodeToString(key) }

// DecodeKey decodes a key-encryption key given as standard base64 (surrounding white space is
// ignored), as an operator passes it in the environment.
func DecodeKey(s string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil {
		// The decoder's message quotes the offending position, never the text.
		return nil, fmt.Errorf("%w: not base64: %v", ErrKey, err)
	}
	if len(key) != KeySize {
		return nil, fmt.Errorf("%w: %d bytes, want %d", ErrKey, len(key), KeySize)
	}
	return key, nil
}

// LoadOrCreateKey returns the key kept in the file at path. If there is no such file it draws
// KeySize bytes from random, writes them to path readable by the owner only, and returns them.
// Several processes racing to create the file all end up with the one key that won. A key file
// that group or others can access is refused with ErrKeyFilePermissions.
func LoadOrCreateKey(path string, random io.Reader) ([]byte, error) {
	key, err := loadKey(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	key = make([]byte, KeySize)
	if _, err := io.ReadFull(random, key); err != nil {
		return nil, fmt.Errorf("secretbox: generate key: %w", err)
	}
	created, err := createKeyFile(path, key)
	if err != nil {
		return nil, err
	}
	if !created {
		return loadKey(path) // another process created it first
	}
	return key, nil
}

// loadKey reads and checks the key file at path.
func loadKey(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("secretbox: key file: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("secretbox: key file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("secretbox: key file %s is not a regular file", path)
	}
	// Windows has no permission bits to check; its ACLs are the operator's business.
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%w: %s has mode %v, want 0600", ErrKeyFilePermissions, path, fi.Mode().Perm())
	}
	text, err := io.ReadAll(io.LimitReader(f, 1024))
	if err != nil {
		return nil, fmt.Errorf("secretbox: key file: %w", err)
	}
	key, err := DecodeKey(string(text))
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	return key, nil
}

// createKeyFile writes key to path unless path exists, and reports whether it did. The key is
// written to a private temporary file, synced, then linked into place: the file appears whole
// or not at all, and an existing file is never replaced.
func createKeyFile(path string, key []byte) (bool, error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".key-*") // mode 0600
	if err != nil {
		return false, fmt.Errorf("secretbox: create key file: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(EncodeKey(key) + "\n")
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return false, fmt.Errorf("secretbox: write key file: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return false, nil
		}
		return false, fmt.Errorf("secretbox: create key file: %w", err)
	}
	if err := syncDir(dir); err != nil {
		return false, err
	}
	return true, nil
}

// syncDir makes a new directory entry durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("secretbox: sync %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil && runtime.GOOS != "windows" {
		return fmt.Errorf("secretbox: sync %s: %w", dir, err)
	}
	return nil
}
