package policy

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"testing"
)

func TestParseForms(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want Document
	}{
		{
			name: "statement object, scalars",
			doc:  `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`,
			want: Document{Version: Version2012, Statement: []Statement{{Effect: Allow, Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::b/*"}}}},
		},
		{
			name: "statement array, arrays, Sid, Id",
			doc:  `{"Version":"2012-10-17","Id":"p1","Statement":[{"Sid":"A","Effect":"Deny","NotAction":["iam:*","sts:*"],"NotResource":["*"]}]}`,
			want: Document{Version: Version2012, ID: "p1", Statement: []Statement{{Sid: "A", Effect: Deny, NotAction: []string{"iam:*", "sts:*"}, NotResource: []string{"*"}}}},
		},
		{
			name: "version 2008 and missing version",
			doc:  `{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
			want: Document{Version: Version2008, Statement: []Statement{{Effect: Allow, Action: []string{"*"}, Resource: []string{"*"}}}},
		},
		{
			name: "no version",
			doc:  `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
			want: Document{Statement: []Statement{{Effect: Allow, Action: []string{"*"}, Resource: []string{"*"}}}},
		},
		{
			name: "principal forms",
			doc: `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*"},
				{"Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::444455556666:root"],"Service":"lambda.amazonaws.com","Federated":"accounts.google.com","CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},"Action":"s3:*"},
				{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:user/Bob"},"Action":"s3:*"}]}`,
			want: Document{Statement: []Statement{
				{Effect: Allow, Principal: &Principals{All: true}, Action: []string{"s3:*"}},
				{Effect: Allow, Principal: &Principals{AWS: []string{"111122223333", "arn:aws:iam::444455556666:root"}, Service: []string{"lambda.amazonaws.com"}, Federated: []string{"accounts.google.com"}, CanonicalUser: []string{"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}}, Action: []string{"s3:*"}},
				{Effect: Deny, NotPrincipal: &Principals{AWS: []string{"arn:aws:iam::111122223333:user/Bob"}}, Action: []string{"s3:*"}},
			}},
		},
		{
			name: "condition values of every JSON type",
			doc:  `{"Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":true},"NumericLessThanEquals":{"s3:max-keys":10},"StringLike":{"s3:prefix":["","home/*"]},"Null":{}}}}`,
			want: Document{Statement: []Statement{{Effect: Allow, Action: []string{"s3:ListBucket"}, Resource: []string{"*"}, Condition: Conditions{
				"Bool":                  {"aws:SecureTransport": {"true"}},
				"NumericLessThanEquals": {"s3:max-keys": {"10"}},
				"StringLike":            {"s3:prefix": {"", "home/*"}},
				"Null":                  {},
			}}}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse([]byte(tc.doc))
			if err != nil {
				t.Fatalf("Parse = %v", err)
			}
			if !reflect.DeepEqual(*got, tc.want) {
				t.Errorf("Parse = %+v\nwant    %+v", *got, tc.want)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name, doc, msg string
	}{
		{"not JSON", `{"Statement":`, MsgSyntax},
		{"trailing data", `{"Statement":{"Effect":"Allow","Action":"*"}} x`, MsgSyntax},
		{"array document", `[]`, MsgSyntax},
		{"unknown top-level element", `{"Statement":{"Effect":"Allow","Action":"*"},"Foo":1}`, MsgSyntax},
		{"unknown statement element", `{"Statement":{"Effect":"Allow","Action":"*","Conditions":{}}}`, MsgSyntax},
		{"missing Statement", `{"Version":"2012-10-17"}`, MsgSyntax},
		{"empty Statement", `{"Version":"2012-10-17","Statement":[]}`, MsgSyntax},
		{"bad version", `{"Version":"2012-10-18","Statement":{"Effect":"Allow","Action":"*"}}`, MsgSyntax},
		{"version not a string", `{"Version":2012,"Statement":{"Effect":"Allow","Action":"*"}}`, MsgSyntax},
		{"Effect lower case", `{"Statement":{"Effect":"allow","Action":"*"}}`, MsgLegacy},
		{"Effect unknown", `{"Statement":{"Effect":"Maybe","Action":"*"}}`, MsgSyntax},
		{"Effect missing", `{"Statement":{"Action":"*"}}`, MsgSyntax},
		{"Action and NotAction", `{"Statement":{"Effect":"Allow","Action":"*","NotAction":"s3:*"}}`, MsgSyntax},
		{"Resource and NotResource", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","NotResource":"*"}}`, MsgSyntax},
		{"array in array", `{"Statement":{"Effect":"Allow","Action":[["s3:*"]]}}`, MsgSyntax},
		{"object for a string", `{"Statement":{"Effect":"Allow","Action":{"a":"b"}}}`, MsgSyntax},
		{"duplicate key", `{"Statement":{"Effect":"Allow","Effect":"Deny","Action":"*"}}`, MsgSyntax},
		{"condition is an array", `{"Statement":{"Effect":"Allow","Action":"*","Condition":[]}}`, MsgSyntax},
		{"condition operator without key map", `{"Statement":{"Effect":"Allow","Action":"*","Condition":{"StringEquals":"x"}}}`, MsgSyntax},
		{"partial wildcard string principal", `{"Statement":{"Effect":"Allow","Principal":"a*","Action":"*"}}`, MsgSyntax},
		{"unknown principal type", `{"Statement":{"Effect":"Allow","Principal":{"User":"x"},"Action":"*"}}`, MsgSyntax},
		{"statement is a string", `{"Statement":["x"]}`, MsgSyntax},
		{"deep nesting", `{"Statement":{"Effect":"Allow","Action":[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]}}`, MsgSyntax},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.doc))
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("Parse err = %v, want *Error", err)
			}
			if pe.Message != tc.msg || pe.Code != CodeMalformed {
				t.Errorf("Parse err = %s %q, want %s %q", pe.Code, pe.Message, CodeMalformed, tc.msg)
			}
		})
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	docs := []string{
		`{"Version":"2012-10-17","Id":"x","Statement":[{"Sid":"S1","Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":["a","b"]},"Null":{}}}]}`,
		`{"Statement":{"Effect":"Deny","NotPrincipal":{"AWS":[],"Service":"s.amazonaws.com"},"NotAction":[],"NotResource":"arn:aws:s3:::b"}}`,
		`{"Statement":{"Effect":"Allow","Principal":"*","Action":"*","Condition":{}}}`,
	}
	for _, doc := range docs {
		d1, err := Parse([]byte(doc))
		if err != nil {
			t.Fatalf("Parse(%s) = %v", doc, err)
		}
		out, err := json.Marshal(d1)
		if err != nil {
			t.Fatal(err)
		}
		d2, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(Marshal) = %v for %s", err, out)
		}
		if !reflect.DeepEqual(d1, d2) {
			t.Errorf("round trip changed the document:\n%+v\n%+v\n%s", d1, d2, out)
		}
	}
}

func TestMarshalUsesScalarsForSingleValues(t *testing.T) {
	d := &Document{Version: Version2012, Statement: []Statement{{Effect: Allow, Action: []string{"s3:GetObject"}, Resource: []string{"a", "b"}}}}
	out, _ := d.MarshalJSON()
	want := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":["a","b"]}]}`
	if string(out) != want {
		t.Errorf("MarshalJSON = %s\nwant          %s", out, want)
	}
}

func TestNamedPrincipals(t *testing.T) {
	d, err := Parse([]byte(`{"Statement":[{"Effect":"Allow","Principal":{"AWS":["*","arn:aws:iam::111122223333:role/r"],"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"},{"Effect":"Deny","NotPrincipal":{"AWS":"111122223333"},"Action":"*"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	want := []NamedPrincipal{{"AWS", "arn:aws:iam::111122223333:role/r"}, {"Service", "ec2.amazonaws.com"}, {"AWS", "111122223333"}}
	if got := d.NamedPrincipals(); !slices.Equal(got, want) {
		t.Errorf("NamedPrincipals = %v, want %v", got, want)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`)
	f.Add(`{"Statement":[{"Sid":"x","Effect":"Deny","NotPrincipal":{"AWS":["1"]},"NotAction":"*","Condition":{"Null":{"k":true}}}]}`)
	f.Add(`{"Statement":{"Effect":"Allow","Principal":"*","Action":[],"Condition":{"NumericEquals":{"k":[1,2.5]}}}}`)
	f.Add(`{"Statement":[]}`)
	f.Fuzz(func(t *testing.T, doc string) {
		d1, err := Parse([]byte(doc))
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) || pe.Message == "" {
				t.Fatalf("Parse(%q) err = %v, want a *Error with a message", doc, err)
			}
			return
		}
		out, err := d1.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		d2, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(Marshal(Parse(%q))) = %v; marshalled %s", doc, err, out)
		}
		if !reflect.DeepEqual(d1, d2) {
			t.Fatalf("round trip of %q changed the document:\n%+v\n%+v", doc, d1, d2)
		}
		if _, err := Compile(d1, "fuzz"); err != nil {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("Compile err = %v, want *Error", err)
			}
		}
		for _, k := range []Kind{Identity, Resource, Trust, Boundary, Session, SCP, RCP} {
			_, _ = Validate([]byte(doc), Rules{Kind: k})
		}
	})
}
