package imds

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// fakeClock is a settable clock.
type fakeClock struct{ t time.Time }

func (c *fakeClock) Now() time.Time { return c.t }

func TestRefresherFetchesBeforeClientsWould(t *testing.T) {
	clk := &fakeClock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	n := 0
	var fail error
	r := &Refresher{Now: clk.Now, Fetch: func(context.Context) (Credentials, error) {
		if fail != nil {
			return Credentials{}, fail
		}
		n++
		return Credentials{AccessKeyID: "ASIA" + string(rune('A'+n)), Expiration: clk.t.Add(time.Hour)}, nil
	}}
	ctx := context.Background()
	steps := []struct {
		advance time.Duration
		fail    error
		wantKey string
		wantErr bool
	}{
		{0, nil, "ASIAB", false},
		{39 * time.Minute, nil, "ASIAB", false},                    // 21 minutes left: still served
		{2 * time.Minute, nil, "ASIAC", false},                     // 19 left: refreshed
		{45 * time.Minute, errors.New("sts down"), "ASIAC", false}, // failed refresh, old still valid
		{20 * time.Minute, errors.New("sts down"), "", true},       // failed refresh, old expired
		{0, nil, "ASIAD", false},
	}
	for i, st := range steps {
		clk.t = clk.t.Add(st.advance)
		fail = st.fail
		c, err := r.Credentials(ctx)
		if (err != nil) != st.wantErr || c.AccessKeyID != st.wantKey {
			t.Errorf("step %d: %s %v, want %s", i, c.AccessKeyID, err, st.wantKey)
		}
	}
	if got := refreshWindow(15 * time.Minute); got != 675*time.Second {
		t.Errorf("window of a 15-minute session = %s", got)
	}
}

func TestContainerHandler(t *testing.T) {
	exp := time.Date(2025, 3, 1, 13, 0, 0, 0, time.UTC)
	h := &ContainerHandler{Token: "s3cret-token", Source: func(context.Context) (Credentials, error) {
		return Credentials{AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: "sk", SessionToken: "tok", Expiration: exp,
			RoleARN: "arn:aws:iam::111122223333:role/r", AccountID: "111122223333"}, nil
	}}
	cases := []struct {
		name, method, auth string
		status             int
		want               string
	}{
		{"ok", http.MethodGet, "s3cret-token", 200, `{"AccessKeyId":"ASIAEXAMPLE","SecretAccessKey":"sk","Token":"tok","Expiration":"2025-03-01T13:00:00Z","RoleArn":"arn:aws:iam::111122223333:role/r","AccountId":"111122223333"}`},
		{"no token", http.MethodGet, "", 403, `"code":"AccessDenied"`},
		{"wrong token", http.MethodGet, "s3cret-tokeN", 403, `"code":"AccessDenied"`},
		{"prefix of token", http.MethodGet, "s3cret", 403, `"code":"AccessDenied"`},
		{"post", http.MethodPost, "s3cret-token", 405, `"code":"MethodNotAllowed"`},
	}
	for _, tc := range cases {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(tc.method, "/creds", nil)
		if tc.auth != "" {
			req.Header.Set("Authorization", tc.auth)
		}
		h.ServeHTTP(rec, req)
		if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.want) {
			t.Errorf("%s: %d %s", tc.name, rec.Code, rec.Body.String())
		}
		if !json.Valid(rec.Body.Bytes()) || rec.Header().Get("Content-Type") != "application/json" {
			t.Errorf("%s: not JSON", tc.name)
		}
	}
	h.Source = func(context.Context) (Credentials, error) { return Credentials{}, errors.New("role unavailable") }
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/creds", nil)
	req.Header.Set("Authorization", "s3cret-token")
	h.ServeHTTP(rec, req)
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), "role unavailable") {
		t.Errorf("failing source: %d %s", rec.Code, rec.Body.String())
	}
	if s := (Credentials{AccessKeyID: "ASIAX", SecretAccessKey: "topsecret", SessionToken: "tok"}).String(); strings.Contains(s, "topsecret") {
		t.Errorf("String leaks the secret: %s", s)
	}
}
