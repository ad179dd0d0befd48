package cond

import "testing"

func TestTemplateMatch(t *testing.T) {
	ctx := ctxOf(map[string]any{
		"aws:username":          "alice",
		"aws:PrincipalTag/team": "blue",
		"aws:TagKeys":           []string{"x"},
		"s3:prefix":             "",
		"star":                  "*",
	})
	tests := []struct {
		name         string
		tmpl         string
		vars, wild   bool
		s            string
		want, wantOK bool
	}{
		{"variable", "home/${aws:username}/*", true, true, "home/alice/file", true, true},
		{"variable other user", "home/${aws:username}/*", true, true, "home/bob/file", false, true},
		{"key is case-insensitive", "${AWS:UserName}", true, false, "alice", true, true},
		{"2008 keeps variables literal", "home/${aws:username}", false, false, "home/${aws:username}", true, true},
		{"2008 literal does not resolve", "home/${aws:username}", false, false, "home/alice", false, true},
		{"escape star is literal", "a${*}b", true, true, "a*b", true, true},
		{"escape star is not a wildcard", "a${*}b", true, true, "axb", false, true},
		{"escape question mark", "a${?}", true, true, "a?", true, true},
		{"escape dollar", "${$}{x}", true, false, "${x}", true, true},
		{"substituted star is literal", "${star}", true, true, "anything", false, true},
		{"substituted star matches itself", "${star}", true, true, "*", true, true},
		{"tag variable", "${aws:PrincipalTag/team}-*", true, true, "blue-1", true, true},
		{"tag key case-insensitive", "${aws:principaltag/TEAM}", true, false, "blue", true, true},
		{"unresolved", "${aws:PrincipalTag/cost}", true, false, "x", false, false},
		{"default used when absent", "${aws:PrincipalTag/cost, 'none'}", true, false, "none", true, true},
		{"default not used when present", "${aws:PrincipalTag/team, 'none'}", true, false, "blue", true, true},
		{"multivalued key is not a variable", "${aws:TagKeys}", true, false, "x", false, false},
		{"multivalued key takes the default", "${aws:TagKeys, 'd'}", true, false, "d", true, true},
		{"present empty value", "p/${s3:prefix}", true, false, "p/", true, true},
		{"unterminated is literal", "a${b", true, false, "a${b", true, true},
		{"literal star without wild", "a*", true, false, "a*", true, true},
		{"literal star without wild does not glob", "a*", true, false, "ab", false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tm := ParseTemplate(tc.tmpl, tc.vars, tc.wild)
			got, ok := tm.Match(tc.s, ctx)
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("ParseTemplate(%q).Match(%q) = %v, %v; want %v, %v", tc.tmpl, tc.s, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestTemplateMatchFold(t *testing.T) {
	ctx := ctxOf(map[string]any{"aws:username": "Alice"})
	tm := ParseTemplate("home-${aws:username}", true, false)
	for s, want := range map[string]bool{"HOME-alice": true, "home-ALICE": true, "home-alic": false, "home-alicee": false} {
		if got, _ := tm.MatchFold(s, ctx); got != want {
			t.Errorf("MatchFold(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestTemplateMatchAllocatesNothing(t *testing.T) {
	ctx := ctxOf(map[string]any{"aws:username": "alice"})
	tm := ParseTemplate("arn:aws:s3:::bucket/home/${aws:username}/*", true, true)
	fold := ParseTemplate("${aws:username}", true, false)
	n := testing.AllocsPerRun(100, func() {
		tm.Match("arn:aws:s3:::bucket/home/alice/x", ctx)
		fold.MatchFold("ALICE", ctx)
	})
	if n != 0 {
		t.Errorf("allocs = %v", n)
	}
}
