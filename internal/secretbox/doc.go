// Package secretbox encrypts secrets at rest: the secret access keys of long-term credentials and
// key-ring material are sealed under a key-encryption key before they reach the store.
//
// The key-encryption key is 32 bytes. It comes either from a file in the data directory, created
// with owner-only permissions on first start (LoadOrCreateKey), or from a base64 value the
// operator provides (DecodeKey); this package reads no environment itself.
//
// Sealed secrets are AES-256-GCM with a random 96-bit nonce and a leading format version byte.
// The associated data binds a secret to the record it belongs to (an access key id, say): a
// sealed secret copied into another record does not open there.
package secretbox
