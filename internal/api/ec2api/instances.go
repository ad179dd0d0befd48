package ec2api

import (
	"strings"

	"rolegate/internal/api/awserr"
	"rolegate/internal/api/query"
	"rolegate/internal/ec2"
	"rolegate/internal/gate"
)

func (a *API) runInstances(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	in := ec2.RunInput{Account: c.Account(), Region: c.Region, ImageID: p.String("ImageId"), InstanceType: p.String("InstanceType"),
		KeyName: p.String("KeyName"), ClientToken: p.String("ClientToken"), UserData: p.String("UserData"),
		AvailabilityZone: p.Struct("Placement").String("AvailabilityZone")}
	if in.ImageID == "" {
		return gate.Check{}, nil, missing("ImageId")
	}
	var err error
	var ok bool
	if in.MinCount, ok, err = intParam(p, "MinCount"); err != nil || !ok {
		return gate.Check{}, nil, orMissing(err, "MinCount")
	}
	if in.MaxCount, ok, err = intParam(p, "MaxCount"); err != nil || !ok {
		return gate.Check{}, nil, orMissing(err, "MaxCount")
	}
	if in.Tags, err = tagSpecifications(p); err != nil {
		return gate.Check{}, nil, err
	}
	if in.Metadata, err = metadataOptions(p.Struct("MetadataOptions")); err != nil {
		return gate.Check{}, nil, err
	}
	if in.ShutdownBehavior, err = enumParam(p, "InstanceInitiatedShutdownBehavior", "stop", "terminate"); err != nil {
		return gate.Check{}, nil, err
	}
	for _, f := range []struct {
		name string
		dst  *bool
	}{{"DisableApiTermination", &in.DisableAPITermination}, {"DisableApiStop", &in.DisableAPIStop},
		{"Monitoring.Enabled", &in.Monitoring}, {"EbsOptimized", &in.EBSOptimized}} {
		b, err := boolParam(p, f.name)
		if err != nil {
			return gate.Check{}, nil, err
		}
		if b != nil {
			*f.dst = *b
		}
	}
	ref := ec2.ProfileRef{Name: p.Struct("IamInstanceProfile").String("Name"), ARN: p.Struct("IamInstanceProfile").String("Arn")}
	typ := in.InstanceType
	if typ == "" {
		typ = ec2.DefaultInstanceType
	}
	chk := gate.Check{Action: "ec2:RunInstances", Resource: instanceARN(c, "*"),
		Keys: append([]gate.Key{{Name: "ec2:Region", Values: []string{c.Region}}, {Name: "ec2:InstanceType", Values: []string{typ}}},
			requestTagKeys(in.Tags)...)}
	if in.Metadata.HTTPTokens != "" {
		chk.Keys = append(chk.Keys, gate.Key{Name: "ec2:MetadataHttpTokens", Values: []string{in.Metadata.HTTPTokens}})
	}
	return chk, func() (any, error) {
		// AWS authorizes a launch on every resource it uses; here the instance and the image.
		// Public images belong to their publishers but need no grant from them.
		imageChk := chk
		imageChk.Resource = "arn:aws:ec2:" + c.Region + "::image/" + in.ImageID
		if err := c.Authorize(imageChk); err != nil {
			return nil, err
		}
		if len(in.Tags) > 0 {
			// Tagging on create needs ec2:CreateTags as well, with ec2:CreateAction set.
			tagChk := chk
			tagChk.Action = "ec2:CreateTags"
			tagChk.Keys = append(append([]gate.Key(nil), chk.Keys...), gate.Key{Name: "ec2:CreateAction", Values: []string{"RunInstances"}})
			if err := c.Authorize(tagChk); err != nil {
				return nil, err
			}
		}
		if ref.Name != "" || ref.ARN != "" {
			prof, err := a.EC2.ResolveProfile(c.Ctx, c.Account(), ref)
			if err != nil {
				return nil, err
			}
			if err := c.Authorize(passRole(prof, "")); err != nil {
				return nil, err
			}
			in.Profile = prof
		}
		res, err := a.EC2.Run(c.Ctx, in)
		if err != nil {
			return nil, err
		}
		out := reservationXML{ReservationID: res.ID, OwnerID: res.Account}
		for _, inst := range res.Instances {
			out.Instances = append(out.Instances, instanceOut(inst))
		}
		return out, nil
	}, nil
}

func orMissing(err error, name string) error {
	if err != nil {
		return err
	}
	return missing(name)
}

// metadataOptions reads MetadataOptions (RunInstances) or the same members at the top level
// (ModifyInstanceMetadataOptions).
func metadataOptions(p query.Params) (ec2.MetadataOptions, error) {
	var m ec2.MetadataOptions
	var err error
	if m.HTTPTokens, err = enumParam(p, "HttpTokens", ec2.TokensOptional, ec2.TokensRequired); err != nil {
		return m, err
	}
	if m.HTTPEndpoint, err = enumParam(p, "HttpEndpoint", ec2.Enabled, ec2.Disabled); err != nil {
		return m, err
	}
	if m.InstanceTags, err = enumParam(p, "InstanceMetadataTags", ec2.Enabled, ec2.Disabled); err != nil {
		return m, err
	}
	n, ok, err := intParam(p, "HttpPutResponseHopLimit")
	if err != nil {
		return m, err
	}
	if ok && (n < 1 || n > 64) {
		return m, awserr.Newf(awserr.InvalidParameterValue, "The HttpPutResponseHopLimit must be between 1 and 64. You specified %d.", n)
	}
	m.HopLimit = n
	return m, nil
}

