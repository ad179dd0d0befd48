// Package sts is the STS domain: it turns an authorized request for temporary credentials into a
// sealed session (package token) with AWS's rules for durations, role chaining, session policies,
// session tags and their transitivity, source identity and MFA. Authorization itself (trust
// policies, identity policies) happens at the gate before these functions run.
package sts

import (
	"errors"
	"io"
	"math"
	"strings"
	"time"
	"unicode"

	"rolegate/internal/api/awserr"
	"rolegate/internal/iam"
	"rolegate/internal/token"
)

// Duration limits.
const (
	MinDuration      = 900 * time.Second
	DefaultDuration  = time.Hour
	ChainingMax      = time.Hour
	MaxTokenDuration = 129600 * time.Second // GetSessionToken and GetFederationToken
	RootTokenMax     = time.Hour
	DefaultFedOrUser = 43200 * time.Second
	maxSessionTags   = 50
	packedPlaintext  = 2048
)

// Config holds the service's dependencies.
type Config struct {
	// Ring returns the current session-token key ring.
	Ring func() *token.KeyRing
	Rand io.Reader
}

// Service issues temporary credentials. It is safe for concurrent use.
type Service struct {
	cfg Config
}

// New returns the STS service.
func New(cfg Config) *Service { return &Service{cfg: cfg} }

// RoleSessionRequest describes a role session to issue.
type RoleSessionRequest struct {
	Role              *iam.Role
	Name              string
	Duration          time.Duration // 0 means the default, one hour
	Policy            string        // inline session policy, already validated
	PolicyARNs        []string
	Tags              []token.Tag
	TransitiveTagKeys []string
	SourceIdentity    string
	MFA               bool // MFA was presented with this request
	// Parent is the caller's session when the caller used temporary credentials (role chaining).
	Parent            *token.Session
	Provider          string // web identity provider ARN
	SourceInstanceARN string
	Now               time.Time
}

// Issued is a sealed session and what the response reports about it.
type Issued struct {
	Credentials token.Credentials
	Session     token.Session
	// PackedPolicySize is the percentage of the packed-policy allowance used, when a session
	// policy or tags were passed, else -1.
	PackedPolicySize int
}

// AssumedRoleARN returns arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION (the role's path is dropped).
func AssumedRoleARN(role *iam.Role, session string) string {
	return "arn:aws:sts::" + role.Account + ":assumed-role/" + role.Name + "/" + session
}

