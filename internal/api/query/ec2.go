package query

import (
	"bytes"
	"encoding/xml"
	"net/http"

	"rolegate/internal/api/awserr"
	"rolegate/internal/gate"
)

// Dialect is how a Query service writes its responses.
type Dialect uint8

// Dialects of the Query family.
const (
	// AWSQuery is IAM's and STS's: <ActionResponse><ActionResult>…</ActionResult>
	// <ResponseMetadata>…</ResponseMetadata></ActionResponse> and the ErrorResponse envelope.
	AWSQuery Dialect = iota
	// EC2 is the ec2 dialect: no Result wrapper, lower-camel elements, <requestId> under the root,
	// and the <Response><Errors><Error>…</Error></Errors><RequestID>…</RequestID></Response>
	// error envelope.
	EC2
)

// EC2Namespace is the namespace of EC2 responses.
const EC2Namespace = "http://ec2.amazonaws.com/doc/2016-11-15/"

// NewEC2Service builds a service that speaks the ec2 dialect.
func NewEC2Service(name, namespace, version string, ops []Op) *Service {
	s := NewService(name, namespace, version, ops)
	s.Dialect = EC2
	return s
}

// WriteError writes e in the service's dialect.
func (s *Service) WriteError(w http.ResponseWriter, requestID string, e *awserr.Error) {
	if s.Dialect == EC2 {
		WriteEC2Error(w, requestID, e)
		return
	}
	WriteError(w, s.Namespace, requestID, e)
}

// writeResult writes a success response in the service's dialect.
func (s *Service) writeResult(w http.ResponseWriter, action, requestID string, res any) error {
	if s.Dialect == EC2 {
		return WriteEC2Result(w, s.Namespace, action, requestID, res)
	}
	if a, ok := res.(Appender); ok {
		buf, _ := s.buffers.Get().(*[]byte)
		if buf == nil {
			buf = new([]byte)
		}
		*buf = writeAppended(w, s.Namespace, action, requestID, a, *buf)
		s.buffers.Put(buf)
		return nil
	}
	return WriteResult(w, s.Namespace, action, requestID, res)
}

// WriteEC2Result writes <ActionResponse xmlns=ns><requestId>id</requestId>fields of result
// </ActionResponse>. result is a struct whose fields are the response members (or nil).
func WriteEC2Result(w http.ResponseWriter, ns, action, requestID string, result any) error {
	root := xml.StartElement{Name: xml.Name{Local: action + "Response"},
		Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: ns}}}
	var body bytes.Buffer
	enc := xml.NewEncoder(&body)
	if result == nil {
		if err := enc.EncodeToken(root); err != nil {
			return err
		}
		if err := enc.EncodeToken(root.End()); err != nil {
			return err
		}
	} else if err := enc.EncodeElement(result, root); err != nil {
		return err
	}
	if err := enc.Flush(); err != nil {
		return err
	}
	// The root's start tag is exactly what the encoder wrote for root; requestId goes first
	// inside it, as EC2 puts it.
	raw := body.Bytes()
	open := bytes.IndexByte(raw, '>') + 1
	var buf bytes.Buffer
	buf.Grow(len(raw) + 128)
	buf.WriteString(xml.Header)
	buf.Write(raw[:open])
	buf.WriteString("<requestId>")
	xml.EscapeText(&buf, []byte(requestID))
	buf.WriteString("</requestId>")
	buf.Write(raw[open:])
	writeXML(w, http.StatusOK, requestID, buf.Bytes())
	return nil
}

// WriteEC2Error writes EC2's error envelope. A denial from the gate (AccessDenied) becomes EC2's
// UnauthorizedOperation, with the encoded authorization message appended as EC2 does.
func WriteEC2Error(w http.ResponseWriter, requestID string, e *awserr.Error) {
	e = EC2Error(e)
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	buf.WriteString(`<Response><Errors><Error><Code>`)
	xml.EscapeText(&buf, []byte(e.Code))
	buf.WriteString(`</Code><Message>`)
	xml.EscapeText(&buf, []byte(e.Message))
	buf.WriteString(`</Message></Error></Errors><RequestID>`)
	xml.EscapeText(&buf, []byte(requestID))
	buf.WriteString(`</RequestID></Response>`)
	writeXML(w, e.Status, requestID, buf.Bytes())
}

// EC2Error returns e as EC2 words it: AccessDenied is UnauthorizedOperation (403) with the text
// "You are not authorized to perform this operation." followed by the reason and the encoded
// authorization failure message; other errors are unchanged.
func EC2Error(e *awserr.Error) *awserr.Error {
	if e.Code != awserr.AccessDenied {
		return e
	}
	msg := "You are not authorized to perform this operation."
	if e.Message != "" {
		msg += " " + e.Message
	}
	for _, f := range e.Fields {
		if f.Name == gate.EncodedMessageField {
			msg += " Encoded authorization failure message: " + f.Value
		}
	}
	out := awserr.New(awserr.UnauthorizedOperation, msg)
	out.Cause = e.Cause
	return out
}
