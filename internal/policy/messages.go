package policy

// errorFor turns a structural problem into the error the service that owns documents of
// kind k returns. IAM answers almost everything with "Syntax errors in policy."; trust
// policies, S3-style resource policies and Organizations have their own texts.
func (p *problem) errorFor(k Kind) *Error {
	switch {
	case k.isOrgs():
		return &Error{Code: CodeMalformedOrgs, Message: MsgOrgs, Path: p.path}
	case k == Resource:
		return &Error{Code: CodeMalformedS3, Message: p.s3Message(), Path: p.path}
	}
	msg := MsgSyntax
	switch p.kind {
	case probEffectCase:
		msg = MsgLegacy
	case probInvalidJSON, probNotObject:
		if k == Trust {
			msg = MsgInvalidJSON
		}
	case probEmptyStatement:
		if k == Trust {
			msg = MsgEmptyStatement
		}
	}
	return &Error{Code: CodeMalformed, Message: msg, Path: p.path}
}

// s3Message is the MalformedPolicy text S3 gives for the problem.
func (p *problem) s3Message() string {
	switch p.kind {
	case probNotObject:
		return MsgS3FirstByte
	case probNoStatement:
		return MsgS3NoStatement
	case probEmptyStatement:
		return MsgEmptyStatement
	case probUnknownField:
		return "Unknown field " + p.detail
	case probNoEffect:
		return MsgS3NoEffect
	case probBadEffect, probEffectCase:
		return "Invalid effect: " + p.detail
	case probBothAction:
		return MsgS3InvalidAction
	case probBothResource:
		return MsgS3InvalidResource
	case probBothPrincipal:
		return MsgS3InvalidPrincipal
	case probUnknownOperator:
		return "Policy has an invalid condition key"
	}
	return MsgInvalidJSON
}
