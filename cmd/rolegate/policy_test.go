package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// buildBinary builds the rolegate command into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	gotool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go tool is needed to build the binary: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "rolegate")
	cmd := exec.Command(gotool, "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

type expectation struct {
	ID     string `json:"id"`
	Expect struct {
		Decision string            `json:"decision"`
		Reason   string            `json:"reason"`
		Matched  []json.RawMessage `json:"matched"`
	} `json:"expect"`
}

type decisionLine struct {
	ID       string            `json:"id"`
	Decision string            `json:"decision"`
	Reason   string            `json:"reason"`
	Matched  []json.RawMessage `json:"matched"`
	Error    string            `json:"error"`
}

// TestCorpusThroughBinary pipes the whole evaluation corpus through `rolegate policy
// decide` and checks every output line against its case.
func TestCorpusThroughBinary(t *testing.T) {
	bin := buildBinary(t)
	corpus, err := os.ReadFile("../../testdata/policy-corpus.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "policy", "decide")
	cmd.Stdin = bytes.NewReader(corpus)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("rolegate policy decide: %v\n%s", err, stderr.String())
	}
	in := bufio.NewScanner(bytes.NewReader(corpus))
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := bufio.NewScanner(&stdout)
	out.Buffer(make([]byte, 1<<20), 1<<20)
	n := 0
	for in.Scan() {
		if !out.Scan() {
			t.Fatalf("output ended after %d lines", n)
		}
		n++
		var want expectation
		var got decisionLine
		if err := json.Unmarshal(in.Bytes(), &want); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatalf("line %d is not JSON: %s", n, out.Bytes())
		}
		if got.ID != want.ID || got.Error != "" || got.Decision != want.Expect.Decision {
			t.Errorf("%s: got %s", want.ID, out.Bytes())
			continue
		}
		if want.Expect.Reason != "" && got.Reason != want.Expect.Reason {
			t.Errorf("%s: reason %q, want %q", want.ID, got.Reason, want.Expect.Reason)
		}
		if want.Expect.Matched != nil && !equalJSON(got.Matched, want.Expect.Matched) {
			t.Errorf("%s: matched %s", want.ID, out.Bytes())
		}
	}
	if out.Scan() {
		t.Errorf("extra output line %s", out.Bytes())
	}
	if n < 150 {
		t.Errorf("corpus has %d cases", n)
	}
}

func equalJSON(a, b []json.RawMessage) bool {
	var x, y any
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	_ = json.Unmarshal(ja, &x)
	_ = json.Unmarshal(jb, &y)
	return reflect.DeepEqual(x, y)
}

// TestDecideLineIsExact pins the output format of one decision line byte for byte.
func TestDecideLineIsExact(t *testing.T) {
	in := `{"id":"scp-1","policies":{"identity":[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}],"scp":[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"NoDelete","Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}]},"request":{"principal_arn":"arn:aws:iam::111122223333:user/alice","principal_account":"111122223333","action":"s3:DeleteBucket","resource":"arn:aws:s3:::b","resource_account":"111122223333","context":{}}}` + "\n"
	var stdout, stderr bytes.Buffer
	code := run([]string{"policy", "decide"}, strings.NewReader(in), &stdout, &stderr)
	want := `{"id":"scp-1","decision":"explicitDeny","reason":"User: arn:aws:iam::111122223333:user/alice is not authorized to perform: s3:DeleteBucket on resource: arn:aws:s3:::b with an explicit deny in a service control policy","matched":[{"policy":"scp[0]","statement":"NoDelete","effect":"Deny"}]}` + "\n"
	if code != 0 || stdout.String() != want {
		t.Errorf("exit %d, output\n%s\nwant\n%s\nstderr %s", code, stdout.String(), want, stderr.String())
	}
}

func TestDecideExitStatus(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"policy", "decide"}, strings.NewReader("{\n"), &stdout, &stderr); code != 1 {
		t.Errorf("exit %d for a bad line, want 1", code)
	}
	if !strings.HasPrefix(stdout.String(), `{"id":null,"error":`) {
		t.Errorf("output %q", stdout.String())
	}
	if code := run([]string{"policy", "decide", "extra"}, strings.NewReader(""), &stdout, &stderr); code != 2 {
		t.Errorf("exit %d for extra arguments, want 2", code)
	}
}

func TestValidateCommand(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"valid identity", []string{write("ok.json", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`), "--type", "identity"}, 0, "valid\n"},
		{"bad JSON", []string{write("bad.json", `{"Version":`), "--type", "identity"}, 1, "MalformedPolicyDocument: Syntax errors in policy.\n"},
		{"unknown element", []string{write("unknown.json", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Foo":1}}`), "--type=boundary"}, 1, "MalformedPolicyDocument: Syntax errors in policy.\n"},
		{"empty statement", []string{"--type", "identity", write("empty.json", `{"Version":"2012-10-17","Statement":[]}`)}, 1, "MalformedPolicyDocument: Syntax errors in policy.\n"},
		{"wrong type", []string{write("type.json", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":{"a":1},"Resource":"*"}}`), "--type", "identity"}, 1, "MalformedPolicyDocument: Syntax errors in policy.\n"},
		{"bad ARN", []string{write("arn.json", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3::bucket"}}`), "--type", "identity"}, 1, "MalformedPolicyDocument: The policy failed legacy parsing\n"},
		{"managed version", []string{write("v.json", `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`), "--type", "identity", "--managed"}, 1, "MalformedPolicyDocument: Policy document must be version 2012-10-17 or greater.\n"},
		{"oversize", []string{write("big.json", `{"Version":"2012-10-17","Statement":{"Sid":"`+strings.Repeat("a", 6200)+`","Effect":"Allow","Action":"s3:*","Resource":"*"}}`), "--type", "identity", "--managed"}, 1, "LimitExceeded: Cannot exceed quota for PolicySize: 6144\n"},
		{"trust with resource", []string{write("trust.json", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole","Resource":"*"}}`), "--type", "trust"}, 1, "MalformedPolicyDocument: Has prohibited field Resource\n"},
		{"scp with principal", []string{write("scp.json", `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}}`), "--type", "scp"}, 1, "MalformedPolicyDocumentException: The provided policy document does not meet the requirements of the specified policy type.\n"},
		{"resource without principal", []string{write("res.json", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`), "--type", "resource"}, 1, "MalformedPolicy: Missing required field Principal\n"},
		{"unknown type", []string{write("x.json", `{}`), "--type", "group"}, 2, ""},
		{"missing file", []string{filepath.Join(dir, "nope.json"), "--type", "identity"}, 1, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(append([]string{"policy", "validate"}, tc.args...), strings.NewReader(""), &stdout, &stderr)
			if code != tc.code || stdout.String() != tc.out {
				t.Errorf("exit %d, output %q; want %d, %q (stderr %q)", code, stdout.String(), tc.code, tc.out, stderr.String())
			}
		})
	}
}

func TestValidateReadsStandardInput(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"policy", "validate", "-", "--type", "session"}, strings.NewReader(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}`), &stdout, &stderr)
	if code != 1 || stdout.String() != "MalformedPolicyDocument: Policy document should not specify a principal.\n" {
		t.Errorf("exit %d, %q", code, stdout.String())
	}
}
