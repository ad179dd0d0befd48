package sigv4

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"slices"
	"strings"

	"rolegate/internal/checksum"
)

// Limits of the aws-chunked framing. Chunk data itself is streamed, so none of these bound the
// body size; they bound what the decoder buffers.
const (
	chunkBufferSize = 64 << 10 // bufio buffer: also the longest chunk header or trailer line
	maxHexDigits    = 15       // chunk sizes below 2^60 bytes
	maxTrailers     = 16
)

// Prefixes of the strings to sign for chunks and trailers.
const (
	chunkAlgorithm   = "AWS4-HMAC-SHA256-PAYLOAD"
	trailerAlgorithm = "AWS4-HMAC-SHA256-TRAILER"
	trailerSigName   = "x-amz-trailer-signature"
)

// chunkDecoder decodes an aws-chunked body:
//
//	hex(size)[;chunk-signature=sig]\r\n data \r\n ... 0[;chunk-signature=sig]\r\n [trailer lines] \r\n
//
// In the signed modes every chunk signature is chained from the previous one, starting at the
// request's seed signature. Data is handed out as it streams, before its chunk's signature is
// known; any later error means the caller MUST discard everything read.
type chunkDecoder struct {
	br      *bufio.Reader
	signed  bool // chunk signatures present and checked
	trailer bool // a trailer follows the final chunk

	key            Key
	amzDate, scope string
	prevSig        [sha256.Size]byte
	chunkSig       [sha256.Size]byte // signature declared for the current chunk
	chunkHash      hash.Hash         // SHA-256 of the current chunk's data (signed modes)
	sum            [sha256.Size]byte // scratch for chunkHash.Sum, kept here so it is not allocated per chunk

	left    int64 // bytes of the current chunk not yet read
	decoded int64 // data bytes so far
	limit   int64 // x-amz-decoded-content-length, or -1

	declared []string                         // lower-case names from x-amz-trailer
	sums     map[checksum.Algorithm]hash.Hash // checksums of declared checksum trailers
	trailers map[string]string
	err      error // sticky: io.EOF after a verified end, or the first failure
}

func newChunkDecoder(body io.Reader, a *Auth, key Key, limit int64, declared []string) (*chunkDecoder, error) {
	d := &chunkDecoder{
		br:       bufio.NewReaderSize(body, chunkBufferSize),
		signed:   a.PayloadHash != StreamingUnsignedPayloadTrailer,
		trailer:  a.PayloadHash != StreamingPayload,
		key:      key,
		amzDate:  a.AmzDate,
		scope:    a.Scope,
		limit:    limit,
		declared: declared,
	}
	if d.signed {
		if _, err := hex.Decode(d.prevSig[:], []byte(a.Signature)); err != nil || len(a.Signature) != 2*sha256.Size {
			return nil, newError(ErrSignatureMismatch, "the seed signature is not 64 hex digits")
		}
		d.chunkHash = sha256.New()
	}
	for _, name := range declared {
		if alg, ok := checksum.FromHeader(name); ok {
			if d.sums == nil {
				d.sums = make(map[checksum.Algorithm]hash.Hash)
			}
			d.sums[alg] = alg.New()
		}
	}
	return d, nil
}

func (d *chunkDecoder) fail(err error) error {
	d.err = err
	return err
}

func encodingError(format string, args ...any) *Error {
	return newError(ErrChunkEncoding, fmt.Sprintf(format, args...))
}

func incomplete(what string) *Error {
	return newError(ErrIncompleteBody, "You did not provide the number of bytes specified by the Content-Length HTTP header: the body ended "+what+".")
}

