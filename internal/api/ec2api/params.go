package ec2api

import (
	"strconv"
	"strings"

	"rolegate/internal/api/awserr"
	"rolegate/internal/api/query"
	"rolegate/internal/ec2"
	"rolegate/internal/gate"
)

// filters reads Filter.N.Name and Filter.N.Value.M.
func filters(p query.Params) ([]ec2.Filter, error) {
	var out []ec2.Filter
	for _, f := range p.FlatStructs("Filter") {
		name := f.String("Name")
		if name == "" {
			return nil, awserr.New(awserr.InvalidParameterValue, "The filter 'null' is invalid")
		}
		out = append(out, ec2.Filter{Name: name, Values: f.Flat("Value")})
	}
	return out, nil
}

// tagList reads Name.N.Key and Name.N.Value.
func tagList(p query.Params, name string) []ec2.Tag {
	var out []ec2.Tag
	for _, t := range p.FlatStructs(name) {
		out = append(out, ec2.Tag{Key: t.String("Key"), Value: t.String("Value")})
	}
	return out
}

// tagSpecifications reads TagSpecification.N: the tags of the instance (other resource types of
// a launch are accepted and ignored: there are no volumes or interfaces here).
func tagSpecifications(p query.Params) ([]ec2.Tag, error) {
	var out []ec2.Tag
	for _, spec := range p.FlatStructs("TagSpecification") {
		switch rt := spec.String("ResourceType"); rt {
		case "instance":
			out = append(out, tagList(spec, "Tag")...)
		case "volume", "network-interface", "spot-instances-request", "elastic-gpu":
		case "":
			return nil, missing("TagSpecification.ResourceType")
		default:
			return nil, awserr.Newf(awserr.InvalidParameterValue, "'%s' is not a valid taggable resource type for this operation.", rt)
		}
	}
	return out, ec2.CheckTags(out)
}

// requestTagKeys are the aws:RequestTag/… and aws:TagKeys keys of tags being set.
func requestTagKeys(tags []ec2.Tag) []gate.Key {
	if len(tags) == 0 {
		return nil
	}
	keys := make([]gate.Key, 0, len(tags)+1)
	names := make([]string, 0, len(tags))
	for _, t := range tags {
		keys = append(keys, gate.Key{Name: "aws:RequestTag/" + t.Key, Values: []string{t.Value}})
		names = append(names, t.Key)
	}
	return append(keys, gate.Key{Name: "aws:TagKeys", Values: names})
}

// intParam parses an integer parameter; ok is false when it was not sent.
func intParam(p query.Params, name string) (n int, ok bool, err error) {
	s, sent := p.Opt(name)
	if !sent {
		return 0, false, nil
	}
	v, perr := strconv.Atoi(strings.TrimSpace(s))
	if perr != nil {
		return 0, true, awserr.Newf(awserr.InvalidParameterValue, "Invalid value '%s' for %s", s, name)
	}
	return v, true, nil
}

// boolParam parses a boolean parameter; nil when it was not sent.
func boolParam(p query.Params, name string) (*bool, error) {
	s, sent := p.Opt(name)
	if !sent {
		return nil, nil
	}
	switch strings.ToLower(s) {
	case "true":
		v := true
		return &v, nil
	case "false":
		v := false
		return &v, nil
	}
	return nil, awserr.Newf(awserr.InvalidParameterValue, "Invalid value '%s' for %s", s, name)
}

// enumParam checks an optional enumerated parameter.
func enumParam(p query.Params, name string, allowed ...string) (string, error) {
	s, sent := p.Opt(name)
	if !sent {
		return "", nil
	}
	for _, a := range allowed {
		if s == a {
			return s, nil
		}
	}
	return "", awserr.Newf(awserr.InvalidParameterValue, "Invalid value '%s' for %s. Valid values: %s", s, name, strings.Join(allowed, ", "))
}

// maxResults reads MaxResults within [min, max]; 0 when not sent.
func maxResults(p query.Params, min, max int) (int, error) {
	n, ok, err := intParam(p, "MaxResults")
	if err != nil || !ok {
		return 0, err
	}
	if n < min || n > max {
		return 0, awserr.Newf(awserr.InvalidParameterValue, "Value ( %d ) for parameter maxResults is invalid. Expecting a value between %d and %d.", n, min, max)
	}
	return n, nil
}
