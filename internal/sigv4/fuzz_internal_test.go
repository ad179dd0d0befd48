package sigv4

import (
	"bytes"
	"testing"
)

// FuzzCanonical checks that canonicalisation is stable: building the canonical request twice
// gives the same bytes, and the canonical query and S3 URI are fixpoints (canonicalising them
// again changes nothing), so every client encoding of a request maps to one canonical form.
func FuzzCanonical(f *testing.F) {
	f.Add("GET", "/bucket/a%20b/c+d/%7e/%2f", "b=2&a=1&a=&c&%41=%7a&sp=a+b&pct=%", "x  y", true)
	f.Add("POST", "/a/./b/../c//d/", "Action=ListUsers&Version=2010-05-08", "", false)
	f.Add("PUT", "http://h:1/p?q", "=&&=x&%zz=%4", "\t v \t", false)
	f.Fuzz(func(t *testing.T, method, path, query, value string, s3 bool) {
		r := &Request{Method: method, Path: path, RawQuery: query, Host: "h", ContentLength: 3,
			Header: map[string][]string{"X-V": {value, value}}}
		build := func() []byte {
			uri := appendCanonicalURI(nil, r.Path, s3, uriRebuilt)
			return appendCanonicalRequest(nil, r, uri, "content-length;host;x-v", EmptySHA256, false)
		}
		first, second := build(), build()
		if !bytes.Equal(first, second) {
			t.Fatalf("canonical request differs between runs:\n%q\n%q", first, second)
		}
		q := appendCanonicalQuery(nil, query, false)
		if again := appendCanonicalQuery(nil, string(q), false); !bytes.Equal(q, again) {
			t.Fatalf("canonical query is not a fixpoint: %q -> %q", q, again)
		}
		if s3 {
			u := appendCanonicalURI(nil, path, true, uriRebuilt)
			if again := appendCanonicalURI(nil, string(u), true, uriRebuilt); !bytes.Equal(u, again) {
				t.Fatalf("canonical S3 URI is not a fixpoint: %q -> %q", u, again)
			}
		}
		if bytes.Count(first, []byte("\n")) < 6 {
			t.Fatalf("canonical request has too few lines: %q", first)
		}
	})
}
