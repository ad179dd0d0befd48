package cond

import (
	"errors"
	"strings"
)

// ErrUnknownOperator is returned (wrapped) by ParseOperator and Compile for an operator
// name AWS does not define.
var ErrUnknownOperator = errors.New("cond: unknown condition operator")

type family uint8

const (
	famString family = iota + 1
	famNumeric
	famDate
	famBool
	famBinary
	famIP
	famARN
	famNull
)

// comparison selects the test within a family.
type comparison uint8

const (
	cmpEquals comparison = iota
	cmpLike
	cmpEqualsFold
	cmpLess
	cmpLessEquals
	cmpGreater
	cmpGreaterEquals
)

// Qualifier is a set qualifier prefix of an operator.
type Qualifier uint8

const (
	// Single is an operator without a set qualifier.
	Single Qualifier = iota
	// ForAllValues requires every request value to satisfy the operator.
	ForAllValues
	// ForAnyValue requires some request value to satisfy the operator.
	ForAnyValue
)

// Operator is a parsed condition operator name such as ForAnyValue:StringLikeIfExists.
type Operator struct {
	name     string
	fam      family
	cmp      comparison
	negated  bool
	ifExists bool
	set      Qualifier
}

// ParseOperator parses an operator name. Names are case-sensitive: AWS writes them in
// CamelCase and documents no other spelling. Null takes neither IfExists nor a qualifier.
func ParseOperator(name string) (Operator, error) {
	op := Operator{name: name}
	base := name
	if rest, ok := strings.CutPrefix(base, "ForAllValues:"); ok {
		op.set, base = ForAllValues, rest
	} else if rest, ok := strings.CutPrefix(base, "ForAnyValue:"); ok {
		op.set, base = ForAnyValue, rest
	}
	if rest, ok := strings.CutSuffix(base, "IfExists"); ok {
		op.ifExists, base = true, rest
	}
	if !op.setBase(base) || (op.fam == famNull && (op.ifExists || op.set != Single)) {
		return Operator{}, &unknownOperatorError{name}
	}
	return op, nil
}

type unknownOperatorError struct{ name string }

// Error names the operator.
func (e *unknownOperatorError) Error() string { return ErrUnknownOperator.Error() + " " + e.name }

// Unwrap returns ErrUnknownOperator.
func (e *unknownOperatorError) Unwrap() error { return ErrUnknownOperator }

func (op *Operator) setBase(base string) bool {
	type row struct {
		fam     family
		cmp     comparison
		negated bool
	}
	var r row
	switch base {
	case "StringEquals":
		r = row{famString, cmpEquals, false}
	case "StringNotEquals":
		r = row{famString, cmpEquals, true}
	case "StringEqualsIgnoreCase":
		r = row{famString, cmpEqualsFold, false}
	case "StringNotEqualsIgnoreCase":
		r = row{famString, cmpEqualsFold, true}
	case "StringLike":
		r = row{famString, cmpLike, false}
	case "StringNotLike":
		r = row{famString, cmpLike, true}
	case "NumericEquals":
		r = row{famNumeric, cmpEquals, false}
	case "NumericNotEquals":
		r = row{famNumeric, cmpEquals, true}
	case "NumericLessThan":
		r = row{famNumeric, cmpLess, false}
	case "NumericLessThanEquals":
		r = row{famNumeric, cmpLessEquals, false}
	case "NumericGreaterThan":
		r = row{famNumeric, cmpGreater, false}
	case "NumericGreaterThanEquals":
		r = row{famNumeric, cmpGreaterEquals, false}
	case "DateEquals":
		r = row{famDate, cmpEquals, false}
	case "DateNotEquals":
		r = row{famDate, cmpEquals, true}
	case "DateLessThan":
		r = row{famDate, cmpLess, false}
	case "DateLessThanEquals":
		r = row{famDate, cmpLessEquals, false}
	case "DateGreaterThan":
		r = row{famDate, cmpGreater, false}
	case "DateGreaterThanEquals":
		r = row{famDate, cmpGreaterEquals, false}
	case "Bool":
		r = row{famBool, cmpEquals, false}
	case "BinaryEquals":
		r = row{famBinary, cmpEquals, false}
	case "IpAddress":
		r = row{famIP, cmpEquals, false}
	case "NotIpAddress":
		r = row{famIP, cmpEquals, true}
	case "ArnEquals", "ArnLike":
		r = row{famARN, cmpLike, false}
	case "ArnNotEquals", "ArnNotLike":
		r = row{famARN, cmpLike, true}
	case "Null":
		r = row{famNull, cmpEquals, false}
	default:
		return false
	}
	op.fam, op.cmp, op.negated = r.fam, r.cmp, r.negated
	return true
}

// String returns the operator name as written.
func (op Operator) String() string { return op.name }

// Negated reports whether the operator is a negated one (StringNotEquals, NotIpAddress, ...).
func (op Operator) Negated() bool { return op.negated }

// IfExists reports whether the operator has the IfExists suffix.
func (op Operator) IfExists() bool { return op.ifExists }

// Qualifier returns the operator's set qualifier.
func (op Operator) Qualifier() Qualifier { return op.set }

// IsDate reports whether the operator belongs to the Date family, whose literals IAM
// checks when a policy is written.
func (op Operator) IsDate() bool { return op.fam == famDate }

// AllowsVariables reports whether policy variables are substituted in the operator's
// values: String, ARN and (AWS: documented on the operators page, contradicted on the
// variables page; accepted here) Bool operators.
func (op Operator) AllowsVariables() bool {
	return op.fam == famString || op.fam == famARN || op.fam == famBool
}