func (a *API) describeInstances(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	q := ec2.Query{IDs: p.Flat("InstanceId"), NextToken: p.String("NextToken")}
	var err error
	if q.Filters, err = filters(p); err != nil {
		return gate.Check{}, nil, err
	}
	if q.MaxResults, err = maxResults(p, 5, 1000); err != nil {
		return gate.Check{}, nil, err
	}
	if q.MaxResults > 0 && len(q.IDs) > 0 {
		return gate.Check{}, nil, awserr.New(awserr.InvalidParameterCombination, "The parameter instancesSet cannot be used with the parameter maxResults")
	}
	return gate.Check{Action: "ec2:DescribeInstances", Resource: "*"}, func() (any, error) {
		ins, next, err := a.EC2.Instances(c.Ctx, c.Account(), c.Region, q)
		if err != nil {
			return nil, err
		}
		out := struct {
			Reservations []reservationXML `xml:"reservationSet>item"`
			NextToken    string           `xml:"nextToken,omitempty"`
		}{Reservations: []reservationXML{}, NextToken: next}
		index := map[string]int{}
		for _, in := range ins {
			i, ok := index[in.ReservationID]
			if !ok {
				i = len(out.Reservations)
				index[in.ReservationID] = i
				out.Reservations = append(out.Reservations, reservationXML{ReservationID: in.ReservationID, OwnerID: in.Account})
			}
			out.Reservations[i].Instances = append(out.Reservations[i].Instances, instanceOut(in))
		}
		return out, nil
	}, nil
}

// stateChange prepares Start/Stop/TerminateInstances.
func (a *API) stateChange(c *gate.Call, p query.Params, action string,
	do func(ids []string) ([]ec2.StateChange, error)) (gate.Check, query.Work, error) {
	ids := p.Flat("InstanceId")
	chk, err := a.instancesCheck(c, action, ids)
	if err != nil {
		return chk, nil, err
	}
	return chk, func() (any, error) {
		if err := a.authorizeRest(c, action, ids); err != nil {
			return nil, err
		}
		ch, err := do(ids)
		if err != nil {
			return nil, err
		}
		return struct {
			Instances []stateChangeXML `xml:"instancesSet>item"`
		}{changesOut(ch)}, nil
	}, nil
}

func (a *API) terminateInstances(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	return a.stateChange(c, p, "ec2:TerminateInstances", func(ids []string) ([]ec2.StateChange, error) {
		return a.EC2.Terminate(c.Ctx, c.Account(), c.Region, ids)
	})
}

func (a *API) startInstances(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	return a.stateChange(c, p, "ec2:StartInstances", func(ids []string) ([]ec2.StateChange, error) {
		return a.EC2.Start(c.Ctx, c.Account(), c.Region, ids)
	})
}

func (a *API) stopInstances(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	return a.stateChange(c, p, "ec2:StopInstances", func(ids []string) ([]ec2.StateChange, error) {
		return a.EC2.Stop(c.Ctx, c.Account(), c.Region, ids)
	})
}

// describeInstanceCreditSpecifications answers for burstable instances (Terraform reads it for
// them): t2 instances launch "standard", later burstable families "unlimited", as AWS defaults.
func (a *API) describeInstanceCreditSpecifications(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	q := ec2.Query{IDs: p.Flat("InstanceId"), NextToken: p.String("NextToken")}
	var err error
	if q.Filters, err = filters(p); err != nil {
		return gate.Check{}, nil, err
	}
	if q.MaxResults, err = maxResults(p, 5, 1000); err != nil {
		return gate.Check{}, nil, err
	}
	return gate.Check{Action: "ec2:DescribeInstanceCreditSpecifications", Resource: "*"}, func() (any, error) {
		ins, next, err := a.EC2.Instances(c.Ctx, c.Account(), c.Region, q)
		if err != nil {
			return nil, err
		}
		type spec struct {
			InstanceID string `xml:"instanceId"`
			CPUCredits string `xml:"cpuCredits"`
		}
		out := struct {
			Specs     []spec `xml:"instanceCreditSpecificationSet>item"`
			NextToken string `xml:"nextToken,omitempty"`
		}{NextToken: next}
		for _, in := range ins {
			t, ok := ec2.LookupInstanceType(in.InstanceType)
			if !ok || !t.Burstable {
				continue
			}
			credits := "unlimited"
			if strings.HasPrefix(t.Name, "t2.") {
				credits = "standard"
			}
			out.Specs = append(out.Specs, spec{in.ID, credits})
		}
		return out, nil
	}, nil
}
