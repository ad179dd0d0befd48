package cond

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"rolegate/internal/glob"
)

// Template is a compiled policy string: literal text, optionally the wildcards `*` and `?`,
// and optionally policy variables (${aws:username}, ${aws:PrincipalTag/team, 'default'}
// and the escapes ${*}, ${?}, ${$}). A substituted value is always literal text, never a
// wildcard. Templates are immutable and safe for concurrent use.
type Template struct {
	pieces []piece
	text   string // as written
	vars   bool   // some piece is a variable
	wild   bool   // * and ? are wildcards
	static glob.Pattern
}

type pieceKind uint8

const (
	pieceLiteral pieceKind = iota
	pieceStar
	pieceOne
	pieceVar
)

type piece struct {
	kind       pieceKind
	text       string // literal text, or the default of a variable
	key        Key
	hasDefault bool
}

// maxInline is how many pieces a template can resolve to without allocating.
const maxInline = 8

// ParseTemplate compiles s. With vars set (policy language version 2012-10-17) ${...}
// sequences are variables; otherwise they are literal text. With wild set, `*` and `?` are
// wildcards (StringLike, ARN patterns, Resource); otherwise they are literal.
func ParseTemplate(s string, vars, wild bool) Template {
	t := Template{text: s, wild: wild}
	lit := func(text string) {
		if text == "" {
			return
		}
		if n := len(t.pieces); n > 0 && t.pieces[n-1].kind == pieceLiteral {
			t.pieces[n-1].text += text
			return
		}
		t.pieces = append(t.pieces, piece{kind: pieceLiteral, text: text})
	}
	rest := s
	for rest != "" {
		i := strings.IndexAny(rest, "*?$")
		if i < 0 {
			lit(rest)
			break
		}
		lit(rest[:i])
		rest = rest[i:]
		switch c := rest[0]; {
		case c == '$' && vars && strings.HasPrefix(rest, "${"):
			end := strings.IndexByte(rest, '}')
			if end < 0 {
				lit(rest)
				rest = ""
				continue
			}
			if p, ok := parseVariable(rest[2:end]); ok {
				if p.kind == pieceVar {
					t.pieces = append(t.pieces, p)
					t.vars = true
				} else {
					lit(p.text)
				}
			} else {
				lit(rest[:end+1])
			}
			rest = rest[end+1:]
		case c == '*' && wild:
			t.pieces = append(t.pieces, piece{kind: pieceStar})
			rest = rest[1:]
		case c == '?' && wild:
			t.pieces = append(t.pieces, piece{kind: pieceOne})
			rest = rest[1:]
		default:
			lit(rest[:1])
			rest = rest[1:]
		}
	}
	if !t.vars {
		t.static = glob.New(t.globPieces(nil, nil), false)
	}
	return t
}

// parseVariable parses the inside of ${...}: an escape, a key, or a key with a default
// written `key, 'default'`.
func parseVariable(in string) (piece, bool) {
	switch in {
	case "*", "?", "$":
		return piece{kind: pieceLiteral, text: in}, true
	}
	name, def, hasDefault := strings.Cut(in, ",")
	name = strings.TrimSpace(name)
	if name == "" {
		return piece{}, false
	}
	p := piece{kind: pieceVar, key: NewKey(name)}
	if hasDefault {
		def = strings.TrimSpace(def)
		if len(def) < 2 || def[0] != '\'' || def[len(def)-1] != '\'' {
			return piece{}, false
		}
		p.text, p.hasDefault = def[1:len(def)-1], true
	}
	return p, true
}

// String returns the template as written.
func (t *Template) String() string { return t.text }

// HasVariables reports whether the template contains a policy variable.
func (t *Template) HasVariables() bool { return t.vars }

// globPieces appends the template's pieces to buf with variables replaced by their values.
// It reports false when a variable has neither a value nor a default.
func (t *Template) globPieces(buf []glob.Piece, ctx *Context) []glob.Piece {
	ps, _ := t.resolve(buf, ctx)
	return ps
}

func (t *Template) resolve(buf []glob.Piece, ctx *Context) ([]glob.Piece, bool) {
	for i := range t.pieces {
		p := &t.pieces[i]
		switch p.kind {
		case pieceLiteral:
			buf = append(buf, glob.Piece{Kind: glob.Literal, Text: p.text})
		case pieceStar:
			buf = append(buf, glob.Piece{Kind: glob.Star})
		case pieceOne:
			buf = append(buf, glob.Piece{Kind: glob.One})
		case pieceVar:
			v, ok := ctx.variable(p.key)
			if !ok {
				if !p.hasDefault {
					return buf, false
				}
				v = p.text
			}
			buf = append(buf, glob.Piece{Kind: glob.Literal, Text: v})
		}
	}
	return buf, true
}

// Match reports whether s matches the template. resolved is false when a variable has no
// value and no default; matched is then false too, and callers decide what an unresolved
// value means (AWS: it matches nothing in Resource and positive operators, and so makes
// negated operators true).
func (t *Template) Match(s string, ctx *Context) (matched, resolved bool) {
	if !t.vars {
		return t.static.Match(s), true
	}
	var arr [maxInline]glob.Piece
	ps, ok := t.resolve(arr[:0], ctx)
	if !ok {
		return false, false
	}
	if t.wild {
		return glob.MatchPieces(ps, s, false), true
	}
	for _, p := range ps {
		if !strings.HasPrefix(s, p.Text) {
			return false, true
		}
		s = s[len(p.Text):]
	}
	return s == "", true
}

// MatchFold is Match for a template without wildcards, comparing with Unicode simple case
// folding (StringEqualsIgnoreCase): "ß" does not equal "ss".
func (t *Template) MatchFold(s string, ctx *Context) (matched, resolved bool) {
	if !t.vars {
		lit, _ := t.static.Literal()
		return strings.EqualFold(s, lit), true
	}
	var arr [maxInline]glob.Piece
	ps, ok := t.resolve(arr[:0], ctx)
	if !ok {
		return false, false
	}
	for _, p := range ps {
		rest := p.Text
		for rest != "" {
			if s == "" {
				return false, true
			}
			r1, n1 := utf8.DecodeRuneInString(s)
			r2, n2 := utf8.DecodeRuneInString(rest)
			if !runeEqualFold(r1, r2) {
				return false, true
			}
			s, rest = s[n1:], rest[n2:]
		}
	}
	return s == "", true
}

// Resolve returns the text of a template without wildcards (escapes applied), with its variables replaced.
// It allocates only when the template has several pieces and a variable.
func (t *Template) Resolve(ctx *Context) (string, bool) {
	if !t.vars {
		lit, _ := t.static.Literal()
		return lit, true
	}
	if len(t.pieces) == 1 {
		p := &t.pieces[0]
		if v, ok := ctx.variable(p.key); ok {
			return v, true
		}
		return p.text, p.hasDefault
	}
	var arr [maxInline]glob.Piece
	ps, ok := t.resolve(arr[:0], ctx)
	if !ok {
		return "", false
	}
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.Text)
	}
	return b.String(), true
}

// runeEqualFold is the per-rune rule of strings.EqualFold.
func runeEqualFold(a, b rune) bool {
	if a == b {
		return true
	}
	if b < a {
		a, b = b, a
	}
	if b < utf8.RuneSelf {
		return 'A' <= a && a <= 'Z' && b == a+'a'-'A'
	}
	r := unicode.SimpleFold(a)
	for r != a && r < b {
		r = unicode.SimpleFold(r)
	}
	return r == b
}
