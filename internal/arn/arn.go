package arn

import (
	"errors"
	"fmt"
	"strings"
)

// ErrMalformed is returned (wrapped) by Parse for a string that is not an ARN.
var ErrMalformed = errors.New("arn: malformed ARN")

// ARN is an Amazon Resource Name split into its sections:
// arn:Partition:Service:Region:Account:Resource. The resource section is everything after
// the fifth colon and may itself contain colons and slashes.
type ARN struct {
	Partition string
	Service   string
	Region    string
	Account   string
	Resource  string
}

// Parse splits s into an ARN. It requires the "arn" prefix, six sections and a non-empty
// partition and service; region, account and resource may be empty, as in S3 and IAM ARNs.
func Parse(s string) (ARN, error) {
	a, ok := Split(s)
	if !ok {
		return ARN{}, fmt.Errorf("%w: %q", ErrMalformed, s)
	}
	return a, nil
}

// Split is Parse without the error value, for hot paths: it allocates nothing.
func Split(s string) (ARN, bool) {
	rest, ok := strings.CutPrefix(s, "arn:")
	if !ok {
		return ARN{}, false
	}
	var sec [4]string
	for i := range sec {
		j := strings.IndexByte(rest, ':')
		if j < 0 {
			return ARN{}, false
		}
		sec[i], rest = rest[:j], rest[j+1:]
	}
	if sec[0] == "" || sec[1] == "" {
		return ARN{}, false
	}
	return ARN{Partition: sec[0], Service: sec[1], Region: sec[2], Account: sec[3], Resource: rest}, true
}

// String formats the ARN.
func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.Account + ":" + a.Resource
}

// ResourceType returns the resource section up to its first slash or colon: "user" for
// arn:aws:iam::111122223333:user/alice, "root" for an account root ARN.
func (a ARN) ResourceType() string {
	if i := strings.IndexAny(a.Resource, "/:"); i >= 0 {
		return a.Resource[:i]
	}
	return a.Resource
}

// IsAccountID reports whether s is a 12-digit AWS account id.
func IsAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// IsPartition reports whether p is an AWS partition name this implementation knows.
func IsPartition(p string) bool {
	switch p {
	case "aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc":
		return true
	}
	return false
}

// Root returns the ARN of the root user of account in partition.
func Root(partition, account string) string {
	return "arn:" + partition + ":iam::" + account + ":root"
}
