package token

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"
)

// MaxLifetime is the longest session STS issues (GetSessionToken and GetFederationToken allow
// 129600 seconds). A key retired by rotation must stay in the ring at least this long.
const MaxLifetime = 129600 * time.Second

// keyLen is the length of ring key material: 256 bits.
const keyLen = 32

// ringMagic and ringVersion start the serialized ring.
const (
	ringMagic   = "RGKR"
	ringVersion = 1
	ringEntry   = 4 + 8 + keyLen // id, created, material
)

// ErrBadRing reports serialized ring bytes that do not parse.
var ErrBadRing = errors.New("token: malformed key ring")

// KeyRing holds the keys that seal and open session tokens. The newest key is current: Seal
// uses it. Older keys only open tokens they sealed earlier, until Prune drops them.
//
// A KeyRing is immutable; Rotate and Prune return new rings. Make one with NewKeyRing or
// ParseKeyRing: the zero KeyRing holds no key, so it opens nothing and Seal fails. It is safe for concurrent use, so a
// server can keep the current ring behind an atomic pointer and swap it after a rotation.
type KeyRing struct {
	keys   []ringKey // ascending by ID and by Created; the last is current
	codecs *codecs
}

// ringKey is one key and the primitives derived from it, built once when the ring is made.
type ringKey struct {
	id       uint32
	created  time.Time
	material [keyLen]byte
	aead     cipher.AEAD
	mac      macKey
}

// KeyInfo describes a ring key without its material.
type KeyInfo struct {
	// ID identifies the key inside tokens.
	ID uint32
	// Created is when the key was made, to the second.
	Created time.Time
	// Current reports whether Seal uses this key.
	Current bool
}

// NewKeyRing makes a ring with one fresh key read from rand, created at now.
func NewKeyRing(rand io.Reader, now time.Time) (*KeyRing, error) {
	k, err := newRingKey(1, rand, now)
	if err != nil {
		return nil, err
	}
	return &KeyRing{keys: []ringKey{k}, codecs: new(codecs)}, nil
}

// Rotate returns a ring with a fresh current key and every key of r kept, so tokens already
// issued keep opening. If the clock has gone back since the current key was made, the new key
// takes the current key's creation time, keeping creation times ordered.
func (r *KeyRing) Rotate(rand io.Reader, now time.Time) (*KeyRing, error) {
	if len(r.keys) == 0 {
		return NewKeyRing(rand, now)
	}
	last := r.keys[len(r.keys)-1]
	if last.id == ^uint32(0) {
		return nil, errors.New("token: key IDs exhausted")
	}
	if now.Before(last.created) {
		now = last.created
	}
	k, err := newRingKey(last.id+1, rand, now)
	if err != nil {
		return nil, err
	}
	keys := make([]ringKey, len(r.keys), len(r.keys)+1)
	copy(keys, r.keys)
	return &KeyRing{keys: append(keys, k), codecs: r.codecs}, nil
}

// Prune returns a ring without the keys that can no longer have live tokens. A key stops sealing
// when its successor is created, and every session lasts at most maxLifetime, so a key is
// dropped once its successor is older than maxLifetime. Pass MaxLifetime unless every session
// is known to be shorter. The current key is never dropped.
func (r *KeyRing) Prune(now time.Time, maxLifetime time.Duration) *KeyRing {
	drop := 0
	for drop < len(r.keys)-1 && !now.Before(r.keys[drop+1].created.Add(maxLifetime)) {
		drop++
	}
	if drop == 0 {
		return r
	}
	return &KeyRing{keys: append([]ringKey(nil), r.keys[drop:]...), codecs: r.codecs}
}

// Keys describes the keys of the ring, oldest first.
func (r *KeyRing) Keys() []KeyInfo {
	infos := make([]KeyInfo, len(r.keys))
	for i, k := range r.keys {
		infos[i] = KeyInfo{ID: k.id, Created: k.created, Current: i == len(r.keys)-1}
	}
	return infos
}

