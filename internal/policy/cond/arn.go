package cond

import (
	"strings"

	"rolegate/internal/arn"
)

// ARNPattern is an ARN pattern compiled section by section: each of the six
// colon-separated sections is a template whose `*` and `?` never cross into another
// section. It serves both the ARN condition operators and the Resource element.
type ARNPattern struct {
	sections [6]Template
	// literal[i] is the text of section i when it has no wildcard and no variable, the
	// usual case for partition, service, region and account; it is compared directly.
	literal [6]string
	isLit   [6]bool
	valid   bool
}

// CompileARNPattern compiles s. vars says whether policy variables are recognised; with
// resourceOnly they are recognised only in the resource section (the Resource element,
// where AWS allows them nowhere else), otherwise in every section, and a colon inside
// ${...} does not end a section (ArnLike "arn:aws:iam::${aws:PrincipalAccount}:role/x").
//
// AWS: a `*` at the end of a pattern's last section "can expand beyond the colon
// boundaries"; a pattern with fewer than six sections whose last section ends in `*` is
// therefore padded with `*` sections (arn:aws:s3:* = arn:aws:s3:*:*:*). Any other pattern
// with fewer than six sections matches nothing.
func CompileARNPattern(s string, vars, resourceOnly bool) ARNPattern {
	var p ARNPattern
	secs, n := splitSections(s, vars && !resourceOnly)
	if n < 6 {
		if !strings.HasSuffix(secs[n-1], "*") {
			return p
		}
		for ; n < 6; n++ {
			secs[n] = "*"
		}
	}
	for i, sec := range secs {
		t := ParseTemplate(sec, vars && (!resourceOnly || i == 5), true)
		p.sections[i] = t
		if !t.vars {
			p.literal[i], p.isLit[i] = t.static.Literal()
		}
	}
	p.valid = true
	return p
}

// splitSections splits s at its first five colons, skipping colons inside ${...} when
// varAware is set.
func splitSections(s string, varAware bool) ([6]string, int) {
	var secs [6]string
	n := 0
	start := 0
	for i := 0; i < len(s) && n < 5; i++ {
		switch s[i] {
		case '$':
			if varAware && i+1 < len(s) && s[i+1] == '{' {
				if j := strings.IndexByte(s[i:], '}'); j > 0 {
					i += j
				}
			}
		case ':':
			secs[n] = s[start:i]
			n++
			start = i + 1
		}
	}
	secs[n] = s[start:]
	return secs, n + 1
}

// Valid reports whether the pattern has six sections (after padding) and can match.
func (p *ARNPattern) Valid() bool { return p.valid }

// Match reports whether a matches the pattern. resolved is false when a variable in the
// pattern has no value and no default.
func (p *ARNPattern) Match(a *arn.ARN, ctx *Context) (matched, resolved bool) {
	if !p.valid {
		return false, true
	}
	parts := [6]string{"arn", a.Partition, a.Service, a.Region, a.Account, a.Resource}
	for i := range parts {
		if p.isLit[i] {
			if parts[i] != p.literal[i] {
				return false, true
			}
			continue
		}
		m, ok := p.sections[i].Match(parts[i], ctx)
		if !ok {
			return false, false
		}
		if !m {
			return false, true
		}
	}
	return true, true
}

// matchARN reports whether the request ARN matches some policy pattern. AWS: a request
// value that is not an ARN satisfies neither ArnLike nor ArnNotLike (policy simulator
// behaviour reported by PMapper).
func (c *Condition) matchARN(r string, ctx *Context) (matched, typed bool) {
	a, ok := arn.Split(r)
	if !ok {
		return false, false
	}
	for i := range c.arns {
		if m, _ := c.arns[i].Match(&a, ctx); m {
			return true, true
		}
	}
	return false, true
}
