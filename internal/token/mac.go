package token

import "crypto/sha256"

// macKey is an HMAC-SHA256 key with its padded blocks precomputed. Secrets are derived on every
// Open; building them from fixed-size arrays instead of crypto/hmac's hash objects keeps Open
// free of the five allocations hmac.New costs. The result is checked against crypto/hmac in the
// tests.
type macKey struct {
	ipad, opad [sha256.BlockSize]byte
}

// maxMACInput bounds the messages macKey signs; they are fixed-layout token headers.
const maxMACInput = 128

func newMACKey(key []byte) macKey {
	if len(key) > sha256.BlockSize {
		panic("token: MAC key longer than a block") // keys are 32-byte subkeys
	}
	var k macKey
	copy(k.ipad[:], key)
	copy(k.opad[:], key)
	for i := range k.ipad {
		k.ipad[i] ^= 0x36
		k.opad[i] ^= 0x5c
	}
	return k
}

// sum returns HMAC-SHA256(key, msg); msg must be at most maxMACInput bytes.
func (k *macKey) sum(msg []byte) [sha256.Size]byte {
	var inner [sha256.BlockSize + maxMACInput]byte
	copy(inner[:], k.ipad[:])
	n := copy(inner[sha256.BlockSize:], msg)
	ih := sha256.Sum256(inner[:sha256.BlockSize+n])
	var outer [sha256.BlockSize + sha256.Size]byte
	copy(outer[:], k.opad[:])
	copy(outer[sha256.BlockSize:], ih[:])
	return sha256.Sum256(outer[:])
}
