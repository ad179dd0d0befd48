package policy

// Error is a policy document that AWS would reject. Its message is exactly AWS's text, so
// the API can return it verbatim with Code; Path says where the problem is, for logs.
type Error struct {
	// Code is the AWS error code: MalformedPolicyDocument (IAM, STS), MalformedPolicy
	// (resource policies, S3 style), MalformedPolicyDocumentException (Organizations),
	// LimitExceeded (IAM size quotas), ValidationError (parameter constraints),
	// ConstraintViolationException (Organizations size quota) or PolicyTooLarge (S3).
	Code    string
	Message string
	Path    string
}

// Error returns the AWS message.
func (e *Error) Error() string { return e.Message }

// AWS error codes carried by Error.
const (
	CodeMalformed      = "MalformedPolicyDocument"
	CodeMalformedS3    = "MalformedPolicy"
	CodeMalformedOrgs  = "MalformedPolicyDocumentException"
	CodeLimitExceeded  = "LimitExceeded"
	CodeValidation     = "ValidationError"
	CodeConstraintOrgs = "ConstraintViolationException"
	CodePolicyTooLarge = "PolicyTooLarge"
)

// AWS messages. IAM's texts come from real MalformedPolicyDocument responses (moto's
// corpus mirrors them); trust-policy and S3 texts from widely reported responses.
const (
	MsgSyntax              = "Syntax errors in policy."
	MsgVersion             = "Policy document must be version 2012-10-17 or greater."
	MsgLegacy              = "The policy failed legacy parsing"
	MsgDuplicateSid        = "Statement IDs (SID) in a single policy must be unique."
	MsgSidCharset          = "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*"
	MsgNoActions           = "Policy statement must contain actions."
	MsgNoResources         = "Policy statement must contain resources."
	MsgNoPrincipalAllowed  = "Policy document should not specify a principal."
	MsgActionVendor        = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
	MsgActionColons        = "Actions/Condition can contain only one colon."
	MsgResourceVendor      = "Resource vendor must be fully qualified and cannot contain regexes."
	MsgInvalidJSON         = "This policy contains invalid Json"
	MsgTrustResource       = "Has prohibited field Resource"
	MsgTrustNotResource    = "AssumeRole policy must not contain resources."
	MsgTrustActions        = "AssumeRole policy may only specify STS AssumeRole actions."
	MsgTrustNoPrincipal    = "Missing required field Principal"
	MsgTrustEmptyPrincipal = "Missing required field Principal cannot be empty!"
	MsgAllowNotPrincipal   = "Allow with NotPrincipal is not allowed."
	MsgEmptyStatement      = "Could not parse the policy: Statement is empty!"
	MsgS3FirstByte         = "Policies must be valid JSON and the first byte must be '{'"
	MsgS3NoStatement       = "Missing required field Statement"
	MsgS3NoEffect          = "Missing required field Effect"
	MsgS3NoAction          = "Missing required field Action"
	MsgS3InvalidAction     = "Policy has invalid action"
	MsgS3InvalidResource   = "Policy has invalid resource"
	MsgS3InvalidPrincipal  = "Invalid principal in policy"
	MsgPolicyTooLarge      = "Policy exceeds the maximum allowed document size."
	MsgOrgs                = "The provided policy document does not meet the requirements of the specified policy type."
	MsgOrgsTooLarge        = "You attempted to create a policy that is larger than the maximum size."
	MsgCharset             = "Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+"
)

// InvalidPrincipal returns IAM's error for a principal that is malformed or, as the caller
// finds out from its store, does not exist: `Invalid principal in policy: "AWS":"arn:..."`.
func InvalidPrincipal(typ, value string) *Error {
	return &Error{Code: CodeMalformed, Message: `Invalid principal in policy: "` + typ + `":"` + value + `"`}
}
