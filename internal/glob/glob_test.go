package glob

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		pattern, s string
		fold       bool
		want       bool
	}{
		{"", "", false, true},
		{"", "a", false, false},
		{"*", "", false, true},
		{"*", "anything/at:all", false, true},
		{"abc", "abc", false, true},
		{"abc", "abcd", false, false},
		{"abc", "ABC", false, false},
		{"abc", "ABC", true, true},
		{"a?c", "abc", false, true},
		{"a?c", "ac", false, false},
		{"a?c", "abbc", false, false},
		{"?", "é", false, true}, // one character, two bytes
		{"??", "é", false, false},
		{"a*", "a", false, true},
		{"a*", "abc", false, true},
		{"a*", "ba", false, false},
		{"*a", "bca", false, true},
		{"*a", "ab", false, false},
		{"*AccessKey*", "UpdateAccessKey", true, true},
		{"*accesskey*", "UpdateAccessKey", true, true},
		{"*AccessKey*", "UpdateAccessKey", false, true},
		{"*accesskey*", "UpdateAccessKey", false, false},
		{"Get*", "getobject", true, true},
		// IAM User Guide: bucket/*/test/* crosses slashes freely.
		{"bucket/*/test/*", "bucket/1/2/test/object.jpg", false, true},
		{"bucket/*/test/*", "bucket/1///test///object.jpg", false, true},
		{"bucket/*/test/*", "bucket/test/object.jpg", false, false},
		{"a*b*c", "abc", false, true},
		{"a*b*c", "aXbYc", false, true},
		{"a*b*c", "acb", false, false},
		{"a*b?c", "abbbxc", false, true},
		{"*a*a*a*a*b", strings.Repeat("a", 200), false, false},
		{"*?", "", false, false},
		{"*?", "x", false, true},
		{"?*?", "x", false, false},
		{"ab*ba", "aba", false, false},
		{"ab*ba", "abba", false, true},
		{"x**y", "xzzy", false, true},
	}
	for _, tc := range tests {
		p := Compile(tc.pattern, tc.fold)
		if got := p.Match(tc.s); got != tc.want {
			t.Errorf("Compile(%q, fold=%v).Match(%q) = %v, want %v", tc.pattern, tc.fold, tc.s, got, tc.want)
		}
		if got := reference(pieces(tc.pattern), tc.s, tc.fold); got != tc.want {
			t.Errorf("reference(%q, %q) = %v, want %v (test table is wrong)", tc.pattern, tc.s, got, tc.want)
		}
	}
}

func TestMatchPiecesTreatsLiteralStarsLiterally(t *testing.T) {
	ps := []Piece{{Kind: Literal, Text: "a*"}, {Kind: Star}}
	if !MatchPieces(ps, "a*bc", false) {
		t.Error("literal star piece did not match a star")
	}
	if MatchPieces(ps, "abc", false) {
		t.Error("literal star piece acted as a wildcard")
	}
}

func TestMatchAllocatesNothing(t *testing.T) {
	p := Compile("arn:*:s3:::bucket/*/te?t/*", false)
	ps := []Piece{{Kind: Literal, Text: "home/"}, {Kind: Literal, Text: "alice"}, {Kind: Star}}
	allocs := testing.AllocsPerRun(100, func() {
		p.Match("arn:aws:s3:::bucket/a/b/test/object.jpg")
		MatchPieces(ps, "home/alice/x", false)
	})
	if allocs != 0 {
		t.Errorf("allocs = %v, want 0", allocs)
	}
}

func TestString(t *testing.T) {
	for _, s := range []string{"", "*", "a?b*c", "iam:*AccessKey*"} {
		p := Compile(s, false)
		if got := p.String(); got != s {
			t.Errorf("Compile(%q).String() = %q", s, got)
		}
	}
}

func pieces(pattern string) []Piece {
	var ps []Piece
	for _, r := range []byte(pattern) {
		switch r {
		case '*':
			ps = append(ps, Piece{Kind: Star})
		case '?':
			ps = append(ps, Piece{Kind: One})
		default:
			if n := len(ps); n > 0 && ps[n-1].Kind == Literal {
				ps[n-1].Text += string([]byte{r})
			} else {
				ps = append(ps, Piece{Kind: Literal, Text: string([]byte{r})})
			}
		}
	}
	return ps
}

// reference is the slow, obviously correct matcher the fuzz target compares against: a
// memoised search over (piece, position) that tries every split a star allows. It uses the
// same character rule as Match: One is one UTF-8 character when subject and literals are
// valid UTF-8, else one byte.
func reference(ps []Piece, s string, fold bool) bool {
	runes := utf8.ValidString(s)
	for _, p := range ps {
		if p.Kind == Literal && !utf8.ValidString(p.Text) {
			runes = false
		}
	}
	width := func(pos int) int {
		if !runes {
			return 1
		}
		_, w := utf8.DecodeRuneInString(s[pos:])
		return w
	}
	memo := map[[2]int]bool{}
	var rec func(i, pos int) bool
	rec = func(i, pos int) bool {
		if i == len(ps) {
			return pos == len(s)
		}
		k := [2]int{i, pos}
		if v, ok := memo[k]; ok {
			return v
		}
		var ok bool
		switch ps[i].Kind {
		case Literal:
			t := ps[i].Text
			if len(s)-pos >= len(t) {
				same := s[pos:pos+len(t)] == t
				if fold {
					same = asciiLower(s[pos:pos+len(t)]) == asciiLower(t)
				}
				ok = same && rec(i+1, pos+len(t))
			}
		case One:
			ok = pos < len(s) && rec(i+1, pos+width(pos))
		case Star:
			for p := pos; ; p += width(p) {
				if rec(i+1, p) {
					ok = true
					break
				}
				if p >= len(s) {
					break
				}
			}
		}
		memo[k] = ok
		return ok
	}
	return rec(0, 0)
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		b[i] = lower(c)
	}
	return string(b)
}

func FuzzGlob(f *testing.F) {
	f.Add("bucket/*/test/*", "bucket/1/2/test/object.jpg", false)
	f.Add("*AccessKey*", "updateaccesskey", true)
	f.Add("a?c*", "aéc", false)
	f.Add("*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaa", false)
	f.Add("\xe2?*\xac", "\xe2\xe2\x82\xac", false)
	f.Fuzz(func(t *testing.T, pattern, s string, fold bool) {
		if len(pattern) > 64 || len(s) > 256 {
			return
		}
		p := Compile(pattern, fold)
		got := p.Match(s)
		want := reference(pieces(pattern), s, fold)
		if got != want {
			t.Fatalf("Compile(%q, %v).Match(%q) = %v, reference says %v", pattern, fold, s, got, want)
		}
		if got2 := MatchPieces(pieces(pattern), s, fold); got2 != want {
			t.Fatalf("MatchPieces(%q, %q, %v) = %v, reference says %v", pattern, s, fold, got2, want)
		}
	})
}

func BenchmarkMatch(b *testing.B) {
	p := Compile("arn:aws:s3:::bucket/*/test/*", false)
	b.ReportAllocs()
	for b.Loop() {
		p.Match("arn:aws:s3:::bucket/1/2/3/4/test/object.jpg")
	}
}

func BenchmarkMatchPathological(b *testing.B) {
	p := Compile("*a*a*a*a*a*a*a*b", false)
	s := strings.Repeat("a", 4096)
	b.ReportAllocs()
	for b.Loop() {
		p.Match(s)
	}
}
