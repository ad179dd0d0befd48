package query

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strconv"
	"unicode/utf8"

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
	if a, ok := result.(Appender); ok {
		writeAppended(w, ns, action, requestID, a, make([]byte, 0, 2048))
		return nil
	}
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
	// Keys in canonical form, assigned directly: Set would canonicalize them on every response.
	h := w.Header()
	vals := []string{"text/xml", strconv.Itoa(len(body)), requestID}
	h["Content-Type"] = vals[0:1:1]
	h["Content-Length"] = vals[1:2:2]
	h["X-Amzn-Requestid"] = vals[2:3:3]
	w.WriteHeader(status)
	w.Write(body)
}

// Appender is a result that writes its own XML (the members inside <ActionResult>). The hot
// operations (GetCallerIdentity, AssumeRole) implement it to skip reflection.
type Appender interface {
	AppendXML(b []byte) []byte
}

// writeAppended writes a success response whose result appends its own XML, in buf (which it
// returns, grown, for reuse).
func writeAppended(w http.ResponseWriter, ns, action, requestID string, a Appender, buf []byte) []byte {
	b := buf[:0]
	b = append(b, xml.Header...)
	b = append(b, '<')
	b = append(b, action...)
	b = append(b, `Response xmlns="`...)
	b = append(b, ns...)
	b = append(b, `"><`...)
	b = append(b, action...)
	b = append(b, "Result>"...)
	b = a.AppendXML(b)
	b = append(b, "</"...)
	b = append(b, action...)
	b = append(b, "Result><ResponseMetadata><RequestId>"...)
	b = append(b, requestID...)
	b = append(b, "</RequestId></ResponseMetadata></"...)
	b = append(b, action...)
	b = append(b, "Response>"...)
	writeXML(w, http.StatusOK, requestID, b)
	return b
}

// AppendElement appends <name>text</name> with text escaped for XML.
func AppendElement(b []byte, name, text string) []byte {
	b = append(b, '<')
	b = append(b, name...)
	b = append(b, '>')
	b = AppendText(b, text)
	b = append(b, '<', '/')
	b = append(b, name...)
	return append(b, '>')
}

// AppendText appends s escaped as XML character data. Characters XML cannot carry become
// U+FFFD, as encoding/xml does.
func AppendText(b []byte, s string) []byte {
	if plainXML(s) {
		return append(b, s...)
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch c {
			case '&':
				b = append(b, "&amp;"...)
			case '<':
				b = append(b, "&lt;"...)
			case '>':
				b = append(b, "&gt;"...)
			case '"':
				b = append(b, "&#34;"...)
			case '\'':
				b = append(b, "&#39;"...)
			case '\t':
				b = append(b, "&#x9;"...)
			case '\n':
				b = append(b, "&#xA;"...)
			case '\r':
				b = append(b, "&#xD;"...)
			default:
				if c < 0x20 {
					b = append(b, "\uFFFD"...)
				} else {
					b = append(b, c)
				}
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == 0xFFFE || r == 0xFFFF {
			b = append(b, "\uFFFD"...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return b
}

// plainXML reports whether s needs no escaping as XML character data.
func plainXML(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= utf8.RuneSelf || c == '&' || c == '<' || c == '>' || c == '"' || c == '\'' {
			return false
		}
	}
	return true
}
