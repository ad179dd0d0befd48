package cond

import (
	"testing"

	"rolegate/internal/arn"
)

func TestARNOperators(t *testing.T) {
	pa := func(v string) map[string]any {
		return map[string]any{"aws:PrincipalArn": v, "aws:PrincipalAccount": "111122223333"}
	}
	runEvalCases(t, []evalCase{
		{"like", "ArnLike", "aws:PrincipalArn", []string{"arn:aws:iam::111122223333:role/admin-*"}, pa("arn:aws:iam::111122223333:role/admin-ops"), true},
		{"equals is like", "ArnEquals", "aws:PrincipalArn", []string{"arn:aws:iam::*:role/admin"}, pa("arn:aws:iam::111122223333:role/admin"), true},
		{"case-sensitive", "ArnLike", "aws:PrincipalArn", []string{"arn:aws:iam::111122223333:role/Admin"}, pa("arn:aws:iam::111122223333:role/admin"), false},
		// IAM User Guide (ARN condition operators): ArnLike splits into six sections and
		// a * never crosses one, unlike StringLike.
		{"star stays in its section", "ArnLike", "aws:SourceArn", []string{"arn:aws:someservice:*:111122223333:finance/*"}, map[string]any{"aws:SourceArn": "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"}, false},
		{"resource section keeps its colons", "ArnLike", "aws:SourceArn", []string{"arn:aws:sns:us-east-1:111122223333:topic:*"}, map[string]any{"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:topic:sub:1"}, true},
		{"variable with a colon in its name", "ArnLike", "aws:PrincipalArn", []string{"arn:aws:iam::${aws:PrincipalAccount}:role/x"}, pa("arn:aws:iam::111122223333:role/x"), true},
		{"not like", "ArnNotLike", "aws:PrincipalArn", []string{"arn:aws:iam::*:role/admin"}, pa("arn:aws:iam::111122223333:role/dev"), true},
		{"not equals same", "ArnNotEquals", "aws:PrincipalArn", []string{"arn:aws:iam::*:role/admin"}, pa("arn:aws:iam::111122223333:role/admin"), false},
		{"missing key", "ArnLike", "aws:SourceArn", []string{"*"}, nil, false},
		{"not like missing key", "ArnNotLike", "aws:SourceArn", []string{"*"}, nil, true},
		{"short pattern ending in star is padded", "ArnLike", "aws:SourceArn", []string{"arn:aws:s3:*"}, map[string]any{"aws:SourceArn": "arn:aws:s3:::bucket"}, true},
		{"short pattern without star matches nothing", "ArnLike", "aws:SourceArn", []string{"arn:aws:s3::bucket"}, map[string]any{"aws:SourceArn": "arn:aws:s3:::bucket"}, false},
		{"unresolved variable negated is true", "ArnNotLike", "aws:SourceArn", []string{"arn:aws:s3:::${aws:username}"}, map[string]any{"aws:SourceArn": "arn:aws:s3:::x"}, true},
	})
}

// AWS: undocumented; PMapper reports the policy simulator answers "no match" for ArnNot*
// when the request value is not an ARN.
func TestARNNotLikeWithInvalidRequestARNIsFalse(t *testing.T) {
	runEvalCases(t, []evalCase{
		{"positive", "ArnLike", "aws:SourceArn", []string{"*"}, map[string]any{"aws:SourceArn": "not-an-arn"}, false},
		{"negated", "ArnNotLike", "aws:SourceArn", []string{"arn:aws:s3:::x"}, map[string]any{"aws:SourceArn": "not-an-arn"}, false},
	})
}

func TestARNPatternResourceOnlyVariables(t *testing.T) {
	ctx := ctxOf(map[string]any{"aws:username": "alice", "region": "us-east-1"})
	p := CompileARNPattern("arn:aws:s3:${region}::home/${aws:username}", true, true)
	a, _ := arn.Split("arn:aws:s3:us-east-1::home/alice")
	if m, _ := p.Match(&a, ctx); m {
		t.Error("a variable outside the resource section was substituted")
	}
	lit, _ := arn.Split("arn:aws:s3:${region}::home/alice")
	if m, _ := p.Match(&lit, ctx); !m {
		t.Error("the resource-section variable was not substituted")
	}
}
