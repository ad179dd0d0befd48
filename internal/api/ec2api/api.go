package ec2api

import (
	"rolegate/internal/api/awserr"
	"rolegate/internal/api/query"
	"rolegate/internal/ec2"
	"rolegate/internal/gate"
	"rolegate/internal/iam"
)

// Version is the EC2 API version.
const Version = "2016-11-15"

// API holds what the EC2 operations need.
type API struct {
	EC2 *ec2.Service
}

// Service returns the EC2 service with its operation table.
func (a *API) Service() *query.Service {
	ops := []query.Op{
		{Name: "RunInstances", Prepare: a.runInstances},
		{Name: "DescribeInstances", ReadOnly: true, Prepare: a.describeInstances},
		{Name: "TerminateInstances", Prepare: a.terminateInstances},
		{Name: "StartInstances", Prepare: a.startInstances},
		{Name: "StopInstances", Prepare: a.stopInstances},
		{Name: "DescribeInstanceAttribute", ReadOnly: true, Prepare: a.describeInstanceAttribute},
		{Name: "ModifyInstanceAttribute", Prepare: a.modifyInstanceAttribute},
		{Name: "ModifyInstanceMetadataOptions", Prepare: a.modifyInstanceMetadataOptions},
		{Name: "AssociateIamInstanceProfile", Prepare: a.associateIamInstanceProfile},
		{Name: "DescribeIamInstanceProfileAssociations", ReadOnly: true, Prepare: a.describeIamInstanceProfileAssociations},
		{Name: "ReplaceIamInstanceProfileAssociation", Prepare: a.replaceIamInstanceProfileAssociation},
		{Name: "DisassociateIamInstanceProfile", Prepare: a.disassociateIamInstanceProfile},
		{Name: "CreateTags", Prepare: a.createTags},
		{Name: "DeleteTags", Prepare: a.deleteTags},
		{Name: "DescribeTags", ReadOnly: true, Prepare: a.describeTags},
		{Name: "DescribeImages", ReadOnly: true, Prepare: a.describeImages},
		{Name: "DescribeInstanceTypes", ReadOnly: true, Prepare: a.describeInstanceTypes},
		{Name: "DescribeAvailabilityZones", ReadOnly: true, Prepare: a.describeAvailabilityZones},
		{Name: "DescribeInstanceCreditSpecifications", ReadOnly: true, Prepare: a.describeInstanceCreditSpecifications},
	}
	for i := range ops {
		ops[i].Prepare = dryRun(ops[i].Prepare)
	}
	return query.NewEC2Service("ec2", query.EC2Namespace, Version, ops)
}

// dryRun wraps an operation so that DryRun=true stops after the authorization: allowed calls
// answer DryRunOperation (412), denied ones UnauthorizedOperation, as EC2 does.
func dryRun(prepare func(*gate.Call, query.Params) (gate.Check, query.Work, error)) func(*gate.Call, query.Params) (gate.Check, query.Work, error) {
	return func(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
		chk, work, err := prepare(c, p)
		if err != nil || p.String("DryRun") != "true" {
			return chk, work, err
		}
		return chk, func() (any, error) {
			return nil, awserr.New("DryRunOperation", "Request would have succeeded, but DryRun flag is set.").WithStatus(412)
		}, nil
	}
}

// instanceARN is the ARN of an instance in the caller's account and region.
func instanceARN(c *gate.Call, id string) string { return ec2.InstanceARN(c.Region, c.Account(), id) }

// instanceCheck names an instance for action: its ARN, and its tags when it exists (as
// aws:ResourceTag and ec2:ResourceTag keys).
func (a *API) instanceCheck(c *gate.Call, action, id string) gate.Check {
	chk := gate.Check{Action: action, Resource: instanceARN(c, id), Keys: []gate.Key{{Name: "ec2:Region", Values: []string{c.Region}}}}
	in, err := a.EC2.Instance(c.Ctx, c.Account(), c.Region, id)
	if err != nil {
		return chk
	}
	for _, t := range in.Tags {
		chk.ResourceTags = append(chk.ResourceTags, iam.Tag(t))
		chk.Keys = append(chk.Keys, gate.Key{Name: "ec2:ResourceTag/" + t.Key, Values: []string{t.Value}})
	}
	chk.Keys = append(chk.Keys, gate.Key{Name: "ec2:InstanceType", Values: []string{in.InstanceType}},
		gate.Key{Name: "ec2:MetadataHttpTokens", Values: []string{in.Metadata.HTTPTokens}})
	if in.Profile != nil {
		chk.Keys = append(chk.Keys, gate.Key{Name: "ec2:InstanceProfile", Values: []string{in.Profile.ProfileARN}})
	}
	return chk
}

// instancesCheck checks the IDs and names the first instance; the others are authorized by
// authorizeRest before the work runs, so one denied instance refuses the whole call.
func (a *API) instancesCheck(c *gate.Call, action string, ids []string) (gate.Check, error) {
	if len(ids) == 0 || ids[0] == "" {
		return gate.Check{}, missing("InstanceId")
	}
	for _, id := range ids {
		if err := ec2.CheckInstanceID(id); err != nil {
			return gate.Check{}, err
		}
	}
	return a.instanceCheck(c, action, ids[0]), nil
}

func (a *API) authorizeRest(c *gate.Call, action string, ids []string) error {
	for _, id := range ids[1:] {
		if err := c.Authorize(a.instanceCheck(c, action, id)); err != nil {
			return err
		}
	}
	return nil
}

// passRole is the iam:PassRole check of handing a profile's role to EC2.
func passRole(p *ec2.Profile, instance string) gate.Check {
	chk := gate.Check{Action: "iam:PassRole", Resource: p.Role.ARN(), ResourceAccount: p.Role.Account,
		Keys: []gate.Key{{Name: "iam:PassedToService", Values: []string{"ec2.amazonaws.com"}}}}
	if instance != "" {
		chk.Keys = append(chk.Keys, gate.Key{Name: "iam:AssociatedResourceArn", Values: []string{instance}})
	}
	chk.ResourceTags = p.Role.Tags
	return chk
}

// missing is EC2's error for an absent required parameter.
func missing(name string) error {
	return awserr.Newf(awserr.MissingParameter, "The request must contain the parameter %s", name)
}
