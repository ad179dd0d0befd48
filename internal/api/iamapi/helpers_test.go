package iamapi

import (
	"context"
	"crypto/rand"
	"errors"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"rolegate/internal/api/awserr"
	"rolegate/internal/api/query"
	"rolegate/internal/authn"
	"rolegate/internal/gate"
	"rolegate/internal/iam"
	"rolegate/internal/idgen"
	"rolegate/internal/org"
	"rolegate/internal/secretbox"
)

const acct = "123456789012"

// testNow is the fixture's clock; the domain truncates to seconds, so XML shows no fraction.
var testNow = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

type fixture struct {
	t   testing.TB
	api *API
	svc *query.Service
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	st := newMemStore()
	ids := idgen.New(rand.Reader)
	box, err := secretbox.New(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return testNow }
	api := &API{
		IAM: iam.New(iam.Config{Store: st, IDs: ids, Box: box, Now: now}),
		Org: org.New(st, ids, now),
	}
	return &fixture{t: t, api: api, svc: api.Service()}
}

func rootID() *authn.Identity {
	return &authn.Identity{Kind: authn.Root, Account: acct, ARN: "arn:aws:iam::" + acct + ":root", UserID: acct}
}

func userID(path, name string) *authn.Identity {
	return &authn.Identity{Kind: authn.User, Account: acct, ARN: "arn:aws:iam::" + acct + ":user" + path + name,
		UserID: "AIDAEXAMPLE", UserName: name}
}

func roleSessionID() *authn.Identity {
	return &authn.Identity{Kind: authn.AssumedRole, Account: acct,
		ARN: "arn:aws:sts::" + acct + ":assumed-role/app/s", RoleName: "app", RoleARN: "arn:aws:iam::" + acct + ":role/app"}
}

func call(id *authn.Identity) *gate.Call {
	return &gate.Call{Ctx: context.Background(), RequestID: "req-1", Service: "iam", Identity: id, Now: testNow}
}

func params(kv ...string) query.Params {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return query.NewParams(v)
}

// prepare runs an operation's Prepare as id.
func (f *fixture) prepare(id *authn.Identity, op string, kv ...string) (gate.Check, query.Work, error) {
	f.t.Helper()
	o, ok := f.svc.Op(op)
	if !ok {
		f.t.Fatalf("no operation %s", op)
	}
	c := call(id)
	c.Operation = op
	return o.Prepare(c, params(kv...))
}

// runAs prepares and performs an operation as id (the gate is not asked).
func (f *fixture) runAs(id *authn.Identity, op string, kv ...string) (any, error) {
	f.t.Helper()
	_, work, err := f.prepare(id, op, kv...)
	if err != nil {
		return nil, err
	}
	return work()
}

// run performs an operation as the root user.
func (f *fixture) run(op string, kv ...string) (any, error) {
	f.t.Helper()
	return f.runAs(rootID(), op, kv...)
}

// must performs an operation as root and returns its XML.
func (f *fixture) must(op string, kv ...string) string {
	f.t.Helper()
	res, err := f.run(op, kv...)
	if err != nil {
		f.t.Fatalf("%s %q: %v", op, kv, err)
	}
	return xmlOf(f.t, op, res)
}

// xmlOf encodes a result as the Query service sends it.
func xmlOf(t testing.TB, op string, res any) string {
	t.Helper()
	rec := httptest.NewRecorder()
	if err := query.WriteResult(rec, query.IAMNamespace, op, "req-1", res); err != nil {
		t.Fatalf("%s: encode: %v", op, err)
	}
	return rec.Body.String()
}

// awsErr asserts that err is an AWS error with code (and, unless empty, message).
func awsErr(t *testing.T, err error, code awserr.Code, msg string) *awserr.Error {
	t.Helper()
	var e *awserr.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want %s", err, code)
	}
	if e.Code != code || msg != "" && e.Message != msg {
		t.Fatalf("err = %s %q, want %s %q", e.Code, e.Message, code, msg)
	}
	return e
}

// elements returns the text of every <tag>…</tag> in doc, in order.
func elements(doc, tag string) []string {
	re := regexp.MustCompile("<" + tag + ">([^<]*)</" + tag + ">")
	var out []string
	for _, m := range re.FindAllStringSubmatch(doc, -1) {
		out = append(out, m[1])
	}
	return out
}

const trustDoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
const permDoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::a+b/*"}]}`

// policyARNOf returns the ARN of a customer managed policy of the test account.
func policyARNOf(path, name string) string { return "arn:aws:iam::" + acct + ":policy" + path + name }

// contains fails the test unless doc holds every fragment.
func contains(t *testing.T, doc string, fragments ...string) {
	t.Helper()
	for _, f := range fragments {
		if !strings.Contains(doc, f) {
			t.Errorf("response lacks %s\n%s", f, doc)
		}
	}
}

// lacks fails the test if doc holds any fragment.
func lacks(t *testing.T, doc string, fragments ...string) {
	t.Helper()
	for _, f := range fragments {
		if strings.Contains(doc, f) {
			t.Errorf("response has %s\n%s", f, doc)
		}
	}
}

var ctxBG = context.Background()
