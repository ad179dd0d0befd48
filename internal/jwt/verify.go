package jwt

import "fmt"

// Verify checks the token's signature against keys. With a kid in the header only keys with
// that ID are candidates; without one, every key is. Candidates must suit the token's alg: the
// right key type (and curve), and the key's own alg when it declares one. Verify fails with
// ErrNoKey when no key is a candidate and with ErrSignature when none verifies.
func (t *Token) Verify(keys KeySet) error {
	a, ok := lookupAlg(t.Header.Alg)
	if !ok {
		// Parse already refuses these; a hand-built Token must not slip through.
		return fmt.Errorf("%w: %q", ErrUnsupportedAlg, t.Header.Alg)
	}
	h := a.hash.New()
	h.Write([]byte(t.signingInput))
	digest := h.Sum(nil)
	candidates := 0
	for _, k := range keys.Keys {
		if t.Header.Kid != "" && k.ID != t.Header.Kid {
			continue
		}
		if (k.Alg != "" && k.Alg != t.Header.Alg) || (k.Use != "" && k.Use != "sig") || !a.fits(k.Public) {
			continue
		}
		candidates++
		if a.verify(k.Public, digest, t.signature) {
			return nil
		}
	}
	if candidates == 0 {
		return fmt.Errorf("%w: kid %q, alg %s", ErrNoKey, t.Header.Kid, t.Header.Alg)
	}
	return ErrSignature
}
