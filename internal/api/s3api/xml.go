package s3api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"net/http"
	"strconv"
	"time"
)

// ns is the namespace of S3's XML documents.
const ns = "http://s3.amazonaws.com/doc/2006-03-01/"

// timeFormat is how S3 writes times in XML (ISO 8601 with milliseconds).
const timeFormat = "2006-01-02T15:04:05.000Z"

func xmlTime(t time.Time) string { return t.UTC().Format(timeFormat) }

// writeXML writes a 200 response whose body is v as XML.
func writeXML(q *request, v any) error {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	if err := xml.NewEncoder(&buf).Encode(v); err != nil {
		return err
	}
	h := q.w.Header()
	h.Set("Content-Type", "application/xml")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	q.w.WriteHeader(http.StatusOK)
	if q.r.Method != http.MethodHead {
		q.w.Write(buf.Bytes())
	}
	return nil
}

// writeEmpty writes a success without a body.
func writeEmpty(q *request, status int) error {
	q.w.Header().Set("Content-Length", "0")
	q.w.WriteHeader(status)
	return nil
}

// owner is the <Owner> element: the account's canonical user id.
type owner struct {
	ID          string `xml:"ID"`
	DisplayName string `xml:"DisplayName,omitempty"`
}

// canonicalID is the 64-hex canonical user id S3 shows for an account, derived from the account
// id so that it is stable without being stored.
func canonicalID(account string) string {
	sum := sha256.Sum256([]byte("rolegate canonical user " + account))
	return hex.EncodeToString(sum[:])
}

func ownerOf(account string) *owner { return &owner{ID: canonicalID(account)} }
