package gate

import (
	"encoding/json"

	"rolegate/internal/api/awserr"
	"rolegate/internal/authn"
	"rolegate/internal/authz"
)

// EncodedMessageField is the name of the error field that carries the encoded authorization
// message of a denial (S3 and EC2 render it; sts:DecodeAuthorizationMessage opens it).
const EncodedMessageField = "EncodedAuthorizationMessage"

// decodedMessage is the content of an encoded authorization message, in the shape of AWS's
// DecodeAuthorizationMessage output.
type decodedMessage struct {
	Allowed           bool         `json:"allowed"`
	ExplicitDeny      bool         `json:"explicitDeny"`
	Reason            string       `json:"reason"`
	MatchedStatements itemsOf[any] `json:"matchedStatements"`
	Failures          itemsOf[any] `json:"failures"`
	Context           struct {
		Principal struct {
			ID   string `json:"id"`
			Name string `json:"name"`
			ARN  string `json:"arn"`
		} `json:"principal"`
		Action     string             `json:"action"`
		Resource   string             `json:"resource"`
		Conditions itemsOf[condition] `json:"conditions"`
	} `json:"context"`
}

type itemsOf[T any] struct {
	Items []T `json:"items"`
}

type condition struct {
	Key    string `json:"key"`
	Values itemsOf[struct {
		Value string `json:"value"`
	}] `json:"values"`
}

type statement struct {
	StatementID string `json:"statementId"`
	Effect      string `json:"effect"`
	Policy      string `json:"policy"`
	PolicyType  string `json:"policyType"`
}

// denied builds the AccessDenied error of a refused request. d is nil when the decision could
// not be made (why says what was missing).
func (g *Gate) denied(c *Call, chk *Check, d *authz.Decision, why string) error {
	id := c.Identity
	name := id.ARN
	if id.Kind == authn.Anonymous {
		name = "anonymous"
	}
	var msg string
	switch {
	case id.Kind == authn.WebIdentity:
		msg = "Not authorized to perform " + chk.Action
	case d != nil:
		msg = d.Message()
	default:
		msg = "User: " + name + " is not authorized to perform: " + chk.Action + " on resource: " + chk.Resource +
			" because the request could not be evaluated"
	}
	e := awserr.New(awserr.AccessDenied, msg)
	if g.cfg.Encode == nil {
		return e
	}
	var m decodedMessage
	m.Context.Principal.ID, m.Context.Principal.Name, m.Context.Principal.ARN = id.UserID, id.UserName, name
	m.Context.Action, m.Context.Resource = chk.Action, chk.Resource
	m.Reason = why
	if d != nil {
		m.ExplicitDeny = d.Effect == authz.ExplicitDeny
		m.Reason = d.Clause()
		for _, s := range d.Matched() {
			m.MatchedStatements.Items = append(m.MatchedStatements.Items, statement{StatementID: s.Statement(),
				Effect: string(s.Effect()), Policy: s.PolicyName(), PolicyType: s.Kind.String()})
		}
	}
	for _, k := range chk.Keys {
		cd := condition{Key: k.Name}
		for _, v := range k.Values {
			cd.Values.Items = append(cd.Values.Items, struct {
				Value string `json:"value"`
			}{v})
		}
		m.Context.Conditions.Items = append(m.Context.Conditions.Items, cd)
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return e
	}
	return e.With(EncodedMessageField, g.cfg.Encode(raw))
}
