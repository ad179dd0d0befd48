package policy

import (
	"errors"
	"strconv"

	"rolegate/internal/glob"
)

// problemKind classifies what is wrong with a document's structure. Each policy kind
// turns it into its service's message (see messages.go).
type problemKind uint8

const (
	probInvalidJSON problemKind = iota + 1
	probNotObject
	probDuplicateKey
	probUnknownField
	probWrongType
	probBadVersion
	probNoStatement
	probEmptyStatement
	probNoEffect
	probBadEffect
	probEffectCase
	probBothAction
	probBothResource
	probBothPrincipal
	probBadCondition
	probUnknownOperator
)

// problem is the first structural fault found in a document.
type problem struct {
	kind   problemKind
	path   string
	detail string // the offending field or value
}

// Parse reads a stored policy document leniently: any language version AWS has used
// (2012-10-17, 2008-10-17 or none), statements as an object or an array, scalars or arrays
// wherever AWS allows them, and no per-kind element rules, size limits or value checks
// (those apply when a document is written; see Validate). It still rejects what cannot be
// given a meaning — bad JSON, unknown elements, wrong types, duplicate keys, an Effect
// other than Allow or Deny — with IAM's error text.
func Parse(text []byte) (*Document, error) {
	d, p := decode(text)
	if p != nil {
		return nil, p.errorFor(Identity)
	}
	return d, nil
}

// decode builds a Document from JSON text, reporting the first structural problem.
func decode(text []byte) (*Document, *problem) {
	root, err := decodeJSON(text)
	if err != nil {
		if errors.Is(err, errDuplicateKey) {
			return nil, &problem{kind: probDuplicateKey}
		}
		return nil, &problem{kind: probInvalidJSON}
	}
	if root.kind != nodeObject {
		return nil, &problem{kind: probNotObject}
	}
	d := &Document{}
	var stmts *node
	for i := range root.members {
		m := &root.members[i]
		switch m.key {
		case "Version":
			if m.val.kind != nodeString {
				return nil, &problem{kind: probWrongType, path: "Version"}
			}
			if m.val.text != Version2012 && m.val.text != Version2008 {
				return nil, &problem{kind: probBadVersion, path: "Version", detail: m.val.text}
			}
			d.Version = m.val.text
		case "Id":
			if m.val.kind != nodeString {
				return nil, &problem{kind: probWrongType, path: "Id"}
			}
			d.ID = m.val.text
		case "Statement":
			stmts = &m.val
		default:
			return nil, &problem{kind: probUnknownField, path: m.key, detail: m.key}
		}
	}
	if stmts == nil {
		return nil, &problem{kind: probNoStatement, path: "Statement"}
	}
	switch stmts.kind {
	case nodeObject:
		s, p := decodeStatement(stmts, "Statement")
		if p != nil {
			return nil, p
		}
		d.Statement = []Statement{s}
	case nodeArray:
		if len(stmts.items) == 0 {
			return nil, &problem{kind: probEmptyStatement, path: "Statement"}
		}
		d.Statement = make([]Statement, 0, len(stmts.items))
		for i := range stmts.items {
			path := "Statement[" + strconv.Itoa(i) + "]"
			if stmts.items[i].kind != nodeObject {
				return nil, &problem{kind: probWrongType, path: path}
			}
			s, p := decodeStatement(&stmts.items[i], path)
			if p != nil {
				return nil, p
			}
			d.Statement = append(d.Statement, s)
		}
	default:
		return nil, &problem{kind: probWrongType, path: "Statement"}
	}
	return d, nil
}

