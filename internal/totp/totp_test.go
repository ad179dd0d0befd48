package totp_test

import (
	"encoding/base32"
	"errors"
	"io"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"

	"rolegate/internal/totp"
)

// rfcSeed is RFC 6238's SHA-1 test secret, "12345678901234567890", in base32.
var rfcSeed = base32.StdEncoding.EncodeToString([]byte("12345678901234567890"))

// t0 is a fixed instant in the middle of a step.
var t0 = time.Unix(1111111111, 0).UTC()

func TestCodeMatchesRFC6238VectorsInSixDigits(t *testing.T) {
	t.Parallel()
	// The six-digit code is the eight-digit code of Appendix B modulo 10^6.
	cases := []struct {
		unix int64
		want string
	}{
		{59, "287082"},
		{1111111109, "081804"},
		{1111111111, "050471"},
		{1234567890, "005924"},
		{2000000000, "279037"},
		{20000000000, "353130"},
	}
	for _, tc := range cases {
		got, err := totp.Code(rfcSeed, time.Unix(tc.unix, 0))
		if err != nil || got != tc.want {
			t.Errorf("Code(T=%d) = %q, %v; want %q", tc.unix, got, err, tc.want)
		}
	}
}

func TestGenerateSeed(t *testing.T) {
	t.Parallel()
	rnd := rand.NewChaCha8([32]byte{1})
	shape := regexp.MustCompile(`^[A-Z2-7]{64}$`)
	a, err := totp.GenerateSeed(rnd)
	if err != nil {
		t.Fatal(err)
	}
	b, err := totp.GenerateSeed(rnd)
	if err != nil {
		t.Fatal(err)
	}
	if !shape.MatchString(a) || !shape.MatchString(b) || a == b {
		t.Errorf("seeds %q, %q: want two distinct 64-character base32 strings", a, b)
	}
	if _, err := totp.Code(a, t0); err != nil {
		t.Errorf("generated seed does not produce codes: %v", err)
	}
	if _, err := totp.GenerateSeed(failingReader{}); err == nil {
		t.Errorf("GenerateSeed with a failing random source succeeded")
	}
}

