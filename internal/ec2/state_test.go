package ec2

import (
	"context"
	"strings"
	"testing"
)

func TestStateMachine(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	in := f.run(t, RunInput{})
	port := in.MetadataPort
	steps := []struct {
		name      string
		do        func() ([]StateChange, error)
		prev, cur State
		stored    State
		open      bool
	}{
		{"stop", func() ([]StateChange, error) { return f.svc.Stop(ctx, acct, region, []string{in.ID}) }, Running, Stopping, Stopped, false},
		{"stop again", func() ([]StateChange, error) { return f.svc.Stop(ctx, acct, region, []string{in.ID}) }, Stopped, Stopped, Stopped, false},
		{"start", func() ([]StateChange, error) { return f.svc.Start(ctx, acct, region, []string{in.ID}) }, Stopped, Pending, Running, true},
		{"start again", func() ([]StateChange, error) { return f.svc.Start(ctx, acct, region, []string{in.ID}) }, Running, Running, Running, true},
		{"terminate", func() ([]StateChange, error) { return f.svc.Terminate(ctx, acct, region, []string{in.ID}) }, Running, ShuttingDown, Terminated, false},
		{"terminate again", func() ([]StateChange, error) { return f.svc.Terminate(ctx, acct, region, []string{in.ID}) }, Terminated, Terminated, Terminated, false},
	}
	for _, st := range steps {
		ch, err := st.do()
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if len(ch) != 1 || ch[0].Previous != st.prev || ch[0].Current != st.cur {
			t.Errorf("%s: change %+v, want %s -> %s", st.name, ch, st.prev, st.cur)
		}
		got, err := f.svc.Instance(ctx, acct, region, in.ID)
		if err != nil || got.State != st.stored {
			t.Fatalf("%s: stored %v %v", st.name, got, err)
		}
		if _, open := f.md.isOpen(in.ID); open != st.open {
			t.Errorf("%s: endpoint open = %v", st.name, open)
		}
		if st.stored == Running && got.MetadataPort != port {
			t.Errorf("%s: restarted on port %d, had %d", st.name, got.MetadataPort, port)
		}
		if st.stored == Stopped && (!strings.HasPrefix(got.Reason, "User initiated (") || got.ReasonCode != "Client.UserInitiatedShutdown") {
			t.Errorf("%s: reason %q %q", st.name, got.Reason, got.ReasonCode)
		}
	}
	for _, op := range []struct {
		name string
		do   func() ([]StateChange, error)
	}{
		{"start terminated", func() ([]StateChange, error) { return f.svc.Start(ctx, acct, region, []string{in.ID}) }},
		{"stop terminated", func() ([]StateChange, error) { return f.svc.Stop(ctx, acct, region, []string{in.ID}) }},
	} {
		_, err := op.do()
		e := wantCode(t, err, CodeIncorrectState)
		if !strings.Contains(e.Message, in.ID) || !strings.Contains(e.Message, "is not in a state from which it can be") {
			t.Errorf("%s: %q", op.name, e.Message)
		}
	}
}

func TestProtectedInstancesRefuse(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	in := f.run(t, RunInput{DisableAPITermination: true, DisableAPIStop: true})
	free := f.run(t, RunInput{})
	_, err := f.svc.Terminate(ctx, acct, region, []string{free.ID, in.ID})
	e := wantCode(t, err, CodeOperationNotPermitted)
	if !strings.Contains(e.Message, "'disableApiTermination'") {
		t.Errorf("message %q", e.Message)
	}
	got, _ := f.svc.Instance(ctx, acct, region, free.ID)
	if got.State != Running {
		t.Errorf("a refused call terminated %s anyway", free.ID)
	}
	_, err = f.svc.Stop(ctx, acct, region, []string{in.ID})
	wantCode(t, err, CodeOperationNotPermitted)
	off := false
	if err := f.svc.ModifyAttribute(ctx, acct, region, in.ID, AttributeChange{DisableAPITermination: &off}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Terminate(ctx, acct, region, []string{in.ID}); err != nil {
		t.Errorf("terminate after clearing the attribute: %v", err)
	}
	_, err = f.svc.Stop(ctx, acct, region, []string{in.ID, "i-0123456789abcdef0"})
	wantCode(t, err, CodeInstanceNotFound)
}

func TestModifyAttributeNeedsStoppedForType(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	in := f.run(t, RunInput{})
	typ := "m5.large"
	err := f.svc.ModifyAttribute(ctx, acct, region, in.ID, AttributeChange{InstanceType: &typ})
	wantCode(t, err, CodeIncorrectState)
	if _, err := f.svc.Stop(ctx, acct, region, []string{in.ID}); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.ModifyAttribute(ctx, acct, region, in.ID, AttributeChange{InstanceType: &typ}); err != nil {
		t.Fatal(err)
	}
	arm := "t4g.micro"
	err = f.svc.ModifyAttribute(ctx, acct, region, in.ID, AttributeChange{InstanceType: &arm})
	wantCode(t, err, "InvalidParameterValue")
	got, _ := f.svc.Instance(ctx, acct, region, in.ID)
	if got.InstanceType != typ {
		t.Errorf("type = %s", got.InstanceType)
	}
	bad := "reboot"
	err = f.svc.ModifyAttribute(ctx, acct, region, in.ID, AttributeChange{ShutdownBehavior: &bad})
	wantCode(t, err, "InvalidParameterValue")
}

func TestModifyMetadataOptionsReachesTheEndpoint(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	in := f.run(t, RunInput{})
	if _, err := f.svc.ModifyMetadataOptions(ctx, acct, region, in.ID, MetadataChange{HTTPTokens: TokensRequired, InstanceTags: Enabled}); err != nil {
		t.Fatal(err)
	}
	snap, open := f.md.isOpen(in.ID)
	if !open || snap.Metadata.HTTPTokens != TokensRequired || snap.Metadata.InstanceTags != Enabled || snap.Metadata.HTTPEndpoint != Enabled {
		t.Errorf("endpoint sees %+v", snap)
	}
}

func TestResumeReopensRunningInstances(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a := f.run(t, RunInput{})
	b := f.run(t, RunInput{})
	if _, err := f.svc.Stop(ctx, acct, region, []string{b.ID}); err != nil {
		t.Fatal(err)
	}
	// A new process: a fresh metadata manager that has nothing open.
	f.md = &metadata{failOn: ""}
	f.svc.cfg.Metadata = f.md
	if err := f.svc.Resume(ctx); err != nil {
		t.Fatal(err)
	}
	if _, open := f.md.isOpen(a.ID); !open {
		t.Error("running instance not reopened")
	}
	if _, open := f.md.isOpen(b.ID); open {
		t.Error("stopped instance reopened")
	}
	got, _ := f.svc.Instance(ctx, acct, region, a.ID)
	if got.MetadataPort != a.MetadataPort {
		t.Errorf("port %d after resume, had %d", got.MetadataPort, a.MetadataPort)
	}
}

func TestEndpointFailureLeavesInstanceRunningWithoutEndpoint(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	in := f.run(t, RunInput{})
	f.md.failOn = in.ID
	if _, err := f.svc.Stop(ctx, acct, region, []string{in.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Start(ctx, acct, region, []string{in.ID}); err != nil {
		t.Fatal(err)
	}
	got, _ := f.svc.Instance(ctx, acct, region, in.ID)
	if got.State != Running || got.MetadataEndpoint() != "" {
		t.Errorf("state %s endpoint %q", got.State, got.MetadataEndpoint())
	}
}
