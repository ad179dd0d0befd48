package totp

import (
	"testing"
	"time"
)

// rfc6238SHA1 are the SHA-1 rows of RFC 6238 Appendix B: the shared secret is the ASCII text
// "12345678901234567890" and codes have eight digits.
var rfc6238SHA1 = []struct {
	unix int64
	code uint32
}{
	{59, 94287082},
	{1111111109, 7081804},
	{1111111111, 14050471},
	{1234567890, 89005924},
	{2000000000, 69279037},
	{20000000000, 65353130},
}

func TestHOTPMatchesRFC6238Vectors(t *testing.T) {
	t.Parallel()
	key := []byte("12345678901234567890")
	for _, v := range rfc6238SHA1 {
		if got := hotp(key, Step(time.Unix(v.unix, 0)), 8); got != v.code {
			t.Errorf("T=%d: code %08d, want %08d", v.unix, got, v.code)
		}
	}
}

// TestHOTPMatchesRFC4226Vectors checks the counter-based core against RFC 4226 Appendix D.
func TestHOTPMatchesRFC4226Vectors(t *testing.T) {
	t.Parallel()
	want := []uint32{755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489}
	for counter, w := range want {
		if got := hotp([]byte("12345678901234567890"), uint64(counter), 6); got != w {
			t.Errorf("counter %d: %06d, want %06d", counter, got, w)
		}
	}
}
