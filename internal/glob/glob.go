package glob

import (
	"strings"
	"unicode/utf8"
)

// Kind says what a Piece of a pattern matches.
type Kind uint8

const (
	// Literal matches its Text exactly (or ignoring ASCII case when folding).
	Literal Kind = iota
	// Star matches any run of characters, including the empty run.
	Star
	// One matches exactly one character.
	One
)

// Piece is one element of a pattern: a literal text, a star or a single-character wildcard.
// Callers that substitute values into patterns (policy variables) build pieces directly so
// that substituted text never acts as a wildcard.
type Piece struct {
	Kind Kind
	Text string // the literal text; empty for Star and One
}

// shape lets Match skip the general algorithm for the patterns IAM uses most.
type shape uint8

const (
	shapeGeneral shape = iota
	shapeExact         // no wildcards
	shapeAny           // "*"
	shapePrefix        // "lit*"
)

// Pattern is a compiled wildcard pattern. The zero Pattern matches only the empty string.
// A Pattern is immutable and safe for concurrent use.
type Pattern struct {
	pieces []Piece
	lit    string // the literal for shapeExact and shapePrefix
	fold   bool
	shape  shape
	hasOne bool
	// litUTF8 reports whether every literal is valid UTF-8, which together with a valid
	// subject lets One match a whole multi-byte character.
	litUTF8 bool
}

// Compile compiles pattern, in which `*` and `?` are wildcards and every other byte is
// literal. With fold set, ASCII letters match regardless of case (IAM action names).
func Compile(pattern string, fold bool) Pattern {
	var ps []Piece
	start := 0
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		if c != '*' && c != '?' {
			continue
		}
		if i > start {
			ps = append(ps, Piece{Kind: Literal, Text: pattern[start:i]})
		}
		if c == '*' {
			ps = append(ps, Piece{Kind: Star})
		} else {
			ps = append(ps, Piece{Kind: One})
		}
		start = i + 1
	}
	if start < len(pattern) {
		ps = append(ps, Piece{Kind: Literal, Text: pattern[start:]})
	}
	return New(ps, fold)
}

// New compiles a pattern from pieces. Adjacent literals are joined and runs of stars are
// collapsed; the pieces slice is not retained.
func New(pieces []Piece, fold bool) Pattern {
	p := Pattern{fold: fold, litUTF8: true}
	for _, pc := range pieces {
		switch pc.Kind {
		case Literal:
			if pc.Text == "" {
				continue
			}
			if !utf8.ValidString(pc.Text) {
				p.litUTF8 = false
			}
			if n := len(p.pieces); n > 0 && p.pieces[n-1].Kind == Literal {
				p.pieces[n-1].Text += pc.Text
				continue
			}
		case Star:
			if n := len(p.pieces); n > 0 && p.pieces[n-1].Kind == Star {
				continue
			}
		case One:
			p.hasOne = true
		}
		p.pieces = append(p.pieces, pc)
	}
	p.shape = classify(p.pieces)
	switch p.shape {
	case shapeExact, shapePrefix:
		if len(p.pieces) > 0 {
			p.lit = p.pieces[0].Text
		}
	}
	return p
}

func classify(ps []Piece) shape {
	switch {
	case len(ps) == 0:
		return shapeExact
	case len(ps) == 1 && ps[0].Kind == Literal:
		return shapeExact
	case len(ps) == 1 && ps[0].Kind == Star:
		return shapeAny
	case len(ps) == 2 && ps[0].Kind == Literal && ps[1].Kind == Star:
		return shapePrefix
	}
	return shapeGeneral
}

// Match reports whether s matches the whole pattern.
func (p *Pattern) Match(s string) bool {
	switch p.shape {
	case shapeExact:
		if p.fold {
			return len(s) == len(p.lit) && hasPrefixFold(s, p.lit)
		}
		return s == p.lit
	case shapeAny:
		return true
	case shapePrefix:
		if p.fold {
			return hasPrefixFold(s, p.lit)
		}
		return strings.HasPrefix(s, p.lit)
	}
	runes := p.hasOne && p.litUTF8 && utf8.ValidString(s)
	return match(p.pieces, s, p.fold, runes)
}

// Literal reports the text the pattern matches when it has no wildcards.
func (p *Pattern) Literal() (string, bool) {
	if p.shape != shapeExact {
		return "", false
	}
	return p.lit, true
}

// MatchesEverything reports whether the pattern is a lone star.
func (p *Pattern) MatchesEverything() bool { return p.shape == shapeAny }

// String returns the pattern with `*` and `?` for its wildcards.
func (p *Pattern) String() string {
	var b strings.Builder
	for _, pc := range p.pieces {
		switch pc.Kind {
		case Literal:
			b.WriteString(pc.Text)
		case Star:
			b.WriteByte('*')
		case One:
			b.WriteByte('?')
		}
	}
	return b.String()
}

// MatchPieces reports whether s matches the pattern made of pieces, without compiling it.
// It allocates nothing, so callers can match patterns assembled per request in a
// stack-allocated slice.
func MatchPieces(pieces []Piece, s string, fold bool) bool {
	runes := false
	for i := range pieces {
		if pieces[i].Kind == One {
			runes = true
			break
		}
	}
	if runes {
		for i := range pieces {
			if pieces[i].Kind == Literal && !utf8.ValidString(pieces[i].Text) {
				runes = false
				break
			}
		}
		runes = runes && utf8.ValidString(s)
	}
	return match(pieces, s, fold, runes)
}
