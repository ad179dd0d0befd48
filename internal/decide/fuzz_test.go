package decide

import (
	"encoding/json"
	"testing"
)

// FuzzLine feeds arbitrary input lines to the decision command: it must never panic and
// must always write one JSON line, a decision or an error.
func FuzzLine(f *testing.F) {
	f.Add(`{"id":"a","policies":{"identity":[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}/*"}}]},"request":{"principal_arn":"arn:aws:iam::111122223333:user/alice","action":"s3:GetObject","resource":"arn:aws:s3:::b/alice/k","resource_account":"111122223333","context":{"aws:username":"alice"}}}`)
	f.Add(`{"id":1,"policies":{"resource":"{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sts:AssumeRole\"}}","scp_levels":[[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}]]},"request":{"principal_arn":"arn:aws:sts::444455556666:assumed-role/r/s","action":"sts:AssumeRole","resource":"arn:aws:iam::111122223333:role/x","resource_account":"111122223333","context":{"aws:TagKeys":["a"],"n":5}}}`)
	f.Add(`{"id":null,"policies":{"session":[],"rcp":[]},"request":{"action":"kms:Decrypt","resource":"*"}}`)
	f.Add(`not json`)
	f.Fuzz(func(t *testing.T, line string) {
		out := Line([]byte(line))
		text, err := out.MarshalJSON()
		if err != nil || !json.Valid(text) {
			t.Fatalf("output %q is not JSON (%v)", text, err)
		}
		if out.Err == "" && out.Decision == "" {
			t.Fatalf("output has neither a decision nor an error: %s", text)
		}
	})
}
