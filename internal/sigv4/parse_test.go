package sigv4_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"rolegate/internal/sigv4"
)

const goodSig = "3315a484a6e11d97c88574f9d471e49657001fd10c8527521558f46992dc47bc"

func headerRequest(authz string, extra map[string][]string) *sigv4.Request {
	h := map[string][]string{"X-Amz-Date": {"20240101T000000Z"}}
	if authz != "" {
		h["Authorization"] = []string{authz}
	}
	for k, v := range extra {
		if v == nil {
			delete(h, k)
			continue
		}
		h[k] = v
	}
	return &sigv4.Request{Method: "POST", Path: "/", Host: "localhost", Header: h, ContentLength: -1}
}

func TestParseHeader(t *testing.T) {
	t.Parallel()
	cred := "Credential=AKIDEXAMPLE/20240101/us-east-1/sts/aws4_request"
	s3cred := "Credential=AKIDEXAMPLE/20240101/us-east-1/s3/aws4_request"
	signed := "SignedHeaders=content-type;host;x-amz-date"
	sig := "Signature=" + goodSig
	tests := []struct {
		name    string
		authz   string
		extra   map[string][]string
		wantErr error
		wantMsg string // substring of the message
		check   func(t *testing.T, a sigv4.Auth)
	}{
		{name: "valid", authz: "AWS4-HMAC-SHA256 " + cred + ", " + signed + ", " + sig,
			check: func(t *testing.T, a sigv4.Auth) {
				if a.AccessKeyID != "AKIDEXAMPLE" || a.Date != "20240101" || a.Region != "us-east-1" || a.Service != "sts" ||
					a.Scope != "20240101/us-east-1/sts/aws4_request" || a.SignedHeaders != "content-type;host;x-amz-date" ||
					a.Signature != goodSig || a.AmzDate != "20240101T000000Z" || a.Presigned || a.PayloadHash != "" ||
					!a.Time.Equal(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) {
					t.Errorf("Auth = %+v", a)
				}
				if got := a.SignedHeaderNames(); len(got) != 3 || got[1] != "host" {
					t.Errorf("SignedHeaderNames = %q", got)
				}
			}},
		{name: "no spaces after commas", authz: "AWS4-HMAC-SHA256 " + cred + "," + signed + "," + sig},
		{name: "any region label", authz: "AWS4-HMAC-SHA256 Credential=AKID/20240101/moon-base-1/iam/aws4_request, " + signed + ", " + sig,
			check: func(t *testing.T, a sigv4.Auth) {
				if a.Region != "moon-base-1" || a.Service != "iam" {
					t.Errorf("region/service = %q/%q", a.Region, a.Service)
				}
			}},
		{name: "session token", authz: "AWS4-HMAC-SHA256 " + cred + ", " + signed + ", " + sig,
			extra: map[string][]string{"X-Amz-Security-Token": {"tok"}},
			check: func(t *testing.T, a sigv4.Auth) {
				if a.SecurityToken != "tok" {
					t.Errorf("SecurityToken = %q", a.SecurityToken)
				}
			}},
		{name: "date header fallback", authz: "AWS4-HMAC-SHA256 " + cred + ", " + signed + ", " + sig,
			extra: map[string][]string{"X-Amz-Date": nil, "Date": {"Mon, 01 Jan 2024 00:00:00 GMT"}},
			check: func(t *testing.T, a sigv4.Auth) {
				if a.AmzDate != "20240101T000000Z" {
					t.Errorf("AmzDate = %q", a.AmzDate)
				}
			}},
		{name: "s3 hex payload", authz: "AWS4-HMAC-SHA256 " + s3cred + ", " + signed + ", " + sig,
			extra: map[string][]string{"X-Amz-Content-Sha256": {sigv4.EmptySHA256}},
			check: func(t *testing.T, a sigv4.Auth) {
				if a.PayloadHash != sigv4.EmptySHA256 || a.Streaming() {
					t.Errorf("PayloadHash = %q", a.PayloadHash)
				}
			}},
		{name: "s3 streaming trailer", authz: "AWS4-HMAC-SHA256 " + s3cred + ", " + signed + ", " + sig,
			extra: map[string][]string{"X-Amz-Content-Sha256": {sigv4.StreamingUnsignedPayloadTrailer}},
			check: func(t *testing.T, a sigv4.Auth) {
				if !a.Streaming() {
					t.Error("Streaming() = false")
				}
			}},

		{name: "no auth", wantErr: sigv4.ErrMissingAuth, wantMsg: "Request is missing Authentication Token"},
		{name: "algorithm only", authz: "AWS4-HMAC-SHA256", wantErr: sigv4.ErrMalformed,
			wantMsg: "Authorization header requires 'Credential' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires 'Signature' parameter."},
		{name: "missing signature", authz: "AWS4-HMAC-SHA256 " + cred + ", " + signed, wantErr: sigv4.ErrMalformed,
			wantMsg: "requires 'Signature' parameter."},
		{name: "empty signature", authz: "AWS4-HMAC-SHA256 " + cred + ", " + signed + ", Signature=", wantErr: sigv4.ErrMalformed,
			wantMsg: "requires 'Signature' parameter."},
		{name: "missing signed headers", authz: "AWS4-HMAC-SHA256 " + cred + ", " + sig, wantErr: sigv4.ErrMalformed,
			wantMsg: "requires 'SignedHeaders' parameter."},
		{name: "garbage component", authz: "AWS4-HMAC-SHA256 " + cred + ", junk, " + sig, wantErr: sigv4.ErrMalformed,
			wantMsg: `"junk" is not of the form key=value`},
		{name: "short credential", authz: "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1, " + signed + ", " + sig,
			wantErr: sigv4.ErrMalformed, wantMsg: "the Credential is mal-formed"},
		{name: "empty access key", authz: "AWS4-HMAC-SHA256 Credential=/20240101/us-east-1/sts/aws4_request, " + signed + ", " + sig,
			wantErr: sigv4.ErrMalformed, wantMsg: "the Credential is mal-formed"},
		{name: "bad scope date", authz: "AWS4-HMAC-SHA256 Credential=AKID/2024011/us-east-1/sts/aws4_request, " + signed + ", " + sig,
			wantErr: sigv4.ErrMalformed, wantMsg: "Invalid credential date"},
		{name: "empty region", authz: "AWS4-HMAC-SHA256 Credential=AKID/20240101//sts/aws4_request, " + signed + ", " + sig,
			wantErr: sigv4.ErrMalformed, wantMsg: "valid region"},
		{name: "empty service", authz: "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1//aws4_request, " + signed + ", " + sig,
			wantErr: sigv4.ErrMalformed, wantMsg: "correct service"},
		{name: "bad terminator", authz: "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/sts/aws5_request, " + signed + ", " + sig,
			wantErr: sigv4.ErrMalformed, wantMsg: "'aws4_request', not 'aws5_request'"},
		{name: "extra scope part", authz: "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/sts/aws4_request/x, " + signed + ", " + sig,
			wantErr: sigv4.ErrMalformed, wantMsg: "the Credential is mal-formed"},
		{name: "no date", authz: "AWS4-HMAC-SHA256 " + cred + ", " + signed + ", " + sig, extra: map[string][]string{"X-Amz-Date": nil},
			wantErr: sigv4.ErrMalformed, wantMsg: "requires existence of either a 'X-Amz-Date' or a 'Date' header"},
		{name: "bad x-amz-date", authz: "AWS4-HMAC-SHA256 " + cred + ", " + signed + ", " + sig,
			extra: map[string][]string{"X-Amz-Date": {"2024-01-01T00:00:00Z"}}, wantErr: sigv4.ErrMalformed, wantMsg: "ISO8601 Long Format"},
		{name: "impossible x-amz-date", authz: "AWS4-HMAC-SHA256 " + cred + ", " + signed + ", " + sig,
			extra: map[string][]string{"X-Amz-Date": {"20240230T000000Z"}}, wantErr: sigv4.ErrMalformed, wantMsg: "ISO8601 Long Format"},
		{name: "bad date header", authz: "AWS4-HMAC-SHA256 " + cred + ", " + signed + ", " + sig,
			extra: map[string][]string{"X-Amz-Date": nil, "Date": {"yesterday"}}, wantErr: sigv4.ErrMalformed, wantMsg: "RFC 1123"},
		{name: "scope date mismatch", authz: "AWS4-HMAC-SHA256 Credential=AKID/20231231/us-east-1/sts/aws4_request, " + signed + ", " + sig,
			wantErr: sigv4.ErrScopeDate, wantMsg: "'20231231' != '20240101', from '20240101T000000Z'"},
		{name: "host not signed", authz: "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=content-type;x-amz-date, " + sig,
			wantErr: sigv4.ErrHostNotSigned, wantMsg: "must be a 'SignedHeader'"},
		{name: "empty signed header name", authz: "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host;;x-amz-date, " + sig,
			wantErr: sigv4.ErrMalformed, wantMsg: "empty header name"},
		{name: "trailing semicolon", authz: "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host;, " + sig,
			wantErr: sigv4.ErrMalformed, wantMsg: "empty header name"},
		{name: "sigv4a", authz: "AWS4-ECDSA-P256-SHA256 Credential=AKID/20240101/s3/aws4_request, SignedHeaders=host;x-amz-region-set, Signature=3045",
			wantErr: sigv4.ErrUnsupportedAlgorithm, wantMsg: "SigV4A"},
		{name: "sigv2", authz: "AWS AKIDEXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=", wantErr: sigv4.ErrUnsupportedAlgorithm, wantMsg: "Signature Version 2"},
		{name: "bearer", authz: "Bearer abc", wantErr: sigv4.ErrUnsupportedAlgorithm, wantMsg: `"Bearer"`},
		{name: "s3 without content hash", authz: "AWS4-HMAC-SHA256 " + s3cred + ", " + signed + ", " + sig,
			wantErr: sigv4.ErrMissingContentHash, wantMsg: "x-amz-content-sha256"},
		{name: "s3 bad content hash", authz: "AWS4-HMAC-SHA256 " + s3cred + ", " + signed + ", " + sig,
			extra: map[string][]string{"X-Amz-Content-Sha256": {"abc"}}, wantErr: sigv4.ErrInvalidContentHash, wantMsg: "UNSIGNED-PAYLOAD"},
		{name: "sigv4a streaming sentinel", authz: "AWS4-HMAC-SHA256 " + s3cred + ", " + signed + ", " + sig,
			extra:   map[string][]string{"X-Amz-Content-Sha256": {"STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD"}},
			wantErr: sigv4.ErrInvalidContentHash},
		{name: "sts unsigned payload", authz: "AWS4-HMAC-SHA256 " + cred + ", " + signed + ", " + sig,
			extra: map[string][]string{"X-Amz-Content-Sha256": {sigv4.UnsignedPayload}}, wantErr: sigv4.ErrInvalidContentHash},
		{name: "header and query", authz: "AWS4-HMAC-SHA256 " + cred + ", " + signed + ", " + sig,
			extra: map[string][]string{"X-Query": {"X-Amz-Algorithm=AWS4-HMAC-SHA256"}}, wantErr: sigv4.ErrMalformed, wantMsg: "Only one auth mechanism"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := headerRequest(tc.authz, tc.extra)
			if q, ok := r.Header["X-Query"]; ok {
				r.RawQuery = q[0]
			}
			a, err := sigv4.Parse(r)
			checkErr(t, err, tc.wantErr, tc.wantMsg)
			if err == nil && tc.check != nil {
				tc.check(t, a)
			}
		})
	}
}

