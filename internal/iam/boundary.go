package iam

import (
	"context"

	"rolegate/internal/store"
)

// BoundaryUse is one user or role whose permissions boundary is a managed policy.
type BoundaryUse struct {
	Policy string // the boundary policy's ARN, as set
	Kind   string // KindUser or KindRole
	Name   string
	ID     string
	Path   string
}

// BoundaryUses lists every user and role of account that has a permissions boundary. Boundaries
// are not indexed by policy (they are rare and change seldom), so this scans both tables; it serves
// ListEntitiesForPolicy and the per-account boundary count of AWS managed policies.
func (s *Service) BoundaryUses(ctx context.Context, account string) ([]BoundaryUse, error) {
	var out []BoundaryUse
	err := s.view(ctx, func(tx store.Tx) error {
		users, err := scanAll[User](tx, tUser, account+"/")
		if err != nil {
			return err
		}
		for _, u := range users {
			if u.Boundary != "" {
				out = append(out, BoundaryUse{Policy: u.Boundary, Kind: KindUser, Name: u.Name, ID: u.ID, Path: u.Path})
			}
		}
		roles, err := scanAll[Role](tx, tRole, account+"/")
		if err != nil {
			return err
		}
		for _, r := range roles {
			if r.Boundary != "" {
				out = append(out, BoundaryUse{Policy: r.Boundary, Kind: KindRole, Name: r.Name, ID: r.ID, Path: r.Path})
			}
		}
		return nil
	})
	return out, err
}
