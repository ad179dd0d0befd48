package ec2api

import (
	"sort"
	"strconv"
	"strings"

	"rolegate/internal/api/awserr"
	"rolegate/internal/api/query"
	"rolegate/internal/ec2"
	"rolegate/internal/gate"
	"rolegate/internal/glob"
)

type imageXML struct {
	ImageID            string `xml:"imageId"`
	ImageLocation      string `xml:"imageLocation"`
	ImageState         string `xml:"imageState"`
	ImageOwnerID       string `xml:"imageOwnerId"`
	CreationDate       string `xml:"creationDate"`
	IsPublic           bool   `xml:"isPublic"`
	Architecture       string `xml:"architecture"`
	ImageType          string `xml:"imageType"`
	PlatformDetails    string `xml:"platformDetails"`
	UsageOperation     string `xml:"usageOperation"`
	ImageOwnerAlias    string `xml:"imageOwnerAlias,omitempty"`
	Name               string `xml:"name"`
	Description        string `xml:"description"`
	RootDeviceType     string `xml:"rootDeviceType"`
	RootDeviceName     string `xml:"rootDeviceName"`
	BlockDeviceMapping []struct {
		DeviceName string `xml:"deviceName"`
		EBS        struct {
			VolumeSize          int    `xml:"volumeSize"`
			DeleteOnTermination bool   `xml:"deleteOnTermination"`
			VolumeType          string `xml:"volumeType"`
			Encrypted           bool   `xml:"encrypted"`
		} `xml:"ebs"`
	} `xml:"blockDeviceMapping>item"`
	VirtualizationType string `xml:"virtualizationType"`
	Hypervisor         string `xml:"hypervisor"`
	ENASupport         bool   `xml:"enaSupport"`
	SriovNetSupport    string `xml:"sriovNetSupport"`
	BootMode           string `xml:"bootMode"`
	IMDSSupport        string `xml:"imdsSupport,omitempty"`
}

func imageOut(im ec2.Image) imageXML {
	x := imageXML{ImageID: im.ID, ImageLocation: im.OwnerAlias + "/" + im.Name, ImageState: "available", ImageOwnerID: im.Owner,
		CreationDate: ec2Time(im.Created), IsPublic: true, Architecture: im.Architecture, ImageType: "machine",
		PlatformDetails: "Linux/UNIX", UsageOperation: "RunInstances", ImageOwnerAlias: im.OwnerAlias, Name: im.Name,
		Description: im.Description, RootDeviceType: "ebs", RootDeviceName: im.RootDevice, VirtualizationType: "hvm",
		Hypervisor: "xen", ENASupport: true, SriovNetSupport: "simple", BootMode: "uefi-preferred", IMDSSupport: im.IMDSSupport}
	if im.OwnerAlias == "" {
		x.ImageLocation = im.Owner + "/" + im.Name
	}
	x.BlockDeviceMapping = make([]struct {
		DeviceName string `xml:"deviceName"`
		EBS        struct {
			VolumeSize          int    `xml:"volumeSize"`
			DeleteOnTermination bool   `xml:"deleteOnTermination"`
			VolumeType          string `xml:"volumeType"`
			Encrypted           bool   `xml:"encrypted"`
		} `xml:"ebs"`
	}, 1)
	b := &x.BlockDeviceMapping[0]
	b.DeviceName = im.RootDevice
	b.EBS.VolumeSize, b.EBS.DeleteOnTermination, b.EBS.VolumeType = im.VolumeSize, true, "gp3"
	return x
}

// imageAttribute is the value of an image filter, and whether the filter exists.
func imageAttribute(im ec2.Image, name string) (string, bool) {
	switch name {
	case "image-id":
		return im.ID, true
	case "name":
		return im.Name, true
	case "description":
		return im.Description, true
	case "architecture":
		return im.Architecture, true
	case "owner-id":
		return im.Owner, true
	case "owner-alias":
		return im.OwnerAlias, true
	case "state":
		return "available", true
	case "is-public":
		return "true", true
	case "image-type":
		return "machine", true
	case "root-device-type":
		return "ebs", true
	case "root-device-name":
		return im.RootDevice, true
	case "virtualization-type":
		return "hvm", true
	case "hypervisor":
		return "xen", true
	case "platform-details":
		return "Linux/UNIX", true
	case "ena-support":
		return "true", true
	}
	return "", false
}

// matchValues reports whether v matches one of the filter's values (with * and ? wildcards).
func matchValues(values []string, v string) bool {
	for _, pat := range values {
		g := glob.Compile(pat, false)
		if g.Match(v) {
			return true
		}
	}
	return false
}

