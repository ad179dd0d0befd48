package arn

import (
	"errors"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want ARN
		ok   bool
	}{
		{"arn:aws:s3:::bucket/key", ARN{"aws", "s3", "", "", "bucket/key"}, true},
		{"arn:aws:iam::111122223333:user/division/alice", ARN{"aws", "iam", "", "111122223333", "user/division/alice"}, true},
		{"arn:aws:sts::111122223333:assumed-role/R/s", ARN{"aws", "sts", "", "111122223333", "assumed-role/R/s"}, true},
		{"arn:aws:dynamodb:us-east-1:111122223333:table/T/stream/2024:01", ARN{"aws", "dynamodb", "us-east-1", "111122223333", "table/T/stream/2024:01"}, true},
		{"arn:aws-cn:ec2:cn-north-1:111122223333:instance/i-1", ARN{"aws-cn", "ec2", "cn-north-1", "111122223333", "instance/i-1"}, true},
		{"arn:aws:s3::bucket", ARN{}, false},
		{"arn::s3:::b", ARN{}, false},
		{"arn:aws::::b", ARN{}, false},
		{"ARN:aws:s3:::b", ARN{}, false},
		{"*", ARN{}, false},
		{"", ARN{}, false},
	}
	for _, tc := range tests {
		got, err := Parse(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("Parse(%q) err = %v, want ok=%v", tc.in, err, tc.ok)
			continue
		}
		if err != nil && !errors.Is(err, ErrMalformed) {
			t.Errorf("Parse(%q) err = %v, want ErrMalformed", tc.in, err)
		}
		if got != tc.want {
			t.Errorf("Parse(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func TestResourceType(t *testing.T) {
	tests := map[string]string{
		"arn:aws:iam::111122223333:user/a/b":     "user",
		"arn:aws:iam::111122223333:root":         "root",
		"arn:aws:sns:us-east-1:111122223333:t:x": "t",
	}
	for in, want := range tests {
		a, err := Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := a.ResourceType(); got != want {
			t.Errorf("ResourceType(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsAccountID(t *testing.T) {
	for s, want := range map[string]bool{"111122223333": true, "11112222333": false, "11112222333a": false, "": false} {
		if got := IsAccountID(s); got != want {
			t.Errorf("IsAccountID(%q) = %v", s, got)
		}
	}
}

func TestSplitAllocatesNothing(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { Split("arn:aws:s3:::bucket/key") }); n != 0 {
		t.Errorf("allocs = %v", n)
	}
}

func FuzzARN(f *testing.F) {
	f.Add("arn:aws:s3:::bucket/key")
	f.Add("arn:aws:iam::111122223333:role/path/name")
	f.Add("arn:aws:dynamodb:us-east-1:111122223333:table/T/stream/2024:01")
	f.Add("arn:aws:s3::bucket")
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s)
		if err != nil {
			return
		}
		if got := a.String(); got != s {
			t.Fatalf("Parse(%q).String() = %q", s, got)
		}
		b, err := Parse(a.String())
		if err != nil || b != a {
			t.Fatalf("reparse of %q = %+v, %v; want %+v", s, b, err, a)
		}
		if a.Partition == "" || a.Service == "" {
			t.Fatalf("Parse(%q) accepted an empty partition or service", s)
		}
	})
}
