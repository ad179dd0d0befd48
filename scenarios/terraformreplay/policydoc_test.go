package terraformreplay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"testing"
)

// equivalentPolicies reports whether two policy documents mean the same, the way the provider
// decides whether a document read back differs from the configured one: a single string and a
// one-element list are the same, the order of list values and of statements does not matter,
// condition values compare as text. Anything else (an extra element, a different Effect, a
// changed Version) is a difference.
func equivalentPolicies(a, b string) (bool, error) {
	na, err := normalizePolicy(a)
	if err != nil {
		return false, fmt.Errorf("first document: %w", err)
	}
	nb, err := normalizePolicy(b)
	if err != nil {
		return false, fmt.Errorf("second document: %w", err)
	}
	return bytes.Equal(na, nb), nil
}

// normalizePolicy returns a canonical JSON form of a policy document.
func normalizePolicy(doc string) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader([]byte(doc)))
	dec.UseNumber()
	var top map[string]any
	if err := dec.Decode(&top); err != nil {
		return nil, err
	}
	out := map[string]any{}
	for k, v := range top {
		switch k {
		case "Version", "Id":
			out[k] = v
		case "Statement":
			list, ok := v.([]any)
			if !ok {
				list = []any{v}
			}
			var stmts []string
			for _, s := range list {
				m, ok := s.(map[string]any)
				if !ok {
					return nil, fmt.Errorf("statement %v is not an object", s)
				}
				n, err := normalizeStatement(m)
				if err != nil {
					return nil, err
				}
				b, err := json.Marshal(n)
				if err != nil {
					return nil, err
				}
				stmts = append(stmts, string(b))
			}
			sort.Strings(stmts)
			out[k] = stmts
		default:
			return nil, fmt.Errorf("unknown top-level element %q", k)
		}
	}
	return json.Marshal(out)
}

func normalizeStatement(s map[string]any) (map[string]any, error) {
	out := map[string]any{}
	for k, v := range s {
		switch k {
		case "Sid", "Effect":
			out[k] = v
		case "Action", "NotAction", "Resource", "NotResource":
			set, err := stringSet(v)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			out[k] = set
		case "Principal", "NotPrincipal":
			if str, ok := v.(string); ok {
				out[k] = str
				continue
			}
			m, ok := v.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("%s is neither \"*\" nor an object", k)
			}
			p := map[string][]string{}
			for typ, ids := range m {
				set, err := stringSet(ids)
				if err != nil {
					return nil, fmt.Errorf("%s.%s: %w", k, typ, err)
				}
				p[typ] = set
			}
			out[k] = p
		case "Condition":
			ops, ok := v.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("Condition is not an object")
			}
			c := map[string]map[string][]string{}
			for op, keys := range ops {
				km, ok := keys.(map[string]any)
				if !ok {
					return nil, fmt.Errorf("Condition.%s is not an object", op)
				}
				c[op] = map[string][]string{}
				for key, vals := range km {
					set, err := stringSet(vals)
					if err != nil {
						return nil, fmt.Errorf("Condition.%s.%s: %w", op, key, err)
					}
					c[op][key] = set
				}
			}
			out[k] = c
		default:
			return nil, fmt.Errorf("unknown statement element %q", k)
		}
	}
	return out, nil
}

// stringSet reads a string, number, bool or list of them as a sorted set of text.
func stringSet(v any) ([]string, error) {
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	var out []string
	for _, e := range list {
		switch x := e.(type) {
		case string:
			out = append(out, x)
		case json.Number:
			out = append(out, x.String())
		case bool:
			out = append(out, fmt.Sprint(x))
		default:
			return nil, fmt.Errorf("value %v is not a string, number or bool", e)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// TestEquivalentPolicies checks the comparison itself, so that a replay can fail: documents
// that differ only in form are equivalent, documents that differ in meaning are not.
func TestEquivalentPolicies(t *testing.T) {
	base := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}`
	tests := []struct {
		name string
		a, b string
		same bool
	}{
		{"identical", base, base, true},
		{"whitespace and key order", base, "{\n \"Statement\": [ {\"Resource\": \"*\", \"Action\": \"s3:ListAllMyBuckets\", \"Effect\": \"Allow\"} ],\n \"Version\": \"2012-10-17\"\n}", true},
		{"string and one-element list", base, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:ListAllMyBuckets"],"Resource":["*"]}]}`, true},
		{"single statement object", base, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}}`, true},
		{"list order", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["a:B","c:D"],"Resource":"*"}]}`,
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["c:D","a:B"],"Resource":"*"}]}`, true},
		{"condition value types", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"a:B","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":true}}}]}`,
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"a:B","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`, true},
		{"another action", base, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}`, false},
		{"an extra action", base, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:ListAllMyBuckets","s3:ListBucket"],"Resource":"*"}]}`, false},
		{"deny instead of allow", base, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:ListAllMyBuckets","Resource":"*"}]}`, false},
		{"another version", base, `{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}`, false},
		{"principal", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}`,
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole"}]}`, false},
		{"a condition more", base, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}`, false},
		{"a statement more", base, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*"}]}`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := equivalentPolicies(tc.a, tc.b)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.same {
				t.Fatalf("equivalentPolicies = %v, want %v", got, tc.same)
			}
		})
	}
	if _, err := equivalentPolicies(base, `{"Statement":`); err == nil {
		t.Fatal("a truncated document compared without error")
	}
}
