package cond

// evalNull is the Null operator: "true" holds when the key is absent, "false" when it is
// present; several values are OR-ed. AWS: an empty multivalued set counts as absent; a
// present empty string counts as present (undocumented; see TestNullEmptyStringIsPresent).
func (c *Condition) evalNull(present bool) bool {
	for _, wantAbsent := range c.nulls {
		if wantAbsent != present {
			return true
		}
	}
	return false
}
