package cond

import "testing"

func TestBoolOperator(t *testing.T) {
	runEvalCases(t, []evalCase{
		{"true", "Bool", "aws:SecureTransport", []string{"true"}, map[string]any{"aws:SecureTransport": "true"}, true},
		{"case-insensitive", "Bool", "aws:SecureTransport", []string{"TRUE"}, map[string]any{"aws:SecureTransport": "True"}, true},
		{"false vs true", "Bool", "aws:SecureTransport", []string{"false"}, map[string]any{"aws:SecureTransport": "true"}, false},
		{"deny insecure transport", "Bool", "aws:SecureTransport", []string{"false"}, map[string]any{"aws:SecureTransport": "false"}, true},
		{"missing key", "Bool", "aws:MultiFactorAuthPresent", []string{"true"}, nil, false},
		{"IfExists missing (long-term keys)", "BoolIfExists", "aws:MultiFactorAuthPresent", []string{"false"}, nil, true},
		{"policy value not a boolean", "Bool", "k", []string{"yes"}, map[string]any{"k": "yes"}, false},
		{"variable", "Bool", "k", []string{"${aws:PrincipalTag/mfa}"}, map[string]any{"k": "true", "aws:PrincipalTag/mfa": "true"}, true},
	})
}

func TestBinaryEquals(t *testing.T) {
	runEvalCases(t, []evalCase{
		{"same base64", "BinaryEquals", "k", []string{"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}, map[string]any{"k": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="}, true},
		{"different", "BinaryEquals", "k", []string{"QQ=="}, map[string]any{"k": "Qg=="}, false},
		{"missing", "BinaryEquals", "k", []string{"QQ=="}, nil, false},
		{"IfExists missing", "BinaryEqualsIfExists", "k", []string{"QQ=="}, nil, true},
	})
}

func TestNullOperator(t *testing.T) {
	runEvalCases(t, []evalCase{
		{"true when absent", "Null", "aws:TokenIssueTime", []string{"true"}, nil, true},
		{"true when present", "Null", "aws:TokenIssueTime", []string{"true"}, map[string]any{"aws:TokenIssueTime": "2024-01-01T00:00:00Z"}, false},
		{"false when present", "Null", "aws:TagKeys", []string{"false"}, map[string]any{"aws:TagKeys": []string{"a"}}, true},
		{"false when absent", "Null", "aws:TagKeys", []string{"false"}, nil, false},
		{"empty set is null", "Null", "aws:TagKeys", []string{"true"}, map[string]any{"aws:TagKeys": []string{}}, true},
		{"JSON boolean spelling", "Null", "k", []string{"TRUE"}, nil, true},
		{"values OR-ed", "Null", "k", []string{"true", "false"}, nil, true},
	})
}

// AWS: undocumented; a key present with an empty string is present, not null.
func TestNullEmptyStringIsPresent(t *testing.T) {
	runEvalCases(t, []evalCase{
		{"null true", "Null", "s3:prefix", []string{"true"}, map[string]any{"s3:prefix": ""}, false},
		{"null false", "Null", "s3:prefix", []string{"false"}, map[string]any{"s3:prefix": ""}, true},
	})
}

func TestEvalAllocatesNothing(t *testing.T) {
	ctx := ctxOf(map[string]any{
		"aws:SourceIp":          "203.0.113.7",
		"aws:CurrentTime":       "2024-06-15T12:00:00Z",
		"aws:PrincipalTag/team": "blue",
		"aws:username":          "alice",
		"aws:TagKeys":           []string{"a", "b"},
		"aws:PrincipalArn":      "arn:aws:iam::111122223333:user/alice",
		"s3:max-keys":           "10",
	})
	var conds []Condition
	add := func(op, key string, values ...string) {
		c, err := Compile(op, key, values, true)
		if err != nil {
			t.Fatal(err)
		}
		conds = append(conds, c)
	}
	add("IpAddress", "aws:SourceIp", "203.0.113.0/24")
	add("DateLessThan", "aws:CurrentTime", "2025-01-01T00:00:00+01:00")
	add("StringLike", "aws:PrincipalTag/team", "${aws:username}", "b*")
	add("ForAllValues:StringEquals", "aws:TagKeys", "a", "b")
	add("ArnLike", "aws:PrincipalArn", "arn:aws:iam::*:user/${aws:username}")
	add("NumericLessThanEquals", "s3:max-keys", "100")
	add("StringEqualsIgnoreCase", "aws:username", "ALICE")
	add("Null", "aws:TokenIssueTime", "true")
	n := testing.AllocsPerRun(100, func() {
		for i := range conds {
			if !conds[i].Eval(ctx) {
				t.Fatalf("%s did not hold", conds[i].Operator())
			}
		}
	})
	if n != 0 {
		t.Errorf("allocs = %v", n)
	}
}
