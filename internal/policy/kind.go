package policy

// Kind is the kind of policy a document is written as; it decides which elements are
// allowed, which messages errors carry and which size limit applies.
type Kind uint8

// Policy kinds.
const (
	Identity Kind = iota + 1 // inline or managed policy of a user, group or role
	Resource                 // resource-based policy: bucket policy, key policy, queue policy...
	Trust                    // role trust policy (AssumeRolePolicyDocument)
	Boundary                 // permissions boundary (a managed policy)
	Session                  // session policy passed to AssumeRole* or GetFederationToken
	SCP                      // service control policy (Organizations)
	RCP                      // resource control policy (Organizations)
)

var kindNames = [...]string{Identity: "identity", Resource: "resource", Trust: "trust", Boundary: "boundary", Session: "session", SCP: "scp", RCP: "rcp"}

// String returns the kind's lower-case name.
func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return "unknown"
}

// ParseKind returns the kind named s ("identity", "trust", ...).
func ParseKind(s string) (Kind, bool) {
	for k, name := range kindNames {
		if name != "" && name == s {
			return Kind(k), true
		}
	}
	return 0, false
}

// isIAM reports whether IAM (or STS) validates documents of the kind.
func (k Kind) isIAM() bool { return k == Identity || k == Boundary || k == Session || k == Trust }

// isOrgs reports whether Organizations validates documents of the kind.
func (k Kind) isOrgs() bool { return k == SCP || k == RCP }
