package sigv4

import "time"

// TimeFormat is the layout of X-Amz-Date and of the time in the string to sign (ISO 8601 basic,
// UTC).
const TimeFormat = "20060102T150405Z"

// dateFormat is the layout of the credential scope date.
const dateFormat = "20060102"

// httpDateFormat is the RFC 1123 layout of the Date header, used when X-Amz-Date is absent.
const httpDateFormat = "Mon, 02 Jan 2006 15:04:05 GMT"

// parseAmzDate parses an X-Amz-Date value without allocating. It accepts exactly
// yyyyMMddTHHmmssZ with a valid calendar date and time.
func parseAmzDate(s string) (time.Time, bool) {
	if len(s) != len(TimeFormat) || s[8] != 'T' || s[15] != 'Z' {
		return time.Time{}, false
	}
	num := func(from, to int) (int, bool) {
		n := 0
		for i := from; i < to; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	y, ok1 := num(0, 4)
	mo, ok2 := num(4, 6)
	d, ok3 := num(6, 8)
	h, ok4 := num(9, 11)
	mi, ok5 := num(11, 13)
	sec, ok6 := num(13, 15)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, 0, time.UTC)
	if t.Day() != d { // 31 February and the like normalise into the next month
		return time.Time{}, false
	}
	return t, true
}

// validScopeDate reports whether s is an 8-digit yyyyMMdd date.
func validScopeDate(s string) bool {
	if len(s) != 8 {
		return false
	}
	_, ok := parseAmzDate(s + "T000000Z")
	return ok
}

// parseHTTPDate parses a Date header (RFC 1123, GMT).
func parseHTTPDate(s string) (time.Time, bool) {
	t, err := time.Parse(httpDateFormat, s)
	if err != nil {
		return time.Time{}, false
	}
	return t.UTC(), true
}
