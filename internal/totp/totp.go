package totp

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
)

// Parameters of the codes IAM's virtual MFA devices produce.
const (
	// Digits is the length of a code.
	Digits = 6
	// Period is the time step: a code changes every Period.
	Period = 30 * time.Second
	// SeedLen is the length of a generated seed in base32 characters (320 bits).
	SeedLen = 64
	// PairWindow is how many steps either side of now VerifyPair searches for two consecutive
	// codes.
	PairWindow = 10
)

// minKeyLen is RFC 4226's minimum shared secret length (128 bits), in bytes.
const minKeyLen = 16

// Errors. Callers (EnableMFADevice, AssumeRole with TokenCode) map all of them to AWS's
// "invalid MFA one time pass code" answers; they are distinct for the log.
var (
	// ErrMalformedSeed reports a seed that is not base32 text of at least 128 bits.
	ErrMalformedSeed = errors.New("totp: malformed seed")
	// ErrMalformedCode reports a code that is not exactly six ASCII digits.
	ErrMalformedCode = errors.New("totp: malformed code")
	// ErrMismatch reports a code that matches no step in the window.
	ErrMismatch = errors.New("totp: code does not match")
	// ErrReused reports a code whose step is not after the last step the caller accepted.
	ErrReused = errors.New("totp: code already used")
)

// seedEncoding is RFC 4648 base32 as IAM returns it (64 characters, so never padded).
var seedEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// GenerateSeed reads 40 bytes from rand and returns them as a 64-character base32 seed.
func GenerateSeed(rand io.Reader) (string, error) {
	var key [SeedLen * 5 / 8]byte
	if _, err := io.ReadFull(rand, key[:]); err != nil {
		return "", fmt.Errorf("totp: reading seed: %w", err)
	}
	return seedEncoding.EncodeToString(key[:]), nil
}

// Step returns the RFC 6238 time step containing t; times before 1970 are step 0.
func Step(t time.Time) uint64 {
	u := t.Unix()
	if u < 0 {
		return 0
	}
	return uint64(u) / uint64(Period/time.Second)
}

// Code returns the code for t.
func Code(seed string, t time.Time) (string, error) {
	key, err := decodeSeed(seed)
	if err != nil {
		return "", err
	}
	return format(hotp(key, Step(t), Digits), Digits), nil
}

// Verify checks code against the steps before, at and after t's and returns the step it
// matched. Steps at or before lastStep are refused with ErrReused, so storing the returned step
// and passing it back makes every code single-use; pass 0 when nothing was used yet.
func Verify(seed, code string, t time.Time, lastStep uint64) (uint64, error) {
	key, err := decodeSeed(seed)
	if err != nil {
		return 0, err
	}
	c, err := parseCode(code)
	if err != nil {
		return 0, err
	}
	now := Step(t)
	return match(lastStep, now-min(now, 1), now+1, func(step uint64) int {
		return subtle.ConstantTimeEq(int32(hotp(key, step, Digits)), int32(c))
	})
}

// VerifyPair checks two codes from consecutive steps, as EnableMFADevice and ResyncMFADevice
// take them, within PairWindow steps of t, and returns the step of code2. A device whose clock
// has drifted can still be enabled, which is why the window is wider than Verify's.
//
// AWS: the width of AWS's window is not documented; ten steps (five minutes) either way covers
// the drift authenticator apps resynchronise for.
func VerifyPair(seed, code1, code2 string, t time.Time, lastStep uint64) (uint64, error) {
	key, err := decodeSeed(seed)
	if err != nil {
		return 0, err
	}
	c1, err := parseCode(code1)
	if err != nil {
		return 0, err
	}
	c2, err := parseCode(code2)
	if err != nil {
		return 0, err
	}
	now := Step(t)
	return match(lastStep, now-min(now, PairWindow)+1, now+PairWindow, func(step uint64) int {
		return subtle.ConstantTimeEq(int32(hotp(key, step-1, Digits)), int32(c1)) &
			subtle.ConstantTimeEq(int32(hotp(key, step, Digits)), int32(c2))
	})
}

// match evaluates eq on every step in [lo, hi], so the time taken does not depend on which step
// matched, and returns the earliest matching step after lastStep. Keeping the earliest leaves
// the most later codes usable.
func match(lastStep, lo, hi uint64, eq func(uint64) int) (uint64, error) {
	var found uint64
	var matched, fresh int
	// Descending, so the earliest fresh match is the last one selected.
	for step := hi; ; step-- {
		m := eq(step)
		f := m & boolInt(step > lastStep)
		found = uint64(subtle.ConstantTimeSelect(f, int(step), int(found)))
		matched |= m
		fresh |= f
		if step == lo {
			break
		}
	}
	switch {
	case fresh == 1:
		return found, nil
	case matched == 1:
		return 0, ErrReused
	}
	return 0, ErrMismatch
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// URI returns the otpauth:// text IAM encodes in the QR code of CreateVirtualMFADevice:
// otpauth://totp/<device name>@<account name>?secret=<seed>, where the account name is the IAM
// user name when the device belongs to a user and the account ID otherwise.
func URI(deviceName, accountName, seed string) string {
	return "otpauth://totp/" + url.PathEscape(deviceName) + "@" + url.PathEscape(accountName) +
		"?secret=" + url.QueryEscape(seed)
}

// decodeSeed accepts base32 in either case, with or without padding.
func decodeSeed(seed string) ([]byte, error) {
	key, err := seedEncoding.DecodeString(strings.ToUpper(strings.TrimRight(seed, "=")))
	if err != nil || len(key) < minKeyLen {
		return nil, ErrMalformedSeed
	}
	return key, nil
}

// parseCode accepts exactly Digits ASCII digits.
func parseCode(code string) (uint32, error) {
	if len(code) != Digits {
		return 0, ErrMalformedCode
	}
	var v uint32
	for i := 0; i < len(code); i++ {
		d := code[i] - '0'
		if d > 9 {
			return 0, ErrMalformedCode
		}
		v = v*10 + uint32(d)
	}
	return v, nil
}

// hotp is RFC 4226 §5.3: HMAC-SHA-1 of the counter, dynamically truncated, modulo 10^digits.
func hotp(key []byte, counter uint64, digits int) uint32 {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return bin % mod
}

// format renders a code with leading zeros.
func format(code uint32, digits int) string {
	return fmt.Sprintf("%0*d", digits, code)
}
