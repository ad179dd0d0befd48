package ec2

import (
	"context"
	"strings"
	"testing"

	"rolegate/internal/api/awserr"
)

func TestResolveProfile(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cases := []struct {
		name    string
		account string
		ref     ProfileRef
		arn     string
		code    awserr.Code
		msg     string
	}{
		{"by name", acct, ProfileRef{Name: "web"}, "arn:aws:iam::111122223333:instance-profile/web", "", ""},
		{"by arn with path", acct, ProfileRef{ARN: "arn:aws:iam::111122223333:instance-profile/jobs/batch"}, "arn:aws:iam::111122223333:instance-profile/jobs/batch", "", ""},
		{"missing name", acct, ProfileRef{Name: "nope"}, "", awserr.InvalidParameterValue,
			"Value (nope) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name"},
		{"wrong path", acct, ProfileRef{ARN: "arn:aws:iam::111122223333:instance-profile/batch"}, "", awserr.InvalidParameterValue,
			"Value (arn:aws:iam::111122223333:instance-profile/batch) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN"},
		{"other account", acct, ProfileRef{ARN: "arn:aws:iam::999988887777:instance-profile/web"}, "", awserr.InvalidParameterValue, "Invalid IAM Instance Profile ARN"},
		{"no role", acct, ProfileRef{Name: "empty"}, "", awserr.InvalidParameterValue, " has no associated IAM Roles"},
		{"both", acct, ProfileRef{Name: "web", ARN: "arn:aws:iam::111122223333:instance-profile/web"}, "", awserr.InvalidParameterCombination, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := f.svc.ResolveProfile(ctx, tc.account, tc.ref)
			if tc.code != "" {
				e := wantCode(t, err, tc.code)
				if !strings.Contains(e.Message, tc.msg) {
					t.Errorf("message %q, want %q", e.Message, tc.msg)
				}
				return
			}
			if err != nil || p.ARN != tc.arn || p.Role == nil {
				t.Fatalf("profile %+v, %v", p, err)
			}
		})
	}
}

func TestAssociationLifecycle(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	web, _ := f.svc.ResolveProfile(ctx, acct, ProfileRef{Name: "web"})
	batch, _ := f.svc.ResolveProfile(ctx, acct, ProfileRef{Name: "batch"})
	in := f.run(t, RunInput{})
	bare := f.run(t, RunInput{})
	a, err := f.svc.Associate(ctx, acct, region, in.ID, web)
	if err != nil {
		t.Fatal(err)
	}
	if a.State != Associating || a.InstanceID != in.ID || !strings.HasPrefix(a.ID, "iip-assoc-") || len(a.ID) != 27 {
		t.Errorf("associate = %+v", a)
	}
	if snap, _ := f.md.isOpen(in.ID); snap.Profile == nil || snap.Profile.ProfileARN != web.ARN {
		t.Errorf("endpoint not told about the association: %+v", snap.Profile)
	}
	_, err = f.svc.Associate(ctx, acct, region, in.ID, batch)
	e := wantCode(t, err, CodeIncorrectAssocState)
	if e.Message != "There is an existing association for instance "+in.ID {
		t.Errorf("message %q", e.Message)
	}
	views, err := f.svc.Associations(ctx, acct, region, nil, []Filter{{"instance-id", []string{in.ID}}})
	if err != nil || len(views) != 1 || views[0].ID != a.ID || views[0].State != Associated {
		t.Fatalf("associations = %+v %v", views, err)
	}
	r, err := f.svc.Replace(ctx, acct, region, a.ID, batch)
	if err != nil {
		t.Fatal(err)
	}
	if r.ID == a.ID || r.ProfileARN != batch.ARN || r.InstanceID != in.ID {
		t.Errorf("replace = %+v", r)
	}
	if snap, _ := f.md.isOpen(in.ID); snap.Profile.ProfileARN != batch.ARN {
		t.Errorf("endpoint still sees %s", snap.Profile.ProfileARN)
	}
	_, err = f.svc.Replace(ctx, acct, region, a.ID, web)
	wantCode(t, err, CodeAssociationNotFound)
	d, err := f.svc.Disassociate(ctx, acct, region, r.ID)
	if err != nil || d.State != Disassociating {
		t.Fatalf("disassociate = %+v %v", d, err)
	}
	if snap, _ := f.md.isOpen(in.ID); snap.Profile != nil {
		t.Error("endpoint still sees a profile")
	}
	views, err = f.svc.Associations(ctx, acct, region, nil, nil)
	if err != nil || len(views) != 0 {
		t.Errorf("associations after disassociate = %+v %v", views, err)
	}
	_, err = f.svc.Associations(ctx, acct, region, []string{r.ID}, nil)
	wantCode(t, err, CodeAssociationNotFound)
	_, err = f.svc.Disassociate(ctx, acct, region, "iip-assoc-bad")
	wantCode(t, err, awserr.InvalidParameterValue)
	if _, err := f.svc.Terminate(ctx, acct, region, []string{bare.ID}); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Associate(ctx, acct, region, bare.ID, web)
	wantCode(t, err, CodeIncorrectState)
}
