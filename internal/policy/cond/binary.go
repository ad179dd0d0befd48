package cond

// matchBinary compares the base64 text of the request value with the policy's base64
// text, byte for byte, which is comparing the binary values.
func (c *Condition) matchBinary(r string) bool {
	for _, v := range c.values {
		if v == r {
			return true
		}
	}
	return false
}
