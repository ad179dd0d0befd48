package ec2api

import (
	"time"

	"rolegate/internal/ec2"
)

// ec2Time formats a timestamp as EC2 does: ISO 8601 with milliseconds.
func ec2Time(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

type stateXML struct {
	Code int    `xml:"code"`
	Name string `xml:"name"`
}

func stateOut(s ec2.State) stateXML { return stateXML{s.Code(), string(s)} }

type tagXML struct {
	Key   string `xml:"key"`
	Value string `xml:"value"`
}

func tagsOut(tags []ec2.Tag) []tagXML {
	out := make([]tagXML, 0, len(tags))
	for _, t := range tags {
		out = append(out, tagXML{t.Key, t.Value})
	}
	return out
}

type profileXML struct {
	Arn string `xml:"arn"`
	ID  string `xml:"id"`
}

type placementXML struct {
	AvailabilityZone string `xml:"availabilityZone"`
	GroupName        string `xml:"groupName"`
	Tenancy          string `xml:"tenancy"`
}

type stateReasonXML struct {
	Code    string `xml:"code"`
	Message string `xml:"message"`
}

type metadataOptionsXML struct {
	State                   string `xml:"state"`
	HTTPTokens              string `xml:"httpTokens"`
	HTTPPutResponseHopLimit int    `xml:"httpPutResponseHopLimit"`
	HTTPEndpoint            string `xml:"httpEndpoint"`
	HTTPProtocolIpv6        string `xml:"httpProtocolIpv6"`
	InstanceMetadataTags    string `xml:"instanceMetadataTags"`
}

func metadataOut(m ec2.MetadataOptions, state string) metadataOptionsXML {
	return metadataOptionsXML{State: state, HTTPTokens: m.HTTPTokens, HTTPPutResponseHopLimit: m.HopLimit,
		HTTPEndpoint: m.HTTPEndpoint, HTTPProtocolIpv6: "disabled", InstanceMetadataTags: m.InstanceTags}
}

type valueXML struct {
	Value string `xml:"value"`
}

type boolValueXML struct {
	Value bool `xml:"value"`
}

// instanceXML is one instancesSet item.
type instanceXML struct {
	InstanceID         string          `xml:"instanceId"`
	ImageID            string          `xml:"imageId"`
	InstanceState      stateXML        `xml:"instanceState"`
	PrivateDNSName     string          `xml:"privateDnsName"`
	DNSName            string          `xml:"dnsName"`
	Reason             string          `xml:"reason"`
	KeyName            string          `xml:"keyName,omitempty"`
	AMILaunchIndex     int             `xml:"amiLaunchIndex"`
	ProductCodes       struct{}        `xml:"productCodes"`
	InstanceType       string          `xml:"instanceType"`
	LaunchTime         string          `xml:"launchTime"`
	Placement          placementXML    `xml:"placement"`
	Monitoring         valueState      `xml:"monitoring"`
	PrivateIPAddress   string          `xml:"privateIpAddress"`
	SourceDestCheck    bool            `xml:"sourceDestCheck"`
	GroupSet           struct{}        `xml:"groupSet"`
	StateReason        *stateReasonXML `xml:"stateReason,omitempty"`
	Architecture       string          `xml:"architecture"`
	RootDeviceType     string          `xml:"rootDeviceType"`
	RootDeviceName     string          `xml:"rootDeviceName"`
	BlockDeviceMapping struct{}        `xml:"blockDeviceMapping"`
	VirtualizationType string          `xml:"virtualizationType"`
	ClientToken        string          `xml:"clientToken"`
	TagSet             []tagXML        `xml:"tagSet>item"`
	Hypervisor         string          `xml:"hypervisor"`
	NetworkInterface   struct{}        `xml:"networkInterfaceSet"`
	IAMInstanceProfile *profileXML     `xml:"iamInstanceProfile,omitempty"`
	EBSOptimized       bool            `xml:"ebsOptimized"`
	ENASupport         bool            `xml:"enaSupport"`
	CPUOptions         struct {
		CoreCount      int `xml:"coreCount"`
		ThreadsPerCore int `xml:"threadsPerCore"`
	} `xml:"cpuOptions"`
	CapacityReservation struct {
		Preference string `xml:"capacityReservationPreference"`
	} `xml:"capacityReservationSpecification"`
	HibernationOptions struct {
		Configured bool `xml:"configured"`
	} `xml:"hibernationOptions"`
	MetadataOptions metadataOptionsXML `xml:"metadataOptions"`
	EnclaveOptions  struct {
		Enabled bool `xml:"enabled"`
	} `xml:"enclaveOptions"`
	PlatformDetails    string `xml:"platformDetails"`
	UsageOperation     string `xml:"usageOperation"`
	MaintenanceOptions struct {
		AutoRecovery string `xml:"autoRecovery"`
	} `xml:"maintenanceOptions"`
	CurrentInstanceBootMode string `xml:"currentInstanceBootMode"`
}

type valueState struct {
	State string `xml:"state"`
}

// instanceOut renders an instance.
func instanceOut(in *ec2.Instance) instanceXML {
	x := instanceXML{
		InstanceID: in.ID, ImageID: in.ImageID, InstanceState: stateOut(in.State), PrivateDNSName: in.PrivateDNSName(),
		DNSName: in.MetadataEndpoint(), Reason: in.Reason, KeyName: in.KeyName, AMILaunchIndex: in.LaunchIndex,
		InstanceType: in.InstanceType, LaunchTime: ec2Time(in.LaunchTime),
		Placement:        placementXML{AvailabilityZone: in.AvailabilityZone, Tenancy: "default"},
		Monitoring:       valueState{"disabled"},
		PrivateIPAddress: in.PrivateIP, SourceDestCheck: in.SourceDestCheck, Architecture: "x86_64",
		RootDeviceType: "ebs", RootDeviceName: "/dev/xvda", VirtualizationType: "hvm", ClientToken: in.ClientToken,
		TagSet: tagsOut(in.Tags), Hypervisor: "xen", EBSOptimized: in.EBSOptimized, ENASupport: true,
		MetadataOptions: metadataOut(in.Metadata, "applied"), PlatformDetails: "Linux/UNIX", UsageOperation: "RunInstances",
		CurrentInstanceBootMode: "legacy-bios",
	}
	if in.Monitoring {
		x.Monitoring.State = "enabled"
	}
	if img, ok := ec2.LookupImage(in.ImageID); ok {
		x.Architecture, x.RootDeviceName = img.Architecture, img.RootDevice
		if img.Architecture == "arm64" {
			x.CurrentInstanceBootMode = "uefi"
		}
	}
	if t, ok := ec2.LookupInstanceType(in.InstanceType); ok {
		x.CPUOptions.CoreCount, x.CPUOptions.ThreadsPerCore = t.Cores, t.VCPUs/t.Cores
	}
	x.CapacityReservation.Preference = "open"
	x.MaintenanceOptions.AutoRecovery = "default"
	if p := in.Profile; p != nil {
		x.IAMInstanceProfile = &profileXML{Arn: p.ProfileARN, ID: p.ProfileID}
	}
	if in.State == ec2.Stopped || in.State == ec2.Terminated {
		x.StateReason = &stateReasonXML{Code: in.ReasonCode, Message: in.ReasonCode + ": User initiated shutdown"}
	}
	return x
}

// reservationXML is one reservationSet item, and RunInstances' response body.
type reservationXML struct {
	ReservationID string        `xml:"reservationId"`
	OwnerID       string        `xml:"ownerId"`
	GroupSet      struct{}      `xml:"groupSet"`
	Instances     []instanceXML `xml:"instancesSet>item"`
}

type stateChangeXML struct {
	InstanceID    string   `xml:"instanceId"`
	CurrentState  stateXML `xml:"currentState"`
	PreviousState stateXML `xml:"previousState"`
}

func changesOut(ch []ec2.StateChange) []stateChangeXML {
	out := make([]stateChangeXML, 0, len(ch))
	for _, c := range ch {
		out = append(out, stateChangeXML{c.InstanceID, stateOut(c.Current), stateOut(c.Previous)})
	}
	return out
}

type associationXML struct {
	AssociationID      string     `xml:"associationId"`
	InstanceID         string     `xml:"instanceId"`
	IAMInstanceProfile profileXML `xml:"iamInstanceProfile"`
	State              string     `xml:"state"`
	Timestamp          string     `xml:"timestamp"`
}

func associationOut(v *ec2.AssociationView) associationXML {
	return associationXML{AssociationID: v.ID, InstanceID: v.InstanceID,
		IAMInstanceProfile: profileXML{Arn: v.ProfileARN, ID: v.ProfileID}, State: v.State, Timestamp: ec2Time(v.Since)}
}
