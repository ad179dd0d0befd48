package s3

import (
	"encoding/json"
	"errors"
	"strings"

	"rolegate/internal/api/awserr"
	"rolegate/internal/policy"
)

// MaxPolicySize is the largest bucket policy S3 accepts, in bytes.
const MaxPolicySize = 20 << 10

// statement is the part of a policy statement that bucket-policy validation looks at.
type statement struct {
	Effect       string
	Principal    json.RawMessage
	NotPrincipal json.RawMessage
	Action       json.RawMessage
	NotAction    json.RawMessage
	Resource     json.RawMessage
	NotResource  json.RawMessage
	Condition    json.RawMessage
}

func malformed(msg string) error { return awserr.New(awserr.MalformedPolicy, msg) }

// statements decodes a policy's Statement, which may be one object or a list.
func statements(doc string) ([]statement, error) {
	var top struct {
		Version   string
		Statement json.RawMessage
	}
	dec := json.NewDecoder(strings.NewReader(doc))
	if err := dec.Decode(&top); err != nil {
		return nil, malformed("Policies must be valid JSON and the first byte must be '{'")
	}
	if top.Version != "" && top.Version != "2012-10-17" && top.Version != "2008-10-17" {
		return nil, malformed("The policy must contain a valid version string")
	}
	raw := strings.TrimSpace(string(top.Statement))
	if raw == "" || raw == "null" {
		return nil, malformed("Missing required field Statement")
	}
	var list []statement
	if raw[0] == '{' {
		var one statement
		if err := json.Unmarshal(top.Statement, &one); err != nil {
			return nil, malformed("Policies must be valid JSON and the first byte must be '{'")
		}
		list = []statement{one}
	} else if err := json.Unmarshal(top.Statement, &list); err != nil {
		return nil, malformed("Policies must be valid JSON and the first byte must be '{'")
	}
	return list, nil
}

// strs decodes a string-or-list element.
func strs(raw json.RawMessage) ([]string, bool) {
	if len(raw) == 0 {
		return nil, true
	}
	var one string
	if err := json.Unmarshal(raw, &one); err == nil {
		return []string{one}, true
	}
	var list []string
	err := json.Unmarshal(raw, &list)
	return list, err == nil
}

// ValidatePolicy checks a bucket policy as S3 does on PutBucketPolicy: the policy language's
// rules for resource-based policies (package policy), then what S3 adds: actions of S3 only and
// resources of this bucket only.
func ValidatePolicy(bucket, doc string) error {
	if len(doc) > MaxPolicySize {
		return malformed("Policies cannot exceed 20 KB")
	}
	if !strings.HasPrefix(strings.TrimLeft(doc, " \t\r\n"), "{") {
		return malformed("Policies must be valid JSON and the first byte must be '{'")
	}
	if _, err := policy.Validate([]byte(doc), policy.Rules{Kind: policy.Resource, MaxSize: MaxPolicySize}); err != nil {
		var pe *policy.Error
		if errors.As(err, &pe) {
			return malformed(pe.Message)
		}
		return malformed("Policies must be valid JSON and the first byte must be '{'")
	}
	list, err := statements(doc)
	if err != nil {
		return err
	}
	bucketARN := "arn:aws:s3:::" + bucket
	for _, st := range list {
		if st.Effect != "Allow" && st.Effect != "Deny" {
			return malformed("Invalid effect: " + st.Effect)
		}
		if len(st.Principal) == 0 && len(st.NotPrincipal) == 0 {
			return malformed("Missing required field Principal")
		}
		actions, ok := strs(st.Action)
		nots, ok2 := strs(st.NotAction)
		if !ok || !ok2 || len(actions)+len(nots) == 0 {
			return malformed("Missing required field Action")
		}
		for _, a := range append(actions, nots...) {
			if a != "*" && !strings.HasPrefix(strings.ToLower(a), "s3:") {
				return malformed("Policy has invalid action")
			}
		}
		res, ok := strs(st.Resource)
		notRes, ok2 := strs(st.NotResource)
		if !ok || !ok2 || len(res)+len(notRes) == 0 {
			return malformed("Missing required field Resource")
		}
		for _, r := range append(res, notRes...) {
			if r != bucketARN && !strings.HasPrefix(r, bucketARN+"/") && !matchesBucket(r, bucketARN) {
				return malformed("Policy has invalid resource")
			}
		}
	}
	return nil
}

// matchesBucket reports whether a resource with wildcards can name the bucket or its objects
// ("arn:aws:s3:::my-*"): S3 accepts those.
func matchesBucket(res, bucketARN string) bool {
	i := strings.IndexAny(res, "*?")
	return i >= 0 && strings.HasPrefix(bucketARN, res[:i])
}

// PolicyIsPublic reports whether a bucket policy grants access to everyone: an Allow statement
// whose principal is "*" (or {"AWS": "*"}) without conditions.
//
// AWS: S3 also treats some conditions (aws:SourceIp with a wide range, for instance) as public;
// a statement with any condition is counted as not public here.
func PolicyIsPublic(doc string) bool {
	list, err := statements(doc)
	if err != nil {
		return false
	}
	for _, st := range list {
		if st.Effect != "Allow" || len(st.Condition) > 0 && string(st.Condition) != "{}" {
			continue
		}
		if everyone(st.Principal) {
			return true
		}
	}
	return false
}

func everyone(raw json.RawMessage) bool {
	if p, ok := strs(raw); ok && len(p) == 1 && p[0] == "*" {
		return true
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return false
	}
	aws, ok := strs(m["AWS"])
	if !ok {
		return false
	}
	for _, a := range aws {
		if a == "*" {
			return true
		}
	}
	return false
}
