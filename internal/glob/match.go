package glob

import (
	"strings"
	"unicode/utf8"
)

// match is the general matcher. The pieces between stars ("chunks") have a fixed length in
// characters, so it suffices to anchor the first chunk at the start, the last chunk at the
// end, and place every middle chunk at its earliest position after the previous one: an
// earlier placement never ends later than a later one, so it never loses a match. No
// position is revisited, so the cost is bounded by len(s) times the chunk length.
//
// With runes set, One consumes a whole UTF-8 character; otherwise (subject or literals not
// valid UTF-8) every byte is a character. Either way the placements above stay monotonic.
func match(ps []Piece, s string, fold, runes bool) bool {
	first := nextStar(ps, 0)
	if first == len(ps) {
		end, ok := chunkAt(ps, s, 0, fold, runes)
		return ok && end == len(s)
	}
	pos, ok := chunkAt(ps[:first], s, 0, fold, runes)
	if !ok {
		return false
	}
	last := first
	for i := first; i < len(ps); i++ {
		if ps[i].Kind == Star {
			last = i
		}
	}
	limit, ok := chunkBack(ps[last+1:], s, fold, runes)
	if !ok || limit < pos {
		return false
	}
	head := s[:limit]
	for i := first + 1; i < last; {
		if ps[i].Kind == Star {
			i++
			continue
		}
		j := nextStar(ps, i)
		end, ok := find(ps[i:j], head, pos, fold, runes)
		if !ok {
			return false
		}
		pos = end
		i = j
	}
	return true
}

func nextStar(ps []Piece, i int) int {
	for ; i < len(ps); i++ {
		if ps[i].Kind == Star {
			return i
		}
	}
	return len(ps)
}

// chunkAt matches a star-free chunk at s[p:] and returns where it ends.
func chunkAt(chunk []Piece, s string, p int, fold, runes bool) (int, bool) {
	for i := range chunk {
		switch chunk[i].Kind {
		case Literal:
			t := chunk[i].Text
			if fold {
				if !hasPrefixFold(s[p:], t) {
					return 0, false
				}
			} else if !strings.HasPrefix(s[p:], t) {
				return 0, false
			}
			p += len(t)
		case One:
			if p >= len(s) {
				return 0, false
			}
			w := 1
			if runes {
				_, w = utf8.DecodeRuneInString(s[p:])
			}
			p += w
		}
	}
	return p, true
}

// chunkBack matches a star-free chunk so that it ends exactly at the end of s and returns
// where it starts.
func chunkBack(chunk []Piece, s string, fold, runes bool) (int, bool) {
	e := len(s)
	for i := len(chunk) - 1; i >= 0; i-- {
		switch chunk[i].Kind {
		case Literal:
			t := chunk[i].Text
			if len(t) > e {
				return 0, false
			}
			if fold {
				if !hasPrefixFold(s[e-len(t):e], t) {
					return 0, false
				}
			} else if s[e-len(t):e] != t {
				return 0, false
			}
			e -= len(t)
		case One:
			if e == 0 {
				return 0, false
			}
			w := 1
			if runes {
				_, w = utf8.DecodeLastRuneInString(s[:e])
			}
			e -= w
		}
	}
	return e, true
}

// find places a star-free chunk at its earliest position at or after pos and returns where
// it ends.
func find(chunk []Piece, s string, pos int, fold, runes bool) (int, bool) {
	lead := ""
	if chunk[0].Kind == Literal && !fold {
		lead = chunk[0].Text
	}
	for pos <= len(s) {
		if lead != "" {
			k := strings.Index(s[pos:], lead)
			if k < 0 {
				return 0, false
			}
			pos += k
		}
		if end, ok := chunkAt(chunk, s, pos, fold, runes); ok {
			return end, true
		}
		if pos == len(s) {
			break
		}
		w := 1
		if runes {
			_, w = utf8.DecodeRuneInString(s[pos:])
		}
		pos += w
	}
	return 0, false
}

// hasPrefixFold reports whether s begins with t, ignoring ASCII case.
func hasPrefixFold(s, t string) bool {
	if len(s) < len(t) {
		return false
	}
	for i := 0; i < len(t); i++ {
		a, b := s[i], t[i]
		if a == b {
			continue
		}
		if lower(a) != lower(b) {
			return false
		}
	}
	return true
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// EqualFold reports whether s and t are equal ignoring ASCII case. IAM folds action names
// this way; Unicode folding is the business of the string condition operators.
func EqualFold(s, t string) bool {
	return len(s) == len(t) && hasPrefixFold(s, t)
}