// IssueRoleSession seals a role session after applying AWS's rules.
func (s *Service) IssueRoleSession(r RoleSessionRequest) (*Issued, error) {
	d := r.Duration
	if d == 0 {
		d = DefaultDuration
	}
	if d > time.Duration(r.Role.MaxSessionDuration)*time.Second {
		return nil, awserr.New(awserr.ValidationError, "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
	}
	if r.Parent != nil && d > ChainingMax {
		return nil, awserr.New(awserr.ValidationError, "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
	}
	tags, transitive, err := mergeTags(r.Parent, r.Tags, r.TransitiveTagKeys)
	if err != nil {
		return nil, err
	}
	sourceIdentity := r.SourceIdentity
	if r.Parent != nil && r.Parent.SourceIdentity != "" {
		if sourceIdentity != "" && sourceIdentity != r.Parent.SourceIdentity {
			return nil, awserr.New(awserr.AccessDenied, "The source identity of a role session cannot be changed: it is inherited from the session that assumed the role.")
		}
		sourceIdentity = r.Parent.SourceIdentity
	}
	now := r.Now.UTC().Truncate(time.Second)
	sess := token.Session{
		Kind: token.KindAssumedRole, Account: r.Role.Account, ARN: AssumedRoleARN(r.Role, r.Name),
		RoleARN: r.Role.ARN(), RoleID: r.Role.ID, Name: r.Name, Issued: now, Expires: now.Add(d),
		Policy: r.Policy, PolicyARNs: r.PolicyARNs, Tags: tags, TransitiveTagKeys: transitive,
		SourceIdentity: sourceIdentity, Provider: r.Provider, SourceInstanceARN: r.SourceInstanceARN,
	}
	switch {
	case r.MFA:
		sess.MFA, sess.MFAAuthTime = true, now
	case r.Parent != nil && r.Parent.MFA:
		sess.MFA, sess.MFAAuthTime = true, r.Parent.MFAAuthTime
	}
	if r.Parent != nil {
		sess.ChainDepth = r.Parent.ChainDepth + 1
	}
	return s.seal(sess, len(r.Tags) > 0 || len(r.TransitiveTagKeys) > 0)
}

// UserSessionRequest describes GetSessionToken or GetFederationToken credentials.
type UserSessionRequest struct {
	Kind       token.Kind // KindSessionToken or KindFederatedUser
	Account    string
	UserARN    string // the caller: an IAM user's ARN or the account's root ARN
	UserID     string
	Name       string // federated user name
	Duration   time.Duration
	Policy     string
	PolicyARNs []string
	Tags       []token.Tag
	MFA        bool
	Now        time.Time
}

// IssueUserSession seals GetSessionToken or GetFederationToken credentials.
func (s *Service) IssueUserSession(r UserSessionRequest) (*Issued, error) {
	now := r.Now.UTC().Truncate(time.Second)
	sess := token.Session{Kind: r.Kind, Account: r.Account, UserARN: r.UserARN, UserID: r.UserID, Name: r.Name,
		Issued: now, Expires: now.Add(r.Duration), Policy: r.Policy, PolicyARNs: r.PolicyARNs, Tags: r.Tags}
	if r.Kind == token.KindFederatedUser {
		sess.ARN = "arn:aws:sts::" + r.Account + ":federated-user/" + r.Name
	} else {
		sess.ARN = r.UserARN
	}
	if r.MFA {
		sess.MFA, sess.MFAAuthTime = true, now
	}
	if _, err := checkTagKeys(r.Tags); err != nil {
		return nil, err
	}
	return s.seal(sess, len(r.Tags) > 0)
}

func (s *Service) seal(sess token.Session, tagged bool) (*Issued, error) {
	out := &Issued{Session: sess, PackedPolicySize: -1}
	packed := packedSize(&out.Session)
	if packed > 100 {
		return nil, awserr.Newf(awserr.PackedPolicyTooLarge, "Packed policy consumes %d%% of allotted space, please use smaller policy.", packed)
	}
	creds, err := s.cfg.Ring().Seal(out.Session, s.cfg.Rand)
	if errors.Is(err, token.ErrTooLarge) {
		return nil, awserr.New(awserr.PackedPolicyTooLarge, "Packed policy consumes more than 100% of allotted space, please use smaller policy.")
	}
	if err != nil {
		return nil, err
	}
	out.Credentials = creds
	if sess.Policy != "" || len(sess.PolicyARNs) > 0 || tagged {
		out.PackedPolicySize = packed
	}
	return out, nil
}

// packedSize estimates the share, in percent, of AWS's packed-policy allowance a session uses.
// AWS compresses the session policies and tags into a binary form whose size it does not
// document; here the session policy counts by its characters other than white space and the
// policy ARNs by their length, against the documented 2,048-character plaintext limit, and tags
// count a quarter of their length (they compress well and 50 maximal tags fit in AWS).
func packedSize(s *token.Session) int {
	n := 0
	for _, r := range s.Policy {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	for _, a := range s.PolicyARNs {
		n += len(a)
	}
	tagChars := 0
	for _, t := range s.Tags {
		tagChars += len(t.Key) + len(t.Value)
	}
	n += tagChars / 4
	return int(math.Ceil(float64(n) * 100 / packedPlaintext))
}

// mergeTags combines the transitive tags inherited from parent with the tags of the request,
// returning the session's tags and its transitive keys.
func mergeTags(parent *token.Session, tags []token.Tag, transitive []string) ([]token.Tag, []string, error) {
	keys, err := checkTagKeys(tags)
	if err != nil {
		return nil, nil, err
	}
	for _, k := range transitive {
		if !keys[strings.ToLower(k)] {
			return nil, nil, awserr.New(awserr.InvalidParameterValue, "The specified transitive tag key must be included in the requested tags.")
		}
	}
	outTags := append([]token.Tag(nil), tags...)
	outTransitive := append([]string(nil), transitive...)
	if parent != nil {
		for _, k := range parent.TransitiveTagKeys {
			lk := strings.ToLower(k)
			if keys[lk] {
				return nil, nil, awserr.Newf(awserr.InvalidParameterValue, "One or more of the specified session tags conflict with transitive tag key %s inherited from the calling session.", k)
			}
			for _, t := range parent.Tags {
				if strings.EqualFold(t.Key, k) {
					outTags = append(outTags, t)
					outTransitive = append(outTransitive, t.Key)
					break
				}
			}
		}
	}
	if len(outTags) > maxSessionTags {
		return nil, nil, awserr.New(awserr.ValidationError, "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50")
	}
	return outTags, outTransitive, nil
}

// checkTagKeys rejects duplicate tag keys (compared case-insensitively) and returns the set of
// lower-cased keys.
func checkTagKeys(tags []token.Tag) (map[string]bool, error) {
	if len(tags) == 0 {
		return nil, nil
	}
	keys := make(map[string]bool, len(tags))
	for _, t := range tags {
		lk := strings.ToLower(t.Key)
		if keys[lk] {
			return nil, awserr.New(awserr.InvalidParameterValue, "Duplicate tag keys found. Please note that Tag keys are case insensitive.")
		}
		keys[lk] = true
	}
	return keys, nil
}
