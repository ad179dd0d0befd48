package imds

import (
	"encoding/base64"
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"rolegate/internal/ec2"
)

// tree is the static part of an instance's metadata: documents by path under /latest/
// ("meta-data/instance-id"), built from an instance snapshot. The iam subtree depends on the
// moment and is served apart.
type tree map[string]string

// newTree builds the metadata documents of inst.
func newTree(inst *ec2.Instance) tree {
	t := tree{}
	md := func(path, v string) { t["meta-data/"+path] = v }
	mac := macOf(inst.ID)
	root := "/dev/xvda"
	if img, ok := ec2.LookupImage(inst.ImageID); ok {
		root = img.RootDevice
	}
	md("ami-id", inst.ImageID)
	md("ami-launch-index", strconv.Itoa(inst.LaunchIndex))
	md("ami-manifest-path", "(unknown)")
	md("block-device-mapping/ami", root)
	md("block-device-mapping/root", root)
	md("hostname", inst.PrivateDNSName())
	md("instance-action", "none")
	md("instance-id", inst.ID)
	md("instance-life-cycle", "on-demand")
	md("instance-type", inst.InstanceType)
	md("local-hostname", inst.PrivateDNSName())
	md("local-ipv4", inst.PrivateIP)
	md("mac", mac)
	md("network/interfaces/macs/"+mac+"/device-number", "0")
	md("network/interfaces/macs/"+mac+"/local-ipv4s", inst.PrivateIP)
	md("network/interfaces/macs/"+mac+"/mac", mac)
	md("network/interfaces/macs/"+mac+"/owner-id", inst.Account)
	md("placement/availability-zone", inst.AvailabilityZone)
	md("placement/region", inst.Region)
	md("profile", "default-hvm")
	md("reservation-id", inst.ReservationID)
	md("security-groups", "default")
	md("services/domain", "amazonaws.com")
	md("services/partition", "aws")
	if inst.Metadata.InstanceTags == ec2.Enabled {
		for _, tg := range inst.Tags {
			// Keys with a slash cannot be served as a path; AWS refuses to enable the option
			// for them.
			if !strings.Contains(tg.Key, "/") {
				md("tags/instance/"+tg.Key, tg.Value)
			}
		}
	}
	arch := "x86_64"
	if img, ok := ec2.LookupImage(inst.ImageID); ok {
		arch = img.Architecture
	}
	doc, _ := json.MarshalIndent(identityDocument{
		AccountID: inst.Account, Architecture: arch, AvailabilityZone: inst.AvailabilityZone, ImageID: inst.ImageID,
		InstanceID: inst.ID, InstanceType: inst.InstanceType, PendingTime: inst.LaunchTime.UTC().Format("2006-01-02T15:04:05Z"),
		PrivateIP: inst.PrivateIP, Region: inst.Region, Version: "2017-09-30",
	}, "", "  ")
	t["dynamic/instance-identity/document"] = string(doc)
	if inst.UserData != "" {
		if raw, err := base64.StdEncoding.DecodeString(inst.UserData); err == nil {
			t["user-data"] = string(raw)
		}
	}
	return t
}

// identityDocument is dynamic/instance-identity/document.
type identityDocument struct {
	AccountID               string   `json:"accountId"`
	Architecture            string   `json:"architecture"`
	AvailabilityZone        string   `json:"availabilityZone"`
	BillingProducts         []string `json:"billingProducts"`
	DevpayProductCodes      []string `json:"devpayProductCodes"`
	MarketplaceProductCodes []string `json:"marketplaceProductCodes"`
	ImageID                 string   `json:"imageId"`
	InstanceID              string   `json:"instanceId"`
	InstanceType            string   `json:"instanceType"`
	KernelID                *string  `json:"kernelId"`
	PendingTime             string   `json:"pendingTime"`
	PrivateIP               string   `json:"privateIp"`
	RamdiskID               *string  `json:"ramdiskId"`
	Region                  string   `json:"region"`
	Version                 string   `json:"version"`
}

// list returns the directory listing of dir ("meta-data/"): its children, sub-directories with a
// trailing slash, one per line. extra adds entries that are not in the tree (iam/).
func (t tree) list(dir string, extra ...string) (string, bool) {
	seen := map[string]bool{}
	for _, e := range extra {
		seen[e] = true
	}
	for k := range t {
		rest, ok := strings.CutPrefix(k, dir)
		if !ok {
			continue
		}
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			rest = rest[:i+1]
		}
		seen[rest] = true
	}
	if len(seen) == 0 {
		return "", false
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, "\n"), true
}

// macOf derives a stable locally administered MAC address from an instance ID.
func macOf(id string) string {
	h := strings.TrimPrefix(id, "i-")
	for len(h) < 10 {
		h += "0"
	}
	h = h[len(h)-10:]
	return "0e:" + h[0:2] + ":" + h[2:4] + ":" + h[4:6] + ":" + h[6:8] + ":" + h[8:10]
}
