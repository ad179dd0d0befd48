package policy

import (
	"slices"
	"strconv"
	"strings"

	"rolegate/internal/glob"
	"rolegate/internal/policy/cond"
)

// Compiled is a policy document compiled for evaluation: action globs split at the
// service prefix, ARN section patterns, principal lists and conditions with parsed values.
// It is immutable and safe for concurrent use; compile once and reuse across requests.
type Compiled struct {
	name  string
	doc   *Document
	stmts []statement
	self  []*Compiled // {c}, so a single policy evaluates through the same index code as a Set
	idx   index
}

type statement struct {
	effect Effect
	label  string // Sid, or the statement's index

	hasPrincipal bool
	notPrincipal bool
	principals   principals

	notAction bool
	actions   []actionPattern

	resourceAbsent bool
	notResource    bool
	resources      []resourcePattern

	conds []cond.Condition
}

// actionPattern is "*" or service-prefix:glob, both compared ignoring ASCII case.
type actionPattern struct {
	all    bool
	never  bool   // no colon: matches no action (IAM rejects it on write)
	svc    string // lower-case literal service prefix, or "" when svcPat applies
	svcPat glob.Pattern
	name   glob.Pattern
}

type resourcePattern struct {
	all   bool // "*"
	isARN bool
	arn   cond.ARNPattern
	whole cond.Template // a pattern that is not an ARN is globbed as one string
}

// Compile compiles d. name identifies the policy in decisions (a managed policy ARN, an
// inline policy name, "identity[0]"). It fails only for a condition operator AWS does not
// define, with IAM's "Syntax errors in policy.".
func Compile(d *Document, name string) (*Compiled, error) {
	c := &Compiled{name: name, doc: d, stmts: make([]statement, len(d.Statement))}
	vars := d.VariablesEnabled()
	for i := range d.Statement {
		if err := c.stmts[i].compile(&d.Statement[i], i, vars); err != nil {
			err.Path = stmtPath(i) + "." + err.Path
			return nil, err
		}
	}
	c.self = []*Compiled{c}
	c.idx = buildIndex(c.self)
	return c, nil
}

// Name returns the name given to Compile.
func (c *Compiled) Name() string { return c.name }

// Document returns the document the policy was compiled from. Callers must not modify it.
func (c *Compiled) Document() *Document { return c.doc }

func (st *statement) compile(s *Statement, i int, vars bool) *Error {
	st.effect = s.Effect
	st.label = s.Sid
	if st.label == "" {
		st.label = strconv.Itoa(i)
	}
	switch {
	case s.Principal != nil:
		st.hasPrincipal, st.principals = true, compilePrincipals(s.Principal)
	case s.NotPrincipal != nil:
		st.hasPrincipal, st.notPrincipal, st.principals = true, true, compilePrincipals(s.NotPrincipal)
	}
	acts := s.Action
	if s.NotAction != nil {
		st.notAction, acts = true, s.NotAction
	}
	for _, a := range acts {
		st.actions = append(st.actions, compileAction(a))
	}
	res := s.Resource
	switch {
	case s.NotResource != nil:
		st.notResource, res = true, s.NotResource
	case s.Resource == nil:
		st.resourceAbsent = true
	}
	for _, r := range res {
		st.resources = append(st.resources, compileResource(r, vars))
	}
	ops := make([]string, 0, len(s.Condition))
	for op := range s.Condition {
		ops = append(ops, op)
	}
	slices.Sort(ops)
	for _, op := range ops {
		keys := s.Condition[op]
		if len(keys) == 0 {
			continue // an operator with no keys constrains nothing, known or not
		}
		names := make([]string, 0, len(keys))
		for k := range keys {
			names = append(names, k)
		}
		slices.Sort(names)
		for _, k := range names {
			c, err := cond.Compile(op, k, keys[k], vars)
			if err != nil {
				return &Error{Code: CodeMalformed, Message: MsgSyntax, Path: "Condition." + op}
			}
			st.conds = append(st.conds, c)
		}
	}
	return nil
}

func compileAction(a string) actionPattern {
	if a == "*" {
		return actionPattern{all: true}
	}
	svc, name, ok := strings.Cut(a, ":")
	if !ok {
		return actionPattern{never: true}
	}
	p := actionPattern{svcPat: glob.Compile(svc, true), name: glob.Compile(name, true)}
	if lit, ok := p.svcPat.Literal(); ok {
		p.svc = strings.ToLower(lit)
	}
	return p
}

func compileResource(r string, vars bool) resourcePattern {
	if r == "*" {
		return resourcePattern{all: true}
	}
	if strings.HasPrefix(r, "arn:") {
		return resourcePattern{isARN: true, arn: cond.CompileARNPattern(r, vars, true)}
	}
	return resourcePattern{whole: cond.ParseTemplate(r, vars, true)}
}

func (p *actionPattern) match(svc, name string) bool {
	switch {
	case p.all:
		return true
	case p.never:
		return false
	case p.svc != "":
		// Both sides are lower case: the request's service is lowered once per request.
		if svc != p.svc {
			return false
		}
	case !p.svcPat.Match(svc):
		return false
	}
	return p.name.Match(name)
}

func (p *resourcePattern) match(r *Request) bool {
	if p.all {
		return true
	}
	if r.Resource == "*" {
		// A wildcard-only action matches only Resource "*".
		return false
	}
	if p.isARN {
		if !r.resIsARN {
			return false
		}
		m, ok := p.arn.Match(&r.res, r.Context)
		return m && ok
	}
	m, ok := p.whole.Match(r.Resource, r.Context)
	return m && ok
}
