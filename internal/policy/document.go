package policy

// Version strings of the IAM policy language.
const (
	// Version2012 is the current language; policy variables exist only in it.
	Version2012 = "2012-10-17"
	// Version2008 is the original language, also in effect when Version is absent.
	Version2008 = "2008-10-17"
)

// Effect is the Effect element of a statement.
type Effect string

// The two effects. They are case-sensitive.
const (
	Allow Effect = "Allow"
	Deny  Effect = "Deny"
)

// Document is an IAM policy document. Absent list elements are nil; present but empty ones
// are non-nil empty slices, so that validation can tell them apart.
type Document struct {
	Version   string // "" when absent
	ID        string // the Id element
	Statement []Statement
}

// Statement is one statement of a policy document.
type Statement struct {
	Sid          string
	Effect       Effect
	Principal    *Principals // nil when absent
	NotPrincipal *Principals // nil when absent
	Action       []string
	NotAction    []string
	Resource     []string
	NotResource  []string
	Condition    Conditions // nil when absent
}

// Principals is the value of a Principal or NotPrincipal element: either "*" (All) or a
// map of principal types to values.
type Principals struct {
	All           bool     // "Principal": "*"
	AWS           []string // account ids, account root ARNs, user/role/session/federated-user ARNs, "*"
	Service       []string // service principals such as lambda.amazonaws.com
	Federated     []string // identity providers (web identity hosts, SAML/OIDC provider ARNs)
	CanonicalUser []string // S3 canonical user ids
}

// Conditions is a Condition element: operator → condition key → values. JSON numbers and
// booleans are kept as their text ("10", "true").
type Conditions map[string]map[string][]string

// VariablesEnabled reports whether policy variables are recognised in the document: only
// with Version 2012-10-17; under 2008-10-17 or without Version ${...} is literal text.
func (d *Document) VariablesEnabled() bool { return d.Version == Version2012 }

// actions returns the values of Action or, when absent, NotAction (a document never has
// both).
func (s *Statement) actions() []string {
	if s.Action != nil {
		return s.Action
	}
	return s.NotAction
}

// resources returns the values of Resource or, when absent, NotResource.
func (s *Statement) resources() []string {
	if s.Resource != nil {
		return s.Resource
	}
	return s.NotResource
}
