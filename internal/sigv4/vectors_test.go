package sigv4_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"
	"time"

	"rolegate/internal/sigv4"
)

// exampleSecret is the secret access key of AWS's documentation examples.
const exampleSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(sigv4.TimeFormat, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// TestPublishedVectors checks the signing key, canonical request hash and signature of AWS's IAM
// ListUsers example and of a Query POST computed independently (wire-protocol.md §2.8).
func TestPublishedVectors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		req         sigv4.Request
		body        string
		amzDate     string
		region      string
		service     string
		wantKey     string // hex; empty to skip
		wantCRHash  string
		wantPayload string
		wantSig     string
	}{
		{
			name: "IAM ListUsers GET",
			req: sigv4.Request{
				Method: "GET", Path: "/", RawQuery: "Action=ListUsers&Version=2010-05-08",
				Host: "iam.amazonaws.com",
				Header: map[string][]string{
					"Content-Type": {"application/x-www-form-urlencoded; charset=utf-8"},
				},
			},
			amzDate: "20150830T123600Z", region: "us-east-1", service: "iam",
			wantKey:    "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9",
			wantCRHash: "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59",
			wantSig:    "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
		},
		{
			name: "STS GetCallerIdentity POST",
			req: sigv4.Request{
				Method: "POST", Path: "/", Host: "localhost:4566",
				Header: map[string][]string{
					"Content-Type": {"application/x-www-form-urlencoded; charset=utf-8"},
				},
			},
			body:    "Action=GetCallerIdentity&Version=2011-06-15",
			amzDate: "20240101T000000Z", region: "us-east-1", service: "sts",
			wantPayload: "ab821ae955788b0e33ebd34c208442ccfc2d406e2edc5e7a39bd6458fbb4f843",
			wantCRHash:  "21269bea50c358eabf2891e799a5803046c21c444381b971665306788134b450",
			wantSig:     "3315a484a6e11d97c88574f9d471e49657001fd10c8527521558f46992dc47bc",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			key := sigv4.DeriveKey(exampleSecret, tc.amzDate[:8], tc.region, tc.service)
			if tc.wantKey != "" && hex.EncodeToString(key[:]) != tc.wantKey {
				t.Errorf("signing key = %x, want %s", key[:], tc.wantKey)
			}
			payload := sha256Hex([]byte(tc.body))
			if tc.wantPayload != "" && payload != tc.wantPayload {
				t.Errorf("payload hash = %s, want %s", payload, tc.wantPayload)
			}
			req := tc.req
			req.Header["X-Amz-Date"] = []string{tc.amzDate}
			req.BodySHA256 = payload
			scope := tc.amzDate[:8] + "/" + tc.region + "/" + tc.service + "/aws4_request"
			req.Header["Authorization"] = []string{"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/" + scope +
				", SignedHeaders=content-type;host;x-amz-date, Signature=" + tc.wantSig}
			a, err := sigv4.Parse(&req)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if err := sigv4.Verify(&req, &a, key, mustTime(t, tc.amzDate).Add(time.Minute)); err != nil {
				t.Fatalf("Verify: %v", err)
			}

			// A wrong signature exposes the canonical request and string to sign; check the
			// canonical request hash through them.
			wrong := req
			wrong.Header = cloneHeader(req.Header)
			wrong.Header["Authorization"] = []string{"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/" + scope +
				", SignedHeaders=content-type;host;x-amz-date, Signature=" + zeroSig}
			a, err = sigv4.Parse(&wrong)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			err = sigv4.Verify(&wrong, &a, key, mustTime(t, tc.amzDate))
			var se *sigv4.Error
			if !errors.As(err, &se) || !errors.Is(err, sigv4.ErrSignatureMismatch) {
				t.Fatalf("Verify(zero signature) = %v, want ErrSignatureMismatch", err)
			}
			if got := sha256Hex([]byte(se.CanonicalRequest)); got != tc.wantCRHash {
				t.Errorf("canonical request hash = %s, want %s\n%s", got, tc.wantCRHash, se.CanonicalRequest)
			}
			wantSTS := "AWS4-HMAC-SHA256\n" + tc.amzDate + "\n" + scope + "\n" + tc.wantCRHash
			if se.StringToSign != wantSTS {
				t.Errorf("string to sign = %q, want %q", se.StringToSign, wantSTS)
			}
			if se.AccessKeyID != "AKIDEXAMPLE" || se.SignatureProvided != zeroSig {
				t.Errorf("error fields AccessKeyID=%q SignatureProvided=%q", se.AccessKeyID, se.SignatureProvided)
			}
		})
	}
}

const zeroSig = "0000000000000000000000000000000000000000000000000000000000000000"

func cloneHeader(h map[string][]string) map[string][]string {
	out := make(map[string][]string, len(h))
	for k, v := range h {
		out[k] = append([]string(nil), v...)
	}
	return out
}
