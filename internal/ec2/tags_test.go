package ec2

import (
	"context"
	"strings"
	"testing"

	"rolegate/internal/api/awserr"
)

func TestTags(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a := f.run(t, RunInput{Tags: []Tag{{"Name", "a"}}})
	b := f.run(t, RunInput{})
	if err := f.svc.CreateTags(ctx, acct, region, []string{a.ID, b.ID}, []Tag{{"env", "prod"}, {"Name", "renamed"}}); err != nil {
		t.Fatal(err)
	}
	got, _ := f.svc.Instance(ctx, acct, region, a.ID)
	if tm := got.TagMap(); tm["Name"] != "renamed" || tm["env"] != "prod" || len(tm) != 2 {
		t.Errorf("tags of a = %v", tm)
	}
	if snap, _ := f.md.isOpen(a.ID); snap.TagMap()["env"] != "prod" {
		t.Error("endpoint not told about the tags")
	}
	all, err := f.svc.Tags(ctx, acct, region, nil)
	if err != nil || len(all) != 4 {
		t.Fatalf("tags = %+v %v", all, err)
	}
	onlyA, _ := f.svc.Tags(ctx, acct, region, []Filter{{"resource-id", []string{a.ID}}, {"key", []string{"env"}}})
	if len(onlyA) != 1 || onlyA[0] != (ResourceTag{a.ID, "instance", "env", "prod"}) {
		t.Errorf("filtered = %+v", onlyA)
	}
	if err := f.svc.DeleteTags(ctx, acct, region, []string{a.ID}, []TagDeletion{{Key: "env", Value: "dev", HasValue: true}, {Key: "Name"}}); err != nil {
		t.Fatal(err)
	}
	got, _ = f.svc.Instance(ctx, acct, region, a.ID)
	if tm := got.TagMap(); len(tm) != 1 || tm["env"] != "prod" {
		t.Errorf("after delete = %v", tm)
	}
	if err := f.svc.DeleteTags(ctx, acct, region, []string{b.ID}, nil); err != nil {
		t.Fatal(err)
	}
	got, _ = f.svc.Instance(ctx, acct, region, b.ID)
	if len(got.Tags) != 0 {
		t.Errorf("delete all left %v", got.Tags)
	}
	cases := []struct {
		name string
		ids  []string
		tags []Tag
		code awserr.Code
		msg  string
	}{
		{"reserved", []string{a.ID}, []Tag{{"aws:cloudformation", "x"}}, awserr.InvalidParameterValue, "reserved"},
		{"empty key", []string{a.ID}, []Tag{{"", "x"}}, awserr.InvalidParameterValue, "empty"},
		{"long value", []string{a.ID}, []Tag{{"k", strings.Repeat("v", 257)}}, awserr.InvalidParameterValue, "256"},
		{"not an instance", []string{"vol-0123456789abcdef0"}, []Tag{{"k", "v"}}, CodeInvalidID, "The ID 'vol-0123456789abcdef0' is not valid"},
		{"missing", []string{"i-0123456789abcdef0"}, []Tag{{"k", "v"}}, CodeInstanceNotFound, "does not exist"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := wantCode(t, f.svc.CreateTags(ctx, acct, region, tc.ids, tc.tags), tc.code)
			if !strings.Contains(e.Message, tc.msg) {
				t.Errorf("message %q", e.Message)
			}
		})
	}
	many := make([]Tag, 0, 50)
	for i := 0; i < 50; i++ {
		many = append(many, Tag{Key: "k" + string(rune('A'+i%26)) + string(rune('a'+i/26)), Value: "v"})
	}
	wantCode(t, f.svc.CreateTags(ctx, acct, region, []string{a.ID}, many), CodeTagLimitExceeded)
}
