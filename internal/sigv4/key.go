package sigv4

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
)

// Key is a SigV4 signing key: HMAC-SHA256 chained over "AWS4"+secret, the scope date, region,
// service and "aws4_request". It is as sensitive as the secret for its scope: never log it.
type Key [sha256.Size]byte

// String hides the key from logs and error messages.
func (Key) String() string { return "REDACTED" }

// GoString hides the key from %#v.
func (Key) GoString() string { return "REDACTED" }

// DeriveKey derives the signing key of secret for the scope date (yyyyMMdd), region and service.
func DeriveKey(secret, date, region, service string) Key {
	var seed [4 + 60]byte
	k := append(append(seed[:0], "AWS4"...), secret...)
	kDate := hmacSHA256(k, []byte(date))
	kRegion := hmacSHA256(kDate[:], []byte(region))
	kService := hmacSHA256(kRegion[:], []byte(service))
	return hmacSHA256(kService[:], []byte("aws4_request"))
}

// sign returns HMAC-SHA256(k, msg).
func (k *Key) sign(msg []byte) [sha256.Size]byte { return hmacSHA256(k[:], msg) }

// hmacSHA256 computes HMAC-SHA256 (RFC 2104) with sha256.Sum256 over stack buffers, so that
// signing a request does not allocate (crypto/hmac allocates two hash states per call).
func hmacSHA256(key, msg []byte) [sha256.Size]byte {
	const block = 64
	var k [block]byte
	if len(key) > block {
		sum := sha256.Sum256(key)
		copy(k[:], sum[:])
	} else {
		copy(k[:], key)
	}
	var innerStack [block + 512]byte
	inner := innerStack[:block]
	for i := range k {
		inner[i] = k[i] ^ 0x36
	}
	inner = append(inner, msg...)
	innerSum := sha256.Sum256(inner)
	var outer [block + sha256.Size]byte
	for i := range k {
		outer[i] = k[i] ^ 0x5c
	}
	copy(outer[block:], innerSum[:])
	return sha256.Sum256(outer[:])
}

// appendSHA256Hex appends the lower-case hex SHA-256 of data.
func appendSHA256Hex(dst, data []byte) []byte {
	sum := sha256.Sum256(data)
	return hex.AppendEncode(dst, sum[:])
}

// signatureEqual compares a computed signature with the hex one a client sent, in time that
// does not depend on where they differ.
func signatureEqual(computed [sha256.Size]byte, provided string) bool {
	if len(provided) != 2*sha256.Size {
		return false
	}
	var p [sha256.Size]byte
	bad := 0
	for i := range p {
		h, ok1 := unhex(provided[2*i])
		l, ok2 := unhex(provided[2*i+1])
		if !ok1 || !ok2 {
			bad = 1
		}
		p[i] = h<<4 | l
	}
	return subtle.ConstantTimeCompare(computed[:], p[:])&(1-bad) == 1
}
