package cond

import "strings"

// decimal is an exact decimal number held as digit strings, so that comparisons need no
// floating point and no allocation: 007.50 is {int: "7", frac: "5"}.
type decimal struct {
	neg  bool
	int  string // no leading zeros
	frac string // no trailing zeros
}

// parseDecimal parses an optionally signed decimal without exponent.
func parseDecimal(s string) (decimal, bool) {
	var d decimal
	switch {
	case strings.HasPrefix(s, "-"):
		d.neg, s = true, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	ip, fp, _ := strings.Cut(s, ".")
	if (ip == "" && fp == "") || !digits(ip) || !digits(fp) {
		return decimal{}, false
	}
	d.int = strings.TrimLeft(ip, "0")
	d.frac = strings.TrimRight(fp, "0")
	if d.int == "" && d.frac == "" {
		d.neg = false
	}
	return d, true
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// compareDecimal returns -1, 0 or 1 as a is less than, equal to or greater than b.
func compareDecimal(a, b decimal) int {
	if a.neg != b.neg {
		if a.neg {
			return -1
		}
		return 1
	}
	c := compareMagnitude(a, b)
	if a.neg {
		return -c
	}
	return c
}

func compareMagnitude(a, b decimal) int {
	if len(a.int) != len(b.int) {
		if len(a.int) < len(b.int) {
			return -1
		}
		return 1
	}
	if c := strings.Compare(a.int, b.int); c != 0 {
		return c
	}
	return strings.Compare(a.frac, b.frac)
}

// ordered applies a comparison to the result of comparing request with policy value.
func ordered(cmp comparison, c int) bool {
	switch cmp {
	case cmpEquals:
		return c == 0
	case cmpLess:
		return c < 0
	case cmpLessEquals:
		return c <= 0
	case cmpGreater:
		return c > 0
	case cmpGreaterEquals:
		return c >= 0
	}
	return false
}

// matchNumber compares the request number with each policy number: request <op> policy.
func (c *Condition) matchNumber(r string) (matched, typed bool) {
	d, ok := parseDecimal(r)
	if !ok {
		return false, false
	}
	for _, v := range c.numbers {
		if ordered(c.op.cmp, compareDecimal(d, v)) {
			return true, true
		}
	}
	return false, true
}
