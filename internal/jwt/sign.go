package jwt

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/asn1"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
)

// Sign returns a compact JWS of claims (any value that marshals to a JSON object) signed with
// key under alg, with kid in the header when not "". key is an *rsa.PrivateKey for RS* or an
// *ecdsa.PrivateKey on alg's curve, or any crypto.Signer whose public key is; rand feeds
// ECDSA's nonce.
func Sign(claims any, alg, kid string, key crypto.Signer, rand io.Reader) (string, error) {
	a, ok := lookupAlg(alg)
	if !ok {
		return "", fmt.Errorf("%w: %q", ErrUnsupportedAlg, alg)
	}
	if !a.fits(key.Public()) {
		return "", fmt.Errorf("jwt: %T key cannot sign %s", key.Public(), alg)
	}
	header, err := json.Marshal(struct {
		Alg string `json:"alg"`
		Kid string `json:"kid,omitempty"`
		Typ string `json:"typ"`
	}{alg, kid, "JWT"})
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("jwt: claims: %w", err)
	}
	if len(payload) == 0 || payload[0] != '{' {
		return "", fmt.Errorf("jwt: claims must be a JSON object")
	}
	input := segment.EncodeToString(header) + "." + segment.EncodeToString(payload)
	h := a.hash.New()
	h.Write([]byte(input))
	sig, err := key.Sign(rand, h.Sum(nil), a.hash)
	if err != nil {
		return "", fmt.Errorf("jwt: signing: %w", err)
	}
	if _, isEC := key.Public().(*ecdsa.PublicKey); isEC {
		if sig, err = rawECDSA(sig, coordLen(a.curve)); err != nil {
			return "", err
		}
	} else if _, isRSA := key.Public().(*rsa.PublicKey); !isRSA {
		return "", fmt.Errorf("jwt: unsupported key type %T", key.Public())
	}
	return input + "." + segment.EncodeToString(sig), nil
}

// rawECDSA converts crypto.Signer's ASN.1 ECDSA signature to JWS's fixed-size r||s.
func rawECDSA(der []byte, n int) ([]byte, error) {
	var rs struct{ R, S *big.Int }
	if rest, err := asn1.Unmarshal(der, &rs); err != nil || len(rest) != 0 {
		return nil, fmt.Errorf("jwt: ECDSA signature is not ASN.1")
	}
	if rs.R.Sign() <= 0 || rs.S.Sign() <= 0 || rs.R.BitLen() > 8*n || rs.S.BitLen() > 8*n {
		return nil, fmt.Errorf("jwt: ECDSA signature out of range")
	}
	out := make([]byte, 2*n)
	rs.R.FillBytes(out[:n])
	rs.S.FillBytes(out[n:])
	return out, nil
}
