package policy

import (
	"strings"

	"rolegate/internal/arn"
)

// iamResourceTypes are the resource types IAM accepts after the account in an IAM ARN.
var iamResourceTypes = [...]string{"user/", "federated-user/", "role/", "group/", "instance-profile/", "mfa/", "server-certificate/", "policy/", "sms-mfa/", "saml-provider/", "oidc-provider/", "report/", "access-report/"}

// legacyBadResource reports an ARN IAM's legacy parser cannot split: fewer than five
// colons together with an empty section ("arn:aws:s3::bucket"), or an empty service.
func legacyBadResource(r string) bool {
	if r == "*" {
		return false
	}
	if strings.Count(r, ":") < 5 && strings.Contains(r, "::") {
		return true
	}
	parts := strings.SplitN(r, ":", 4)
	return len(parts) >= 3 && parts[2] == ""
}

// resourceFormat returns IAM's message for a malformed Resource value, or "".
func resourceFormat(r string) string {
	if r == "*" {
		return ""
	}
	_, rest, ok := strings.Cut(r, ":")
	if !ok {
		return `Resource ` + r + ` must be in ARN format or "*".`
	}
	partition, rest, hasService := strings.Cut(rest, ":")
	if !arn.IsPartition(partition) {
		secs := strings.SplitN(rest, ":", 4)
		for len(secs) < 4 {
			secs = append(secs, "*")
		}
		if secs[0] == "" && !hasService {
			secs[0] = "*"
		}
		return `Partition "` + partition + `" is not valid for resource "arn:` + partition + ":" + strings.Join(secs, ":") + `".`
	}
	if !hasService {
		return MsgResourceVendor
	}
	service, rest, _ := strings.Cut(rest, ":")
	if strings.ContainsAny(service, "*?") {
		return MsgResourceVendor
	}
	region, rest, _ := strings.Cut(rest, ":")
	switch service {
	case "iam":
		if region != "" {
			return "IAM resource " + r + " cannot contain region information."
		}
		_, res, _ := strings.Cut(rest, ":")
		if res != "*" && !hasAnyPrefix(res, iamResourceTypes[:]) {
			return `IAM resource path must either be "*" or start with ` + strings.Join(iamResourceTypes[:], ", ") + "."
		}
	case "s3":
		if region != "" {
			return "Resource " + r + " can not contain region information."
		}
	}
	return ""
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// actionFormat returns IAM's message for a malformed action, or "".
func actionFormat(a string) string {
	if a == "*" {
		return ""
	}
	vendor, rest, ok := strings.Cut(a, ":")
	if !ok {
		return MsgActionVendor
	}
	if strings.Contains(rest, ":") {
		return MsgActionColons
	}
	if vendor != "*" && !validVendor(vendor) {
		return "Vendor " + vendor + " is not valid"
	}
	return ""
}

func validVendor(v string) bool {
	if v == "" {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

func (v *validator) resourceFormats() *Error {
	for i := range v.doc.Statement {
		s := &v.doc.Statement[i]
		for _, r := range s.resources() {
			if msg := resourceFormat(r); msg != "" {
				return v.fail(msg, stmtPath(i)+".Resource")
			}
		}
	}
	return nil
}

func (v *validator) actionFormats() *Error {
	for i := range v.doc.Statement {
		s := &v.doc.Statement[i]
		for _, a := range s.actions() {
			if msg := actionFormat(a); msg != "" {
				return v.fail(msg, stmtPath(i)+".Action")
			}
		}
	}
	return nil
}

// conditionKeys requires a vendor prefix on condition keys ("aws:", "s3:", "saml:"), the
// rule IAM states together with the action rule.
func (v *validator) conditionKeys() *Error {
	for i := range v.doc.Statement {
		for op, keys := range v.doc.Statement[i].Condition {
			for k := range keys {
				if !strings.Contains(k, ":") {
					return v.fail(MsgActionVendor, stmtPath(i)+".Condition."+op+"."+k)
				}
			}
		}
	}
	return nil
}

// principalProblem returns the principal type and value of the first malformed entry of
// p, or "" when all are well formed. canonical says whether CanonicalUser is allowed.
func principalProblem(p *Principals, canonical bool) (string, string) {
	if p.All {
		return "", ""
	}
	for _, a := range p.AWS {
		if !validAWSPrincipal(a) {
			return "AWS", a
		}
	}
	for _, s := range p.Service {
		if s == "" || strings.ContainsAny(s, "*?") || !strings.Contains(s, ".") {
			return "Service", s
		}
	}
	for _, f := range p.Federated {
		if f == "" || strings.ContainsAny(f, "*?") {
			return "Federated", f
		}
	}
	for _, c := range p.CanonicalUser {
		if !canonical || c == "" || strings.ContainsAny(c, "*?") {
			return "CanonicalUser", c
		}
	}
	return "", ""
}

// validAWSPrincipal accepts "*", an account id, an account root, user, role,
// assumed-role or federated-user ARN, or a unique id (AIDA..., AROA...) as IAM stores a
// principal whose entity was deleted. No partial wildcards.
func validAWSPrincipal(s string) bool {
	if s == "*" || arn.IsAccountID(s) || isUniqueID(s) {
		return true
	}
	if strings.ContainsAny(s, "*?") {
		return false
	}
	a, ok := arn.Split(s)
	if !ok || !arn.IsAccountID(a.Account) || a.Region != "" {
		return false
	}
	switch a.Service {
	case "iam":
		return a.Resource == "root" || strings.HasPrefix(a.Resource, "user/") || strings.HasPrefix(a.Resource, "role/")
	case "sts":
		if name, ok := strings.CutPrefix(a.Resource, "assumed-role/"); ok {
			role, session, ok := strings.Cut(name, "/")
			return ok && role != "" && session != "" && !strings.Contains(session, "/")
		}
		name, ok := strings.CutPrefix(a.Resource, "federated-user/")
		return ok && name != ""
	}
	return false
}

func isUniqueID(s string) bool {
	if len(s) < 16 || len(s) > 128 {
		return false
	}
	switch s[:4] {
	case "AIDA", "AROA":
	default:
		return false
	}
	for i := 4; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}
