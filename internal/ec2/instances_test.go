package ec2

import (
	"context"
	"strings"
	"testing"
	"time"

	"rolegate/internal/api/awserr"
)

func TestRunStoresRunningAndReportsPending(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p, err := f.svc.ResolveProfile(ctx, acct, ProfileRef{Name: "web"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.svc.Run(ctx, RunInput{Account: acct, Region: region, ImageID: al2023, InstanceType: "t3.micro",
		MinCount: 2, MaxCount: 2, Profile: p, Tags: []Tag{{"Name", "web"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Instances) != 2 || !strings.HasPrefix(res.ID, "r-") {
		t.Fatalf("reservation = %+v", res)
	}
	for i, in := range res.Instances {
		if in.State != Pending || in.State.Code() != 0 || in.LaunchIndex != i || in.ReservationID != res.ID {
			t.Errorf("returned instance %d = state %s index %d", i, in.State, in.LaunchIndex)
		}
		if err := CheckInstanceID(in.ID); err != nil || len(in.ID) != 19 {
			t.Errorf("instance ID %q: %v", in.ID, err)
		}
		got, err := f.svc.Instance(ctx, acct, region, in.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != Running || got.State.Code() != 16 || got.MetadataPort == 0 || got.MetadataEndpoint() == "" {
			t.Errorf("stored = %s port %d", got.State, got.MetadataPort)
		}
		if got.Metadata.HTTPTokens != TokensRequired || got.Metadata.HopLimit != 2 || got.Metadata.HTTPEndpoint != Enabled {
			t.Errorf("AL2023 metadata defaults = %+v", got.Metadata)
		}
		if got.Profile == nil || got.Profile.ProfileARN != "arn:aws:iam::111122223333:instance-profile/web" ||
			!strings.HasPrefix(got.Profile.ID, "iip-assoc-") {
			t.Errorf("profile = %+v", got.Profile)
		}
		if got.ARN() != "arn:aws:ec2:us-east-1:111122223333:instance/"+in.ID || got.AvailabilityZone != "us-east-1a" {
			t.Errorf("ARN %s zone %s", got.ARN(), got.AvailabilityZone)
		}
		if !strings.HasSuffix(got.PrivateDNSName(), ".ec2.internal") || !strings.HasPrefix(got.PrivateIP, "10.0.") {
			t.Errorf("private %s %s", got.PrivateIP, got.PrivateDNSName())
		}
		if _, open := f.md.isOpen(in.ID); !open {
			t.Errorf("metadata endpoint of %s not open", in.ID)
		}
	}
	other := f.run(t, RunInput{})
	if other.Metadata.HTTPTokens != TokensOptional || other.Metadata.HopLimit != 1 || other.InstanceType != DefaultInstanceType {
		t.Errorf("Ubuntu defaults = %+v %s", other.Metadata, other.InstanceType)
	}
}

func TestRunRefusals(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		name string
		in   RunInput
		code awserr.Code
		msg  string
	}{
		{"unknown image", RunInput{ImageID: "ami-0123456789abcdef0"}, CodeAMINotFound, "The image id '[ami-0123456789abcdef0]' does not exist"},
		{"malformed image", RunInput{ImageID: "ami-xyz"}, CodeAMIMalformed, `Invalid id: "ami-xyz"`},
		{"unknown type", RunInput{ImageID: ubuntu, InstanceType: "x9.huge"}, awserr.InvalidParameterValue, "Invalid value 'x9.huge' for InstanceType."},
		{"architecture", RunInput{ImageID: ubuntu, InstanceType: "t4g.micro"}, awserr.InvalidParameterValue, "The architecture 'arm64' of the specified instance type does not match the architecture 'x86_64'"},
		{"zone", RunInput{ImageID: ubuntu, AvailabilityZone: "eu-west-1a"}, awserr.InvalidParameterValue, "Invalid availability zone: [eu-west-1a]"},
		{"count", RunInput{ImageID: ubuntu, MinCount: 3, MaxCount: 2}, awserr.InvalidParameterValue, "minCount"},
		{"limit", RunInput{ImageID: ubuntu, MinCount: 21, MaxCount: 21}, "InstanceLimitExceeded", "(21)"},
		{"user data", RunInput{ImageID: ubuntu, UserData: "not base64!"}, awserr.InvalidParameterValue, "BASE64"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.Account, in.Region = acct, region
			if in.MinCount == 0 {
				in.MinCount, in.MaxCount = 1, 1
			}
			_, err := f.svc.Run(context.Background(), in)
			e := wantCode(t, err, tc.code)
			if e.Status != 400 || !strings.Contains(e.Message, tc.msg) {
				t.Errorf("%d %q, want %q", e.Status, e.Message, tc.msg)
			}
		})
	}
	all, _, err := f.svc.Instances(context.Background(), acct, region, Query{})
	if err != nil || len(all) != 0 {
		t.Errorf("refused launches left instances: %d %v", len(all), err)
	}
}

func TestRunClientTokenIsIdempotent(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	in := RunInput{Account: acct, Region: region, ImageID: ubuntu, MinCount: 1, MaxCount: 1, ClientToken: "tok-1"}
	a, err := f.svc.Run(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.svc.Run(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != b.ID || a.Instances[0].ID != b.Instances[0].ID {
		t.Errorf("repeated token launched again: %s/%s vs %s/%s", a.ID, a.Instances[0].ID, b.ID, b.Instances[0].ID)
	}
	in.ImageID = al2023
	_, err = f.svc.Run(ctx, in)
	wantCode(t, err, CodeIdempotentMismatch)
}

func TestInstancesQuery(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	web := f.run(t, RunInput{Tags: []Tag{{"Name", "web-1"}, {"env", "prod"}}})
	db := f.run(t, RunInput{Tags: []Tag{{"Name", "db-1"}, {"env", "dev"}}, InstanceType: "m5.large"})
	west := f.run(t, RunInput{Account: acct, Region: "us-west-2", ImageID: ubuntu})
	if _, err := f.svc.Stop(ctx, acct, region, []string{db.ID}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		q    Query
		want []string
	}{
		{"all in region", Query{}, []string{web.ID, db.ID}},
		{"by id", Query{IDs: []string{db.ID}}, []string{db.ID}},
		{"tag", Query{Filters: []Filter{{"tag:env", []string{"prod"}}}}, []string{web.ID}},
		{"tag wildcard", Query{Filters: []Filter{{"tag:Name", []string{"*-1"}}}}, []string{web.ID, db.ID}},
		{"tag key", Query{Filters: []Filter{{"tag-key", []string{"env"}}}}, []string{web.ID, db.ID}},
		{"state", Query{Filters: []Filter{{"instance-state-name", []string{"stopped"}}}}, []string{db.ID}},
		{"state code", Query{Filters: []Filter{{"instance-state-code", []string{"16"}}}}, []string{web.ID}},
		{"and", Query{Filters: []Filter{{"tag:env", []string{"prod", "dev"}}, {"instance-type", []string{"m5.large"}}}}, []string{db.ID}},
		{"id filter", Query{Filters: []Filter{{"instance-id", []string{web.ID}}}}, []string{web.ID}},
		{"none", Query{Filters: []Filter{{"tag:env", []string{"qa"}}}}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, next, err := f.svc.Instances(ctx, acct, region, tc.q)
			if err != nil || next != "" {
				t.Fatalf("err %v next %q", err, next)
			}
			if !sameIDs(got, tc.want) {
				t.Errorf("got %v, want %v", ids(got), tc.want)
			}
		})
	}
	if _, _, err := f.svc.Instances(ctx, acct, region, Query{IDs: []string{west.ID}}); err == nil {
		t.Error("an instance of another region was found")
	} else if e := wantCode(t, err, CodeInstanceNotFound); e.Message != "The instance ID '"+west.ID+"' does not exist" {
		t.Errorf("message %q", e.Message)
	}
	_, _, err := f.svc.Instances(ctx, acct, region, Query{IDs: []string{"i-123"}})
	wantCode(t, err, CodeInstanceMalformed)
	_, _, err = f.svc.Instances(ctx, acct, region, Query{Filters: []Filter{{"color", []string{"red"}}}})
	wantCode(t, err, awserr.InvalidParameterValue)
	_, _, err = f.svc.Instances(ctx, "999988887777", region, Query{IDs: []string{web.ID}})
	wantCode(t, err, CodeInstanceNotFound)
}

func TestInstancesPages(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.svc.Run(ctx, RunInput{Account: acct, Region: region, ImageID: ubuntu, MinCount: 5, MaxCount: 5}); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	token := ""
	for page := 0; ; page++ {
		got, next, err := f.svc.Instances(ctx, acct, region, Query{MaxResults: 2, NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range got {
			if seen[in.ID] {
				t.Fatalf("%s on two pages", in.ID)
			}
			seen[in.ID] = true
		}
		if next == "" {
			break
		}
		if page > 5 || next == token {
			t.Fatal("pages do not advance")
		}
		token = next
	}
	if len(seen) != 5 {
		t.Errorf("paged through %d instances, want 5", len(seen))
	}
	_, _, err := f.svc.Instances(ctx, acct, region, Query{NextToken: "garbage!"})
	wantCode(t, err, CodeInvalidNextToken)
}

func TestTerminatedInstancesFadeAfterRetention(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	in := f.run(t, RunInput{})
	ch, err := f.svc.Terminate(ctx, acct, region, []string{in.ID})
	if err != nil {
		t.Fatal(err)
	}
	if ch[0] != (StateChange{in.ID, Running, ShuttingDown}) {
		t.Errorf("change = %+v", ch[0])
	}
	got, err := f.svc.Instance(ctx, acct, region, in.ID)
	if err != nil || got.State != Terminated || got.State.Code() != 48 || got.MetadataEndpoint() != "" {
		t.Fatalf("after terminate: %+v %v", got, err)
	}
	if _, open := f.md.isOpen(in.ID); open {
		t.Error("endpoint still open after terminate")
	}
	f.clock.Advance(TerminatedRetention - time.Minute)
	if _, err := f.svc.Instance(ctx, acct, region, in.ID); err != nil {
		t.Errorf("terminated instance gone before its retention: %v", err)
	}
	f.clock.Advance(2 * time.Minute)
	_, err = f.svc.Instance(ctx, acct, region, in.ID)
	wantCode(t, err, CodeInstanceNotFound)
	if err := f.svc.Resume(ctx); err != nil {
		t.Fatal(err)
	}
	all, err := f.svc.AllInstances(ctx)
	if err != nil || len(all) != 0 {
		t.Errorf("Resume kept %d expired instances (%v)", len(all), err)
	}
}

func ids(ins []*Instance) []string {
	var out []string
	for _, in := range ins {
		out = append(out, in.ID)
	}
	return out
}

func sameIDs(ins []*Instance, want []string) bool {
	if len(ins) != len(want) {
		return false
	}
	got := map[string]bool{}
	for _, in := range ins {
		got[in.ID] = true
	}
	for _, w := range want {
		if !got[w] {
			return false
		}
	}
	return true
}
