package ec2

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"unicode/utf8"

	"rolegate/internal/api/awserr"
	"rolegate/internal/store"
)

// MaxTags is the most tags a resource holds.
const MaxTags = 50

// CheckTags validates tags as EC2 does: keys of 1..128 characters that do not start with "aws:",
// values of at most 256, no key twice.
func CheckTags(tags []Tag) error {
	seen := map[string]bool{}
	for _, t := range tags {
		switch n := utf8.RuneCountInString(t.Key); {
		case n == 0:
			return InvalidParameter("Tag key cannot be empty")
		case n > 128:
			return InvalidParameter("Tag key exceeds the maximum length of 128 characters")
		}
		if strings.HasPrefix(strings.ToLower(t.Key), "aws:") {
			return InvalidParameter("Tag keys starting with 'aws:' are reserved for internal use")
		}
		if utf8.RuneCountInString(t.Value) > 256 {
			return InvalidParameter("Tag value exceeds the maximum length of 256 characters")
		}
		if seen[t.Key] {
			return InvalidParameter("The tag '%s' was specified more than once", t.Key)
		}
		seen[t.Key] = true
	}
	if len(tags) > MaxTags {
		return awserr.New(CodeTagLimitExceeded, "The maximum number of Tags for a resource has been reached.")
	}
	return nil
}

// checkTaggable fails unless every resource ID is an instance ID (the only taggable resource
// here).
func checkTaggable(ids []string) error {
	for _, id := range ids {
		if !IsInstanceID(id) {
			return awserr.Newf(CodeInvalidID, "The ID '%s' is not valid", id)
		}
	}
	return nil
}

// CreateTags adds or overwrites tags on instances.
func (s *Service) CreateTags(ctx context.Context, account, region string, ids []string, tags []Tag) error {
	if err := checkTaggable(ids); err != nil {
		return err
	}
	if err := CheckTags(tags); err != nil {
		return err
	}
	return s.mutate(ctx, account, region, ids, func(in *Instance) error {
		for _, t := range tags {
			replaced := false
			for i := range in.Tags {
				if in.Tags[i].Key == t.Key {
					in.Tags[i].Value, replaced = t.Value, true
				}
			}
			if !replaced {
				in.Tags = append(in.Tags, t)
			}
		}
		if len(in.Tags) > MaxTags {
			return awserr.New(CodeTagLimitExceeded, "The maximum number of Tags for a resource has been reached.")
		}
		return nil
	})
}

// TagDeletion names a tag to delete: its key, and when HasValue, only if it has that value.
type TagDeletion struct {
	Key      string
	Value    string
	HasValue bool
}

// DeleteTags removes tags from instances; with no deletions it removes every tag.
func (s *Service) DeleteTags(ctx context.Context, account, region string, ids []string, del []TagDeletion) error {
	if err := checkTaggable(ids); err != nil {
		return err
	}
	return s.mutate(ctx, account, region, ids, func(in *Instance) error {
		kept := in.Tags[:0]
		for _, t := range in.Tags {
			if !deleted(t, del) {
				kept = append(kept, t)
			}
		}
		in.Tags = kept
		return nil
	})
}

func deleted(t Tag, del []TagDeletion) bool {
	if len(del) == 0 {
		return true
	}
	for _, d := range del {
		if d.Key == t.Key && (!d.HasValue || d.Value == t.Value) {
			return true
		}
	}
	return false
}

// ResourceTag is one tag of one resource, as DescribeTags lists it.
type ResourceTag struct {
	ResourceID   string
	ResourceType string
	Key, Value   string
}

// Tags lists the tags of account's instances in region, selected by the filters resource-id,
// resource-type, key, value and tag:KEY.
func (s *Service) Tags(ctx context.Context, account, region string, fs []Filter) ([]ResourceTag, error) {
	for _, f := range fs {
		switch {
		case f.Name == "resource-id", f.Name == "resource-type", f.Name == "key", f.Name == "value",
			strings.HasPrefix(f.Name, "tag:"):
		default:
			return nil, InvalidParameter("The filter '%s' is invalid", f.Name)
		}
	}
	var out []ResourceTag
	now := s.now()
	err := s.cfg.Store.View(ctx, func(tx store.Tx) error {
		return tx.Scan(tInstance, account+"/", "", 0, func(_ string, v []byte) error {
			var in Instance
			if err := json.Unmarshal(v, &in); err != nil {
				return err
			}
			if !visible(&in, region, now) {
				return nil
			}
			for _, t := range in.Tags {
				rt := ResourceTag{ResourceID: in.ID, ResourceType: "instance", Key: t.Key, Value: t.Value}
				if matchTag(rt, in.Tags, fs) {
					out = append(out, rt)
				}
			}
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool {
		if out[i].ResourceID != out[j].ResourceID {
			return out[i].ResourceID < out[j].ResourceID
		}
		return out[i].Key < out[j].Key
	})
	return out, err
}

func matchTag(rt ResourceTag, all []Tag, fs []Filter) bool {
	for _, f := range fs {
		var ok bool
		switch f.Name {
		case "resource-id":
			ok = f.matchAny(rt.ResourceID)
		case "resource-type":
			ok = f.matchAny(rt.ResourceType)
		case "key":
			ok = f.matchAny(rt.Key)
		case "value":
			ok = f.matchAny(rt.Value)
		default:
			ok, _ = f.matchTags(all)
		}
		if !ok {
			return false
		}
	}
	return true
}
