package iam

import "testing"

func TestRoleHasARN(t *testing.T) {
	r := &Role{Account: "111122223333", Path: "/ops/", Name: "deploy"}
	for arn, want := range map[string]bool{
		"arn:aws:iam::111122223333:role/ops/deploy":  true,
		"arn:aws:iam::111122223333:role/deploy":      false,
		"arn:aws:iam::111122223333:role/ops/deploy2": false,
		"arn:aws:iam::444455556666:role/ops/deploy":  false,
		"arn:aws:iam::111122223333:user/ops/deploy":  false,
		"": false,
	} {
		if got := r.HasARN(arn); got != want || want && arn != r.ARN() {
			t.Errorf("HasARN(%q) = %v, want %v", arn, got, want)
		}
	}
}
