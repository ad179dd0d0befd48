package ec2

import (
	"strings"

	"rolegate/internal/api/awserr"
)

// EC2 error codes (all answered with HTTP 400).
const (
	CodeInstanceNotFound      awserr.Code = "InvalidInstanceID.NotFound"
	CodeInstanceMalformed     awserr.Code = "InvalidInstanceID.Malformed"
	CodeIncorrectState        awserr.Code = "IncorrectInstanceState"
	CodeIncorrectAssocState   awserr.Code = "IncorrectState"
	CodeAMINotFound           awserr.Code = "InvalidAMIID.NotFound"
	CodeAMIMalformed          awserr.Code = "InvalidAMIID.Malformed"
	CodeAssociationNotFound   awserr.Code = "InvalidAssociationID.NotFound"
	CodeInvalidID             awserr.Code = "InvalidID"
	CodeOperationNotPermitted awserr.Code = "OperationNotPermitted"
	CodeInvalidInstanceType   awserr.Code = "InvalidInstanceType"
	CodeInvalidNextToken      awserr.Code = "InvalidNextToken"
	CodeTagLimitExceeded      awserr.Code = "TagLimitExceeded"
	CodeIdempotentMismatch    awserr.Code = "IdempotentParameterMismatch"
)

// instancesNotFound is EC2's error for instance IDs that do not exist.
func instancesNotFound(ids []string) error {
	if len(ids) == 1 {
		return awserr.Newf(CodeInstanceNotFound, "The instance ID '%s' does not exist", ids[0])
	}
	return awserr.Newf(CodeInstanceNotFound, "The instance IDs '%s' do not exist", strings.Join(ids, ", "))
}

// InvalidParameter is EC2's InvalidParameterValue.
func InvalidParameter(format string, args ...any) error {
	return awserr.Newf(awserr.InvalidParameterValue, format, args...)
}
