package cond

// matchString reports whether r matches some policy value. A value whose variable has no
// value and no default matches nothing (AWS: so a negated operator over it is true).
func (c *Condition) matchString(r string, ctx *Context) bool {
	for i := range c.templates {
		t := &c.templates[i]
		var ok bool
		if c.op.cmp == cmpEqualsFold {
			ok, _ = t.MatchFold(r, ctx)
		} else {
			ok, _ = t.Match(r, ctx)
		}
		if ok {
			return true
		}
	}
	return false
}
