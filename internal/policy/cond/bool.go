package cond

import "strings"

// parseBool accepts "true" and "false" in any case, the only values Bool and Null know.
func parseBool(s string) (bool, bool) {
	switch {
	case strings.EqualFold(s, "true"):
		return true, true
	case strings.EqualFold(s, "false"):
		return false, true
	}
	return false, false
}

// matchBool compares true/false case-insensitively. A policy value other than true or
// false never matches; a request value other than true or false is of the wrong type.
func (c *Condition) matchBool(r string, ctx *Context) (matched, typed bool) {
	want, ok := parseBool(r)
	if !ok {
		return false, false
	}
	for i := range c.templates {
		v, ok := c.templates[i].Resolve(ctx)
		if !ok {
			continue
		}
		if b, ok := parseBool(v); ok && b == want {
			return true, true
		}
	}
	return false, true
}
