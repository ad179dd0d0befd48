package cond

import (
	"net/netip"
	"strings"
)

// parsePrefix parses a policy IP value: a CIDR or a bare address (a /32 or /128).
func parsePrefix(s string) (netip.Prefix, bool) {
	if strings.IndexByte(s, '/') >= 0 {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, false
		}
		return p.Masked(), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(a, a.BitLen()), true
}

// matchIP reports whether the request address lies in some policy prefix. IPv4 and IPv6
// never match each other, an IPv4-mapped IPv6 address included.
func (c *Condition) matchIP(r string) (matched, typed bool) {
	a, err := netip.ParseAddr(r)
	if err != nil {
		return false, false
	}
	for _, p := range c.prefixes {
		if p.Contains(a) {
			return true, true
		}
	}
	return false, true
}
