package ec2

import (
	"strconv"
	"strings"

	"rolegate/internal/glob"
)

// Filter is one Filter.N of a Describe call: the resource matches when the named attribute has
// any of the values. Values may use the wildcards * and ?.
type Filter struct {
	Name   string
	Values []string
}

// matchAny reports whether any of the filter's values matches v.
func (f Filter) matchAny(v string) bool {
	for _, pat := range f.Values {
		if !strings.ContainsAny(pat, "*?") {
			if pat == v {
				return true
			}
			continue
		}
		g := glob.Compile(pat, false)
		if g.Match(v) {
			return true
		}
	}
	return false
}

// matchTags applies the tag filters (tag:KEY, tag-key, tag-value) to tags; ok is false when name
// is not a tag filter.
func (f Filter) matchTags(tags []Tag) (match, ok bool) {
	switch {
	case strings.HasPrefix(f.Name, "tag:"):
		key := f.Name[len("tag:"):]
		for _, t := range tags {
			if t.Key == key && f.matchAny(t.Value) {
				return true, true
			}
		}
		return false, true
	case f.Name == "tag-key":
		for _, t := range tags {
			if f.matchAny(t.Key) {
				return true, true
			}
		}
		return false, true
	case f.Name == "tag-value":
		for _, t := range tags {
			if f.matchAny(t.Value) {
				return true, true
			}
		}
		return false, true
	}
	return false, false
}

// instanceAttribute returns the value of an instance filter, and whether the filter exists.
func instanceAttribute(in *Instance, name string) (string, bool) {
	switch name {
	case "instance-id":
		return in.ID, true
	case "instance-state-name":
		return string(in.State), true
	case "instance-state-code":
		return strconv.Itoa(in.State.Code()), true
	case "image-id":
		return in.ImageID, true
	case "instance-type":
		return in.InstanceType, true
	case "availability-zone", "placement.availability-zone":
		return in.AvailabilityZone, true
	case "reservation-id":
		return in.ReservationID, true
	case "owner-id":
		return in.Account, true
	case "private-ip-address", "network-interface.addresses.private-ip-address":
		return in.PrivateIP, true
	case "private-dns-name":
		return in.PrivateDNSName(), true
	case "dns-name":
		return in.MetadataEndpoint(), true
	case "key-name":
		return in.KeyName, true
	case "client-token":
		return in.ClientToken, true
	case "metadata-options.http-tokens":
		return in.Metadata.HTTPTokens, true
	case "metadata-options.http-endpoint":
		return in.Metadata.HTTPEndpoint, true
	case "iam-instance-profile.arn":
		if in.Profile == nil {
			return "", true
		}
		return in.Profile.ProfileARN, true
	case "iam-instance-profile.id":
		if in.Profile == nil {
			return "", true
		}
		return in.Profile.ProfileID, true
	}
	return "", false
}

// checkInstanceFilters rejects filter names DescribeInstances does not know.
func checkInstanceFilters(fs []Filter) error {
	for _, f := range fs {
		if _, ok := f.matchTags(nil); ok {
			continue
		}
		if _, ok := instanceAttribute(&Instance{}, f.Name); !ok {
			return InvalidParameter("The filter '%s' is invalid", f.Name)
		}
	}
	return nil
}

// matchInstance reports whether in passes every filter.
func matchInstance(in *Instance, fs []Filter) bool {
	for _, f := range fs {
		if m, ok := f.matchTags(in.Tags); ok {
			if !m {
				return false
			}
			continue
		}
		v, _ := instanceAttribute(in, f.Name)
		if !f.matchAny(v) {
			return false
		}
	}
	return true
}
