package policy

import (
	"strings"

	"rolegate/internal/arn"
	"rolegate/internal/glob"
)

// trustActions are the actions a role trust policy authorises.
var trustActions = [...]string{"sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity", "sts:TagSession", "sts:SetSourceIdentity", "sts:SetContext"}

// IsTrustAction reports whether action (compared ignoring case) is one that a role's trust
// policy authorises: sts:AssumeRole, sts:AssumeRoleWithSAML, sts:AssumeRoleWithWebIdentity,
// sts:TagSession, sts:SetSourceIdentity or sts:SetContext.
func IsTrustAction(action string) bool {
	for _, t := range trustActions {
		if glob.EqualFold(action, t) {
			return true
		}
	}
	return false
}

// trustElements applies the element rules of a role trust policy: a principal is
// required, NotPrincipal and resources are prohibited.
func (v *validator) trustElements() *Error {
	for i := range v.doc.Statement {
		s := &v.doc.Statement[i]
		at := stmtPath(i)
		switch {
		case s.NotPrincipal != nil && s.Effect == Allow:
			return v.fail(MsgAllowNotPrincipal, at+".NotPrincipal")
		case s.NotPrincipal != nil:
			return v.fail("Has prohibited field NotPrincipal", at+".NotPrincipal")
		case s.Principal == nil:
			return v.fail(MsgTrustNoPrincipal, at+".Principal")
		case s.Principal.empty():
			return v.fail(MsgTrustEmptyPrincipal, at+".Principal")
		case s.Resource != nil:
			return v.fail(MsgTrustResource, at+".Resource")
		case s.NotResource != nil:
			return v.fail(MsgTrustNotResource, at+".NotResource")
		}
	}
	return nil
}

// trustActionsAndPrincipals requires STS assume-family actions and well-formed principals.
func (v *validator) trustActionsAndPrincipals() *Error {
	for i := range v.doc.Statement {
		s := &v.doc.Statement[i]
		if s.NotAction != nil {
			return v.fail(MsgTrustActions, stmtPath(i)+".NotAction")
		}
		for _, a := range s.Action {
			if !isTrustAction(a) {
				return v.fail(MsgTrustActions, stmtPath(i)+".Action")
			}
		}
		if typ, val := principalProblem(s.Principal, false); typ != "" {
			e := InvalidPrincipal(typ, val)
			e.Path = stmtPath(i) + ".Principal"
			return e
		}
	}
	return nil
}

// isTrustAction reports whether pattern names only STS actions and covers at least one
// action a trust policy can grant.
func isTrustAction(pattern string) bool {
	vendor, name, ok := strings.Cut(pattern, ":")
	if !ok || !strings.EqualFold(vendor, "sts") {
		return false
	}
	g := glob.Compile(name, true)
	for _, t := range trustActions {
		if g.Match(strings.TrimPrefix(t, "sts:")) {
			return true
		}
	}
	return false
}

func (p *Principals) empty() bool {
	return !p.All && len(p.AWS) == 0 && len(p.Service) == 0 && len(p.Federated) == 0 && len(p.CanonicalUser) == 0
}

// resourcePolicy applies S3-style resource-policy rules (MalformedPolicy): a principal
// and actions are required; actions, resources and principals must be well formed.
func (v *validator) resourcePolicy() *Error {
	if e := v.operators("Policy has an invalid condition key"); e != nil {
		return e
	}
	if e := v.uniqueSids(); e != nil {
		return e
	}
	for i := range v.doc.Statement {
		s := &v.doc.Statement[i]
		at := stmtPath(i)
		p := s.Principal
		if p == nil {
			p = s.NotPrincipal
		}
		if p == nil || p.empty() {
			return v.fail(MsgTrustNoPrincipal, at+".Principal")
		}
		if typ, _ := principalProblem(p, true); typ != "" {
			return v.fail(MsgS3InvalidPrincipal, at+".Principal")
		}
		if len(s.Action) == 0 && len(s.NotAction) == 0 {
			return v.fail(MsgS3NoAction, at+".Action")
		}
		for _, a := range s.actions() {
			if actionFormat(a) != "" {
				return v.fail(MsgS3InvalidAction, at+".Action")
			}
		}
		for _, r := range s.resources() {
			if r != "*" && !validResourcePattern(r) {
				return v.fail(MsgS3InvalidResource, at+".Resource")
			}
		}
	}
	return nil
}

