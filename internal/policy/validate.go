package policy

import (
	"strconv"
	"unicode/utf8"

	"rolegate/internal/policy/cond"
)

// Rules says which write-time rules Validate applies.
type Rules struct {
	Kind Kind
	// Managed applies the rules of a customer managed policy (IAM CreatePolicy and
	// CreatePolicyVersion): language version 2012-10-17 and the 6,144-character quota.
	// Boundary documents are managed policies and always get these rules.
	Managed bool
	// MaxSize replaces the kind's default size limit when positive: a trust policy quota
	// raised to 4,096, or a service's resource-policy limit in bytes (S3: 20,480). Inline identity policies have
	// no per-document limit here: IAM limits their aggregate per user, group or role, which
	// the caller enforces with Size.
	MaxSize int
}

// Size limits, in characters (IAM counts characters other than whitespace).
const (
	ManagedPolicyMaxSize = 6144
	TrustPolicyMaxSize   = 2048
	SessionPolicyMaxSize = 2048
	OrgsPolicyMaxSize    = 5120
)

// Validate parses a document that is being written and applies AWS's rules for its kind:
// allowed elements, language version, Sid uniqueness, action and resource formats,
// principal formats, date literals and size. The first violation is returned as an *Error
// whose Message is the text AWS returns (test with errors.As). Principal existence is not
// checked here: use NamedPrincipals and report missing ones with InvalidPrincipal.
func Validate(text []byte, r Rules) (*Document, error) {
	if r.Kind == 0 {
		r.Kind = Identity
	}
	if r.Kind == Boundary {
		r.Managed = true
	}
	if e := checkEarly(text, r); e != nil {
		return nil, e
	}
	d, p := decode(text)
	if p != nil {
		return nil, p.errorFor(r.Kind)
	}
	v := validator{doc: d, rules: r}
	var e *Error
	switch {
	case r.Kind.isOrgs():
		e = v.orgs()
	case r.Kind == Resource:
		e = v.resourcePolicy()
	default:
		e = v.iam()
	}
	if e == nil {
		e = checkSize(text, r)
	}
	if e != nil {
		return nil, e
	}
	return d, nil
}

// checkEarly applies the API parameter constraints that AWS checks before it reads the
// document: IAM's character set, STS's session policy length, Organizations' size.
func checkEarly(text []byte, r Rules) *Error {
	if r.Kind.isIAM() {
		for _, c := range string(text) {
			if c != '\t' && c != '\n' && c != '\r' && (c < 0x20 || c > 0xFF) {
				return &Error{Code: CodeValidation, Message: "1 validation error detected: Value at '" + paramName(r.Kind) + "' failed to satisfy constraint: " + MsgCharset}
			}
		}
	}
	switch r.Kind {
	case Session:
		if n := limit(r, SessionPolicyMaxSize); utf8.RuneCount(text) > n {
			return &Error{Code: CodeValidation, Message: "1 validation error detected: Value at 'policy' failed to satisfy constraint: Member must have length less than or equal to " + strconv.Itoa(n)}
		}
	case SCP, RCP:
		if n := limit(r, OrgsPolicyMaxSize); utf8.RuneCount(text) > n {
			return &Error{Code: CodeConstraintOrgs, Message: MsgOrgsTooLarge}
		}
	}
	return nil
}

// checkSize applies IAM's quotas, which count characters other than whitespace.
func checkSize(text []byte, r Rules) *Error {
	var n int
	var quota string
	switch {
	case r.Kind == Trust:
		n, quota = limit(r, TrustPolicyMaxSize), "ACLSizePerRole"
	case r.Managed:
		n, quota = limit(r, ManagedPolicyMaxSize), "PolicySize"
	case r.Kind == Resource && r.MaxSize > 0:
		// S3 counts bytes, whitespace included (20 KB for bucket policies).
		if len(text) > r.MaxSize {
			return &Error{Code: CodePolicyTooLarge, Message: MsgPolicyTooLarge}
		}
		return nil
	default:
		return nil
	}
	if Size(text) > n {
		return &Error{Code: CodeLimitExceeded, Message: "Cannot exceed quota for " + quota + ": " + strconv.Itoa(n)}
	}
	return nil
}

func limit(r Rules, def int) int {
	if r.MaxSize > 0 {
		return r.MaxSize
	}
	return def
}

func paramName(k Kind) string {
	switch k {
	case Trust:
		return "assumeRolePolicyDocument"
	case Session:
		return "policy"
	}
	return "policyDocument"
}

// Size returns IAM's size of a policy document: its characters other than whitespace.
// IAM compares it with the managed-policy quota and with the per-user, per-group and
// per-role aggregate quotas of inline policies.
func Size(text []byte) int {
	n := 0
	for _, c := range string(text) {
		switch c {
		case ' ', '\t', '\n', '\r':
		default:
			n++
		}
	}
	return n
}