// Read returns decoded data. It returns io.EOF only after the final chunk, the trailer and every
// signature and checksum have been verified and the body has ended.
func (d *chunkDecoder) Read(p []byte) (int, error) {
	if d.err != nil {
		return 0, d.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	for d.left == 0 {
		size, err := d.readChunkHeader()
		if err != nil {
			return 0, d.fail(err)
		}
		if size == 0 {
			return 0, d.fail(d.finish())
		}
		d.left = size
	}
	if int64(len(p)) > d.left {
		p = p[:d.left]
	}
	n, err := d.br.Read(p)
	data := p[:n]
	if d.signed {
		d.chunkHash.Write(data)
	}
	for _, h := range d.sums {
		h.Write(data)
	}
	d.left -= int64(n)
	d.decoded += int64(n)
	switch {
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		return n, d.fail(incomplete("inside a chunk"))
	case err != nil:
		return n, d.fail(err)
	case d.left == 0:
		if err := d.endChunk(); err != nil {
			return n, d.fail(err)
		}
	}
	return n, nil
}

// readLine returns the next CRLF-terminated line without its terminator. The slice is only valid
// until the next read.
func (d *chunkDecoder) readLine(what string) ([]byte, error) {
	line, err := d.br.ReadSlice('\n')
	switch {
	case err == io.EOF:
		return nil, incomplete("before the " + what)
	case errors.Is(err, bufio.ErrBufferFull):
		return nil, encodingError("the %s is too long", what)
	case err != nil:
		return nil, err
	case len(line) < 2 || line[len(line)-2] != '\r':
		return nil, encodingError("the %s does not end with CRLF", what)
	}
	return line[:len(line)-2], nil
}

// readChunkHeader reads "hex(size)[;chunk-signature=sig]" and returns the size.
func (d *chunkDecoder) readChunkHeader() (int64, error) {
	line, err := d.readLine("chunk header")
	if err != nil {
		return 0, err
	}
	sizeHex, ext, _ := bytes.Cut(line, []byte{';'})
	if len(sizeHex) == 0 || len(sizeHex) > maxHexDigits {
		return 0, encodingError("invalid chunk size %q", truncate(string(sizeHex)))
	}
	var size int64
	for _, c := range sizeHex {
		v, ok := unhex(c)
		if !ok {
			return 0, encodingError("invalid chunk size %q", truncate(string(sizeHex)))
		}
		size = size<<4 | int64(v)
	}
	if d.limit >= 0 && size > d.limit-d.decoded {
		return 0, encodingError("chunk of %d bytes exceeds x-amz-decoded-content-length %d", size, d.limit)
	}
	if d.signed {
		sig, ok := bytes.CutPrefix(ext, []byte("chunk-signature="))
		if !ok || len(sig) != 2*sha256.Size {
			return 0, encodingError("chunk header lacks a chunk-signature")
		}
		if _, err := hex.Decode(d.chunkSig[:], sig); err != nil {
			return 0, encodingError("chunk-signature is not hex")
		}
		d.chunkHash.Reset()
		if size == 0 {
			if err := d.checkChunkSignature(); err != nil {
				return 0, err
			}
		}
	}
	return size, nil
}

// endChunk consumes the CRLF after a chunk's data and checks its signature.
func (d *chunkDecoder) endChunk() error {
	for _, want := range [2]byte{'\r', '\n'} {
		c, err := d.br.ReadByte()
		if err == io.EOF {
			return incomplete("after a chunk's data")
		} else if err != nil {
			return err
		}
		if c != want {
			return encodingError("chunk data is longer than its declared size")
		}
	}
	if d.signed {
		return d.checkChunkSignature()
	}
	return nil
}

// checkChunkSignature compares the current chunk's declared signature with the one computed
// from the previous signature and the chunk's hash, then moves the chain on.
func (d *chunkDecoder) checkChunkSignature() error {
	var stsStack [512]byte
	sts := append(stsStack[:0], chunkAlgorithm+"\n"...)
	sts = append(sts, d.amzDate...)
	sts = append(sts, '\n')
	sts = append(sts, d.scope...)
	sts = append(sts, '\n')
	sts = hex.AppendEncode(sts, d.prevSig[:])
	sts = append(sts, "\n"+EmptySHA256+"\n"...)
	sts = hex.AppendEncode(sts, d.chunkHash.Sum(d.sum[:0]))
	return d.checkChained(sts)
}

func (d *chunkDecoder) checkChained(sts []byte) error {
	want := d.key.sign(sts)
	if subtle.ConstantTimeCompare(want[:], d.chunkSig[:]) != 1 {
		return &Error{
			Err:               ErrChunkSignature,
			Message:           "The request signature we calculated does not match the signature you provided.",
			SignatureProvided: hex.EncodeToString(d.chunkSig[:]),
			StringToSign:      string(sts),
		}
	}
	d.prevSig = d.chunkSig
	return nil
}

// finish handles what follows the final chunk header: the trailer or the closing CRLF, then the
// end of the body, the decoded length and the trailer checksums.
func (d *chunkDecoder) finish() error {
	if d.trailer {
		if err := d.readTrailer(); err != nil {
			return err
		}
	} else {
		line, err := d.readLine("end of the body")
		if err != nil {
			return err
		}
		if len(line) != 0 {
			return encodingError("unexpected data after the final chunk")
		}
	}
	if d.limit >= 0 && d.decoded != d.limit {
		return incomplete(fmt.Sprintf("after %d of %d bytes", d.decoded, d.limit))
	}
	if _, err := d.br.ReadByte(); err == nil {
		return encodingError("unexpected data after the final chunk")
	} else if err != io.EOF {
		return err
	}
	for alg, h := range d.sums {
		if err := alg.Compare(d.trailers[alg.Header()], h.Sum(nil)); err != nil {
			return err
		}
	}
	return io.EOF
}

// readTrailer reads "name:value" lines up to an empty line, checks them against x-amz-trailer
// and, in the signed mode, checks x-amz-trailer-signature.
func (d *chunkDecoder) readTrailer() error {
	d.trailers = make(map[string]string)
	var sig string
	for {
		line, err := d.readLine("trailer")
		if err != nil {
			return err
		}
		if len(line) == 0 {
			break
		}
		if sig != "" || len(d.trailers) >= maxTrailers {
			return newError(ErrChunkEncoding, "The request contained trailing data that was not well-formed or did not conform to our published schema.")
		}
		name, value, ok := strings.Cut(string(line), ":")
		name = strings.ToLower(strings.Trim(name, " \t"))
		value = strings.Trim(value, " \t")
		if !ok || name == "" {
			return encodingError("trailer line %q is not of the form name:value", truncate(string(line)))
		}
		if name == trailerSigName {
			if !d.signed || value == "" {
				return encodingError("unexpected %s", trailerSigName)
			}
			sig = value
			continue
		}
		if _, dup := d.trailers[name]; dup || !slices.Contains(d.declared, name) {
			return encodingError("trailer %q was not declared once in x-amz-trailer", truncate(name))
		}
		d.trailers[name] = value
	}
	for _, name := range d.declared {
		if _, ok := d.trailers[name]; !ok {
			return encodingError("trailer %q declared in x-amz-trailer is missing", truncate(name))
		}
	}
	if !d.signed {
		return nil
	}
	if sig == "" {
		return encodingError("the trailer lacks %s", trailerSigName)
	}
	if len(sig) != 2*sha256.Size {
		return encodingError("%s is not 64 hex digits", trailerSigName)
	}
	if _, err := hex.Decode(d.chunkSig[:], []byte(sig)); err != nil {
		return encodingError("%s is not hex", trailerSigName)
	}
	return d.checkChained(d.trailerStringToSign())
}

// trailerStringToSign hashes the trailer as canonical headers: sorted "name:value\n" lines.
func (d *chunkDecoder) trailerStringToSign() []byte {
	names := make([]string, 0, len(d.trailers))
	for n := range d.trailers {
		names = append(names, n)
	}
	slices.Sort(names)
	var canon []byte
	for _, n := range names {
		canon = append(append(append(append(canon, n...), ':'), d.trailers[n]...), '\n')
	}
	sts := []byte(trailerAlgorithm + "\n" + d.amzDate + "\n" + d.scope + "\n")
	sts = hex.AppendEncode(sts, d.prevSig[:])
	sts = append(sts, '\n')
	return appendSHA256Hex(sts, canon)
}
