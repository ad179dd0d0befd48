package server_test

import (
	"context"
	"net/url"
	"sort"
	"strings"
	"testing"

	"rolegate/internal/testkit"
)

// TestOnlyListedOperationsNeedNoPermission pins the operations that skip the gate: adding one is
// a security decision, so it must be added here too.
func TestOnlyListedOperationsNeedNoPermission(t *testing.T) {
	s := testkit.NewServer(t)
	public := map[string]bool{
		// AWS: no permission is needed and an explicit deny does not stop it.
		"sts:GetCallerIdentity": true,
		// AWS: "you cannot use policies to control authentication operations".
		"sts:GetSessionToken": true,
	}
	var got []string
	for name, svc := range s.Srv.QueryServices() {
		for _, op := range svc.Ops() {
			if op.Public {
				got = append(got, name+":"+op.Name)
			}
		}
	}
	sort.Strings(got)
	for _, g := range got {
		if !public[g] {
			t.Errorf("operation %s needs no permission, but is not listed as such", g)
		}
	}
	if len(got) != len(public) {
		t.Errorf("public operations = %v, want %d", got, len(public))
	}
}

// TestEveryOperationRefusesACallerWithoutPermission calls every Query operation as an IAM user with
// no policy and no parameters: none may succeed except the public ones.
func TestEveryOperationRefusesACallerWithoutPermission(t *testing.T) {
	s := testkit.NewServer(t)
	dev := s.CreateAccount(t, "dev")
	nobody := s.User(t, dev.Root, "nobody", nil)
	c := s.Client(nobody)
	for name, svc := range s.Srv.QueryServices() {
		for _, op := range svc.Ops() {
			err := c.Query(context.Background(), name, svc.Version, op.Name, url.Values{}, nil)
			switch {
			case op.Public:
			case err == nil:
				t.Errorf("%s:%s succeeded for a user without any policy", name, op.Name)
			case strings.Contains(err.Error(), "InternalFailure"):
				t.Errorf("%s:%s answered %v", name, op.Name, err)
			}
		}
	}
}
