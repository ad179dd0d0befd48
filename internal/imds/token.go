package imds

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"io"
	"time"
)

// Token TTL bounds of IMDSv2 (seconds).
const (
	MinTokenTTL = 1
	MaxTokenTTL = 21600
)

// tokenKey mints and checks the IMDSv2 session tokens of one instance. A token is a random nonce,
// its expiry and a MAC over both under a key drawn when the endpoint opened: it needs no state,
// and a token of one instance (or of an earlier run) never works on another.
type tokenKey [32]byte

const (
	nonceLen = 16
	macLen   = 16
	rawLen   = nonceLen + 8 + macLen
	tokenLen = (rawLen*8 + 5) / 6 // unpadded base64 length
)

func newTokenKey(rand io.Reader) (tokenKey, error) {
	var k tokenKey
	_, err := io.ReadFull(rand, k[:])
	return k, err
}

func (k *tokenKey) mac(b []byte) []byte {
	h := hmac.New(sha256.New, k[:])
	h.Write(b)
	return h.Sum(nil)[:macLen]
}

// mint returns a token valid until expires.
func (k *tokenKey) mint(rand io.Reader, expires time.Time) (string, error) {
	var raw [rawLen]byte
	if _, err := io.ReadFull(rand, raw[:nonceLen]); err != nil {
		return "", err
	}
	binary.BigEndian.PutUint64(raw[nonceLen:], uint64(expires.Unix()))
	copy(raw[nonceLen+8:], k.mac(raw[:nonceLen+8]))
	return base64.RawURLEncoding.EncodeToString(raw[:]), nil
}

// valid reports whether tok was minted with this key and has not expired at now.
func (k *tokenKey) valid(tok string, now time.Time) bool {
	if len(tok) != tokenLen {
		return false
	}
	var raw [rawLen]byte
	n, err := base64.RawURLEncoding.Decode(raw[:], []byte(tok))
	if err != nil || n != rawLen {
		return false
	}
	if !hmac.Equal(raw[nonceLen+8:], k.mac(raw[:nonceLen+8])) {
		return false
	}
	exp := int64(binary.BigEndian.Uint64(raw[nonceLen:]))
	return now.Unix() < exp
}
