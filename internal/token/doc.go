// Package token owns rolegate's temporary credentials: the Session record that an STS call
// produces, the KeyRing that seals it, and the sealed session token that travels with every
// request signed by ASIA… access keys.
//
// A session token is the Session encoded in a compact binary form, compressed when that pays,
// and sealed with AES-256-GCM under the ring's current key. The secret access key is not stored
// anywhere: it is an HMAC of the sealed token under a key derived from the same ring key, so any
// node that holds the ring can Open a token and recover the secret without reading a database.
// The access key ID is bound to the token as additional authenticated data, so a token presented
// with any other ASIA… ID fails to open.
//
// The package is pure: it performs no I/O and reads no clock. Randomness arrives as an io.Reader
// and the current time as a time.Time. Only the authentication and STS layers import it.
package token
