package token

import (
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"
)

// Sentinel errors of Open. The API layer maps ErrInvalid (and so ErrUnknownKey) to
// InvalidClientTokenId and ErrExpired to ExpiredToken.
var (
	// ErrInvalid reports a token or access key ID that is malformed, was tampered with, belongs
	// to another access key ID or was sealed by a key this ring does not hold.
	ErrInvalid = errors.New("token: invalid session token")
	// ErrUnknownKey reports a well-formed token sealed by a key the ring does not hold: pruned,
	// or made by a rotation this node has not loaded yet (reloading the ring may help). It
	// matches ErrInvalid under errors.Is.
	ErrUnknownKey = fmt.Errorf("%w: unknown key", ErrInvalid)
	// ErrExpired reports an authentic token whose session has expired.
	ErrExpired = errors.New("token: session expired")
	// ErrTooLarge reports a session whose token would exceed MaxTokenLen; STS reports it as
	// PackedPolicyTooLarge.
	ErrTooLarge = errors.New("token: session too large")
)

// errNoKey reports Seal on a ring without keys, a wiring mistake.
var errNoKey = errors.New("token: key ring has no key")

// MaxTokenLen is the longest session token Seal issues, in characters. AWS sets no limit
// but proxies commonly cap a header near 8 KiB; 4 KiB leaves room for the rest of the request.
// STS can report len(SessionToken)*100/MaxTokenLen as PackedPolicySize.
const MaxTokenLen = 4096

// Token layout (before base64): version, key ID, GCM nonce, then the sealed plaintext and the
// GCM tag. The header and the access key ID are the additional authenticated data.
const (
	tokenVersion = 1
	nonceLen     = 12
	headerLen    = 1 + 4 + nonceLen
	tagLen       = 16
	// minTokenLen is the base64 length of a header, a tag and a one-byte plaintext.
	minTokenLen = (headerLen + 1 + tagLen + 2) / 3 * 4
)

// Access key IDs: "ASIA" and 16 base32 characters carrying 80 random bits.
const (
	akidPrefix  = "ASIA"
	akidLen     = 20
	akidRandLen = 10
	secretLen   = 30 // bytes; 40 base64 characters
)

// tokenEncoding is padded standard base64, as AWS tokens are; Strict rejects non-zero padding
// bits so that every token string has exactly one decoding.
var tokenEncoding = base64.StdEncoding.Strict()

// Credentials are what STS returns for a session.
type Credentials struct {
	// AccessKeyID is "ASIA" followed by 16 characters of [A-Z2-7].
	AccessKeyID string
	// SecretAccessKey is 40 characters of base64; it is derived, never stored.
	SecretAccessKey string
	// SessionToken is the sealed session, standard base64.
	SessionToken string
	// Expiration is the session's Expires.
	Expiration time.Time
}

// String shows the access key ID and expiry only: credentials are never printed whole.
func (c Credentials) String() string {
	return "{" + c.AccessKeyID + " REDACTED expires " + c.Expiration.Format(time.RFC3339) + "}"
}

// GoString keeps %#v from printing the secret and the token.
func (c Credentials) GoString() string { return c.String() }

// LogValue keeps slog from logging the secret and the token.
func (c Credentials) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("access_key_id", c.AccessKeyID),
		slog.Time("expiration", c.Expiration),
	)
}

