package seed

import (
	"crypto/rand"
	"encoding/json"
	"testing"
	"time"

	"rolegate/internal/iam"
	"rolegate/internal/idgen"
	"rolegate/internal/policy"
)

var testNow = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func statements(t *testing.T, doc string) int {
	t.Helper()
	var d struct{ Statement []json.RawMessage }
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		t.Fatalf("document does not parse: %v\n%s", err, doc)
	}
	return len(d.Statement)
}

// Every document the seeder writes must be one the API would have accepted: valid for its kind
// and within IAM's size quotas.
func TestDocumentsPassIAMValidation(t *testing.T) {
	ids := idgen.New(rand.Reader)
	for i := range 25 {
		a := build(i, PoliciesPerAccount, testNow, ids)
		for _, p := range a.policies {
			doc := p.Default().Document
			if _, err := policy.Validate([]byte(doc), policy.Rules{Kind: policy.Identity, Managed: true}); err != nil {
				t.Fatalf("account %d policy %s: %v\n%s", i, p.Name, err, doc)
			}
			if n := statements(t, doc); p.Name != BenchPolicy && (n < 5 || n > 20) {
				t.Errorf("account %d policy %s has %d statements, want 5..20", i, p.Name, n)
			}
		}
		for _, r := range a.roles {
			if _, err := policy.Validate([]byte(r.TrustPolicy), policy.Rules{Kind: policy.Trust}); err != nil {
				t.Fatalf("account %d role %s trust: %v\n%s", i, r.Name, err, r.TrustPolicy)
			}
		}
		for _, in := range a.inline {
			if _, err := policy.Validate([]byte(in.policy.Document), policy.Rules{Kind: policy.Identity}); err != nil {
				t.Fatalf("account %d inline %s/%s: %v", i, in.entity, in.policy.Name, err)
			}
		}
	}
}

// The attachment counts stored on policies must match the attachments written, as the API keeps
// them.
func TestAttachmentCountsMatchAttachments(t *testing.T) {
	ids := idgen.New(rand.Reader)
	for _, i := range []int{0, 1, 7} {
		a := build(i, PoliciesPerAccount, testNow, ids)
		want := map[*iam.ManagedPolicy]int{}
		for _, at := range a.attach {
			want[at.policy]++
		}
		for _, p := range a.policies {
			if p.Attachments != want[p] {
				t.Errorf("account %d policy %s: Attachments %d, attached %d times", i, p.Name, p.Attachments, want[p])
			}
		}
		perEntity := map[string]int{}
		for _, at := range a.attach {
			perEntity[at.kind+"/"+at.entity]++
		}
		for e, n := range perEntity {
			if n > 10 {
				t.Errorf("account %d: %s has %d managed policies, over IAM's quota of 10", i, e, n)
			}
		}
	}
}

// The same account index lays out the same documents, so seeded directories of one size are
// comparable across machines and runs.
func TestBuildIsDeterministic(t *testing.T) {
	ids := idgen.New(rand.Reader)
	a, b := build(3, 40, testNow, ids), build(3, 40, testNow, ids)
	for k := range a.policies {
		if a.policies[k].Default().Document != b.policies[k].Default().Document {
			t.Fatalf("policy %d differs between two builds", k)
		}
	}
	if a.roles[5].TrustPolicy != b.roles[5].TrustPolicy {
		t.Fatal("trust policies differ between two builds")
	}
}

func TestShapeOfAnAccount(t *testing.T) {
	ids := idgen.New(rand.Reader)
	tests := []struct {
		name                          string
		index, n                      int
		policies, roles, users, group int
	}{
		{"bench account", 0, PoliciesPerAccount, PoliciesPerAccount + 1, RolesPerAccount + 1, UsersPerAccount + 1, GroupsPerAccount + 1},
		{"full account", 4, PoliciesPerAccount, PoliciesPerAccount, RolesPerAccount, UsersPerAccount, GroupsPerAccount},
		{"last, partial account", 9, 30, 30, RolesPerAccount, UsersPerAccount, GroupsPerAccount},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := build(tt.index, tt.n, testNow, ids)
			got := []int{len(a.policies), len(a.roles), len(a.users), len(a.groups)}
			want := []int{tt.policies, tt.roles, tt.users, tt.group}
			for k := range got {
				if got[k] != want[k] {
					t.Fatalf("policies, roles, users, groups = %v, want %v", got, want)
				}
			}
			if a.org.ID != AccountID(tt.index) {
				t.Errorf("account ID %s, want %s", a.org.ID, AccountID(tt.index))
			}
			if (a.bench != nil) != (tt.index == 0) {
				t.Errorf("bench principal present = %v in account %d", a.bench != nil, tt.index)
			}
		})
	}
}
