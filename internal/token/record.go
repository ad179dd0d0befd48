package token

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"io"
	"sync"
	"time"
)

// The sealed plaintext starts with one byte naming its encoding. Both are part of token format 1:
// changing the record layout or the dictionary needs a new encoding byte, never an edit.
const (
	encodingRaw     byte = 1 // the record as appendRecord writes it
	encodingDeflate byte = 2 // the record compressed with DEFLATE and the dictionary below
)

// compressAbove is the record length from which Seal tries compression. Below it the few bytes
// saved do not pay for the ~40 KiB decompressor Open would allocate.
const compressAbove = 384

// maxRecord bounds the decompressed record. A sealed record was written by Seal, so this only
// guards against a bug turning into a memory blow-up.
const maxRecord = 1 << 16

// zeroUnix is time.Time{}.Unix(): the encoding of an unset time.
const zeroUnix = -62135596800

// errRecord reports a plaintext that does not decode. Because the plaintext is authenticated it
// means a token written by an incompatible build; Open reports it as an invalid token.
var errRecord = errors.New("token: malformed session record")

// deflateDict primes DEFLATE with the text that session policies, ARNs and tags repeat, so
// that even a short policy compresses. The most common strings sit at the end, where matches
// are cheapest.
const deflateDict = `"Condition":{"StringLike":{"ForAnyValue:StringEquals":{"Bool":{"IpAddress":` +
	`{"aws:SourceIp":"aws:RequestedRegion":"aws:ResourceTag/"aws:RequestTag/"aws:PrincipalTag/` +
	`"aws:SecureTransport":"true"}},"NotAction":"NotResource":"Principal":{"AWS":"*"}` +
	`"ec2:DescribeInstances","iam:PassRole","sts:AssumeRole","kms:Decrypt","dynamodb:GetItem",` +
	`"logs:PutLogEvents","s3:GetObject","s3:PutObject","s3:DeleteObject","s3:ListBucket",` +
	`arn:aws:ec2:us-east-1::instance/i-arn:aws:iam::aws:policy/arn:aws:iam::role/` +
	`arn:aws:sts::assumed-role/arn:aws:s3:::/*","Resource":["arn:aws:s3:::"],` +
	`{"Version":"2012-10-17","Statement":[{"Sid":"","Effect":"Deny","Action":[` +
	`{"Effect":"Allow","Action":["s3:*"],"Resource":"*"}]}`

// appendRecord appends the binary form of s: fields in declaration order, strings and lists
// length-prefixed with uvarints, times as varint Unix seconds.
func appendRecord(b []byte, s *Session) []byte {
	b = append(b, byte(s.Kind))
	for _, v := range [...]string{s.Account, s.ARN, s.RoleARN, s.RoleID, s.UserARN, s.UserID, s.Name} {
		b = appendString(b, v)
	}
	b = binary.AppendVarint(b, s.Issued.Unix())
	b = binary.AppendVarint(b, s.Expires.Unix())
	b = appendString(b, s.Policy)
	b = appendStrings(b, s.PolicyARNs)
	b = binary.AppendUvarint(b, uint64(len(s.Tags)))
	for _, t := range s.Tags {
		b = appendString(b, t.Key)
		b = appendString(b, t.Value)
	}
	b = appendStrings(b, s.TransitiveTagKeys)
	b = appendString(b, s.SourceIdentity)
	var flags byte
	if s.MFA {
		flags |= 1
	}
	b = append(b, flags)
	b = binary.AppendVarint(b, s.MFAAuthTime.Unix())
	b = binary.AppendUvarint(b, uint64(s.ChainDepth))
	b = appendString(b, s.Provider)
	return appendString(b, s.SourceInstanceARN)
}

func appendString(b []byte, v string) []byte {
	b = binary.AppendUvarint(b, uint64(len(v)))
	return append(b, v...)
}

func appendStrings(b []byte, vs []string) []byte {
	b = binary.AppendUvarint(b, uint64(len(vs)))
	for _, v := range vs {
		b = appendString(b, v)
	}
	return b
}

// recordReader decodes a record from one string, so every string field of the Session is a
// substring of it: one allocation for all the text.
type recordReader struct {
	s   string
	bad bool
}

func (r *recordReader) byte() byte {
	if len(r.s) < 1 {
		r.bad = true
		return 0
	}
	c := r.s[0]
	r.s = r.s[1:]
	return c
}

func (r *recordReader) uvarint() uint64 {
	var x uint64
	for i := 0; i < binary.MaxVarintLen64; i++ {
		if i >= len(r.s) {
			break
		}
		c := r.s[i]
		if i == binary.MaxVarintLen64-1 && c > 1 {
			break
		}
		x |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			r.s = r.s[i+1:]
			return x
		}
	}
	r.bad = true
	return 0
}

func (r *recordReader) varint() int64 {
	u := r.uvarint()
	x := int64(u >> 1)
	if u&1 != 0 {
		x = ^x
	}
	return x
}

