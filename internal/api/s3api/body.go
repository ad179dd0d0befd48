package s3api

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"hash"
	"io"
	"strings"

	"rolegate/internal/api/awserr"
	"rolegate/internal/checksum"
	"rolegate/internal/sigv4"
)

// maxSmallBody bounds the XML and JSON bodies read whole (policies, tag sets, DeleteObjects
// lists of 1,000 keys, CompleteMultipartUpload lists of 10,000 parts).
const maxSmallBody = 4 << 20

// payload is a request body being read as its signature and checksums require.
type payload struct {
	r    io.Reader
	body *sigv4.BodyReader
	md5  *md5Reader
}

// openBody returns the verified payload of the request: aws-chunked decoding with chunk
// signatures, the x-amz-content-sha256 claim, x-amz-checksum-* headers and trailers, and
// Content-MD5. Bytes read before an error are unverified and must be discarded.
func openBody(q *request) (*payload, error) {
	auth := q.in.Auth
	if auth == nil {
		// Anonymous: nothing is signed, but the content hash and checksums the client claims
		// are still checked. Chunk signatures cannot be checked without a key.
		claim := q.r.Header.Get("X-Amz-Content-Sha256")
		switch claim {
		case sigv4.StreamingPayload, sigv4.StreamingPayloadTrailer:
			return nil, awserr.New(awserr.InvalidRequest, "Signed aws-chunked payloads require a signed request.")
		}
		auth = &sigv4.Auth{PayloadHash: claim}
	}
	br, err := sigv4.NewBodyReader(q.in.Sig, auth, q.in.Key, q.r.Body)
	if err != nil {
		return nil, err
	}
	p := &payload{r: br, body: br}
	if v := q.r.Header.Get("Content-Md5"); v != "" {
		want, err := base64.StdEncoding.DecodeString(v)
		if err != nil || len(want) != md5.Size {
			return nil, awserr.New(awserr.InvalidDigest, "The Content-MD5 you specified was invalid.").With("Content-MD5", v)
		}
		p.md5 = &md5Reader{r: br, h: md5.New(), want: want, sent: v}
		p.r = p.md5
	}
	return p, nil
}

// Read reads verified bytes. Failures of the transport (a dropped connection) are reported as
// IncompleteBody: they are the client's, never a 500.
func (p *payload) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if err != nil && err != io.EOF && !known(err) {
		err = awserr.New(awserr.IncompleteBody, "The request body terminated unexpectedly").Wrap(err)
	}
	return n, err
}

// known reports whether err already says what is wrong with the body in S3's terms.
func known(err error) bool {
	var ae *awserr.Error
	var se *sigv4.Error
	var ce *checksum.Error
	return errors.As(err, &ae) || errors.As(err, &se) || errors.As(err, &ce)
}

// checksums returns the checksums the client sent (header or trailer), verified, by algorithm
// name; call it once the payload has been read to io.EOF.
func (p *payload) checksums() map[string]string {
	var out map[string]string
	for _, alg := range checksum.Algorithms() {
		if v, ok := p.body.Checksum(alg); ok {
			if out == nil {
				out = map[string]string{}
			}
			out[alg.String()] = v
		}
	}
	return out
}

// md5Reader checks Content-MD5 at the end of the body.
type md5Reader struct {
	r    io.Reader
	h    hash.Hash
	want []byte
	sent string
	err  error
}

func (m *md5Reader) Read(p []byte) (int, error) {
	if m.err != nil {
		return 0, m.err
	}
	n, err := m.r.Read(p)
	m.h.Write(p[:n])
	if err == io.EOF {
		got := m.h.Sum(nil)
		m.err = io.EOF
		if string(got) != string(m.want) {
			m.err = awserr.New(awserr.BadDigest, "The Content-MD5 you specified did not match what we received.").
				With("ExpectedDigest", m.sent).With("CalculatedDigest", base64.StdEncoding.EncodeToString(got))
		}
		return n, m.err
	}
	return n, err
}

// readSmall reads a whole small body, verified.
func readSmall(q *request) ([]byte, error) {
	p, err := openBody(q)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(p, maxSmallBody+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxSmallBody {
		return nil, awserr.New(awserr.InvalidRequest, "The request body is too large.")
	}
	return b, nil
}

// decodeXML reads a small XML body into v; an empty body is MalformedXML unless allowEmpty.
func decodeXML(q *request, v any, allowEmpty bool) (bool, error) {
	b, err := readSmall(q)
	if err != nil {
		return false, err
	}
	if len(strings.TrimSpace(string(b))) == 0 {
		if allowEmpty {
			return false, nil
		}
		return false, malformedXML()
	}
	if err := xml.Unmarshal(b, v); err != nil {
		return false, malformedXML()
	}
	return true, nil
}

func malformedXML() error {
	return awserr.New(awserr.MalformedXML, "The XML you provided was not well-formed or did not validate against our published schema")
}

// requireLength rejects an upload whose size is unknown and not announced by aws-chunked.
func requireLength(q *request) error {
	if q.r.ContentLength >= 0 || q.r.Header.Get("X-Amz-Decoded-Content-Length") != "" ||
		strings.EqualFold(q.r.Header.Get("Transfer-Encoding"), "chunked") {
		return nil
	}
	return awserr.New(awserr.MissingContentLength, "You must provide the Content-Length HTTP header.")
}
