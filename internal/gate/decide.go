package gate

import (
	"rolegate/internal/api/awserr"
	"rolegate/internal/authn"
)

// authorize decides chk for c. Until identity policies are evaluated here, only an account's root
// user is allowed, and only within its own account: everything else is denied.
func (g *Gate) authorize(c *Call, chk Check) error {
	id := c.Identity
	acct := chk.ResourceAccount
	if acct == "" {
		acct = id.Account
	}
	if chk.Action != "" && id.Kind == authn.Root && acct == id.Account {
		return nil
	}
	return awserr.Newf(awserr.AccessDenied, "User: %s is not authorized to perform: %s on resource: %s", id.ARN, chk.Action, chk.Resource)
}
