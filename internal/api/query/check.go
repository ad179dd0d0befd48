package query

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"rolegate/internal/api/awserr"
)

// Check collects constraint violations the way AWS reports them: one ValidationError whose message
// lists every violation, e.g. "1 validation error detected: Value 'x y' at 'roleSessionName' failed
// to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*".
// Field names are the model's member names in lower camel case.
type Check struct {
	errs []string
}

func (c *Check) add(value *string, field, constraint string) {
	v := "null"
	if value != nil {
		v = "'" + *value + "'"
	}
	c.errs = append(c.errs, "Value "+v+" at '"+field+"' failed to satisfy constraint: Member "+constraint)
}

// Required records a violation when the parameter was not sent and returns its value.
func (c *Check) Required(p Params, name, field string) string {
	if !p.Has(name) {
		c.add(nil, field, "must not be null")
		return ""
	}
	return p.String(name)
}

// Len records a violation when value's length (in characters) is outside [min, max]; max < 0
// means unbounded.
func (c *Check) Len(field, value string, min, max int) {
	n := utf8.RuneCountInString(value)
	switch {
	case n < min:
		c.add(&value, field, "must have length greater than or equal to "+strconv.Itoa(min))
	case max >= 0 && n > max:
		c.add(&value, field, "must have length less than or equal to "+strconv.Itoa(max))
	}
}

// Chars records a violation when some character of value is not allowed; pattern is the model's
// regular expression, quoted in the message.
func (c *Check) Chars(field, value string, allowed func(rune) bool, pattern string) {
	for _, r := range value {
		if !allowed(r) {
			c.add(&value, field, "must satisfy regular expression pattern: "+pattern)
			return
		}
	}
}

// Int parses an integer parameter when present and records a violation when it is outside
// [min, max]. It returns the value and whether the parameter was sent non-empty.
func (c *Check) Int(p Params, name, field string, min, max int64) (int64, bool) {
	s, ok := p.Opt(name)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		c.add(&s, field, "must be a number")
		return 0, false
	}
	if n < min {
		c.add(&s, field, "must have value greater than or equal to "+strconv.FormatInt(min, 10))
	} else if n > max {
		c.add(&s, field, "must have value less than or equal to "+strconv.FormatInt(max, 10))
	}
	return n, true
}

// Bool parses a boolean parameter when present.
func (c *Check) Bool(p Params, name, field string) (bool, bool) {
	s, ok := p.Opt(name)
	if !ok {
		return false, false
	}
	switch strings.ToLower(s) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	c.add(&s, field, "must be a boolean")
	return false, false
}

// Enum records a violation when value is not one of the allowed values.
func (c *Check) Enum(field, value string, allowed ...string) {
	for _, a := range allowed {
		if value == a {
			return
		}
	}
	c.add(&value, field, "must satisfy enum value set: ["+strings.Join(allowed, ", ")+"]")
}

// Fail records a violation with a free constraint text.
func (c *Check) Fail(field, value, constraint string) { c.add(&value, field, constraint) }

// Err returns the ValidationError for the violations recorded so far, or nil.
func (c *Check) Err() error {
	switch len(c.errs) {
	case 0:
		return nil
	case 1:
		return awserr.New(awserr.ValidationError, "1 validation error detected: "+c.errs[0])
	}
	return awserr.New(awserr.ValidationError,
		strconv.Itoa(len(c.errs))+" validation errors detected: "+strings.Join(c.errs, "; "))
}

// NameChar reports whether r is allowed in IAM names and session names: [\w+=,.@-].
func NameChar(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
		strings.ContainsRune("_+=,.@-", r)
}

// NamePattern is the model's pattern text for NameChar.
const NamePattern = `[\w+=,.@-]+`

// PolicyChar reports whether r is allowed in policy documents: tab, LF, CR and U+0020–U+00FF.
func PolicyChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0xFF
}

// PolicyPattern is the model's pattern text for PolicyChar.
const PolicyPattern = `[\u0009\u000A\u000D\u0020-\u00FF]+`
