package s3api

import (
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// allOps returns every row of the operation table.
func allOps(t *testing.T) []*op {
	t.Helper()
	v := reflect.ValueOf(ops)
	var out []*op
	for i := range v.NumField() {
		o, ok := v.Field(i).Interface().(*op)
		if !ok || o == nil {
			t.Fatalf("ops.%s is not an operation", v.Type().Field(i).Name)
		}
		if o.name != v.Type().Field(i).Name {
			t.Errorf("ops.%s is named %q", v.Type().Field(i).Name, o.name)
		}
		out = append(out, o)
	}
	return out
}

// TestOperationTable checks that every operation has an IAM action of S3 and a handler, and
// that routing reaches it.
func TestOperationTable(t *testing.T) {
	reached := map[*op]bool{}
	for _, m := range []string{"GET", "HEAD", "PUT", "DELETE", "POST"} {
		for _, addr := range [][2]string{{"", ""}, {"b", ""}, {"b", "k"}} {
			params := []string{"", "list-type=2", "uploadId=x", "uploadId=x&partNumber=1", "uploads", "delete", "tagging", "acl"}
			for sub := range bucketGets {
				params = append(params, sub)
			}
			for _, p := range params {
				q, _ := url.ParseQuery(p)
				for _, copySrc := range []string{"", "src/k"} {
					h := http.Header{}
					if copySrc != "" {
						h.Set("X-Amz-Copy-Source", copySrc)
					}
					if o := route(m, addr[0], addr[1], q, h); o != nil {
						reached[o] = true
					}
				}
			}
		}
	}
	for _, o := range allOps(t) {
		if !strings.HasPrefix(o.action, "s3:") || len(o.action) < 5 {
			t.Errorf("%s: action %q", o.name, o.action)
		}
		if o.handle == nil {
			t.Errorf("%s: no handler", o.name)
		}
		if !reached[o] {
			t.Errorf("%s: no request routes to it", o.name)
		}
	}
}

func TestRouteUnknownMethods(t *testing.T) {
	tests := []struct{ method, bucket, key string }{
		{"PUT", "", ""}, {"POST", "b", ""}, {"PATCH", "b", "k"}, {"POST", "b", "k"},
	}
	for _, tc := range tests {
		if o := route(tc.method, tc.bucket, tc.key, url.Values{}, http.Header{}); o != nil {
			t.Errorf("%s /%s/%s routes to %s", tc.method, tc.bucket, tc.key, o.name)
		}
	}
}

func TestParseRange(t *testing.T) {
	tests := []struct {
		h             string
		size          int64
		off, n        int64
		ok, satisfied bool
	}{
		{"bytes=0-9", 100, 0, 10, true, true},
		{"bytes=90-", 100, 90, 10, true, true},
		{"bytes=-10", 100, 90, 10, true, true},
		{"bytes=-200", 100, 0, 100, true, true},
		{"bytes=50-500", 100, 50, 50, true, true},
		{"bytes=100-", 100, 0, 0, true, false},
		{"bytes=-0", 100, 0, 0, true, false},
		{"bytes=5-1", 100, 0, 0, false, false},
		{"bytes=0-1,5-6", 100, 0, 0, false, false},
		{"items=0-1", 100, 0, 0, false, false},
		{"bytes=x-", 100, 0, 0, false, false},
	}
	for _, tc := range tests {
		off, n, ok, sat := parseRange(tc.h, tc.size)
		if off != tc.off || n != tc.n || ok != tc.ok || sat != tc.satisfied {
			t.Errorf("parseRange(%q, %d) = %d %d %v %v", tc.h, tc.size, off, n, ok, sat)
		}
	}
}

func FuzzParseRange(f *testing.F) {
	for _, s := range []string{"bytes=0-9", "bytes=-5", "bytes=7-", "bytes=99999999999999999999-"} {
		f.Add(s, int64(100))
	}
	f.Fuzz(func(t *testing.T, h string, size int64) {
		if size < 0 {
			return
		}
		off, n, ok, sat := parseRange(h, size)
		if ok && sat && (off < 0 || n <= 0 || off+n > size) {
			t.Fatalf("parseRange(%q, %d) = [%d, +%d) outside the object", h, size, off, n)
		}
	})
}

func TestURLEncodeKey(t *testing.T) {
	tests := map[string]string{"a b": "a%20b", "dir/f+g.txt": "dir/f%2Bg.txt", "ü": "%C3%BC", "plain-key_1.~": "plain-key_1.~"}
	for in, want := range tests {
		if got := urlEncodeKey(in); got != want {
			t.Errorf("urlEncodeKey(%q) = %q, want %q", in, got, want)
		}
	}
}