func decodeStatement(n *node, path string) (Statement, *problem) {
	var s Statement
	has := func(k string) bool { _, ok := n.get(k); return ok }
	switch {
	case has("Action") && has("NotAction"):
		return s, &problem{kind: probBothAction, path: path}
	case has("Resource") && has("NotResource"):
		return s, &problem{kind: probBothResource, path: path}
	case has("Principal") && has("NotPrincipal"):
		return s, &problem{kind: probBothPrincipal, path: path}
	}
	effectSeen := false
	for i := range n.members {
		m := &n.members[i]
		at := path + "." + m.key
		var p *problem
		switch m.key {
		case "Sid":
			if m.val.kind != nodeString {
				return s, &problem{kind: probWrongType, path: at}
			}
			s.Sid = m.val.text
		case "Effect":
			effectSeen = true
			s.Effect, p = decodeEffect(&m.val, at)
		case "Principal":
			s.Principal, p = decodePrincipals(&m.val, at)
		case "NotPrincipal":
			s.NotPrincipal, p = decodePrincipals(&m.val, at)
		case "Action":
			s.Action, p = stringList(&m.val, at)
		case "NotAction":
			s.NotAction, p = stringList(&m.val, at)
		case "Resource":
			s.Resource, p = stringList(&m.val, at)
		case "NotResource":
			s.NotResource, p = stringList(&m.val, at)
		case "Condition":
			s.Condition, p = decodeConditions(&m.val, at)
		default:
			return s, &problem{kind: probUnknownField, path: at, detail: m.key}
		}
		if p != nil {
			return s, p
		}
	}
	if !effectSeen {
		return s, &problem{kind: probNoEffect, path: path + ".Effect"}
	}
	return s, nil
}

func decodeEffect(n *node, path string) (Effect, *problem) {
	if n.kind != nodeString {
		return "", &problem{kind: probWrongType, path: path}
	}
	switch n.text {
	case "Allow", "Deny":
		return Effect(n.text), nil
	}
	if glob.EqualFold(n.text, "Allow") || glob.EqualFold(n.text, "Deny") {
		return "", &problem{kind: probEffectCase, path: path, detail: n.text}
	}
	return "", &problem{kind: probBadEffect, path: path, detail: n.text}
}

// stringList reads a string or an array of strings. An empty array stays a non-nil empty
// slice so that validation can report it.
func stringList(n *node, path string) ([]string, *problem) {
	switch n.kind {
	case nodeString:
		return []string{n.text}, nil
	case nodeArray:
		out := make([]string, 0, len(n.items))
		for _, it := range n.items {
			if it.kind != nodeString {
				return nil, &problem{kind: probWrongType, path: path}
			}
			out = append(out, it.text)
		}
		return out, nil
	}
	return nil, &problem{kind: probWrongType, path: path}
}

func decodePrincipals(n *node, path string) (*Principals, *problem) {
	if n.kind == nodeString {
		if n.text != "*" {
			return nil, &problem{kind: probWrongType, path: path, detail: n.text}
		}
		return &Principals{All: true}, nil
	}
	if n.kind != nodeObject {
		return nil, &problem{kind: probWrongType, path: path}
	}
	p := &Principals{}
	for i := range n.members {
		m := &n.members[i]
		vals, prob := stringList(&m.val, path+"."+m.key)
		if prob != nil {
			return nil, prob
		}
		switch m.key {
		case "AWS":
			p.AWS = vals
		case "Service":
			p.Service = vals
		case "Federated":
			p.Federated = vals
		case "CanonicalUser":
			p.CanonicalUser = vals
		default:
			return nil, &problem{kind: probUnknownField, path: path + "." + m.key, detail: m.key}
		}
	}
	return p, nil
}

// decodeConditions reads {operator: {key: value-or-array}}. Values may be strings,
// numbers or booleans.
func decodeConditions(n *node, path string) (Conditions, *problem) {
	if n.kind != nodeObject {
		return nil, &problem{kind: probBadCondition, path: path}
	}
	c := make(Conditions, len(n.members))
	for i := range n.members {
		op := &n.members[i]
		at := path + "." + op.key
		if op.val.kind != nodeObject {
			return nil, &problem{kind: probBadCondition, path: at}
		}
		keys := make(map[string][]string, len(op.val.members))
		for j := range op.val.members {
			k := &op.val.members[j]
			vals, ok := conditionValues(&k.val)
			if !ok {
				return nil, &problem{kind: probBadCondition, path: at + "." + k.key}
			}
			keys[k.key] = vals
		}
		c[op.key] = keys
	}
	return c, nil
}

func conditionValues(n *node) ([]string, bool) {
	switch n.kind {
	case nodeString, nodeNumber, nodeBool:
		return []string{n.text}, true
	case nodeArray:
		out := make([]string, 0, len(n.items))
		for _, it := range n.items {
			switch it.kind {
			case nodeString, nodeNumber, nodeBool:
				out = append(out, it.text)
			default:
				return nil, false
			}
		}
		return out, true
	}
	return nil, false
}
