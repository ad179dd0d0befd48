package stsapi

import (
	"encoding/xml"
	"strings"
	"testing"

	"rolegate/internal/audit"
	"time"
)

// TestHandWrittenXMLMatchesEncodingXML keeps the reflection-free writers of the hot results equal
// to what encoding/xml writes for the same values.
func TestHandWrittenXMLMatchesEncodingXML(t *testing.T) {
	size := 7
	cases := []interface{ AppendXML([]byte) []byte }{
		callerIdentityResult{"AROA:sess", "111122223333", "arn:aws:sts::111122223333:assumed-role/r/<s&'>"},
		assumeRoleResult{AssumedRoleUser: assumedRoleUserXML{"arn:a", "AROA:x"},
			Credentials: credentialsXML{"ASIA", "se/cr+et", "tok==", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}},
		assumeRoleResult{SubjectFromWebIdentityToken: "sub", Audience: "aud", Provider: "https://iss", SourceIdentity: "alice",
			AssumedRoleUser: assumedRoleUserXML{"arn:a", "AROA:x"}, PackedPolicySize: &size,
			Credentials: credentialsXML{"ASIA", "s", "t", time.Date(2026, 1, 2, 3, 4, 5, 123000000, time.UTC)}},
	}
	for _, c := range cases {
		want, err := xml.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		// Strip the outer element encoding/xml names after the Go type.
		inner := string(want)
		inner = inner[strings.IndexByte(inner, '>')+1 : strings.LastIndexByte(inner, '<')]
		if got := string(c.AppendXML(nil)); got != inner {
			t.Errorf("AppendXML\n got %s\nwant %s", got, inner)
		}
	}
}

// TestHandWrittenAuditJSONMatchesTheEncoder keeps AssumeRole's audit record equal to what the
// audit log's reflective encoder writes, secrets left out.
func TestHandWrittenAuditJSONMatchesTheEncoder(t *testing.T) {
	size := 7
	for _, r := range []assumeRoleResult{
		{AssumedRoleUser: assumedRoleUserXML{"arn:a", "AROA:x"}, Credentials: credentialsXML{"ASIA", "se/cr+et", "tok", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}},
		{SourceIdentity: "bob", AssumedRoleUser: assumedRoleUserXML{"arn:a", "AROA:x"}, Credentials: credentialsXML{"ASIA", "se/cr+et", "tok", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}},
		{SubjectFromWebIdentityToken: "sub<", Audience: "aud", Provider: "https://iss", SourceIdentity: "alice", PackedPolicySize: &size,
			AssumedRoleUser: assumedRoleUserXML{"arn:a", "AROA:x"}, Credentials: credentialsXML{"ASIA", "se/cr+et", "tok", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}},
	} {
		want := string(audit.Reflective(r))
		got := string(r.AppendAuditJSON(nil))
		if got != want {
			t.Errorf("AppendAuditJSON\n got %s\nwant %s", got, want)
		}
		if strings.Contains(got, r.Credentials.SecretAccessKey) || strings.Contains(got, `"tok"`) {
			t.Errorf("secret in %s", got)
		}
	}
}
