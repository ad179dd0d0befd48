package secretbox

import (
	"crypto/aes"
	"crypto/cipher"
	"errors"
	"fmt"
)

// KeySize is the length of a key-encryption key in bytes.
const KeySize = 32

// version1 marks the format: version byte, 12-byte nonce, ciphertext, 16-byte GCM tag.
const version1 byte = 1

var (
	// ErrOpen reports a sealed secret that cannot be opened: it was altered or truncated, was
	// sealed under another key or with other associated data, or has an unknown format version.
	// The causes are deliberately not told apart beyond the format checks.
	ErrOpen = errors.New("secretbox: cannot open sealed secret")
	// ErrKey reports key material of the wrong length or encoding.
	ErrKey = errors.New("secretbox: invalid key")
)

// Box seals and opens secrets under one key-encryption key. It is safe for concurrent use.
type Box struct {
	aead cipher.AEAD
}

// New returns a Box for a KeySize-byte key. The Box does not keep key; the caller may clear it.
func New(key []byte) (*Box, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("%w: %d bytes, want %d", ErrKey, len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKey, err)
	}
	// The random-nonce GCM draws each nonce from crypto/rand, which cannot fail, and puts it in
	// front of the ciphertext. With 96-bit random nonces one key stays safe for about 2^32
	// seals, far beyond the number of credentials a deployment stores.
	aead, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		return nil, fmt.Errorf("secretbox: %w", err)
	}
	return &Box{aead: aead}, nil
}

// Overhead is how many bytes Seal adds to the plaintext.
func (b *Box) Overhead() int { return 1 + b.aead.Overhead() }

// Seal encrypts and authenticates plaintext, binding it to associatedData, which is not stored
// in the result and must be presented again to Open. Nil and empty associated data are the same.
func (b *Box) Seal(plaintext, associatedData []byte) []byte {
	out := make([]byte, 1, b.Overhead()+len(plaintext))
	out[0] = version1
	return b.aead.Seal(out, nil, plaintext, withVersion(version1, associatedData))
}

// Open authenticates and decrypts a value made by Seal with the same key and associated data.
// Any mismatch returns an error wrapping ErrOpen and no plaintext.
func (b *Box) Open(sealed, associatedData []byte) ([]byte, error) {
	if len(sealed) < b.Overhead() {
		return nil, fmt.Errorf("%w: %d bytes is too short", ErrOpen, len(sealed))
	}
	if sealed[0] != version1 {
		return nil, fmt.Errorf("%w: unknown format version %d", ErrOpen, sealed[0])
	}
	plaintext, err := b.aead.Open(nil, nil, sealed[1:], withVersion(sealed[0], associatedData))
	if err != nil {
		return nil, ErrOpen
	}
	return plaintext, nil
}

// withVersion prefixes the associated data with the format version, so the version byte is
// authenticated too: a future format's output can never be read as version 1.
func withVersion(v byte, ad []byte) []byte {
	out := make([]byte, 1+len(ad))
	out[0] = v
	copy(out[1:], ad)
	return out
}