// validResourcePattern accepts an ARN with six sections or one that a trailing star
// lets expand to six.
func validResourcePattern(r string) bool {
	if !strings.HasPrefix(r, "arn:") {
		return false
	}
	if strings.Count(r, ":") >= 5 {
		_, ok := arn.Split(r)
		return ok
	}
	return strings.HasSuffix(r, "*")
}

// orgs applies the SCP and RCP rules. Organizations answers every violation with one
// message.
func (v *validator) orgs() *Error {
	if v.doc.Version != Version2012 {
		return v.fail(MsgOrgs, "Version")
	}
	if e := v.operators(MsgOrgs); e != nil {
		return e
	}
	if e := v.legacy(); e != nil {
		return e
	}
	if e := v.uniqueSids(); e != nil {
		return e
	}
	if e := v.actionsPresent(MsgOrgs); e != nil {
		return e
	}
	if e := v.actionFormats(); e != nil {
		return e
	}
	for i := range v.doc.Statement {
		s := &v.doc.Statement[i]
		at := stmtPath(i)
		if s.NotPrincipal != nil {
			return v.fail(MsgOrgs, at+".NotPrincipal")
		}
		if v.rules.Kind == SCP {
			if s.Principal != nil {
				return v.fail(MsgOrgs, at+".Principal")
			}
			continue
		}
		// RCP: Principal "*" only, no NotAction, Deny only except the AWS-managed
		// RCPFullAWSAccess statement (Allow * on * to *).
		if s.Principal == nil || !s.Principal.isEveryone() || s.NotAction != nil {
			return v.fail(MsgOrgs, at)
		}
		if s.Effect == Allow && !isFullAccess(s) {
			return v.fail(MsgOrgs, at+".Effect")
		}
	}
	return nil
}

// isEveryone reports "*" or {"AWS": "*"}.
func (p *Principals) isEveryone() bool {
	if p.All {
		return true
	}
	return len(p.AWS) == 1 && p.AWS[0] == "*" && len(p.Service) == 0 && len(p.Federated) == 0 && len(p.CanonicalUser) == 0
}

func isFullAccess(s *Statement) bool {
	return len(s.Action) == 1 && s.Action[0] == "*" && len(s.Resource) == 1 && s.Resource[0] == "*" && len(s.Condition) == 0
}

// NamedPrincipal is one value of a Principal or NotPrincipal element.
type NamedPrincipal struct {
	Type  string // "AWS", "Service", "Federated" or "CanonicalUser"
	Value string
}

// NamedPrincipals lists the principals the document names (not "*"), in document order,
// so that a caller with a store can check that users and roles exist and answer
// InvalidPrincipal otherwise.
func (d *Document) NamedPrincipals() []NamedPrincipal {
	var out []NamedPrincipal
	add := func(p *Principals) {
		if p == nil {
			return
		}
		for _, l := range []struct {
			typ string
			v   []string
		}{{"AWS", p.AWS}, {"Service", p.Service}, {"Federated", p.Federated}, {"CanonicalUser", p.CanonicalUser}} {
			for _, v := range l.v {
				if v != "*" {
					out = append(out, NamedPrincipal{Type: l.typ, Value: v})
				}
			}
		}
	}
	for i := range d.Statement {
		add(d.Statement[i].Principal)
		add(d.Statement[i].NotPrincipal)
	}
	return out
}
