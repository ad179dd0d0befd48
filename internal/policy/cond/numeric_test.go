package cond

import "testing"

func TestNumericOperators(t *testing.T) {
	mk := func(v string) map[string]any { return map[string]any{"s3:max-keys": v} }
	runEvalCases(t, []evalCase{
		{"equals", "NumericEquals", "s3:max-keys", []string{"10"}, mk("10"), true},
		{"equals decimal forms", "NumericEquals", "s3:max-keys", []string{"10.0"}, mk("010"), true},
		{"equals negative zero", "NumericEquals", "k", []string{"-0"}, map[string]any{"k": "0"}, true},
		{"not equals", "NumericNotEquals", "s3:max-keys", []string{"10"}, mk("11"), true},
		{"not equals same", "NumericNotEquals", "s3:max-keys", []string{"10"}, mk("10"), false},
		{"not equals missing", "NumericNotEquals", "s3:max-keys", []string{"10"}, nil, true},
		{"less than", "NumericLessThan", "s3:max-keys", []string{"10"}, mk("9"), true},
		{"less than equal boundary", "NumericLessThan", "s3:max-keys", []string{"10"}, mk("10"), false},
		{"less than equals documented example", "NumericLessThanEquals", "s3:max-keys", []string{"10"}, mk("5"), true},
		{"less than equals boundary", "NumericLessThanEquals", "s3:max-keys", []string{"10"}, mk("10"), true},
		{"greater than", "NumericGreaterThan", "k", []string{"1.5"}, map[string]any{"k": "1.50001"}, true},
		{"greater than negative", "NumericGreaterThan", "k", []string{"-2"}, map[string]any{"k": "-1"}, true},
		{"greater than equals", "NumericGreaterThanEquals", "k", []string{"3600"}, map[string]any{"k": "3600"}, true},
		{"large integers compare exactly", "NumericLessThan", "k", []string{"9007199254740993"}, map[string]any{"k": "9007199254740992"}, true},
		{"missing key", "NumericLessThan", "k", []string{"10"}, nil, false},
		{"IfExists missing", "NumericLessThanIfExists", "k", []string{"10"}, nil, true},
		{"unparseable request value", "NumericLessThan", "k", []string{"10"}, map[string]any{"k": "ten"}, false},
		{"unparseable policy value never matches", "NumericEquals", "k", []string{"ten", "5"}, map[string]any{"k": "5"}, true},
		{"OR across values", "NumericEquals", "k", []string{"1", "2"}, map[string]any{"k": "2"}, true},
	})
}

// AWS: undocumented; a request value that is not a number satisfies no numeric operator,
// negated ones included (consistent with the simulator's ArnNot* behaviour).
func TestNegatedNumericWithUnparseableRequestValueIsFalse(t *testing.T) {
	runEvalCases(t, []evalCase{
		{"not equals", "NumericNotEquals", "k", []string{"10"}, map[string]any{"k": "ten"}, false},
	})
}

func TestParseDecimal(t *testing.T) {
	for s, ok := range map[string]bool{"1": true, "-1.5": true, "+2": true, ".5": true, "5.": true, "": false, ".": false, "-": false, "1e3": false, "1.2.3": false, " 1": false} {
		if _, got := parseDecimal(s); got != ok {
			t.Errorf("parseDecimal(%q) ok = %v, want %v", s, got, ok)
		}
	}
}
