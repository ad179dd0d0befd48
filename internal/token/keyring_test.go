package token_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"rolegate/internal/token"
)

func TestRotateKeepsOldTokensOpening(t *testing.T) {
	t.Parallel()
	r1 := newRing(t, 1)
	s := roleSession()
	s.Expires = s.Issued.Add(token.MaxLifetime)
	old := seal(t, r1, s)

	rotatedAt := t0.Add(time.Hour)
	r2, err := r1.Rotate(seeded(2), rotatedAt)
	if err != nil {
		t.Fatalf("Rotate: %v", err)
	}
	keys := r2.Keys()
	if len(keys) != 2 || keys[0].Current || !keys[1].Current || keys[1].ID == keys[0].ID || !keys[1].Created.Equal(rotatedAt) {
		t.Fatalf("Keys() after rotation = %+v", keys)
	}
	if _, _, err := r2.Open(old.AccessKeyID, old.SessionToken, rotatedAt); err != nil {
		t.Errorf("token sealed before rotation: %v", err)
	}

	fresh := seal(t, r2, s)
	if _, _, err := r2.Open(fresh.AccessKeyID, fresh.SessionToken, rotatedAt); err != nil {
		t.Errorf("token sealed after rotation: %v", err)
	}
	// The old ring does not know the new current key: the new token proves Seal moved to it.
	if _, _, err := r1.Open(fresh.AccessKeyID, fresh.SessionToken, rotatedAt); !errors.Is(err, token.ErrUnknownKey) {
		t.Errorf("new token on the old ring: err = %v, want ErrUnknownKey", err)
	}
	// Rotation leaves the original ring untouched.
	if n := len(r1.Keys()); n != 1 {
		t.Errorf("original ring has %d keys after Rotate, want 1", n)
	}
}

func TestPruneDropsKeysOnlyAfterTheirSessionsExpire(t *testing.T) {
	t.Parallel()
	r1 := newRing(t, 1)
	rotatedAt := t0.Add(24 * time.Hour)
	// Sealed just before the rotation with the longest lifetime: the worst case Prune guards.
	s := roleSession()
	s.Issued = rotatedAt.Add(-time.Second)
	s.Expires = s.Issued.Add(token.MaxLifetime)
	old := seal(t, r1, s)
	r2, err := r1.Rotate(seeded(2), rotatedAt)
	if err != nil {
		t.Fatal(err)
	}

	early := r2.Prune(s.Expires.Add(-time.Second), token.MaxLifetime)
	if len(early.Keys()) != 2 {
		t.Fatalf("Prune before the last old session expired dropped a key: %+v", early.Keys())
	}
	if _, _, err := early.Open(old.AccessKeyID, old.SessionToken, s.Expires.Add(-time.Second)); err != nil {
		t.Errorf("unexpired token of a rotated-out key: %v", err)
	}

	pruned := r2.Prune(rotatedAt.Add(token.MaxLifetime), token.MaxLifetime)
	keys := pruned.Keys()
	if len(keys) != 1 || !keys[0].Current || keys[0].ID != r2.Keys()[1].ID {
		t.Fatalf("Keys() after Prune = %+v, want only the current key", keys)
	}
	_, _, err = pruned.Open(old.AccessKeyID, old.SessionToken, s.Expires.Add(-time.Second))
	if !errors.Is(err, token.ErrUnknownKey) || !errors.Is(err, token.ErrInvalid) {
		t.Errorf("token of a pruned key: err = %v, want ErrUnknownKey (an ErrInvalid)", err)
	}
	// The current key survives any Prune.
	if n := len(pruned.Prune(rotatedAt.Add(1000*time.Hour), time.Second).Keys()); n != 1 {
		t.Errorf("Prune left %d keys, want the current one", n)
	}
}

