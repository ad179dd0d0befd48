package iam

import (
	"strings"

	"rolegate/internal/api/awserr"
)

// maxTags is the quota of tags per IAM entity.
const maxTags = 50

// mergeTags adds or replaces tags (keys compare case-insensitively, the new spelling wins) and
// enforces the 50-tag quota.
func mergeTags(have, add []Tag) ([]Tag, error) {
	if err := checkDuplicateTagKeys(add); err != nil {
		return nil, err
	}
	out := append([]Tag(nil), have...)
	for _, t := range add {
		replaced := false
		for i := range out {
			if strings.EqualFold(out[i].Key, t.Key) {
				out[i] = t
				replaced = true
				break
			}
		}
		if !replaced {
			out = append(out, t)
		}
	}
	if len(out) > maxTags {
		return nil, awserr.Newf(awserr.LimitExceeded, "The number of tags has reached the maximum limit.")
	}
	return out, nil
}

// removeTags drops the tags whose keys are listed (case-insensitively).
func removeTags(have []Tag, keys []string) []Tag {
	var out []Tag
	for _, t := range have {
		drop := false
		for _, k := range keys {
			if strings.EqualFold(t.Key, k) {
				drop = true
				break
			}
		}
		if !drop {
			out = append(out, t)
		}
	}
	return out
}

// checkDuplicateTagKeys rejects a tag list that names a key twice, case-insensitively.
func checkDuplicateTagKeys(tags []Tag) error {
	for i := range tags {
		for j := i + 1; j < len(tags); j++ {
			if strings.EqualFold(tags[i].Key, tags[j].Key) {
				return awserr.New(awserr.InvalidInput, "Duplicate tag keys found. Please note that Tag keys are case insensitive.")
			}
		}
	}
	return nil
}

// CheckNewTags validates the tags of a create call.
func CheckNewTags(tags []Tag) error {
	if err := checkDuplicateTagKeys(tags); err != nil {
		return err
	}
	if len(tags) > maxTags {
		return awserr.New(awserr.LimitExceeded, "The number of tags has reached the maximum limit.")
	}
	return nil
}

// MergeTags adds or replaces tags as the Tag* operations do (keys compare case-insensitively, at
// most 50 tags), for entities changed through a Modify function such as ModifyOIDCProvider.
func MergeTags(have, add []Tag) ([]Tag, error) { return mergeTags(have, add) }

// RemoveTags drops the tags whose keys are listed (case-insensitively), as the Untag* operations do.
func RemoveTags(have []Tag, keys []string) []Tag { return removeTags(have, keys) }
