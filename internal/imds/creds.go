package imds

import (
	"context"
	"time"

	"rolegate/internal/authn"
	"rolegate/internal/ec2"
	"rolegate/internal/gate"
	"rolegate/internal/iam"
	"rolegate/internal/sts"
	"rolegate/internal/token"
)

// Instance role sessions.
const (
	// SessionDuration is how long instance credentials last. AWS: instance credentials last about
	// six hours whatever the role's MaxSessionDuration, which only bounds AssumeRole calls.
	SessionDuration = 6 * time.Hour
	// RotateBefore is how long before expiry new credentials replace the served ones; the old
	// ones keep working until they expire.
	RotateBefore = 30 * time.Minute
	// ec2Principal is the service that assumes instance roles.
	ec2Principal = "ec2.amazonaws.com"
)

// Failure codes of iam/info and security-credentials documents.
const (
	codeSuccess      = "Success"
	codeUnauthorized = "AssumeRoleUnauthorizedAccess"
)

// grant is what an instance's endpoint serves under meta-data/iam: its profile and, when the
// profile holds a role that trusts EC2, that role's credentials.
type grant struct {
	profileARN, profileID string
	associationID         string
	role                  *iam.Role // nil for a profile without a role
	code, message         string    // codeSuccess, or why there are no credentials
	creds                 token.Credentials
	updated               time.Time // LastUpdated
}

// usable reports whether g still answers for the instance's association, profile and role, and
// its credentials are not due for rotation at now.
func (g *grant) usable(assoc *ec2.Association, p *iam.InstanceProfile, role *iam.Role, now time.Time) bool {
	if g == nil || g.associationID != assoc.ID || g.profileID != p.ID || g.code != codeSuccess {
		return false
	}
	if role == nil || g.role == nil || g.role.ID != role.ID {
		return false
	}
	return now.Before(g.creds.Expiration.Add(-RotateBefore))
}

// errNoProfile means the instance has no usable profile: meta-data/iam is not there.
type errNoProfile struct{}

func (errNoProfile) Error() string { return "imds: no instance profile" }

// grantFor returns the grant of an instance: the cached one while it is usable, else a new one
// (a trust-policy check as AWS makes it for EC2, then a new role session).
func (e *endpoint) grantFor(ctx context.Context, inst *ec2.Instance, now time.Time) (*grant, error) {
	assoc := inst.Profile
	if assoc == nil {
		return nil, errNoProfile{}
	}
	p, roles, err := e.m.cfg.Profiles.InstanceProfile(ctx, inst.Account, assoc.ProfileName)
	switch {
	case iam.IsNoSuchEntity(err):
		return nil, errNoProfile{}
	case err != nil:
		return nil, err
	case p.ID != assoc.ProfileID:
		// The profile was deleted and one of the same name created: the association points at
		// the old one, as in AWS.
		return nil, errNoProfile{}
	}
	var role *iam.Role
	if len(roles) > 0 {
		role = roles[0]
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.grant.usable(assoc, p, role, now) {
		return e.grant, nil
	}
	g := &grant{profileARN: p.ARN(), profileID: p.ID, associationID: assoc.ID, role: role, code: codeSuccess, updated: now.UTC().Truncate(time.Second)}
	if role == nil {
		return g, nil
	}
	if err := e.m.trusts(ctx, inst, role, now); err != nil {
		e.m.recordDelivery(inst, role, now, nil, err)
		g.code = codeUnauthorized
		g.message = "EC2 cannot assume the role " + role.Name + ".  Please see documentation at https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html#troubleshoot_iam-ec2_errors-info-doc."
		e.m.cfg.Log.Warn("EC2 cannot assume the role of an instance profile", "instance", inst.ID, "role", role.ARN())
		return g, nil
	}
	// AWS: the role's MaxSessionDuration bounds AssumeRole, not the credentials EC2 delivers.
	r := *role
	r.MaxSessionDuration = max(r.MaxSessionDuration, int(SessionDuration/time.Second))
	is, err := e.m.cfg.STS.IssueRoleSession(sts.RoleSessionRequest{Role: &r, Name: inst.ID, Duration: SessionDuration,
		SourceInstanceARN: inst.ARN(), Now: now})
	if err != nil {
		return nil, err
	}
	e.m.recordDelivery(inst, role, now, is, nil)
	g.creds = is.Credentials
	g.updated = is.Session.Issued
	e.grant = g
	return g, nil
}

// trusts asks the gate whether role's trust policy lets EC2 assume it, as AWS asks when it
// delivers instance credentials: the principal is the service ec2.amazonaws.com.
func (m *Manager) trusts(ctx context.Context, inst *ec2.Instance, role *iam.Role, now time.Time) error {
	c := m.cfg.Gate.NewCall(gate.Call{Ctx: ctx, Service: "sts", Operation: "AssumeRole", Region: inst.Region,
		Identity: &authn.Identity{Kind: authn.Service, ARN: ec2Principal}, Secure: true, Now: now})
	return c.Authorize(gate.Check{Action: "sts:AssumeRole", Resource: role.ARN(), ResourceAccount: role.Account,
		ResourcePolicy: role.TrustPolicy, ResourcePolicyName: "trust policy", ResourceTags: role.Tags,
		Keys: []gate.Key{{Name: "aws:SourceAccount", Values: []string{inst.Account}}, {Name: "aws:SourceArn", Values: []string{inst.ARN()}}}})
}
