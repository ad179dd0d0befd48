package stsapi

import (
	"encoding/xml"
	"strings"
	"testing"
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