func checkErr(t *testing.T, err, want error, wantMsg string) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("err = %v, want nil", err)
		}
		return
	}
	if !errors.Is(err, want) {
		t.Fatalf("err = %v, want %v", err, want)
	}
	var se *sigv4.Error
	if !errors.As(err, &se) {
		t.Fatalf("err %T is not *sigv4.Error", err)
	}
	if !strings.Contains(se.Message, wantMsg) {
		t.Errorf("message = %q, want it to contain %q", se.Message, wantMsg)
	}
}

func TestParsePresigned(t *testing.T) {
	t.Parallel()
	base := "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240101%2Fus-east-1%2Fs3%2Faws4_request" +
		"&X-Amz-Date=20240101T000000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=" + goodSig
	tests := []struct {
		name    string
		query   string
		wantErr error
		wantMsg string
		check   func(t *testing.T, a sigv4.Auth)
	}{
		{name: "valid s3", query: base + "&X-Amz-Expires=300&X-Amz-Security-Token=a%2Bb%2Fc%3D",
			check: func(t *testing.T, a sigv4.Auth) {
				if !a.Presigned || a.Expires != 5*time.Minute || a.SecurityToken != "a+b/c=" || a.PayloadHash != sigv4.UnsignedPayload ||
					a.Service != "s3" || a.Signature != goodSig {
					t.Errorf("Auth = %+v", a)
				}
			}},
		{name: "s3 explicit payload hash", query: base + "&X-Amz-Expires=1&X-Amz-Content-Sha256=" + sigv4.EmptySHA256,
			check: func(t *testing.T, a sigv4.Auth) {
				if a.PayloadHash != sigv4.EmptySHA256 || a.Expires != time.Second {
					t.Errorf("Auth = %+v", a)
				}
			}},
		{name: "sts without expires", query: strings.Replace(base, "%2Fs3%2F", "%2Fsts%2F", 1),
			check: func(t *testing.T, a sigv4.Auth) {
				if a.Expires != 0 || a.PayloadHash != "" {
					t.Errorf("Auth = %+v", a)
				}
			}},
		{name: "max expiry", query: base + "&X-Amz-Expires=604800"},
		{name: "s3 without expires", query: base, wantErr: sigv4.ErrMalformed, wantMsg: "requires the X-Amz-Expires parameters"},
		{name: "expires too long", query: base + "&X-Amz-Expires=604801", wantErr: sigv4.ErrMalformed, wantMsg: "less than a week"},
		{name: "expires huge", query: base + "&X-Amz-Expires=99999999999999999999999", wantErr: sigv4.ErrMalformed, wantMsg: "less than a week"},
		{name: "expires zero", query: base + "&X-Amz-Expires=0", wantErr: sigv4.ErrMalformed, wantMsg: "at least 1 second"},
		{name: "expires negative", query: base + "&X-Amz-Expires=-1", wantErr: sigv4.ErrMalformed, wantMsg: "at least 1 second"},
		{name: "expires not a number", query: base + "&X-Amz-Expires=soon", wantErr: sigv4.ErrMalformed, wantMsg: "should be a number"},
		{name: "missing several", query: "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20240101T000000Z",
			wantErr: sigv4.ErrMalformed, wantMsg: "requires the X-Amz-Credential, X-Amz-Signature, X-Amz-SignedHeaders parameters"},
		{name: "signature without algorithm", query: "X-Amz-Signature=" + goodSig, wantErr: sigv4.ErrMalformed, wantMsg: "X-Amz-Algorithm"},
		{name: "sigv4a", query: strings.Replace(base, "AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256", 1) + "&X-Amz-Expires=60",
			wantErr: sigv4.ErrUnsupportedAlgorithm},
		{name: "sigv2", query: "AWSAccessKeyId=AKID&Expires=1700000000&Signature=abc", wantErr: sigv4.ErrUnsupportedAlgorithm, wantMsg: "Version 2"},
		{name: "duplicate signature", query: base + "&X-Amz-Expires=60&X-Amz-Signature=" + goodSig, wantErr: sigv4.ErrMalformed, wantMsg: "more than once"},
		{name: "scope date mismatch", query: strings.Replace(base, "20240101T000000Z", "20240102T000000Z", 1) + "&X-Amz-Expires=60",
			wantErr: sigv4.ErrScopeDate},
		{name: "host not signed", query: strings.Replace(base, "X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=x-amz-date", 1) + "&X-Amz-Expires=60",
			wantErr: sigv4.ErrHostNotSigned},
		{name: "streaming payload presigned", query: base + "&X-Amz-Expires=60&X-Amz-Content-Sha256=" + sigv4.StreamingPayload,
			wantErr: sigv4.ErrInvalidContentHash},
		{name: "bad date", query: strings.Replace(base, "20240101T000000Z", "20240101", 1) + "&X-Amz-Expires=60",
			wantErr: sigv4.ErrMalformed, wantMsg: "ISO8601"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := &sigv4.Request{Method: "GET", Path: "/bucket/key", RawQuery: tc.query, Host: "localhost", ContentLength: -1}
			a, err := sigv4.Parse(r)
			checkErr(t, err, tc.wantErr, tc.wantMsg)
			if err == nil && tc.check != nil {
				tc.check(t, a)
			}
		})
	}
}
