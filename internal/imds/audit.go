package imds

import (
	"strconv"
	"time"

	"rolegate/internal/api/awserr"
	"rolegate/internal/audit"
	"rolegate/internal/ec2"
	"rolegate/internal/iam"
	"rolegate/internal/sts"
)

// deliveryParams are the request parameters of EC2's AssumeRole, as CloudTrail records them.
type deliveryParams struct {
	RoleArn         string `json:"roleArn"`
	RoleSessionName string `json:"roleSessionName"`
	DurationSeconds string `json:"durationSeconds"`
}

// deliveredSession is the answer of EC2's AssumeRole without its secrets.
type deliveredSession struct {
	AssumedRoleUser struct {
		Arn           string `json:"arn"`
		AssumedRoleId string `json:"assumedRoleId"`
	} `json:"assumedRoleUser"`
	Credentials struct {
		AccessKeyId string    `json:"accessKeyId"`
		Expiration  time.Time `json:"expiration"`
	} `json:"credentials"`
}

// recordDelivery writes the audit event of a role session EC2 obtained for an instance, as
// CloudTrail records it: AssumeRole called by the service ec2.amazonaws.com from
// ec2.amazonaws.com, the session named after the instance; a refusal by the role's trust policy
// is recorded with its error. Nothing is recorded without an audit log.
func (m *Manager) recordDelivery(inst *ec2.Instance, role *iam.Role, now time.Time, is *sts.Issued, refusal error) {
	if m.cfg.Audit == nil {
		return
	}
	id := m.cfg.IDs.RequestID()
	e := &audit.Event{
		UserIdentity: audit.Identity{Type: "AWSService", InvokedBy: ec2Principal},
		EventTime:    now.UTC().Truncate(time.Second), EventSource: "sts.amazonaws.com", EventName: "AssumeRole",
		AWSRegion: inst.Region, SourceIPAddress: ec2Principal, UserAgent: ec2Principal,
		RequestParameters: deliveryParams{RoleArn: role.ARN(), RoleSessionName: inst.ID,
			DurationSeconds: strconv.Itoa(int(SessionDuration / time.Second))},
		RequestID: id, EventID: id, ManagementEvent: true, RecipientAccountID: role.Account,
	}
	if refusal != nil {
		aerr := awserr.From(refusal, awserr.InternalFailure)
		e.ErrorCode, e.ErrorMessage = string(aerr.Code), aerr.Message
	} else {
		var out deliveredSession
		out.AssumedRoleUser.Arn, out.AssumedRoleUser.AssumedRoleId = is.Session.ARN, is.Session.PrincipalID()
		out.Credentials.AccessKeyId, out.Credentials.Expiration = is.Credentials.AccessKeyID, is.Credentials.Expiration
		e.ResponseElements = out
	}
	m.cfg.Audit.Record(e)
}