// Seal issues credentials for s under the ring's current key, reading the access key ID and the
// nonce from rand. Times in s are recorded to the second. Seal fails with ErrTooLarge when the
// token would be longer than MaxTokenLen, and with another error for a session that STS could
// not have produced (a missing kind, account, ARN, role or user, or Expires not after Issued).
func (r *KeyRing) Seal(s Session, rand io.Reader) (Credentials, error) {
	s.Issued = s.Issued.Truncate(time.Second)
	s.Expires = s.Expires.Truncate(time.Second)
	s.MFAAuthTime = s.MFAAuthTime.Truncate(time.Second)
	if err := s.check(); err != nil {
		return Credentials{}, err
	}
	k := r.current()
	if k == nil {
		return Credentials{}, errNoKey
	}
	// One buffer holds the header, then the plaintext, sealed in place (GCM allows dst to overlap
	// the plaintext exactly); its tail first receives the random bytes.
	raw := make([]byte, headerLen+akidRandLen-5, headerLen+1+recordSizeHint(&s)+tagLen)
	if _, err := io.ReadFull(rand, raw[5:]); err != nil {
		return Credentials{}, fmt.Errorf("token: reading random: %w", err)
	}
	// AWS: access key IDs name their account, so GetAccessKeyInfo answers from the ID alone. The
	// first five bytes carry the 12-digit account number (under 2^40), the rest is random.
	acct, err := strconv.ParseUint(s.Account, 10, 64)
	if err != nil || acct >= 1<<40 {
		return Credentials{}, errBadSession
	}
	var idBytes [akidRandLen]byte
	idBytes[0], idBytes[1], idBytes[2], idBytes[3], idBytes[4] = byte(acct>>32), byte(acct>>24), byte(acct>>16), byte(acct>>8), byte(acct)
	copy(idBytes[5:], raw[headerLen:])
	var akidBuf [akidLen]byte
	copy(akidBuf[:], akidPrefix)
	base32.StdEncoding.Encode(akidBuf[len(akidPrefix):], idBytes[:])
	akid := string(akidBuf[:])

	raw = append(raw[:headerLen], encodingRaw)
	raw = appendRecord(raw, &s)
	if packed, ok := r.codecs.compress(raw[headerLen+1:]); ok {
		raw = append(raw[:headerLen], packed...)
	}
	if base64.StdEncoding.EncodedLen(len(raw)+tagLen) > MaxTokenLen {
		return Credentials{}, ErrTooLarge
	}
	raw[0] = tokenVersion
	binary.BigEndian.PutUint32(raw[1:], k.id)
	var ad [headerLen + akidLen]byte
	raw = k.aead.Seal(raw[:headerLen], raw[5:headerLen], raw[headerLen:], additionalData(&ad, raw[:headerLen], akid))
	var text [1024]byte // typical tokens fit; longer ones grow onto the heap
	return Credentials{
		AccessKeyID:     akid,
		SecretAccessKey: k.secret(akid, raw),
		SessionToken:    string(tokenEncoding.AppendEncode(text[:0], raw)),
		Expiration:      s.Expires.UTC(),
	}, nil
}

// Open authenticates token as sealed for accessKeyID by a key of the ring and returns the
// session with its secret access key. It fails with ErrInvalid (possibly as ErrUnknownKey) for
// anything not sealed by Seal for that access key ID, and with ErrExpired when the session has
// expired at now; in that case the session is returned for the audit log but the secret is not.
//
// Every check that depends on a secret is GCM's tag comparison, which runs in constant time;
// the access key ID is checked by being part of the authenticated data, not by comparison.
//
// Cost: one base64 decode and AES-GCM pass over the token and two SHA-256 compressions for the
// secret: one to two microseconds and six allocations for a typical role session.
// Compressed records (large session policies or many tags) also pay for inflating, tens of
// microseconds; a server that wants to skip that can cache results keyed by a hash of the
// token, re-checking expiry on each hit.
func (r *KeyRing) Open(accessKeyID, token string, now time.Time) (Session, string, error) {
	if !validAccessKeyID(accessKeyID) || len(token) < minTokenLen || len(token) > MaxTokenLen {
		return Session{}, "", ErrInvalid
	}
	// The decoder skips CR and LF; a token containing them is not one Seal wrote.
	if strings.IndexByte(token, '\n') >= 0 || strings.IndexByte(token, '\r') >= 0 {
		return Session{}, "", ErrInvalid
	}
	raw, err := tokenEncoding.DecodeString(token)
	if err != nil || len(raw) < headerLen+tagLen+1 || raw[0] != tokenVersion {
		return Session{}, "", ErrInvalid
	}
	k := r.key(binary.BigEndian.Uint32(raw[1:]))
	if k == nil {
		return Session{}, "", ErrUnknownKey
	}
	var ad [headerLen + akidLen]byte
	sealed := raw[headerLen:]
	plain, err := k.aead.Open(sealed[:0], raw[5:headerLen], sealed, additionalData(&ad, raw[:headerLen], accessKeyID))
	if err != nil {
		return Session{}, "", ErrInvalid
	}
	rec, err := r.codecs.unpack(plain)
	if err != nil {
		return Session{}, "", ErrInvalid
	}
	s, err := decodeRecord(rec)
	if err != nil {
		return Session{}, "", ErrInvalid
	}
	if s.Expired(now) {
		return s, "", ErrExpired
	}
	// The tag is still at the end of raw: Open decrypted in place before it.
	return s, k.secret(accessKeyID, raw), nil
}

