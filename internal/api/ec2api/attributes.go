package ec2api

import (
	"rolegate/internal/api/awserr"
	"rolegate/internal/api/query"
	"rolegate/internal/ec2"
	"rolegate/internal/gate"
)

// attributeXML is DescribeInstanceAttribute's response: the instance ID and the one attribute
// asked for.
type attributeXML struct {
	InstanceID            string        `xml:"instanceId"`
	InstanceType          *valueXML     `xml:"instanceType,omitempty"`
	Kernel                *struct{}     `xml:"kernel,omitempty"`
	Ramdisk               *struct{}     `xml:"ramdisk,omitempty"`
	UserData              *optValueXML  `xml:"userData,omitempty"`
	DisableAPITermination *boolValueXML `xml:"disableApiTermination,omitempty"`
	DisableAPIStop        *boolValueXML `xml:"disableApiStop,omitempty"`
	ShutdownBehavior      *valueXML     `xml:"instanceInitiatedShutdownBehavior,omitempty"`
	RootDeviceName        *valueXML     `xml:"rootDeviceName,omitempty"`
	BlockDeviceMapping    *struct{}     `xml:"blockDeviceMapping,omitempty"`
	ProductCodes          *struct{}     `xml:"productCodes,omitempty"`
	SourceDestCheck       *boolValueXML `xml:"sourceDestCheck,omitempty"`
	GroupSet              *struct{}     `xml:"groupSet,omitempty"`
	EBSOptimized          *boolValueXML `xml:"ebsOptimized,omitempty"`
	SriovNetSupport       *struct{}     `xml:"sriovNetSupport,omitempty"`
	ENASupport            *boolValueXML `xml:"enaSupport,omitempty"`
	EnclaveOptions        *enabledXML   `xml:"enclaveOptions,omitempty"`
}

type optValueXML struct {
	Value string `xml:"value,omitempty"`
}

type enabledXML struct {
	Enabled bool `xml:"enabled"`
}

func (a *API) describeInstanceAttribute(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	id := p.String("InstanceId")
	attr := p.String("Attribute")
	if attr == "" {
		return gate.Check{}, nil, missing("Attribute")
	}
	chk, err := a.instancesCheck(c, "ec2:DescribeInstanceAttribute", []string{id})
	if err != nil {
		return chk, nil, err
	}
	return chk, func() (any, error) {
		in, err := a.EC2.Instance(c.Ctx, c.Account(), c.Region, id)
		if err != nil {
			return nil, err
		}
		return attributeOut(in, attr)
	}, nil
}

// attributeOut renders one attribute of in.
func attributeOut(in *ec2.Instance, attr string) (*attributeXML, error) {
	x := &attributeXML{InstanceID: in.ID}
	root := "/dev/xvda"
	if img, ok := ec2.LookupImage(in.ImageID); ok {
		root = img.RootDevice
	}
	switch attr {
	case "instanceType":
		x.InstanceType = &valueXML{in.InstanceType}
	case "kernel":
		x.Kernel = &struct{}{}
	case "ramdisk":
		x.Ramdisk = &struct{}{}
	case "userData":
		x.UserData = &optValueXML{in.UserData}
	case "disableApiTermination":
		x.DisableAPITermination = &boolValueXML{in.DisableAPITermination}
	case "disableApiStop":
		x.DisableAPIStop = &boolValueXML{in.DisableAPIStop}
	case "instanceInitiatedShutdownBehavior":
		x.ShutdownBehavior = &valueXML{in.ShutdownBehavior}
	case "rootDeviceName":
		x.RootDeviceName = &valueXML{root}
	case "blockDeviceMapping":
		x.BlockDeviceMapping = &struct{}{}
	case "productCodes":
		x.ProductCodes = &struct{}{}
	case "sourceDestCheck":
		x.SourceDestCheck = &boolValueXML{in.SourceDestCheck}
	case "groupSet":
		x.GroupSet = &struct{}{}
	case "ebsOptimized":
		x.EBSOptimized = &boolValueXML{in.EBSOptimized}
	case "sriovNetSupport":
		x.SriovNetSupport = &struct{}{}
	case "enaSupport":
		x.ENASupport = &boolValueXML{true}
	case "enclaveOptions":
		x.EnclaveOptions = &enabledXML{false}
	default:
		return nil, awserr.Newf(awserr.InvalidParameterValue, "Value (%s) for parameter attribute is invalid. Unknown attribute.", attr)
	}
	return x, nil
}