// MarshalBinary encodes the ring, key material included. The bytes are as secret as every
// session credential: whoever stores them MUST encrypt them at rest.
func (r *KeyRing) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, len(ringMagic)+1+binary.MaxVarintLen64+len(r.keys)*ringEntry)
	b = append(b, ringMagic...)
	b = append(b, ringVersion)
	b = binary.AppendUvarint(b, uint64(len(r.keys)))
	for _, k := range r.keys {
		b = binary.BigEndian.AppendUint32(b, k.id)
		b = binary.BigEndian.AppendUint64(b, uint64(k.created.Unix()))
		b = append(b, k.material[:]...)
	}
	return b, nil
}

// ParseKeyRing decodes bytes written by MarshalBinary. It fails with ErrBadRing unless the ring
// has at least one key, IDs strictly ascending and creation times in order.
func ParseKeyRing(b []byte) (*KeyRing, error) {
	if len(b) < len(ringMagic)+1 || string(b[:len(ringMagic)]) != ringMagic {
		return nil, ErrBadRing
	}
	if b[len(ringMagic)] != ringVersion {
		return nil, fmt.Errorf("%w: version %d", ErrBadRing, b[len(ringMagic)])
	}
	b = b[len(ringMagic)+1:]
	n, w := binary.Uvarint(b)
	// A zero final byte would be a non-canonical varint: one ring has one encoding.
	if w <= 0 || b[w-1] == 0 || n == 0 || n > uint64(len(b))/ringEntry || uint64(len(b)-w) != n*ringEntry {
		return nil, ErrBadRing
	}
	b = b[w:]
	keys := make([]ringKey, n)
	for i := range keys {
		e := b[i*ringEntry : (i+1)*ringEntry]
		k := &keys[i]
		k.id = binary.BigEndian.Uint32(e)
		k.created = time.Unix(int64(binary.BigEndian.Uint64(e[4:])), 0).UTC()
		copy(k.material[:], e[12:])
		if i > 0 && (k.id <= keys[i-1].id || k.created.Before(keys[i-1].created)) {
			return nil, ErrBadRing
		}
		if err := k.derive(); err != nil {
			return nil, err
		}
	}
	return &KeyRing{keys: keys, codecs: new(codecs)}, nil
}

// current returns the key Seal uses, or nil for the zero ring.
func (r *KeyRing) current() *ringKey {
	if len(r.keys) == 0 {
		return nil
	}
	return &r.keys[len(r.keys)-1]
}

// key returns the key with the given ID, or nil.
func (r *KeyRing) key(id uint32) *ringKey {
	for i := range r.keys {
		if r.keys[i].id == id {
			return &r.keys[i]
		}
	}
	return nil
}

func newRingKey(id uint32, rand io.Reader, now time.Time) (ringKey, error) {
	k := ringKey{id: id, created: now.Truncate(time.Second).UTC()}
	if _, err := io.ReadFull(rand, k.material[:]); err != nil {
		return ringKey{}, fmt.Errorf("token: reading key material: %w", err)
	}
	if err := k.derive(); err != nil {
		return ringKey{}, err
	}
	return k, nil
}

// derive builds the sealing cipher and the secret MAC key from the key material. The two uses
// get independent subkeys, so the secrets never share a key with the cipher.
func (k *ringKey) derive() error {
	block, err := aes.NewCipher(subkey(k.material[:], "rolegate token seal v1"))
	if err != nil {
		return err
	}
	if k.aead, err = cipher.NewGCM(block); err != nil {
		return err
	}
	k.mac = newMACKey(subkey(k.material[:], "rolegate token secret v1"))
	return nil
}

// subkey derives a purpose-bound key from material (HMAC-SHA256 as a PRF, as in HKDF-Expand
// with a single block).
func subkey(material []byte, purpose string) []byte {
	m := hmac.New(sha256.New, material)
	m.Write([]byte(purpose))
	return m.Sum(nil)
}
