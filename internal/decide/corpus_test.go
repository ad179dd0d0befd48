package decide

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"testing"

	"rolegate/internal/policy"
)

// corpusPath is the evaluation corpus: one decide-input line per case, plus "source" (the
// AWS documentation page the case is written from) and "expect".
const corpusPath = "../../testdata/policy-corpus.jsonl"

// Case is one corpus line as far as the tests read it.
type Case struct {
	ID       string          `json:"id"`
	Source   string          `json:"source"`
	Policies json.RawMessage `json:"policies"`
	Expect   struct {
		Decision string     `json:"decision"`
		Reason   string     `json:"reason"`
		Matched  *[]Matched `json:"matched"`
	} `json:"expect"`
}

// LoadCorpus reads the corpus lines and their parsed cases.
func loadCorpus(t *testing.T) ([][]byte, []Case) {
	t.Helper()
	f, err := os.Open(corpusPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines [][]byte
	var cases []Case
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := append([]byte(nil), sc.Bytes()...)
		var c Case
		if err := json.Unmarshal(line, &c); err != nil {
			t.Fatalf("corpus line %d: %v", len(lines)+1, err)
		}
		if c.ID == "" || c.Source == "" || c.Expect.Decision == "" {
			t.Fatalf("corpus line %d lacks id, source or expect.decision", len(lines)+1)
		}
		lines, cases = append(lines, line), append(cases, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines, cases
}

// CheckOutput compares a decision line with a case's expectation.
func checkOutput(t *testing.T, c Case, out Output) {
	t.Helper()
	if out.Err != "" {
		t.Errorf("%s: error %q", c.ID, out.Err)
		return
	}
	if out.Decision != c.Expect.Decision {
		t.Errorf("%s: decision %s, want %s (%s)\n  reason: %s", c.ID, out.Decision, c.Expect.Decision, c.Source, out.Reason)
	}
	if c.Expect.Reason != "" && out.Reason != c.Expect.Reason {
		t.Errorf("%s: reason\n  got  %s\n  want %s", c.ID, out.Reason, c.Expect.Reason)
	}
	if c.Expect.Matched != nil && !reflect.DeepEqual(out.Matched, *c.Expect.Matched) {
		t.Errorf("%s: matched %+v, want %+v", c.ID, out.Matched, *c.Expect.Matched)
	}
}

func TestCorpus(t *testing.T) {
	lines, cases := loadCorpus(t)
	if len(cases) < 150 {
		t.Errorf("corpus has %d cases, want at least 150", len(cases))
	}
	seen := map[string]bool{}
	for i, c := range cases {
		if seen[c.ID] {
			t.Errorf("duplicate case id %s", c.ID)
		}
		seen[c.ID] = true
		checkOutput(t, c, Line(lines[i]))
	}
}

// TestCorpusPoliciesRoundTrip parses every corpus policy, marshals it and parses it again.
func TestCorpusPoliciesRoundTrip(t *testing.T) {
	_, cases := loadCorpus(t)
	n := 0
	for _, c := range cases {
		var walk func(v any)
		walk = func(v any) {
			switch v := v.(type) {
			case map[string]any:
				if _, ok := v["Statement"]; ok {
					text, _ := json.Marshal(v)
					d1, err := policy.Parse(text)
					if err != nil {
						t.Errorf("%s: %v", c.ID, err)
						return
					}
					out, _ := d1.MarshalJSON()
					d2, err := policy.Parse(out)
					if err != nil || !reflect.DeepEqual(d1, d2) {
						t.Errorf("%s: round trip of %s gave %s (%v)", c.ID, text, out, err)
					}
					n++
					return
				}
				for _, x := range v {
					walk(x)
				}
			case []any:
				for _, x := range v {
					walk(x)
				}
			}
		}
		var v any
		if err := json.Unmarshal(c.Policies, &v); err != nil {
			t.Fatal(err)
		}
		walk(v)
	}
	if n == 0 {
		t.Error("no policies found in the corpus")
	}
}

func TestRunWritesOneLinePerInputLine(t *testing.T) {
	in := `{"id":"a","policies":{},"request":{"principal_arn":null,"action":"s3:GetObject","resource":"arn:aws:s3:::b/k","resource_account":"111122223333"}}

not json
{"id":7,"policies":{"identity":[{"Statement":[]}]},"request":{"action":"s3:GetObject","resource":"*"}}
{"id":"b","policies":{"scp":[],"scp_levels":[[]]},"request":{"action":"s3:GetObject","resource":"*"}}
{"id":"c","policies":{},"request":{"principal_arn":"arn:aws:iam::1:group/g","action":"s3:GetObject","resource":"*"}}
{"id":"d","policies":{},"request":{"resource":"*"}}
`
	var out bytes.Buffer
	failed, err := Run(bytes.NewBufferString(in), &out)
	if err != nil || !failed {
		t.Fatalf("Run = %v, %v; want failed", failed, err)
	}
	want := `{"id":"a","decision":"implicitDeny","reason":"User: anonymous is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k because no resource-based policy allows the s3:GetObject action","matched":[]}
{"id":null,"error":"invalid input line: invalid character 'o' in literal null (expecting 'u')"}
{"id":7,"error":"identity[0]: Syntax errors in policy."}
{"id":"b","error":"policies: give scp or scp_levels, not both"}
{"id":"c","error":"request.principal_arn: authz: not a caller principal: \"arn:aws:iam::1:group/g\""}
{"id":"d","error":"request.action is required"}
`
	if out.String() != want {
		t.Errorf("Run wrote\n%s\nwant\n%s", out.String(), want)
	}
}