func TestRotateWithClockGoingBack(t *testing.T) {
	t.Parallel()
	r1 := newRing(t, 1)
	r2, err := r1.Rotate(seeded(2), t0.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if k := r2.Keys(); !k[1].Created.Equal(k[0].Created) {
		t.Errorf("new key created %v before the current key %v", k[1].Created, k[0].Created)
	}
	if _, err := r1.Rotate(errReader{}, t0); err == nil {
		t.Errorf("Rotate with a failing random source succeeded")
	}
	if _, err := token.NewKeyRing(errReader{}, t0); err == nil {
		t.Errorf("NewKeyRing with a failing random source succeeded")
	}
}

func TestKeyRingMarshalRoundTrip(t *testing.T) {
	t.Parallel()
	r1 := newRing(t, 1)
	old := seal(t, r1, roleSession())
	r2, err := r1.Rotate(seeded(2), t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	b, err := r2.MarshalBinary()
	if err != nil {
		t.Fatalf("MarshalBinary: %v", err)
	}
	parsed, err := token.ParseKeyRing(b)
	if err != nil {
		t.Fatalf("ParseKeyRing: %v", err)
	}
	if !reflect.DeepEqual(parsed.Keys(), r2.Keys()) {
		t.Errorf("Keys() = %+v, want %+v", parsed.Keys(), r2.Keys())
	}
	again, _ := parsed.MarshalBinary()
	if string(again) != string(b) {
		t.Errorf("marshal → parse → marshal is not a fixpoint")
	}
	// Tokens move between the original and the parsed ring in both directions.
	fresh := seal(t, parsed, roleSession())
	for _, tc := range []struct {
		ring *token.KeyRing
		c    token.Credentials
	}{{parsed, old}, {r2, fresh}} {
		if _, _, err := tc.ring.Open(tc.c.AccessKeyID, tc.c.SessionToken, t0); err != nil {
			t.Errorf("Open across marshal: %v", err)
		}
	}
}

func TestParseKeyRingRejectsMalformed(t *testing.T) {
	t.Parallel()
	r, err := newRing(t, 1).Rotate(seeded(2), t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := r.MarshalBinary()
	for n := 0; n < len(b); n++ {
		if _, err := token.ParseKeyRing(b[:n]); !errors.Is(err, token.ErrBadRing) {
			t.Fatalf("ring cut to %d bytes: err = %v, want ErrBadRing", n, err)
		}
	}
	edits := []struct {
		name string
		edit func([]byte)
	}{
		{"magic", func(b []byte) { b[0] = 'X' }},
		{"version", func(b []byte) { b[4] = 2 }},
		{"zero keys", func(b []byte) { b[5] = 0 }},
		{"count beyond data", func(b []byte) { b[5] = 3 }},
		{"IDs not ascending", func(b []byte) { copy(b[6+44:6+48], b[6:10]) }},
		{"created out of order", func(b []byte) { b[6+4] = 0x7f }},
	}
	for _, tc := range edits {
		c := append([]byte(nil), b...)
		tc.edit(c)
		if _, err := token.ParseKeyRing(c); !errors.Is(err, token.ErrBadRing) {
			t.Errorf("%s: err = %v, want ErrBadRing", tc.name, err)
		}
	}
	if _, err := token.ParseKeyRing(append(b, 0)); !errors.Is(err, token.ErrBadRing) {
		t.Errorf("trailing byte: err = %v, want ErrBadRing", err)
	}
}

func FuzzParseKeyRing(f *testing.F) {
	b, _ := newRing(f, 1).MarshalBinary()
	f.Add(b)
	f.Add([]byte("RGKR\x01"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := token.ParseKeyRing(b)
		if err != nil {
			return
		}
		again, err := r.MarshalBinary()
		if err != nil || string(again) != string(b) {
			t.Fatalf("parsed ring does not marshal back to its input")
		}
	})
}

func TestZeroKeyRing(t *testing.T) {
	t.Parallel()
	var zero token.KeyRing
	if _, err := zero.Seal(roleSession(), seeded(1)); err == nil {
		t.Errorf("Seal on the zero ring succeeded")
	}
	c := seal(t, newRing(t, 1), roleSession())
	if _, _, err := zero.Open(c.AccessKeyID, c.SessionToken, t0); !errors.Is(err, token.ErrUnknownKey) {
		t.Errorf("Open on the zero ring: err = %v, want ErrUnknownKey", err)
	}
	r, err := zero.Rotate(seeded(1), t0)
	if err != nil || len(r.Keys()) != 1 {
		t.Fatalf("Rotate of the zero ring = %v, %v; want a one-key ring", r, err)
	}
	if got := seal(t, r, roleSession()); got.AccessKeyID == "" {
		t.Errorf("ring made by rotating the zero ring does not seal")
	}
}