// secret derives the secret access key of a token from its header and GCM tag (which binds the
// whole ciphertext) and the access key ID.
func (k *ringKey) secret(akid string, raw []byte) string {
	var msg [akidLen + headerLen + tagLen]byte
	n := copy(msg[:], akid)
	n += copy(msg[n:], raw[:headerLen])
	n += copy(msg[n:], raw[len(raw)-tagLen:])
	sum := k.mac.sum(msg[:n])
	var text [secretLen * 4 / 3]byte
	base64.StdEncoding.Encode(text[:], sum[:secretLen])
	return string(text[:])
}

// additionalData fills buf with the authenticated header and access key ID.
func additionalData(buf *[headerLen + akidLen]byte, header []byte, akid string) []byte {
	n := copy(buf[:], header)
	n += copy(buf[n:], akid)
	return buf[:n]
}

// AccountOfAccessKeyID returns the account a temporary access key ID issued by Seal belongs to.
// It reads the ID only: it says nothing about whether the key is valid.
func AccountOfAccessKeyID(id string) (string, bool) {
	if !validAccessKeyID(id) {
		return "", false
	}
	b, err := base32.StdEncoding.DecodeString(id[len(akidPrefix):])
	if err != nil || len(b) != akidRandLen {
		return "", false
	}
	acct := uint64(b[0])<<32 | uint64(b[1])<<24 | uint64(b[2])<<16 | uint64(b[3])<<8 | uint64(b[4])
	if acct > 999_999_999_999 {
		return "", false
	}
	return fmt.Sprintf("%012d", acct), true
}

// validAccessKeyID reports whether id has the shape Seal issues. Checking it first keeps
// garbage from reaching the cipher; the comparison that matters is the AEAD's.
func validAccessKeyID(id string) bool {
	if len(id) != akidLen || id[:len(akidPrefix)] != akidPrefix {
		return false
	}
	for i := len(akidPrefix); i < len(id); i++ {
		c := id[i]
		if (c < 'A' || c > 'Z') && (c < '2' || c > '7') {
			return false
		}
	}
	return true
}

// recordSizeHint estimates the encoded length of s so appendRecord allocates once.
func recordSizeHint(s *Session) int {
	n := 64 + len(s.Account) + len(s.ARN) + len(s.RoleARN) + len(s.RoleID) + len(s.UserARN) +
		len(s.UserID) + len(s.Name) + len(s.Policy) + len(s.SourceIdentity) + len(s.Provider) +
		len(s.SourceInstanceARN)
	for _, v := range s.PolicyARNs {
		n += 2 + len(v)
	}
	for _, t := range s.Tags {
		n += 4 + len(t.Key) + len(t.Value)
	}
	for _, v := range s.TransitiveTagKeys {
		n += 2 + len(v)
	}
	return n
}
