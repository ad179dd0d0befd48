package cond

import (
	"net/netip"
	"slices"
)

// Condition is one compiled operator-key-values triple of a Condition element, such as
// "StringEquals": {"aws:PrincipalTag/team": ["a", "b"]}. The values are OR-ed (NOR for a
// negated operator); the conditions of a statement are AND-ed by the caller. A Condition
// is immutable and safe for concurrent use.
type Condition struct {
	op     Operator
	key    Key
	values []string // as written, for String and explanations

	templates []Template // String, Bool
	arns      []ARNPattern
	numbers   []decimal
	dates     []instant
	prefixes  []netip.Prefix
	nulls     []bool // Null: true means "key absent"
}

// Compile compiles operator applied to key with the policy values. vars says whether the
// policy's language version recognises policy variables (2012-10-17). Values that cannot
// be parsed for the operator's type (a number that is not one, a bad CIDR) never match; IAM
// rejects such documents on write only for dates (see ValidValue). Compile fails only for
// an unknown operator.
func Compile(operator, key string, values []string, vars bool) (Condition, error) {
	op, err := ParseOperator(operator)
	if err != nil {
		return Condition{}, err
	}
	c := Condition{op: op, key: NewKey(key), values: slices.Clone(values)}
	vars = vars && op.AllowsVariables()
	for _, v := range values {
		switch op.fam {
		case famString:
			c.templates = append(c.templates, ParseTemplate(v, vars, op.cmp == cmpLike))
		case famBool:
			c.templates = append(c.templates, ParseTemplate(v, vars, false))
		case famARN:
			c.arns = append(c.arns, CompileARNPattern(v, vars, false))
		case famNumeric:
			if d, ok := parseDecimal(v); ok {
				c.numbers = append(c.numbers, d)
			}
		case famDate:
			if t, ok := parseInstant(v); ok {
				c.dates = append(c.dates, t)
			}
		case famIP:
			if p, ok := parsePrefix(v); ok {
				c.prefixes = append(c.prefixes, p)
			}
		case famNull:
			if b, ok := parseBool(v); ok {
				c.nulls = append(c.nulls, b)
			}
		}
	}
	return c, nil
}

// ValidValue reports whether v is a value IAM accepts for op when a policy is written.
// AWS: only Date literals are checked ("The policy failed legacy parsing").
func ValidValue(op Operator, v string) bool {
	if op.fam == famDate {
		_, ok := parseInstant(v)
		return ok
	}
	return true
}

// Operator returns the condition's operator.
func (c *Condition) Operator() Operator { return c.op }

// Key returns the condition key as written.
func (c *Condition) Key() string { return c.key.name }

// Values returns the policy values as written.
func (c *Condition) Values() []string { return c.values }

// Eval reports whether the condition holds for the request context ctx (nil means empty).
func (c *Condition) Eval(ctx *Context) bool {
	e := ctx.lookup(c.key)
	n := e.count()
	if c.op.fam == famNull {
		return c.evalNull(n > 0)
	}
	switch c.op.set {
	case ForAllValues:
		// Absent key or empty set: vacuously true, with or without IfExists.
		for i := 0; i < n; i++ {
			if !c.one(e.at(i), ctx) {
				return false
			}
		}
		return true
	case ForAnyValue:
		// AWS: absent key or empty set is false, and IfExists does not rescue it
		// (observed; simulators agree).
		for i := 0; i < n; i++ {
			if c.one(e.at(i), ctx) {
				return true
			}
		}
		return false
	}
	switch {
	case n == 0:
		// An empty set counts as absent.
		return c.op.ifExists || c.op.negated
	case n > 1:
		// AWS: a plain operator on a key that carries several values matches nothing,
		// negated or not (observed for positive operators; one simulator for negated).
		return false
	}
	return c.one(e.at(0), ctx)
}

// one applies the operator to a single request value: positive operators need some policy
// value to match, negated ones need none to. A request value of the wrong type (not a
// number, date, IP address or ARN) satisfies neither.
func (c *Condition) one(r string, ctx *Context) bool {
	var matched, typed bool
	switch c.op.fam {
	case famString:
		matched, typed = c.matchString(r, ctx), true
	case famNumeric:
		matched, typed = c.matchNumber(r)
	case famDate:
		matched, typed = c.matchDate(r)
	case famBool:
		matched, typed = c.matchBool(r, ctx)
	case famBinary:
		matched, typed = c.matchBinary(r), true
	case famIP:
		matched, typed = c.matchIP(r)
	case famARN:
		matched, typed = c.matchARN(r, ctx)
	}
	return typed && matched != c.op.negated
}
