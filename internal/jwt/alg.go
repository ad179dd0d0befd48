package jwt

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	_ "crypto/sha256" // SHA-256 for RS256 and ES256
	_ "crypto/sha512" // SHA-384 and SHA-512 for the others
	"math/big"
)

// Signing algorithms STS accepts for web identity tokens.
const (
	RS256 = "RS256"
	RS384 = "RS384"
	RS512 = "RS512"
	ES256 = "ES256"
	ES384 = "ES384"
	ES512 = "ES512"
)

// minRSABits is the smallest RSA modulus accepted.
//
// AWS: STS's minimum is not documented. 2048 bits is what mainstream identity providers use and
// the floor of current guidance; smaller keys are skipped as unusable.
const minRSABits = 2048

// alg describes one signing algorithm: its hash and, for ECDSA, its curve.
type alg struct {
	hash  crypto.Hash
	curve elliptic.Curve // nil for RSA
}

// lookupAlg returns the algorithm named by a JWS alg header, or false for any other name,
// "none" and the HMAC algorithms included.
func lookupAlg(name string) (alg, bool) {
	switch name {
	case RS256:
		return alg{hash: crypto.SHA256}, true
	case RS384:
		return alg{hash: crypto.SHA384}, true
	case RS512:
		return alg{hash: crypto.SHA512}, true
	case ES256:
		return alg{hash: crypto.SHA256, curve: elliptic.P256()}, true
	case ES384:
		return alg{hash: crypto.SHA384, curve: elliptic.P384()}, true
	case ES512:
		return alg{hash: crypto.SHA512, curve: elliptic.P521()}, true
	}
	return alg{}, false
}

// coordLen is the byte length of a coordinate, and of r and s, on curve.
func coordLen(curve elliptic.Curve) int {
	return (curve.Params().BitSize + 7) / 8
}

// fits reports whether key can verify (or make) signatures of a.
func (a alg) fits(key crypto.PublicKey) bool {
	switch k := key.(type) {
	case *rsa.PublicKey:
		return a.curve == nil && k.N != nil && k.N.BitLen() >= minRSABits
	case *ecdsa.PublicKey:
		return a.curve != nil && k.Curve == a.curve
	}
	return false
}

// verify checks sig over digest with key, which fits a.
func (a alg) verify(key crypto.PublicKey, digest, sig []byte) bool {
	switch k := key.(type) {
	case *rsa.PublicKey:
		return rsa.VerifyPKCS1v15(k, a.hash, digest, sig) == nil
	case *ecdsa.PublicKey:
		// JWS carries r and s as fixed-size big-endian integers, not ASN.1 (RFC 7518 §3.4).
		n := coordLen(a.curve)
		if len(sig) != 2*n {
			return false
		}
		r := new(big.Int).SetBytes(sig[:n])
		s := new(big.Int).SetBytes(sig[n:])
		return ecdsa.Verify(k, digest, r, s)
	}
	return false
}
