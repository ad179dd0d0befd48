package cond

import "testing"

// TestSetQualifiers walks the truth table of the set qualifiers, including absent keys,
// empty sets and IfExists.
func TestSetQualifiers(t *testing.T) {
	tags := func(v ...string) map[string]any { return map[string]any{"aws:TagKeys": v} }
	allowed := []string{"environment", "cost-center"}
	runEvalCases(t, []evalCase{
		{"all: subset", "ForAllValues:StringEquals", "aws:TagKeys", allowed, tags("environment"), true},
		{"all: equal set", "ForAllValues:StringEquals", "aws:TagKeys", allowed, tags("cost-center", "environment"), true},
		{"all: not subset", "ForAllValues:StringEquals", "aws:TagKeys", allowed, tags("environment", "owner"), false},
		{"all: absent key is vacuously true", "ForAllValues:StringEquals", "aws:TagKeys", allowed, nil, true},
		{"all: empty set is vacuously true", "ForAllValues:StringEquals", "aws:TagKeys", allowed, tags(), true},
		{"all: IfExists absent", "ForAllValues:StringEqualsIfExists", "aws:TagKeys", allowed, nil, true},
		{"all: IfExists present", "ForAllValues:StringEqualsIfExists", "aws:TagKeys", allowed, tags("owner"), false},
		{"all: not like, none starts with key1", "ForAllValues:StringNotLike", "aws:TagKeys", []string{"key1*"}, tags("a", "b"), true},
		{"all: not like, one starts with key1", "ForAllValues:StringNotLike", "aws:TagKeys", []string{"key1*"}, tags("a", "key1x"), false},
		{"all: not like absent", "ForAllValues:StringNotLike", "aws:TagKeys", []string{"key1*"}, nil, true},
		{"any: intersects", "ForAnyValue:StringEquals", "aws:TagKeys", allowed, tags("owner", "environment"), true},
		{"any: disjoint", "ForAnyValue:StringEquals", "aws:TagKeys", allowed, tags("owner"), false},
		{"any: absent key is false", "ForAnyValue:StringEquals", "aws:TagKeys", allowed, nil, false},
		{"any: empty set is false", "ForAnyValue:StringEquals", "aws:TagKeys", allowed, tags(), false},
		// AWS: observed on AWS (re:Post) and in simulators: IfExists does not rescue
		// ForAnyValue when the key is absent.
		{"any: IfExists absent is still false", "ForAnyValue:StringEqualsIfExists", "aws:TagKeys", allowed, nil, false},
		{"any: not equals, some value outside", "ForAnyValue:StringNotEquals", "aws:TagKeys", allowed, tags("environment", "owner"), true},
		{"any: not equals, all inside", "ForAnyValue:StringNotEquals", "aws:TagKeys", allowed, tags("environment"), false},
		{"any: not equals absent", "ForAnyValue:StringNotEquals", "aws:TagKeys", allowed, nil, false},
		{"single value acts as a one-element set", "ForAnyValue:StringLike", "aws:PrincipalTag/team", []string{"b*"}, map[string]any{"aws:PrincipalTag/team": "blue"}, true},
		{"all: numeric", "ForAllValues:NumericLessThan", "k", []string{"10"}, map[string]any{"k": []string{"1", "9"}}, true},
		{"all: numeric one too big", "ForAllValues:NumericLessThan", "k", []string{"10"}, map[string]any{"k": []string{"1", "10"}}, false},
		{"any: ip", "ForAnyValue:IpAddress", "k", []string{"10.0.0.0/8"}, map[string]any{"k": []string{"192.0.2.1", "10.1.2.3"}}, true},
		{"any: arn", "ForAnyValue:ArnLike", "k", []string{"arn:aws:iam::*:role/admin"}, map[string]any{"k": []string{"arn:aws:iam::111122223333:role/admin"}}, true},
	})
}

func TestParseOperator(t *testing.T) {
	valid := []string{"StringEquals", "ForAllValues:StringLikeIfExists", "ForAnyValue:ArnNotLike", "NumericGreaterThanEqualsIfExists", "Null", "BinaryEquals", "NotIpAddressIfExists", "DateLessThanEquals", "Bool"}
	for _, name := range valid {
		op, err := ParseOperator(name)
		if err != nil {
			t.Errorf("ParseOperator(%q) = %v", name, err)
		}
		if op.String() != name {
			t.Errorf("String() = %q, want %q", op.String(), name)
		}
	}
	invalid := []string{"stringequals", "StringEqual", "NullIfExists", "ForAllValues:Null", "ForAnyValues:StringEquals", "IfExists", "", "StringEqualsIfExistsIfExists"}
	for _, name := range invalid {
		if _, err := ParseOperator(name); err == nil {
			t.Errorf("ParseOperator(%q) accepted an unknown operator", name)
		}
	}
	_, err := Compile("StringEqual", "k", nil, true)
	if err == nil {
		t.Fatal("Compile accepted an unknown operator")
	}
}
