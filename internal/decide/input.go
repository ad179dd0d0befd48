package decide

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"rolegate/internal/authz"
	"rolegate/internal/policy"
	"rolegate/internal/policy/cond"
)

// Input is one input line.
type Input struct {
	ID       json.RawMessage `json:"id"`
	Policies PolicyInput     `json:"policies"`
	Request  RequestInput    `json:"request"`
}

// PolicyInput holds the policies of a line as raw JSON, so that null (absent) and []
// (present, empty) stay distinct. A policy is a JSON object or a string holding one.
type PolicyInput struct {
	Identity  json.RawMessage `json:"identity"`
	Resource  json.RawMessage `json:"resource"`
	Boundary  json.RawMessage `json:"boundary"`
	Session   json.RawMessage `json:"session"`
	SCP       json.RawMessage `json:"scp"`
	SCPLevels json.RawMessage `json:"scp_levels"`
	RCP       json.RawMessage `json:"rcp"`
}

// RequestInput is the request of a line.
type RequestInput struct {
	PrincipalARN     *string                    `json:"principal_arn"`
	PrincipalAccount *string                    `json:"principal_account"`
	Action           string                     `json:"action"`
	Resource         *string                    `json:"resource"`
	ResourceAccount  string                     `json:"resource_account"`
	Context          map[string]json.RawMessage `json:"context"`
}

func absent(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || bytes.Equal(raw, []byte("null"))
}

// compilePolicy reads one policy: an object, or a string holding one.
func compilePolicy(raw json.RawMessage, name string) (*policy.Compiled, error) {
	text := []byte(bytes.TrimSpace(raw))
	if len(text) > 0 && text[0] == '"' {
		var s string
		if err := json.Unmarshal(text, &s); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		text = []byte(s)
	}
	d, err := policy.Parse(text)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	c, err := policy.Compile(d, name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return c, nil
}

// compileList reads a JSON array of policies named prefix[i].
func compileList(raw json.RawMessage, prefix string) (*policy.Set, error) {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, fmt.Errorf("%s: want an array of policies", prefix)
	}
	cs := make([]*policy.Compiled, 0, len(items))
	for i, it := range items {
		c, err := compilePolicy(it, prefix+"["+strconv.Itoa(i)+"]")
		if err != nil {
			return nil, err
		}
		cs = append(cs, c)
	}
	return policy.NewSet(cs...), nil
}

// policies compiles the policies of a line.
func (in *PolicyInput) policies() (*authz.Policies, error) {
	var p authz.Policies
	var err error
	if !absent(in.Identity) {
		if p.Identity, err = compileList(in.Identity, "identity"); err != nil {
			return nil, err
		}
	}
	if !absent(in.Resource) {
		if p.Resource, err = compilePolicy(in.Resource, "resource"); err != nil {
			return nil, err
		}
	}
	if !absent(in.Boundary) {
		if p.Boundary, err = compilePolicy(in.Boundary, "boundary"); err != nil {
			return nil, err
		}
	}
	if !absent(in.Session) {
		if bytes.HasPrefix(bytes.TrimSpace(in.Session), []byte("[")) {
			p.Session, err = compileList(in.Session, "session")
		} else {
			var c *policy.Compiled
			c, err = compilePolicy(in.Session, "session")
			p.Session = policy.NewSet(c)
		}
		if err != nil {
			return nil, err
		}
	}
	switch {
	case !absent(in.SCP) && !absent(in.SCPLevels):
		return nil, errors.New("policies: give scp or scp_levels, not both")
	case !absent(in.SCP):
		level, err := compileList(in.SCP, "scp")
		if err != nil {
			return nil, err
		}
		p.SCPs = []*policy.Set{level}
	case !absent(in.SCPLevels):
		if p.SCPs, err = compileLevels(in.SCPLevels, "scp_levels"); err != nil {
			return nil, err
		}
	}
	if !absent(in.RCP) {
		level, err := compileList(in.RCP, "rcp")
		if err != nil {
			return nil, err
		}
		p.RCPs = []*policy.Set{level}
	}
	return &p, nil
}

func compileLevels(raw json.RawMessage, prefix string) ([]*policy.Set, error) {
	var levels []json.RawMessage
	if err := json.Unmarshal(raw, &levels); err != nil {
		return nil, fmt.Errorf("%s: want an array of arrays of policies", prefix)
	}
	out := make([]*policy.Set, 0, len(levels))
	for i, l := range levels {
		s, err := compileList(l, prefix+"["+strconv.Itoa(i)+"]")
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// request builds the request of a line. For a role session the role's ARN is the
// context's aws:PrincipalArn.
func (in *RequestInput) request() (*authz.Request, error) {
	if in.Action == "" {
		return nil, errors.New("request.action is required")
	}
	if in.Resource == nil || *in.Resource == "" {
		return nil, errors.New("request.resource is required")
	}
	ctx := &cond.Context{}
	for k, raw := range in.Context {
		if err := setContext(ctx, k, raw); err != nil {
			return nil, err
		}
	}
	var pa, acct string
	if in.PrincipalARN != nil {
		pa = *in.PrincipalARN
	}
	if in.PrincipalAccount != nil {
		acct = *in.PrincipalAccount
	}
	roleARN, _ := ctx.Get("aws:PrincipalArn")
	p, err := authz.ParsePrincipal(pa, acct, roleARN)
	if err != nil {
		return nil, fmt.Errorf("request.principal_arn: %w", err)
	}
	return &authz.Request{Principal: p, Action: in.Action, Resource: *in.Resource, ResourceAccount: in.ResourceAccount, Context: ctx}, nil
}

// setContext stores one context value: a string, number or boolean is single-valued, an
// array is multivalued, null leaves the key absent.
func setContext(ctx *cond.Context, key string, raw json.RawMessage) error {
	if absent(raw) {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return fmt.Errorf("request.context[%q]: %w", key, err)
	}
	if list, ok := v.([]any); ok {
		vals := make([]string, 0, len(list))
		for _, it := range list {
			s, ok := scalar(it)
			if !ok {
				return fmt.Errorf("request.context[%q]: values must be strings, numbers or booleans", key)
			}
			vals = append(vals, s)
		}
		ctx.SetMulti(key, vals)
		return nil
	}
	s, ok := scalar(v)
	if !ok {
		return fmt.Errorf("request.context[%q]: values must be strings, numbers or booleans", key)
	}
	ctx.Set(key, s)
	return nil
}

func scalar(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case json.Number:
		return v.String(), true
	case bool:
		return strconv.FormatBool(v), true
	}
	return "", false
}
