package ec2api

import (
	"rolegate/internal/api/query"
	"rolegate/internal/ec2"
	"rolegate/internal/gate"
)

// profileRef reads IamInstanceProfile.Name / .Arn, one of which is required.
func profileRef(p query.Params) (ec2.ProfileRef, error) {
	s := p.Struct("IamInstanceProfile")
	ref := ec2.ProfileRef{Name: s.String("Name"), ARN: s.String("Arn")}
	if ref.Name == "" && ref.ARN == "" {
		return ref, missing("IamInstanceProfile")
	}
	return ref, nil
}

// associationCheck names the instance holding an association for action (or the ARN of an
// unknown instance when the association does not exist: the work reports it missing).
func (a *API) associationCheck(c *gate.Call, action, associationID string) (gate.Check, error) {
	if err := ec2.CheckAssociationID(associationID); err != nil {
		return gate.Check{}, err
	}
	views, err := a.EC2.Associations(c.Ctx, c.Account(), c.Region, []string{associationID}, nil)
	if err != nil {
		return gate.Check{Action: action, Resource: instanceARN(c, "*")}, nil
	}
	return a.instanceCheck(c, action, views[0].InstanceID), nil
}

func (a *API) associateIamInstanceProfile(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	id := p.String("InstanceId")
	ref, err := profileRef(p)
	if err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.instancesCheck(c, "ec2:AssociateIamInstanceProfile", []string{id})
	if err != nil {
		return chk, nil, err
	}
	return chk, func() (any, error) {
		prof, err := a.EC2.ResolveProfile(c.Ctx, c.Account(), ref)
		if err != nil {
			return nil, err
		}
		if err := c.Authorize(passRole(prof, instanceARN(c, id))); err != nil {
			return nil, err
		}
		v, err := a.EC2.Associate(c.Ctx, c.Account(), c.Region, id, prof)
		if err != nil {
			return nil, err
		}
		return associationResult(v), nil
	}, nil
}

func (a *API) replaceIamInstanceProfileAssociation(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	assoc := p.String("AssociationId")
	if assoc == "" {
		return gate.Check{}, nil, missing("AssociationId")
	}
	ref, err := profileRef(p)
	if err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.associationCheck(c, "ec2:ReplaceIamInstanceProfileAssociation", assoc)
	if err != nil {
		return chk, nil, err
	}
	return chk, func() (any, error) {
		prof, err := a.EC2.ResolveProfile(c.Ctx, c.Account(), ref)
		if err != nil {
			return nil, err
		}
		if err := c.Authorize(passRole(prof, chk.Resource)); err != nil {
			return nil, err
		}
		v, err := a.EC2.Replace(c.Ctx, c.Account(), c.Region, assoc, prof)
		if err != nil {
			return nil, err
		}
		return associationResult(v), nil
	}, nil
}

func (a *API) disassociateIamInstanceProfile(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	assoc := p.String("AssociationId")
	if assoc == "" {
		return gate.Check{}, nil, missing("AssociationId")
	}
	chk, err := a.associationCheck(c, "ec2:DisassociateIamInstanceProfile", assoc)
	if err != nil {
		return chk, nil, err
	}
	return chk, func() (any, error) {
		v, err := a.EC2.Disassociate(c.Ctx, c.Account(), c.Region, assoc)
		if err != nil {
			return nil, err
		}
		return associationResult(v), nil
	}, nil
}

func associationResult(v *ec2.AssociationView) any {
	return struct {
		Association associationXML `xml:"iamInstanceProfileAssociation"`
	}{associationOut(v)}
}

func (a *API) describeIamInstanceProfileAssociations(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	ids := p.Flat("AssociationId")
	fs, err := filters(p)
	if err != nil {
		return gate.Check{}, nil, err
	}
	if _, err := maxResults(p, 5, 1000); err != nil {
		return gate.Check{}, nil, err
	}
	return gate.Check{Action: "ec2:DescribeIamInstanceProfileAssociations", Resource: "*"}, func() (any, error) {
		views, err := a.EC2.Associations(c.Ctx, c.Account(), c.Region, ids, fs)
		if err != nil {
			return nil, err
		}
		out := struct {
			Associations []associationXML `xml:"iamInstanceProfileAssociationSet>item"`
		}{[]associationXML{}}
		for i := range views {
			out.Associations = append(out.Associations, associationOut(&views[i]))
		}
		return out, nil
	}, nil
}
