package org

import "rolegate/internal/store"

// LoadAccount stores a member account in tx, as Create does but without generating its ID, for
// bulk loads ("rolegate seed"). A duplicate ID or name fails.
func LoadAccount(tx store.Tx, a *Account) error {
	return (&Service{}).insertAccount(tx, a)
}
