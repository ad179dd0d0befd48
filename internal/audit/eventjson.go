package audit

import (
	"encoding/binary"
	"reflect"
	"strconv"
	"time"
	"unicode/utf8"
)

// appendJSON appends the event as one JSON object, field by field in CloudTrail's order, with its
// request parameters and response elements scrubbed of secrets. It is the writer's encoder: every
// call is audited, so it avoids reflection on the event itself.
func (e *Event) appendJSON(b []byte, enc *encoder) []byte {
	b = append(b, `{"eventVersion":`...)
	b = appendJSONString(b, e.EventVersion)
	b = append(b, `,"userIdentity":`...)
	b = e.UserIdentity.appendJSON(b)
	b = append(b, `,"eventTime":`...)
	b = appendJSONString(b, e.EventTime.UTC().Format(time.RFC3339))
	b = appendField(b, "eventSource", e.EventSource, false)
	b = appendField(b, "eventName", e.EventName, false)
	b = appendField(b, "awsRegion", e.AWSRegion, false)
	b = appendField(b, "sourceIPAddress", e.SourceIPAddress, false)
	b = appendField(b, "userAgent", e.UserAgent, true)
	b = appendField(b, "errorCode", e.ErrorCode, true)
	b = appendField(b, "errorMessage", e.ErrorMessage, true)
	b = append(b, `,"requestParameters":`...)
	b = enc.any(b, e.RequestParameters)
	b = append(b, `,"responseElements":`...)
	b = enc.any(b, e.ResponseElements)
	b = appendField(b, "requestID", e.RequestID, false)
	b = appendField(b, "eventID", e.EventID, false)
	b = append(b, `,"readOnly":`...)
	b = strconv.AppendBool(b, e.ReadOnly)
	b = appendField(b, "eventType", e.EventType, false)
	b = append(b, `,"managementEvent":`...)
	b = strconv.AppendBool(b, e.ManagementEvent)
	b = appendField(b, "recipientAccountId", e.RecipientAccountID, true)
	return append(b, '}')
}

func (id *Identity) appendJSON(b []byte) []byte {
	b = append(b, `{"type":`...)
	b = appendJSONString(b, id.Type)
	b = appendField(b, "principalId", id.PrincipalID, true)
	b = appendField(b, "arn", id.ARN, true)
	b = appendField(b, "accountId", id.AccountID, true)
	b = appendField(b, "accessKeyId", id.AccessKeyID, true)
	b = appendField(b, "userName", id.UserName, true)
	b = appendField(b, "invokedBy", id.InvokedBy, true)
	if sc := id.SessionContext; sc != nil {
		b = append(b, `,"sessionContext":{`...)
		if si := sc.SessionIssuer; si != nil {
			b = append(b, `"sessionIssuer":{"type":`...)
			b = appendJSONString(b, si.Type)
			b = appendField(b, "principalId", si.PrincipalID, false)
			b = appendField(b, "arn", si.ARN, false)
			b = appendField(b, "accountId", si.AccountID, false)
			b = appendField(b, "userName", si.UserName, false)
			b = append(b, "},"...)
		}
		b = append(b, `"attributes":{"creationDate":`...)
		b = appendJSONString(b, sc.Attributes.CreationDate)
		b = appendField(b, "mfaAuthenticated", sc.Attributes.MFAAuthenticated, false)
		b = append(b, '}')
		b = appendField(b, "sourceIdentity", sc.SourceIdentity, true)
		b = appendField(b, "ec2RoleDelivery", sc.EC2RoleDelivery, true)
		b = append(b, '}')
	}
	return append(b, '}')
}

// appendField appends ,"name":"value"; with omitEmpty an empty value writes nothing.
func appendField(b []byte, name, value string, omitEmpty bool) []byte {
	if omitEmpty && value == "" {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return appendJSONString(b, value)
}

func (enc *encoder) any(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case Appender:
		return x.AppendAuditJSON(b)
	}
	return enc.value(b, reflect.ValueOf(v))
}

// Appender is a response that writes its own audit JSON (lower-camel members, no secrets). The
// hot operations implement it to skip reflection; their tests hold it equal to what the
// reflective encoder writes.
type Appender interface {
	AppendAuditJSON(b []byte) []byte
}

// Reflective writes v as the audit log would without an Appender: for tests of Appenders.
func Reflective(v any) []byte { return new(encoder).value(nil, reflect.ValueOf(v)) }

// AppendKey appends a member name, in lower camel case, and its colon, for Appenders.
func AppendKey(b []byte, name string) []byte {
	if name != "" && name[0] >= 'A' && name[0] <= 'Z' && plainJSON(name) {
		b = append(b, '"', name[0]+'a'-'A')
		b = append(b, name[1:]...)
		return append(b, '"', ':')
	}
	return append(appendJSONString(b, lowerCamel(name)), ':')
}

// AppendString appends s as a JSON string, for Appenders.
func AppendString(b []byte, s string) []byte { return appendJSONString(b, s) }

// appendJSONString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD, as encoding/json
// does.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	if plainJSON(s) {
		b = append(b, s...)
		return append(b, '"')
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c < 0x20 || c == '<' || c == '>' || c == '&':
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&15])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

// plainJSON reports whether s needs no escaping in a JSON string: printable ASCII other than
// the quote, the backslash and the characters encoding/json escapes for HTML (<, >, &). It
// tests eight bytes at a time, since most of what the audit log writes is plain.
func plainJSON(s string) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		v := binary.LittleEndian.Uint64([]byte(s[i : i+8]))
		// A byte of v is < 0x20 or >= 0x80 when (b - 0x20) borrows or its top bit is set.
		if (v-0x2020202020202020|v)&0x8080808080808080 != 0 || hasByte(v, '"') || hasByte(v, '\\') ||
			hasByte(v, '<') || hasByte(v, '>') || hasByte(v, '&') {
			break
		}
	}
	for ; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}

// hasByte reports whether some byte of v equals c (the classic zero-byte test on v XOR c).
func hasByte(v uint64, c byte) bool {
	x := v ^ (0x0101010101010101 * uint64(c))
	return (x-0x0101010101010101)&^x&0x8080808080808080 != 0
}
