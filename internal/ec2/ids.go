package ec2

import (
	"strings"

	"rolegate/internal/api/awserr"
)

// Prefixes of EC2 resource IDs.
const (
	instancePrefix    = "i-"
	reservationPrefix = "r-"
	associationPrefix = "iip-assoc-"
	imagePrefix       = "ami-"
)

// isHex reports whether s is lower-case hexadecimal.
func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// validID reports whether id is prefix followed by 8 or 17 hexadecimal digits, the two lengths
// EC2 has used.
func validID(id, prefix string) bool {
	rest, ok := strings.CutPrefix(id, prefix)
	return ok && (len(rest) == 8 || len(rest) == 17) && isHex(rest)
}

// CheckInstanceID fails with InvalidInstanceID.Malformed unless id looks like an instance ID.
func CheckInstanceID(id string) error {
	if validID(id, instancePrefix) {
		return nil
	}
	return awserr.Newf(CodeInstanceMalformed, `Invalid id: "%s" (expecting "i-...")`, id)
}

// CheckImageID fails with InvalidAMIID.Malformed unless id looks like an image ID.
func CheckImageID(id string) error {
	if validID(id, imagePrefix) {
		return nil
	}
	return awserr.Newf(CodeAMIMalformed, `Invalid id: "%s" (expecting "ami-...")`, id)
}

// CheckAssociationID fails with InvalidParameterValue unless id looks like an association ID.
func CheckAssociationID(id string) error {
	if validID(id, associationPrefix) {
		return nil
	}
	return InvalidParameter("Invalid association ID: '%s'", id)
}

// IsInstanceID reports whether id looks like an instance ID.
func IsInstanceID(id string) bool { return validID(id, instancePrefix) }