func (r *recordReader) time() time.Time {
	v := r.varint()
	if v == zeroUnix {
		return time.Time{}
	}
	return time.Unix(v, 0).UTC()
}

func (r *recordReader) string() string {
	n := r.uvarint()
	if n > uint64(len(r.s)) {
		r.bad = true
		return ""
	}
	v := r.s[:n]
	r.s = r.s[n:]
	return v
}

// count reads a list length and rejects one that the remaining bytes cannot hold (every element
// takes at least one byte), so a corrupt length never drives a huge allocation.
func (r *recordReader) count() int {
	n := r.uvarint()
	if n > uint64(len(r.s)) {
		r.bad = true
		return 0
	}
	return int(n)
}

func (r *recordReader) strings() []string {
	n := r.count()
	if n == 0 {
		return nil
	}
	vs := make([]string, n)
	for i := range vs {
		vs[i] = r.string()
	}
	return vs
}

// decodeRecord is the inverse of appendRecord.
func decodeRecord(rec string) (Session, error) {
	r := recordReader{s: rec}
	var s Session
	s.Kind = Kind(r.byte())
	for _, p := range [...]*string{&s.Account, &s.ARN, &s.RoleARN, &s.RoleID, &s.UserARN, &s.UserID, &s.Name} {
		*p = r.string()
	}
	s.Issued = r.time()
	s.Expires = r.time()
	s.Policy = r.string()
	s.PolicyARNs = r.strings()
	if n := r.count(); n > 0 {
		s.Tags = make([]Tag, n)
		for i := range s.Tags {
			s.Tags[i] = Tag{Key: r.string(), Value: r.string()}
		}
	}
	s.TransitiveTagKeys = r.strings()
	s.SourceIdentity = r.string()
	flags := r.byte()
	s.MFA = flags&1 != 0
	s.MFAAuthTime = r.time()
	depth := r.uvarint()
	s.Provider = r.string()
	s.SourceInstanceARN = r.string()
	if r.bad || len(r.s) != 0 || flags&^1 != 0 || depth > 1<<16 {
		return Session{}, errRecord
	}
	s.ChainDepth = int(depth)
	return s, nil
}

// codecs recycles DEFLATE state: a flate writer costs about 800 KiB to build and a reader about
// 40 KiB, against microseconds of actual work on a record. The pools belong to a ring (shared by
// the rings Rotate and Prune derive from it), not to the package. The zero value is ready.
type codecs struct {
	writers sync.Pool // *flate.Writer primed with deflateDict
	readers sync.Pool // io.ReadCloser from flate.NewReaderDict, also a flate.Resetter
}

// compress returns the sealed plaintext of a record compressed, when that makes it shorter.
func (c *codecs) compress(rec []byte) ([]byte, bool) {
	if len(rec) < compressAbove {
		return nil, false
	}
	var buf bytes.Buffer
	buf.Grow(len(rec)/2 + 16)
	buf.WriteByte(encodingDeflate)
	// Writing to a bytes.Buffer cannot fail; if flate did, the raw record is correct.
	if c.deflate(&buf, rec) != nil || buf.Len() >= len(rec)+1 {
		return nil, false
	}
	return buf.Bytes(), true
}

func (c *codecs) deflate(dst io.Writer, rec []byte) error {
	w, _ := c.writers.Get().(*flate.Writer)
	if w == nil {
		var err error
		if w, err = flate.NewWriterDict(dst, flate.DefaultCompression, []byte(deflateDict)); err != nil {
			return err
		}
	} else {
		w.Reset(dst)
	}
	_, err := w.Write(rec)
	if err == nil {
		err = w.Close()
	}
	w.Reset(io.Discard) // drop the reference to dst before pooling
	c.writers.Put(w)
	return err
}

// unpack is the inverse of pack; the returned string holds the record.
func (c *codecs) unpack(plain []byte) (string, error) {
	if len(plain) == 0 {
		return "", errRecord
	}
	switch plain[0] {
	case encodingRaw:
		return string(plain[1:]), nil
	case encodingDeflate:
		return c.inflate(plain[1:])
	}
	return "", errRecord
}

func (c *codecs) inflate(b []byte) (string, error) {
	src := bytes.NewReader(b)
	fr, _ := c.readers.Get().(io.ReadCloser)
	if fr == nil {
		fr = flate.NewReaderDict(src, []byte(deflateDict))
	} else if err := fr.(flate.Resetter).Reset(src, []byte(deflateDict)); err != nil {
		return "", errRecord
	}
	var sb bytes.Buffer
	sb.Grow(3 * len(b))
	n, err := sb.ReadFrom(io.LimitReader(fr, maxRecord+1))
	c.readers.Put(fr)
	if err != nil || n > maxRecord {
		return "", errRecord
	}
	return sb.String(), nil
}
