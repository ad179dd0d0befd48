package iamapi

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"rolegate/internal/api/awserr"
	"rolegate/internal/api/query"
	"rolegate/internal/gate"
	"rolegate/internal/iam"
)

// This file holds the parameter rules and authorization helpers the operation families share
// beyond the basics in common.go.

// members checks every member of a list of strings against rules and records one violation in
// AWS's form for list members: "Value '[a, b]' at 'field' failed to satisfy constraint: Member must
// satisfy constraint: [Member must …]", naming each broken rule once.
func members(ck *query.Check, field string, vals []string, rules ...func(string) string) {
	var broken []string
	for _, v := range vals {
		for _, rule := range rules {
			if msg := rule(v); msg != "" && !slices.Contains(broken, msg) {
				broken = append(broken, msg)
			}
		}
	}
	if len(broken) > 0 {
		ck.Fail(field, listValue(vals), "must satisfy constraint: [Member "+strings.Join(broken, ", Member ")+"]")
	}
}

// listValue renders a list the way AWS quotes it in validation messages: [a, b].
func listValue(vals []string) string { return "[" + strings.Join(vals, ", ") + "]" }

// lengthRule is a member rule bounding the length in characters.
func lengthRule(min, max int) func(string) string {
	return func(v string) string {
		switch n := utf8.RuneCountInString(v); {
		case n < min:
			return "must have length greater than or equal to " + itoa(min)
		case n > max:
			return "must have length less than or equal to " + itoa(max)
		}
		return ""
	}
}

// charsRule is a member rule restricting characters; pattern is the model's expression.
func charsRule(allowed func(rune) bool, pattern string) func(string) string {
	return func(v string) string {
		for _, r := range v {
			if !allowed(r) {
				return "must satisfy regular expression pattern: " + pattern
			}
		}
		return ""
	}
}

// pageOf returns one page of a list held in memory; its marker is the decimal offset of the next
// item, so markers always advance.
func pageOf[T any](items []T, pg iam.Page) ([]T, string, error) {
	start := 0
	if pg.Marker != "" {
		n, err := strconv.Atoi(pg.Marker)
		if err != nil || n < 0 || n > len(items) {
			return nil, "", awserr.New(awserr.InvalidInput, "Invalid Marker.")
		}
		start = n
	}
	size := pg.MaxItems
	if size <= 0 {
		size = 100
	}
	end := min(start+size, len(items))
	if end < len(items) {
		return items[start:end], strconv.Itoa(end), nil
	}
	return items[start:end], "", nil
}

const policyPathPattern = `((/[A-Za-z0-9\.,\+@=_-]+)*)/`

// validPolicyPath reports whether v matches policyPathType: "/" or "/a/b/" with letters, digits and
// .,+@=_- in each segment.
func validPolicyPath(v string) bool {
	if !strings.HasPrefix(v, "/") || !strings.HasSuffix(v, "/") {
		return false
	}
	if v == "/" {
		return true
	}
	for _, seg := range strings.Split(v[1:len(v)-1], "/") {
		if seg == "" {
			return false
		}
		for _, r := range seg {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(".,+@=_-", r)) {
				return false
			}
		}
	}
	return true
}

// policyPath reads an optional managed-policy path (policyPathType); "" when absent.
func policyPath(ck *query.Check, p query.Params, param, field string) string {
	v, ok := p.Opt(param)
	if !ok {
		return ""
	}
	ck.Len(field, v, 1, 512)
	if !validPolicyPath(v) {
		ck.Fail(field, v, "must satisfy regular expression pattern: "+policyPathPattern)
	}
	return v
}

// policyPathPrefix reads the PathPrefix of the operations that list managed policies, which the
// model types as a policy path; "/" when absent.
func policyPathPrefix(ck *query.Check, p query.Params) string {
	if v := policyPath(ck, p, "PathPrefix", "pathPrefix"); v != "" {
		return v
	}
	return "/"
}

// checkPolicyARN rejects a policy ARN that is not arn:aws:iam::ACCOUNT:policy/PATH/NAME, with the
// error IAM gives before looking anything up.
func checkPolicyARN(policyARN string) error {
	if _, _, _, ok := iam.ParsePolicyARN(policyARN); !ok {
		return awserr.Newf(awserr.InvalidInput, "ARN %s is not valid.", policyARN)
	}
	return nil
}

// foreignAccount returns the account of a resource ARN when it is another 12-digit account than
// the caller's ("" otherwise), for gate.Check.ResourceAccount.
func foreignAccount(c *gate.Call, resourceARN string) string {
	rest, ok := strings.CutPrefix(resourceARN, "arn:aws:iam::")
	if !ok {
		return ""
	}
	acct, _, _ := strings.Cut(rest, ":")
	if len(acct) != 12 || acct == c.Account() {
		return ""
	}
	return acct
}

// boundaryKeyed reports whether AWS supplies iam:PermissionsBoundary (the boundary of the user or
// role acted upon) to an action: the ones that create, change or remove what bounds an entity's
// permissions.
func boundaryKeyed(action string) bool {
	switch action {
	case "iam:CreateUser", "iam:CreateRole",
		"iam:PutUserPermissionsBoundary", "iam:PutRolePermissionsBoundary",
		"iam:DeleteUserPermissionsBoundary", "iam:DeleteRolePermissionsBoundary",
		"iam:AttachUserPolicy", "iam:AttachRolePolicy", "iam:DetachUserPolicy", "iam:DetachRolePolicy",
		"iam:PutUserPolicy", "iam:PutRolePolicy", "iam:DeleteUserPolicy", "iam:DeleteRolePolicy":
		return true
	}
	return false
}

// authorizeTagOnCreate asks, when a create call carries tags, for the matching Tag action on the
// same resource: AWS requires both permissions to create a tagged entity.
func authorizeTagOnCreate(c *gate.Call, chk gate.Check, tagAction string, ts []iam.Tag) error {
	if len(ts) == 0 {
		return nil
	}
	chk.Action = tagAction
	return c.Authorize(chk)
}

// requireTags reads the Tags of a Tag* operation, which must be sent.
func requireTags(ck *query.Check, p query.Params) []iam.Tag {
	ts := tags(ck, p)
	if !p.Has("Tags") && len(ts) == 0 {
		ck.Required(p, "Tags", "tags")
	}
	return ts
}

// authorizeTarget asks for the same action on the ARN an entity will have after a rename or move:
// AWS requires permission on both the source and the target of UpdateUser and UpdateGroup.
func authorizeTarget(c *gate.Call, chk gate.Check, kind, newPath, newName string) error {
	if newPath == "" && newName == "" {
		return nil
	}
	// The current ARN is arn:aws:iam::ACCT:<kind><path><name>.
	cur := strings.TrimPrefix(chk.Resource, "arn:aws:iam::"+c.Account()+":"+kind)
	slash := strings.LastIndexByte(cur, '/')
	curPath, curName := cur[:slash+1], cur[slash+1:]
	if newPath == "" {
		newPath = curPath
	}
	if newName == "" {
		newName = curName
	}
	target := arn(c, kind+newPath+newName)
	if target == chk.Resource {
		return nil
	}
	chk.Resource = target
	return c.Authorize(chk)
}

// enumRule is a member rule restricting values to an enum.
func enumRule(allowed ...string) func(string) string {
	return func(v string) string {
		if slices.Contains(allowed, v) {
			return ""
		}
		return "must satisfy enum value set: [" + strings.Join(allowed, ", ") + "]"
	}
}
