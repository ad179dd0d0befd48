package ec2

import (
	"time"
)

// Image is an AMI of the built-in catalog.
type Image struct {
	ID           string
	Name         string
	Description  string
	Owner        string // account ID of the publisher
	OwnerAlias   string // "amazon", or "" for others
	Architecture string // x86_64 or arm64
	Platform     string // "Linux/UNIX"
	Created      time.Time
	RootDevice   string // /dev/xvda or /dev/sda1
	VolumeSize   int    // GiB of the root volume
	// IMDSSupport is "v2.0" for images whose instances require IMDSv2 by default.
	IMDSSupport string
}

// InstanceType is an instance type of the built-in catalog.
type InstanceType struct {
	Name          string
	Architectures []string
	VCPUs         int
	Cores         int
	MemoryMiB     int
	Burstable     bool
	FreeTier      bool
	ClockGHz      float64
	Network       string // networkPerformance
}

// The catalog holds a few public images and the common instance types. Image IDs are made up:
// they name images of this catalog, not AWS's.
var (
	images = []Image{
		{ID: "ami-0a1b2c3d4e5f60001", Name: "al2023-ami-2023.6.20250115.0-kernel-6.1-x86_64", Description: "Amazon Linux 2023 AMI 2023.6.20250115.0 x86_64 HVM kernel-6.1",
			Owner: "137112412989", OwnerAlias: "amazon", Architecture: "x86_64", RootDevice: "/dev/xvda", VolumeSize: 8, IMDSSupport: "v2.0", Created: date(2025, 1, 15)},
		{ID: "ami-0a1b2c3d4e5f60002", Name: "al2023-ami-2023.6.20250115.0-kernel-6.1-arm64", Description: "Amazon Linux 2023 AMI 2023.6.20250115.0 arm64 HVM kernel-6.1",
			Owner: "137112412989", OwnerAlias: "amazon", Architecture: "arm64", RootDevice: "/dev/xvda", VolumeSize: 8, IMDSSupport: "v2.0", Created: date(2025, 1, 15)},
		{ID: "ami-0a1b2c3d4e5f60003", Name: "amzn2-ami-kernel-5.10-hvm-2.0.20250108.0-x86_64-gp2", Description: "Amazon Linux 2 Kernel 5.10 AMI 2.0.20250108.0 x86_64 HVM gp2",
			Owner: "137112412989", OwnerAlias: "amazon", Architecture: "x86_64", RootDevice: "/dev/xvda", VolumeSize: 8, Created: date(2025, 1, 8)},
		{ID: "ami-0a1b2c3d4e5f60004", Name: "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250112", Description: "Canonical, Ubuntu, 24.04, amd64 noble image",
			Owner: "099720109477", Architecture: "x86_64", RootDevice: "/dev/sda1", VolumeSize: 8, Created: date(2025, 1, 12)},
		{ID: "ami-0a1b2c3d4e5f60005", Name: "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20250112", Description: "Canonical, Ubuntu, 24.04, arm64 noble image",
			Owner: "099720109477", Architecture: "arm64", RootDevice: "/dev/sda1", VolumeSize: 8, Created: date(2025, 1, 12)},
		{ID: "ami-0a1b2c3d4e5f60006", Name: "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20250110", Description: "Canonical, Ubuntu, 22.04 LTS, amd64 jammy image",
			Owner: "099720109477", Architecture: "x86_64", RootDevice: "/dev/sda1", VolumeSize: 8, Created: date(2025, 1, 10)},
		{ID: "ami-0a1b2c3d4e5f60007", Name: "debian-12-amd64-20250112-1990", Description: "Debian 12 (20250112-1990)",
			Owner: "136693071363", Architecture: "x86_64", RootDevice: "/dev/xvda", VolumeSize: 8, Created: date(2025, 1, 12)},
	}
	instanceTypes = []InstanceType{
		{Name: "t2.micro", Architectures: []string{"i386", "x86_64"}, VCPUs: 1, Cores: 1, MemoryMiB: 1024, Burstable: true, FreeTier: true, ClockGHz: 2.5, Network: "Low to Moderate"},
		{Name: "t3.nano", Architectures: []string{"x86_64"}, VCPUs: 2, Cores: 1, MemoryMiB: 512, Burstable: true, ClockGHz: 2.5, Network: "Up to 5 Gigabit"},
		{Name: "t3.micro", Architectures: []string{"x86_64"}, VCPUs: 2, Cores: 1, MemoryMiB: 1024, Burstable: true, FreeTier: true, ClockGHz: 2.5, Network: "Up to 5 Gigabit"},
		{Name: "t3.small", Architectures: []string{"x86_64"}, VCPUs: 2, Cores: 1, MemoryMiB: 2048, Burstable: true, ClockGHz: 2.5, Network: "Up to 5 Gigabit"},
		{Name: "t3.medium", Architectures: []string{"x86_64"}, VCPUs: 2, Cores: 1, MemoryMiB: 4096, Burstable: true, ClockGHz: 2.5, Network: "Up to 5 Gigabit"},
		{Name: "t3.large", Architectures: []string{"x86_64"}, VCPUs: 2, Cores: 1, MemoryMiB: 8192, Burstable: true, ClockGHz: 2.5, Network: "Up to 5 Gigabit"},
		{Name: "t4g.micro", Architectures: []string{"arm64"}, VCPUs: 2, Cores: 2, MemoryMiB: 1024, Burstable: true, ClockGHz: 2.5, Network: "Up to 5 Gigabit"},
		{Name: "t4g.small", Architectures: []string{"arm64"}, VCPUs: 2, Cores: 2, MemoryMiB: 2048, Burstable: true, ClockGHz: 2.5, Network: "Up to 5 Gigabit"},
		{Name: "m5.large", Architectures: []string{"x86_64"}, VCPUs: 2, Cores: 1, MemoryMiB: 8192, ClockGHz: 3.1, Network: "Up to 10 Gigabit"},
		{Name: "m5.xlarge", Architectures: []string{"x86_64"}, VCPUs: 4, Cores: 2, MemoryMiB: 16384, ClockGHz: 3.1, Network: "Up to 10 Gigabit"},
		{Name: "m6g.large", Architectures: []string{"arm64"}, VCPUs: 2, Cores: 2, MemoryMiB: 8192, ClockGHz: 2.5, Network: "Up to 10 Gigabit"},
		{Name: "c5.large", Architectures: []string{"x86_64"}, VCPUs: 2, Cores: 1, MemoryMiB: 4096, ClockGHz: 3.4, Network: "Up to 10 Gigabit"},
		{Name: "r5.large", Architectures: []string{"x86_64"}, VCPUs: 2, Cores: 1, MemoryMiB: 16384, ClockGHz: 3.1, Network: "Up to 10 Gigabit"},
	}
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// Images returns the catalog's images.
func Images() []Image { return append([]Image(nil), images...) }

// LookupImage returns the image with id.
func LookupImage(id string) (Image, bool) {
	for _, im := range images {
		if im.ID == id {
			return im, true
		}
	}
	return Image{}, false
}

// InstanceTypes returns the catalog's instance types.
func InstanceTypes() []InstanceType { return append([]InstanceType(nil), instanceTypes...) }

// LookupInstanceType returns the instance type named name.
func LookupInstanceType(name string) (InstanceType, bool) {
	for _, t := range instanceTypes {
		if t.Name == name {
			return t, true
		}
	}
	return InstanceType{}, false
}

// Supports reports whether the type runs images of architecture arch.
func (t InstanceType) Supports(arch string) bool {
	for _, a := range t.Architectures {
		if a == arch {
			return true
		}
	}
	return false
}