func (a *API) modifyInstanceAttribute(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	id := p.String("InstanceId")
	var ch ec2.AttributeChange
	var err error
	bools := []struct {
		name string
		dst  **bool
	}{{"DisableApiTermination", &ch.DisableAPITermination}, {"DisableApiStop", &ch.DisableAPIStop},
		{"SourceDestCheck", &ch.SourceDestCheck}, {"EbsOptimized", &ch.EBSOptimized}}
	for _, b := range bools {
		if *b.dst, err = boolParam(p, b.name+".Value"); err != nil {
			return gate.Check{}, nil, err
		}
	}
	strs := []struct {
		name string
		dst  **string
	}{{"InstanceType", &ch.InstanceType}, {"UserData", &ch.UserData}, {"InstanceInitiatedShutdownBehavior", &ch.ShutdownBehavior}}
	for _, s := range strs {
		if v, ok := p.Opt(s.name + ".Value"); ok {
			*s.dst = &v
		}
	}
	// The older form: Attribute=name&Value=v.
	if attr, ok := p.Opt("Attribute"); ok {
		v := p.String("Value")
		switch attr {
		case "instanceType":
			ch.InstanceType = &v
		case "userData":
			ch.UserData = &v
		case "instanceInitiatedShutdownBehavior":
			ch.ShutdownBehavior = &v
		case "disableApiTermination", "disableApiStop", "sourceDestCheck", "ebsOptimized":
			b, err := boolParam(p, "Value")
			if err != nil || b == nil {
				return gate.Check{}, nil, orMissing(err, "Value")
			}
			switch attr {
			case "disableApiTermination":
				ch.DisableAPITermination = b
			case "disableApiStop":
				ch.DisableAPIStop = b
			case "sourceDestCheck":
				ch.SourceDestCheck = b
			default:
				ch.EBSOptimized = b
			}
		default:
			return gate.Check{}, nil, awserr.Newf(awserr.InvalidParameterValue, "Value (%s) for parameter attribute is invalid. Unknown attribute.", attr)
		}
	}
	chk, err := a.instancesCheck(c, "ec2:ModifyInstanceAttribute", []string{id})
	if err != nil {
		return chk, nil, err
	}
	return chk, func() (any, error) {
		if err := a.EC2.ModifyAttribute(c.Ctx, c.Account(), c.Region, id, ch); err != nil {
			return nil, err
		}
		return returnTrue(), nil
	}, nil
}

func (a *API) modifyInstanceMetadataOptions(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	id := p.String("InstanceId")
	m, err := metadataOptions(p)
	if err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.instancesCheck(c, "ec2:ModifyInstanceMetadataOptions", []string{id})
	if err != nil {
		return chk, nil, err
	}
	return chk, func() (any, error) {
		in, err := a.EC2.ModifyMetadataOptions(c.Ctx, c.Account(), c.Region, id, ec2.MetadataChange{
			HTTPTokens: m.HTTPTokens, HTTPEndpoint: m.HTTPEndpoint, InstanceTags: m.InstanceTags, HopLimit: m.HopLimit})
		if err != nil {
			return nil, err
		}
		return struct {
			InstanceID string             `xml:"instanceId"`
			Options    metadataOptionsXML `xml:"instanceMetadataOptions"`
		}{in.ID, metadataOut(in.Metadata, "pending")}, nil
	}, nil
}

// returnTrue is the body of operations that answer <return>true</return>.
func returnTrue() any {
	return struct {
		Return bool `xml:"return"`
	}{true}
}