func (a *API) describeImages(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	ids := p.Flat("ImageId")
	owners := p.Flat("Owner")
	fs, err := filters(p)
	if err != nil {
		return gate.Check{}, nil, err
	}
	for _, id := range ids {
		if err := ec2.CheckImageID(id); err != nil {
			return gate.Check{}, nil, err
		}
	}
	for _, f := range fs {
		if _, ok := imageAttribute(ec2.Image{}, f.Name); !ok && !strings.HasPrefix(f.Name, "tag:") {
			return gate.Check{}, nil, awserr.Newf(awserr.InvalidParameterValue, "The filter '%s' is invalid", f.Name)
		}
	}
	return gate.Check{Action: "ec2:DescribeImages", Resource: "*"}, func() (any, error) {
		var missingIDs []string
		for _, id := range ids {
			if _, ok := ec2.LookupImage(id); !ok {
				missingIDs = append(missingIDs, id)
			}
		}
		if len(missingIDs) > 0 {
			return nil, awserr.Newf(ec2.CodeAMINotFound, "The image id '[%s]' does not exist", strings.Join(missingIDs, ", "))
		}
		out := struct {
			Images []imageXML `xml:"imagesSet>item"`
		}{[]imageXML{}}
		for _, im := range ec2.Images() {
			if len(ids) > 0 && !containsString(ids, im.ID) {
				continue
			}
			if len(owners) > 0 && !containsString(owners, im.Owner) && !(im.OwnerAlias != "" && containsString(owners, im.OwnerAlias)) {
				continue
			}
			keep := true
			for _, f := range fs {
				v, _ := imageAttribute(im, f.Name)
				keep = keep && !strings.HasPrefix(f.Name, "tag:") && matchValues(f.Values, v)
			}
			if keep {
				out.Images = append(out.Images, imageOut(im))
			}
		}
		return out, nil
	}, nil
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

type instanceTypeXML struct {
	InstanceType                  string   `xml:"instanceType"`
	CurrentGeneration             bool     `xml:"currentGeneration"`
	FreeTierEligible              bool     `xml:"freeTierEligible"`
	SupportedUsageClasses         []string `xml:"supportedUsageClasses>item"`
	SupportedRootDeviceTypes      []string `xml:"supportedRootDeviceTypes>item"`
	SupportedVirtualizationTypes  []string `xml:"supportedVirtualizationTypes>item"`
	BareMetal                     bool     `xml:"bareMetal"`
	Hypervisor                    string   `xml:"hypervisor"`
	ProcessorInfo                 procXML  `xml:"processorInfo"`
	VCPUInfo                      vcpuXML  `xml:"vCpuInfo"`
	MemoryInfo                    memXML   `xml:"memoryInfo"`
	InstanceStorageSupported      bool     `xml:"instanceStorageSupported"`
	NetworkInfo                   netXML   `xml:"networkInfo"`
	HibernationSupported          bool     `xml:"hibernationSupported"`
	BurstablePerformanceSupported bool     `xml:"burstablePerformanceSupported"`
	DedicatedHostsSupported       bool     `xml:"dedicatedHostsSupported"`
	AutoRecoverySupported         bool     `xml:"autoRecoverySupported"`
	SupportedBootModes            []string `xml:"supportedBootModes>item"`
}

type procXML struct {
	SupportedArchitectures   []string `xml:"supportedArchitectures>item"`
	SustainedClockSpeedInGhz float64  `xml:"sustainedClockSpeedInGhz"`
}

type vcpuXML struct {
	DefaultVCpus          int `xml:"defaultVCpus"`
	DefaultCores          int `xml:"defaultCores"`
	DefaultThreadsPerCore int `xml:"defaultThreadsPerCore"`
}

type memXML struct {
	SizeInMiB int `xml:"sizeInMiB"`
}

type netXML struct {
	NetworkPerformance    string `xml:"networkPerformance"`
	MaximumNetworkIfaces  int    `xml:"maximumNetworkInterfaces"`
	IPv4AddressesPerIface int    `xml:"ipv4AddressesPerInterface"`
	ENASupport            string `xml:"enaSupport"`
}

func instanceTypeOut(t ec2.InstanceType) instanceTypeXML {
	boot := []string{"legacy-bios", "uefi"}
	if t.Supports("arm64") {
		boot = []string{"uefi"}
	}
	return instanceTypeXML{InstanceType: t.Name, CurrentGeneration: !strings.HasPrefix(t.Name, "t2."), FreeTierEligible: t.FreeTier,
		SupportedUsageClasses: []string{"on-demand", "spot"}, SupportedRootDeviceTypes: []string{"ebs"},
		SupportedVirtualizationTypes: []string{"hvm"}, Hypervisor: "nitro",
		ProcessorInfo:        procXML{SupportedArchitectures: t.Architectures, SustainedClockSpeedInGhz: t.ClockGHz},
		VCPUInfo:             vcpuXML{DefaultVCpus: t.VCPUs, DefaultCores: t.Cores, DefaultThreadsPerCore: t.VCPUs / t.Cores},
		MemoryInfo:           memXML{t.MemoryMiB},
		NetworkInfo:          netXML{NetworkPerformance: t.Network, MaximumNetworkIfaces: 3, IPv4AddressesPerIface: 6, ENASupport: "required"},
		HibernationSupported: !t.Supports("arm64"), BurstablePerformanceSupported: t.Burstable, AutoRecoverySupported: true,
		SupportedBootModes: boot}
}

// instanceTypeAttribute is the value(s) of an instance-type filter, and whether it exists.
func instanceTypeAttribute(t ec2.InstanceType, name string) ([]string, bool) {
	switch name {
	case "instance-type":
		return []string{t.Name}, true
	case "processor-info.supported-architecture":
		return t.Architectures, true
	case "current-generation":
		return []string{strconv.FormatBool(!strings.HasPrefix(t.Name, "t2."))}, true
	case "burstable-performance-supported":
		return []string{strconv.FormatBool(t.Burstable)}, true
	case "free-tier-eligible":
		return []string{strconv.FormatBool(t.FreeTier)}, true
	case "vcpu-info.default-vcpus":
		return []string{strconv.Itoa(t.VCPUs)}, true
	case "memory-info.size-in-mib":
		return []string{strconv.Itoa(t.MemoryMiB)}, true
	}
	return nil, false
}

func (a *API) describeInstanceTypes(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	names := p.Flat("InstanceType")
	fs, err := filters(p)
	if err != nil {
		return gate.Check{}, nil, err
	}
	for _, f := range fs {
		if _, ok := instanceTypeAttribute(ec2.InstanceType{}, f.Name); !ok {
			return gate.Check{}, nil, awserr.Newf(awserr.InvalidParameterValue, "The filter '%s' is invalid", f.Name)
		}
	}
	return gate.Check{Action: "ec2:DescribeInstanceTypes", Resource: "*"}, func() (any, error) {
		var unknown []string
		for _, n := range names {
			if _, ok := ec2.LookupInstanceType(n); !ok {
				unknown = append(unknown, n)
			}
		}
		if len(unknown) > 0 {
			return nil, awserr.Newf(ec2.CodeInvalidInstanceType, "The following supplied instance types do not exist: [%s]", strings.Join(unknown, ", "))
		}
		out := struct {
			Types []instanceTypeXML `xml:"instanceTypeSet>item"`
		}{[]instanceTypeXML{}}
		for _, t := range ec2.InstanceTypes() {
			if len(names) > 0 && !containsString(names, t.Name) {
				continue
			}
			keep := true
			for _, f := range fs {
				vals, _ := instanceTypeAttribute(t, f.Name)
				hit := false
				for _, v := range vals {
					hit = hit || matchValues(f.Values, v)
				}
				keep = keep && hit
			}
			if keep {
				out.Types = append(out.Types, instanceTypeOut(t))
			}
		}
		sort.Slice(out.Types, func(i, j int) bool { return out.Types[i].InstanceType < out.Types[j].InstanceType })
		return out, nil
	}, nil
}

func (a *API) describeAvailabilityZones(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	names := p.Flat("ZoneName")
	return gate.Check{Action: "ec2:DescribeAvailabilityZones", Resource: "*"}, func() (any, error) {
		type zone struct {
			ZoneName           string   `xml:"zoneName"`
			ZoneState          string   `xml:"zoneState"`
			RegionName         string   `xml:"regionName"`
			ZoneID             string   `xml:"zoneId"`
			ZoneType           string   `xml:"zoneType"`
			OptInStatus        string   `xml:"optInStatus"`
			GroupName          string   `xml:"groupName"`
			NetworkBorderGroup string   `xml:"networkBorderGroup"`
			Messages           struct{} `xml:"messageSet"`
		}
		out := struct {
			Zones []zone `xml:"availabilityZoneInfo>item"`
		}{[]zone{}}
		for i, z := range ec2.Zones(c.Region) {
			if len(names) > 0 && !containsString(names, z) {
				continue
			}
			out.Zones = append(out.Zones, zone{ZoneName: z, ZoneState: "available", RegionName: c.Region,
				ZoneID: ec2.ZoneID(c.Region, i), ZoneType: "availability-zone", OptInStatus: "opt-in-not-required",
				GroupName: c.Region, NetworkBorderGroup: c.Region})
		}
		return out, nil
	}, nil
}
