package imds

import (
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"rolegate/internal/ec2"
)

func testEndpoint(t testing.TB, tokens string) *endpoint {
	t.Helper()
	m := New(Config{Now: func() time.Time { return time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC) }, Rand: rand.Reader})
	k, err := newTokenKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	e := &endpoint{m: m, key: k}
	e.set(&ec2.Instance{ID: "i-0123456789abcdef0", Account: "111122223333", Region: "eu-west-1", AvailabilityZone: "eu-west-1b",
		ImageID: "ami-0a1b2c3d4e5f60004", InstanceType: "t3.micro", State: ec2.Running, PrivateIP: "10.0.3.4",
		Tags:     []ec2.Tag{{Key: "Name", Value: "web"}, {Key: "a/b", Value: "hidden"}},
		Metadata: ec2.MetadataOptions{HTTPTokens: tokens, HTTPEndpoint: ec2.Enabled, InstanceTags: ec2.Enabled}})
	return e
}

func TestEndpointPaths(t *testing.T) {
	e := testEndpoint(t, ec2.TokensOptional)
	cases := []struct {
		method, path string
		status       int
		body         string
	}{
		{"GET", "/", 200, "latest"},
		{"GET", "/latest/meta-data/hostname", 200, "ip-10-0-3-4.eu-west-1.compute.internal"},
		{"GET", "/latest/meta-data/mac", 200, "0e:78:9a:bc:de:f0"},
		{"GET", "/latest/meta-data/tags/instance/", 200, "Name"},
		{"GET", "/latest/meta-data/services/partition", 200, "aws"},
		{"HEAD", "/latest/meta-data/instance-id", 200, ""},
		{"GET", "/latest/user-data", 404, "Not Found"},
		{"GET", "/2009-04-04/meta-data/instance-id", 404, "Not Found"},
		{"PUT", "/latest/meta-data/instance-id", 403, "Forbidden"},
		{"DELETE", "/latest/meta-data/instance-id", 405, "Method Not Allowed"},
		{"GET", "/latest/meta-data/iam/security-credentials/", 404, "Not Found"},
	}
	for _, tc := range cases {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.path, nil))
		if rec.Code != tc.status || tc.method != "HEAD" && rec.Body.String() != tc.body {
			t.Errorf("%s %s: %d %q, want %d %q", tc.method, tc.path, rec.Code, rec.Body.String(), tc.status, tc.body)
		}
		if rec.Header().Get("Server") != "EC2ws" {
			t.Errorf("%s: Server header %q", tc.path, rec.Header().Get("Server"))
		}
	}
}

func FuzzEndpoint(f *testing.F) {
	e := testEndpoint(f, ec2.TokensRequired)
	f.Add("GET", "/latest/meta-data/", "", "")
	f.Add("PUT", "/latest/api/token", "21600", "")
	f.Add("GET", "/latest/meta-data/placement/region", "", "AAAA")
	f.Fuzz(func(t *testing.T, method, path, ttl, token string) {
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \r\n\t?#%") || method == "" || strings.ContainsAny(method, " \r\n\t") {
			return
		}
		req, err := http.NewRequest(method, "http://127.0.0.1"+path, nil)
		if err != nil {
			return
		}
		req.Header.Set("X-aws-ec2-metadata-token-ttl-seconds", ttl)
		req.Header.Set("X-aws-ec2-metadata-token", token)
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Errorf("%s %s: %d", method, path, rec.Code)
		}
		if method == http.MethodGet && path != "/latest/api/token" && rec.Code == 200 {
			t.Errorf("%s %s answered without a valid token on a v2-only instance", method, path)
		}
	})
}