func codeAt(t *testing.T, step int64) string {
	t.Helper()
	c, err := totp.Code(rfcSeed, time.Unix(step*30, 0))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestVerifyWindow(t *testing.T) {
	t.Parallel()
	now := totp.Step(t0)
	cases := []struct {
		offset  int64
		wantErr error
	}{
		{-3, totp.ErrMismatch},
		{-2, totp.ErrMismatch},
		{-1, nil},
		{0, nil},
		{1, nil},
		{2, totp.ErrMismatch},
		{3, totp.ErrMismatch},
	}
	for _, tc := range cases {
		step := int64(now) + tc.offset
		got, err := totp.Verify(rfcSeed, codeAt(t, step), t0, 0)
		if !errors.Is(err, tc.wantErr) {
			t.Errorf("code of step now%+d: err = %v, want %v", tc.offset, err, tc.wantErr)
		}
		if tc.wantErr == nil && got != uint64(step) {
			t.Errorf("code of step now%+d matched step %d, want %d", tc.offset, got, step)
		}
	}
}

func TestVerifyRefusesReuse(t *testing.T) {
	t.Parallel()
	now := int64(totp.Step(t0))
	code := codeAt(t, now)
	last, err := totp.Verify(rfcSeed, code, t0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := totp.Verify(rfcSeed, code, t0, last); !errors.Is(err, totp.ErrReused) {
		t.Errorf("same code again: err = %v, want ErrReused", err)
	}
	if _, err := totp.Verify(rfcSeed, codeAt(t, now-1), t0, last); !errors.Is(err, totp.ErrReused) {
		t.Errorf("code of an earlier step: err = %v, want ErrReused", err)
	}
	// Thirty seconds later the next code works once.
	later := t0.Add(totp.Period)
	next, err := totp.Verify(rfcSeed, codeAt(t, now+1), later, last)
	if err != nil || next != uint64(now+1) {
		t.Errorf("next step's code: step %d, err %v; want %d", next, err, now+1)
	}
}

func TestVerifyRejectsMalformedCodes(t *testing.T) {
	t.Parallel()
	good := codeAt(t, int64(totp.Step(t0)))
	for _, code := range []string{"", "12345", "1234567", "12345a", " " + good[1:], good + " ",
		"-12345", "+12345", "１２３４５６", "12 456", "0x1234"} {
		if _, err := totp.Verify(rfcSeed, code, t0, 0); !errors.Is(err, totp.ErrMalformedCode) {
			t.Errorf("Verify(%q): err = %v, want ErrMalformedCode", code, err)
		}
	}
}

func TestSeedForms(t *testing.T) {
	t.Parallel()
	want := codeAt(t, int64(totp.Step(t0)))
	for _, seed := range []string{rfcSeed, strings.ToLower(rfcSeed), strings.TrimRight(rfcSeed, "=")} {
		if got, err := totp.Code(seed, t0); err != nil || got != want {
			t.Errorf("Code(%q) = %q, %v; want %q", seed, got, err, want)
		}
	}
	short := base32.StdEncoding.EncodeToString([]byte("fifteen bytes!!"))
	for _, seed := range []string{"", "not base32!", "GEZDGNBV GY3TQOJQ", "1234567890", short} {
		if _, err := totp.Code(seed, t0); !errors.Is(err, totp.ErrMalformedSeed) {
			t.Errorf("Code(%q): err = %v, want ErrMalformedSeed", seed, err)
		}
		if _, err := totp.Verify(seed, "123456", t0, 0); !errors.Is(err, totp.ErrMalformedSeed) {
			t.Errorf("Verify(%q): err = %v, want ErrMalformedSeed", seed, err)
		}
	}
}

func TestVerifyPair(t *testing.T) {
	t.Parallel()
	now := int64(totp.Step(t0))
	for _, offset := range []int64{-totp.PairWindow + 1, -3, 0, 4, totp.PairWindow} {
		s := now + offset
		got, err := totp.VerifyPair(rfcSeed, codeAt(t, s-1), codeAt(t, s), t0, 0)
		if err != nil || got != uint64(s) {
			t.Errorf("pair ending at now%+d: step %d, err %v; want %d", offset, got, err, s)
		}
	}
	cases := []struct {
		name         string
		step1, step2 int64
		last         uint64
		want         error
	}{
		{"same code twice", now, now, 0, totp.ErrMismatch},
		{"reversed", now, now - 1, 0, totp.ErrMismatch},
		{"gap", now - 2, now, 0, totp.ErrMismatch},
		{"before window", now - totp.PairWindow - 1, now - totp.PairWindow, 0, totp.ErrMismatch},
		{"after window", now + totp.PairWindow, now + totp.PairWindow + 1, 0, totp.ErrMismatch},
		{"already used", now - 1, now, uint64(now), totp.ErrReused},
	}
	for _, tc := range cases {
		if _, err := totp.VerifyPair(rfcSeed, codeAt(t, tc.step1), codeAt(t, tc.step2), t0, tc.last); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
	if _, err := totp.VerifyPair(rfcSeed, "12345", codeAt(t, now), t0, 0); !errors.Is(err, totp.ErrMalformedCode) {
		t.Errorf("malformed first code: err = %v, want ErrMalformedCode", err)
	}
}

func TestEarlySteps(t *testing.T) {
	t.Parallel()
	if s := totp.Step(time.Unix(-100, 0)); s != 0 {
		t.Errorf("Step before 1970 = %d, want 0", s)
	}
	epoch := time.Unix(0, 0)
	c, _ := totp.Code(rfcSeed, epoch)
	if got, err := totp.Verify(rfcSeed, c, epoch, 0); !errors.Is(err, totp.ErrReused) || got != 0 {
		// Step 0 is never after lastStep 0: a clock at the epoch cannot log in.
		t.Errorf("Verify at the epoch = %d, %v; want ErrReused", got, err)
	}
	c1, _ := totp.Code(rfcSeed, time.Unix(30, 0))
	if got, err := totp.Verify(rfcSeed, c1, epoch, 0); err != nil || got != 1 {
		t.Errorf("next step at the epoch = %d, %v; want step 1", got, err)
	}
}

func TestURI(t *testing.T) {
	t.Parallel()
	seed := "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	got := totp.URI("alice-phone", "alice", seed)
	want := "otpauth://totp/alice-phone@alice?secret=" + seed
	if got != want {
		t.Errorf("URI = %q, want %q", got, want)
	}
	if got := totp.URI("my device", "111122223333", seed); !strings.HasPrefix(got, "otpauth://totp/my%20device@111122223333?") {
		t.Errorf("URI with a space = %q, want the name escaped", got)
	}
}

func FuzzVerify(f *testing.F) {
	f.Add(rfcSeed, "050471", int64(1111111111), uint64(0))
	f.Add("", "", int64(-1), uint64(1<<63))
	f.Fuzz(func(t *testing.T, seed, code string, unix int64, last uint64) {
		now := time.Unix(unix, 0)
		step, err := totp.Verify(seed, code, now, last)
		if err != nil {
			return
		}
		// An accepted code is the code of the step it names, within one step of now.
		want, cerr := totp.Code(seed, time.Unix(int64(step)*30, 0))
		d := int64(step) - int64(totp.Step(now))
		if cerr != nil || want != code || step <= last || d < -1 || d > 1 {
			t.Fatalf("accepted %q at step %d (now %d, last %d); code of that step %q", code, step, totp.Step(now), last, want)
		}
	})
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }
