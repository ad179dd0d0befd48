package jwt

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
)

// Key is one public verification key of a JWKS.
type Key struct {
	// ID is the JWK kid, or "".
	ID string
	// Alg restricts the key to one algorithm when not "".
	Alg string
	// Use is the JWK use: "sig" or "" (keys for "enc" are never used to verify).
	Use string
	// Public is an *rsa.PublicKey or an *ecdsa.PublicKey on P-256, P-384 or P-521.
	Public crypto.PublicKey
}

// KeySet is a JWKS: the keys an identity provider publishes at its jwks_uri.
type KeySet struct {
	// Keys are the usable keys, in document order.
	Keys []Key
}

// jwk is the JSON form of a key (RFC 7517, RFC 7518 §6).
type jwk struct {
	Kty string `json:"kty"`
	Kid string `json:"kid,omitempty"`
	Alg string `json:"alg,omitempty"`
	Use string `json:"use,omitempty"`
	N   string `json:"n,omitempty"`
	E   string `json:"e,omitempty"`
	Crv string `json:"crv,omitempty"`
	X   string `json:"x,omitempty"`
	Y   string `json:"y,omitempty"`
}

// ParseKeySet reads a JWKS document. Keys that cannot verify our algorithms (symmetric or
// OKP keys, other curves, encryption keys, RSA moduli under 2048 bits, malformed values) are
// skipped rather than failing the set, since providers publish keys for other purposes next to
// their signing keys. A document that is not a JWKS or holds no usable key fails with
// ErrBadKeySet.
func ParseKeySet(data []byte) (KeySet, error) {
	var doc struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return KeySet{}, fmt.Errorf("%w: %v", ErrBadKeySet, err)
	}
	var ks KeySet
	for _, raw := range doc.Keys {
		var j jwk
		if json.Unmarshal(raw, &j) != nil || (j.Use != "" && j.Use != "sig") {
			continue
		}
		pub, err := j.public()
		if err != nil {
			continue
		}
		ks.Keys = append(ks.Keys, Key{ID: j.Kid, Alg: j.Alg, Use: j.Use, Public: pub})
	}
	if len(ks.Keys) == 0 {
		return KeySet{}, fmt.Errorf("%w: no usable signing key", ErrBadKeySet)
	}
	return ks, nil
}

var errKey = errors.New("jwt: unusable key")

func (j *jwk) public() (crypto.PublicKey, error) {
	switch j.Kty {
	case "RSA":
		n, err := segment.DecodeString(j.N)
		if err != nil {
			return nil, errKey
		}
		e, err := segment.DecodeString(j.E)
		// The exponent must be a small odd number greater than 1 to fit rsa.PublicKey.
		if err != nil || len(e) == 0 || len(e) > 4 {
			return nil, errKey
		}
		ev := new(big.Int).SetBytes(e).Int64()
		pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(ev)}
		if ev < 3 || ev&1 == 0 || ev > 1<<31-1 || pub.N.BitLen() < minRSABits {
			return nil, errKey
		}
		return pub, nil
	case "EC":
		curve := curveByName(j.Crv)
		if curve == nil {
			return nil, errKey
		}
		x, errX := segment.DecodeString(j.X)
		y, errY := segment.DecodeString(j.Y)
		n := coordLen(curve)
		// RFC 7518 §6.2.1.2: coordinates are full-length, leading zeros kept.
		if errX != nil || errY != nil || len(x) != n || len(y) != n {
			return nil, errKey
		}
		point := append(append([]byte{4}, x...), y...)
		pub, err := ecdsa.ParseUncompressedPublicKey(curve, point)
		if err != nil {
			return nil, errKey
		}
		return pub, nil
	}
	return nil, errKey
}

func curveByName(crv string) elliptic.Curve {
	switch crv {
	case "P-256":
		return elliptic.P256()
	case "P-384":
		return elliptic.P384()
	case "P-521":
		return elliptic.P521()
	}
	return nil
}

// MarshalJSON writes the set as a JWKS document, as a provider serves it at its jwks_uri.
func (ks KeySet) MarshalJSON() ([]byte, error) {
	doc := struct {
		Keys []jwk `json:"keys"`
	}{Keys: make([]jwk, 0, len(ks.Keys))}
	for _, k := range ks.Keys {
		j := jwk{Kid: k.ID, Alg: k.Alg, Use: k.Use}
		switch pub := k.Public.(type) {
		case *rsa.PublicKey:
			j.Kty = "RSA"
			j.N = segment.EncodeToString(pub.N.Bytes())
			j.E = segment.EncodeToString(big.NewInt(int64(pub.E)).Bytes())
		case *ecdsa.PublicKey:
			b, err := pub.Bytes()
			if err != nil {
				return nil, fmt.Errorf("jwt: key %q: %w", k.ID, err)
			}
			n := coordLen(pub.Curve)
			j.Kty, j.Crv = "EC", pub.Curve.Params().Name
			j.X = segment.EncodeToString(b[1 : 1+n])
			j.Y = segment.EncodeToString(b[1+n:])
		default:
			return nil, fmt.Errorf("jwt: key %q: unsupported key type %T", k.ID, k.Public)
		}
		doc.Keys = append(doc.Keys, j)
	}
	return json.Marshal(doc)
}
