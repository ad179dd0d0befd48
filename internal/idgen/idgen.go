// Package idgen makes the identifiers AWS clients see: unique IDs with AWS's prefixes (AIDA, AROA,
// AGPA, ANPA, AIPA), access key IDs, secret access keys, account IDs, request IDs and EC2-style
// resource IDs, all from one source of randomness given by the caller.
package idgen

import (
	"encoding/hex"
	"io"
	"sync"
)

// Prefixes of IAM unique IDs and access keys.
const (
	User            = "AIDA"
	Role            = "AROA"
	Group           = "AGPA"
	Policy          = "ANPA"
	InstanceProfile = "AIPA"
	LongTermKey     = "AKIA"
	TemporaryKey    = "ASIA"
)

// Gen draws identifiers from a random source.
type Gen struct {
	r io.Reader
	// ids recycles the buffers request IDs are drawn into: the source is an io.Reader, so a
	// buffer handed to it escapes, and request IDs are drawn for every request.
	ids sync.Pool
}

// New returns a generator reading r (crypto/rand.Reader in the server).
func New(r io.Reader) *Gen { return &Gen{r: r} }

func (g *Gen) fill(b []byte) {
	if _, err := io.ReadFull(g.r, b); err != nil {
		// A failing random source cannot be recovered from safely.
		panic("idgen: random source failed: " + err.Error())
	}
}

// draw returns n characters from alphabet chosen uniformly (rejection sampling).
func (g *Gen) draw(n int, alphabet string) string {
	out := make([]byte, 0, n)
	limit := 256 - 256%len(alphabet)
	buf := make([]byte, n+8)
	for len(out) < n {
		g.fill(buf)
		for _, c := range buf {
			if int(c) < limit && len(out) < n {
				out = append(out, alphabet[int(c)%len(alphabet)])
			}
		}
	}
	return string(out)
}

const (
	upperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	base32     = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	secretABC  = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
)

// Unique returns an IAM unique ID: prefix and 17 upper-case alphanumerics (21 characters).
func (g *Gen) Unique(prefix string) string { return prefix + g.draw(17, upperAlnum) }

// AccessKeyID returns prefix (AKIA or ASIA) and 16 characters of [A-Z2-7].
func (g *Gen) AccessKeyID(prefix string) string { return prefix + g.draw(16, base32) }

// Secret returns a 40-character secret access key.
func (g *Gen) Secret() string { return g.draw(40, secretABC) }

// Account returns a 12-digit account ID that does not start with 0.
func (g *Gen) Account() string { return g.draw(1, "123456789") + g.draw(11, "0123456789") }

// Hex returns n random hexadecimal characters (lower case).
func (g *Gen) Hex(n int) string {
	b := make([]byte, (n+1)/2)
	g.fill(b)
	return hex.EncodeToString(b)[:n]
}

// RequestID returns a random UUID (version 4), the form of AWS request IDs.
func (g *Gen) RequestID() string {
	bp, _ := g.ids.Get().(*[16]byte)
	if bp == nil {
		bp = new([16]byte)
	}
	defer g.ids.Put(bp)
	b := bp
	g.fill(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:36], b[10:16])
	return string(out[:])
}

// Bytes returns n random bytes.
func (g *Gen) Bytes(n int) []byte {
	b := make([]byte, n)
	g.fill(b)
	return b
}