// RequireCurrentVersion returns IAM's error for a managed policy whose Version is not
// 2012-10-17 (Validate applies it with Rules.Managed).
func RequireCurrentVersion(d *Document) error {
	if d.Version != Version2012 {
		return &Error{Code: CodeMalformed, Message: MsgVersion, Path: "Version"}
	}
	return nil
}

// validator applies the per-kind rules to a structurally sound document.
type validator struct {
	doc   *Document
	rules Rules
}

func (v *validator) fail(msg, path string) *Error {
	code := CodeMalformed
	switch {
	case v.rules.Kind.isOrgs():
		code, msg = CodeMalformedOrgs, MsgOrgs
	case v.rules.Kind == Resource:
		code = CodeMalformedS3
	}
	return &Error{Code: code, Message: msg, Path: path}
}

func stmtPath(i int) string { return "Statement[" + strconv.Itoa(i) + "]" }

// iam applies IAM's checks in the order IAM reports them: syntax (operators, element
// rules of the kind), version, legacy parsing (Effect case, dates, short ARNs), Sid
// uniqueness, presence of actions and resources, resource formats, action prefixes.
func (v *validator) iam() *Error {
	if e := v.operators(MsgSyntax); e != nil {
		return e
	}
	if v.rules.Kind == Trust {
		if e := v.trustElements(); e != nil {
			return e
		}
	} else if e := v.noPrincipals(MsgNoPrincipalAllowed); e != nil {
		return e
	}
	if v.rules.Managed && v.doc.Version != Version2012 {
		return v.fail(MsgVersion, "Version")
	}
	if e := v.legacy(); e != nil {
		return e
	}
	if e := v.alphanumericSids(); e != nil {
		return e
	}
	if e := v.uniqueSids(); e != nil {
		return e
	}
	if e := v.actionsPresent(MsgNoActions); e != nil {
		return e
	}
	if v.rules.Kind != Trust {
		if e := v.resourcesPresent(); e != nil {
			return e
		}
		if e := v.resourceFormats(); e != nil {
			return e
		}
	}
	if e := v.actionFormats(); e != nil {
		return e
	}
	if e := v.conditionKeys(); e != nil {
		return e
	}
	if v.rules.Kind == Trust {
		return v.trustActionsAndPrincipals()
	}
	return nil
}

// operators rejects unknown condition operators that have keys (IAM accepts an unknown
// operator mapped to an empty object).
func (v *validator) operators(msg string) *Error {
	for i := range v.doc.Statement {
		for op, keys := range v.doc.Statement[i].Condition {
			if _, err := cond.ParseOperator(op); err != nil && len(keys) > 0 {
				return v.fail(msg, stmtPath(i)+".Condition."+op)
			}
		}
	}
	return nil
}

func (v *validator) noPrincipals(msg string) *Error {
	for i := range v.doc.Statement {
		if s := &v.doc.Statement[i]; s.Principal != nil || s.NotPrincipal != nil {
			return v.fail(msg, stmtPath(i)+".Principal")
		}
	}
	return nil
}

// legacy is IAM's "legacy parsing" stage: Date literals and ARNs too short to split.
func (v *validator) legacy() *Error {
	for i := range v.doc.Statement {
		s := &v.doc.Statement[i]
		for op, keys := range s.Condition {
			o, err := cond.ParseOperator(op)
			if err != nil {
				continue
			}
			for _, vals := range keys {
				for _, val := range vals {
					if !cond.ValidValue(o, val) {
						return v.fail(MsgLegacy, stmtPath(i)+".Condition."+op)
					}
				}
			}
		}
		for _, r := range s.resources() {
			if legacyBadResource(r) {
				return v.fail(MsgLegacy, stmtPath(i)+".Resource")
			}
		}
	}
	return nil
}

// alphanumericSids applies IAM's Sid character rule; other services allow more.
func (v *validator) alphanumericSids() *Error {
	for i := range v.doc.Statement {
		for _, c := range []byte(v.doc.Statement[i].Sid) {
			if !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z') {
				return v.fail(MsgSidCharset, stmtPath(i)+".Sid")
			}
		}
	}
	return nil
}

func (v *validator) uniqueSids() *Error {
	seen := map[string]bool{}
	for i := range v.doc.Statement {
		sid := v.doc.Statement[i].Sid
		if sid == "" {
			continue
		}
		if seen[sid] {
			return v.fail(MsgDuplicateSid, stmtPath(i)+".Sid")
		}
		seen[sid] = true
	}
	return nil
}

func (v *validator) actionsPresent(msg string) *Error {
	for i := range v.doc.Statement {
		if s := &v.doc.Statement[i]; len(s.Action) == 0 && len(s.NotAction) == 0 {
			return v.fail(msg, stmtPath(i)+".Action")
		}
	}
	return nil
}

func (v *validator) resourcesPresent() *Error {
	for i := range v.doc.Statement {
		if s := &v.doc.Statement[i]; len(s.Resource) == 0 && len(s.NotResource) == 0 {
			return v.fail(MsgNoResources, stmtPath(i)+".Resource")
		}
	}
	return nil
}
