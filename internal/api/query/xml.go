package query

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strconv"

	"rolegate/internal/api/awserr"
)

// Namespaces of the Query services.
const (
	IAMNamespace = "https://iam.amazonaws.com/doc/2010-05-08/"
	STSNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"
)

// Encoded is a policy document as the Query services return it: percent-encoded per RFC 3986
// (space as %20, never '+'), because clients URL-decode it (Terraform with url.QueryUnescape,
// botocore with unquote) before parsing the JSON.
type Encoded string

// MarshalText percent-encodes the document.
func (e Encoded) MarshalText() ([]byte, error) { return []byte(Escape(string(e))), nil }

// Escape percent-encodes every byte of s except RFC 3986 unreserved characters.
func Escape(s string) string {
	const hex = "0123456789ABCDEF"
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~' {
			if b != nil {
				b = append(b, c)
			}
			continue
		}
		if b == nil {
			b = make([]byte, 0, len(s)*3)
			b = append(b, s[:i]...)
		}
		b = append(b, '%', hex[c>>4], hex[c&15])
	}
	if b == nil {
		return s
	}
	return string(b)
}

// WriteResult writes a success response: <ActionResponse xmlns=ns><ActionResult>result
// </ActionResult><ResponseMetadata><RequestId>id</RequestId></ResponseMetadata></ActionResponse>.
// A nil result writes no Result element (operations without output).
func WriteResult(w http.ResponseWriter, ns, action, requestID string, result any) error {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	root := xml.StartElement{Name: xml.Name{Local: action + "Response"},
		Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: ns}}}
	if err := enc.EncodeToken(root); err != nil {
		return err
	}
	if result != nil {
		if err := enc.EncodeElement(result, xml.StartElement{Name: xml.Name{Local: action + "Result"}}); err != nil {
			return err
		}
	}
	meta := struct {
		RequestID string `xml:"RequestId"`
	}{requestID}
	if err := enc.EncodeElement(meta, xml.StartElement{Name: xml.Name{Local: "ResponseMetadata"}}); err != nil {
		return err
	}
	if err := enc.EncodeToken(root.End()); err != nil {
		return err
	}
	if err := enc.Flush(); err != nil {
		return err
	}
	writeXML(w, http.StatusOK, requestID, buf.Bytes())
	return nil
}

// WriteError writes the Query error envelope for e.
func WriteError(w http.ResponseWriter, ns, requestID string, e *awserr.Error) {
	typ := "Sender"
	if !e.Sender() {
		typ = "Receiver"
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	buf.WriteString(`<ErrorResponse xmlns="` + ns + `"><Error><Type>` + typ + `</Type><Code>`)
	xml.EscapeText(&buf, []byte(e.Code))
	buf.WriteString(`</Code><Message>`)
	xml.EscapeText(&buf, []byte(e.Message))
	buf.WriteString(`</Message>`)
	for _, f := range e.Fields {
		buf.WriteString("<" + f.Name + ">")
		xml.EscapeText(&buf, []byte(f.Value))
		buf.WriteString("</" + f.Name + ">")
	}
	buf.WriteString(`</Error><RequestId>` + requestID + `</RequestId></ErrorResponse>`)
	writeXML(w, e.Status, requestID, buf.Bytes())
}

func writeXML(w http.ResponseWriter, status int, requestID string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "text/xml")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("x-amzn-RequestId", requestID)
	w.WriteHeader(status)
	w.Write(body)
}
