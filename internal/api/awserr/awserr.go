// Package awserr is the one table that turns a failure into what an AWS client expects: an error
// code spelled as AWS spells it, the HTTP status that goes with it, and a client-safe message.
// Causes (wrapped errors) are for the log only and never reach the client.
package awserr

import (
	"errors"
	"fmt"
	"net/http"
)

// Code is an AWS error code as it appears on the wire.
type Code string

// Error codes shared by the Query services (IAM, STS), S3 and EC2.
const (
	AccessDenied                  Code = "AccessDenied"
	BadDigest                     Code = "BadDigest"
	BucketAlreadyExists           Code = "BucketAlreadyExists"
	BucketAlreadyOwnedByYou       Code = "BucketAlreadyOwnedByYou"
	BucketNotEmpty                Code = "BucketNotEmpty"
	ConcurrentModification        Code = "ConcurrentModification"
	DeleteConflict                Code = "DeleteConflict"
	EntityAlreadyExists           Code = "EntityAlreadyExists"
	EntityTemporarilyUnmodifiable Code = "EntityTemporarilyUnmodifiable"
	ExpiredToken                  Code = "ExpiredToken"
	ExpiredTokenException         Code = "ExpiredTokenException"
	IDPCommunicationError         Code = "IDPCommunicationError"
	IDPRejectedClaim              Code = "IDPRejectedClaim"
	IncompleteSignature           Code = "IncompleteSignature"
	InternalError                 Code = "InternalError"
	InternalFailure               Code = "InternalFailure"
	InvalidAccessKeyID            Code = "InvalidAccessKeyId"
	InvalidAction                 Code = "InvalidAction"
	InvalidArgument               Code = "InvalidArgument"
	InvalidAuthenticationCode     Code = "InvalidAuthenticationCode"
	InvalidAuthorizationMessage   Code = "InvalidAuthorizationMessageException"
	InvalidBucketName             Code = "InvalidBucketName"
	InvalidClientTokenID          Code = "InvalidClientTokenId"
	InvalidIdentityToken          Code = "InvalidIdentityToken"
	InvalidInput                  Code = "InvalidInput"
	InvalidParameterCombination   Code = "InvalidParameterCombination"
	InvalidParameterValue         Code = "InvalidParameterValue"
	InvalidRange                  Code = "InvalidRange"
	InvalidRequest                Code = "InvalidRequest"
	InvalidToken                  Code = "InvalidToken"
	LimitExceeded                 Code = "LimitExceeded"
	MalformedPolicy               Code = "MalformedPolicy"
	MalformedPolicyDocument       Code = "MalformedPolicyDocument"
	MalformedQueryString          Code = "MalformedQueryString"
	MalformedXML                  Code = "MalformedXML"
	MethodNotAllowed              Code = "MethodNotAllowed"
	MissingAction                 Code = "MissingAction"
	MissingAuthenticationToken    Code = "MissingAuthenticationToken"
	MissingParameter              Code = "MissingParameter"
	NoSuchBucket                  Code = "NoSuchBucket"
	NoSuchBucketPolicy            Code = "NoSuchBucketPolicy"
	NoSuchEntity                  Code = "NoSuchEntity"
	NoSuchKey                     Code = "NoSuchKey"
	NoSuchUpload                  Code = "NoSuchUpload"
	NotImplemented                Code = "NotImplemented"
	PackedPolicyTooLarge          Code = "PackedPolicyTooLarge"
	PolicyNotAttachable           Code = "PolicyNotAttachable"
	PreconditionFailed            Code = "PreconditionFailed"
	RequestExpired                Code = "RequestExpired"
	RequestTimeTooSkewed          Code = "RequestTimeTooSkewed"
	ServiceFailure                Code = "ServiceFailure"
	SignatureDoesNotMatch         Code = "SignatureDoesNotMatch"
	UnauthorizedOperation         Code = "UnauthorizedOperation"
	ValidationError               Code = "ValidationError"
	XAmzContentSHA256Mismatch     Code = "XAmzContentSHA256Mismatch"
	AuthorizationHeaderMalformed  Code = "AuthorizationHeaderMalformed"
	MissingSecurityHeader         Code = "MissingSecurityHeader"
	UnmodifiableEntity            Code = "UnmodifiableEntity"
	OpenIDIdpCommunicationError   Code = "OpenIdIdpCommunicationError"
	ServerSideEncryptionNotFound  Code = "ServerSideEncryptionConfigurationNotFoundError"

	// S3 codes.
	AuthorizationQueryParametersError    Code = "AuthorizationQueryParametersError"
	EntityTooLarge                       Code = "EntityTooLarge"
	EntityTooSmall                       Code = "EntityTooSmall"
	IllegalLocationConstraintException   Code = "IllegalLocationConstraintException"
	IncompleteBody                       Code = "IncompleteBody"
	InvalidBucketState                   Code = "InvalidBucketState"
	InvalidDigest                        Code = "InvalidDigest"
	InvalidLocationConstraint            Code = "InvalidLocationConstraint"
	InvalidPart                          Code = "InvalidPart"
	InvalidPartOrder                     Code = "InvalidPartOrder"
	InvalidPartNumber                    Code = "InvalidPartNumber"
	InvalidTag                           Code = "InvalidTag"
	KeyTooLongError                      Code = "KeyTooLongError"
	MalformedTrailerError                Code = "MalformedTrailerError"
	MetadataTooLarge                     Code = "MetadataTooLarge"
	MissingContentLength                 Code = "MissingContentLength"
	NoSuchCORSConfiguration              Code = "NoSuchCORSConfiguration"
	NoSuchLifecycleConfiguration         Code = "NoSuchLifecycleConfiguration"
	NoSuchPublicAccessBlockConfiguration Code = "NoSuchPublicAccessBlockConfiguration"
	NoSuchTagSet                         Code = "NoSuchTagSet"
	NoSuchWebsiteConfiguration           Code = "NoSuchWebsiteConfiguration"
	NotModified                          Code = "NotModified"
	ObjectLockConfigurationNotFound      Code = "ObjectLockConfigurationNotFoundError"
	OwnershipControlsNotFound            Code = "OwnershipControlsNotFoundError"
	ReplicationConfigurationNotFound     Code = "ReplicationConfigurationNotFoundError"
)

// statusOf holds the HTTP status of each code whose status does not follow from its class. Codes
// not listed are client faults answered with 400.
func statusOf(c Code) int {
	switch c {
	case AccessDenied, ExpiredToken, InvalidClientTokenID, MissingAuthenticationToken,
		SignatureDoesNotMatch, InvalidAccessKeyID, RequestTimeTooSkewed, IDPRejectedClaim,
		InvalidAuthenticationCode, UnauthorizedOperation:
		return http.StatusForbidden
	case NoSuchEntity, NoSuchBucket, NoSuchKey, NoSuchBucketPolicy, NoSuchUpload, MalformedQueryString,
		ServerSideEncryptionNotFound, NoSuchCORSConfiguration, NoSuchLifecycleConfiguration,
		NoSuchPublicAccessBlockConfiguration, NoSuchTagSet, NoSuchWebsiteConfiguration,
		ObjectLockConfigurationNotFound, OwnershipControlsNotFound, ReplicationConfigurationNotFound:
		return http.StatusNotFound
	case NotModified:
		return http.StatusNotModified
	case MissingContentLength:
		return http.StatusLengthRequired
	case EntityAlreadyExists, DeleteConflict, LimitExceeded, ConcurrentModification,
		EntityTemporarilyUnmodifiable, BucketAlreadyExists, BucketAlreadyOwnedByYou, BucketNotEmpty,
		InvalidBucketState:
		return http.StatusConflict
	case PreconditionFailed:
		return http.StatusPreconditionFailed
	case InvalidRange, InvalidPartNumber:
		return http.StatusRequestedRangeNotSatisfiable
	case MethodNotAllowed:
		return http.StatusMethodNotAllowed
	case NotImplemented:
		return http.StatusNotImplemented
	case InternalFailure, InternalError, ServiceFailure:
		return http.StatusInternalServerError
	}
	return http.StatusBadRequest
}

// Error is a failure as the client sees it. Cause is never sent to the client.
type Error struct {
	Code    Code
	Status  int
	Message string
	// Fields are extra elements some protocols add to the error body (S3's BucketName, Key,
	// StringToSign...), in order.
	Fields []Field
	Cause  error
}

// Field is one extra element of an error body.
type Field struct{ Name, Value string }

// New returns an error with code c, its usual status and message msg.
func New(c Code, msg string) *Error {
	return &Error{Code: c, Status: statusOf(c), Message: msg}
}

// Newf is New with a formatted message.
func Newf(c Code, format string, args ...any) *Error {
	return New(c, fmt.Sprintf(format, args...))
}

// WithStatus returns a copy of e answered with another HTTP status; the same code carries
// different statuses in different protocols (ExpiredToken is 403 in Query, 400 in S3).
func (e *Error) WithStatus(status int) *Error {
	c := *e
	c.Status = status
	return &c
}

// With returns a copy of e with an extra body field.
func (e *Error) With(name, value string) *Error {
	c := *e
	c.Fields = append(append([]Field(nil), e.Fields...), Field{name, value})
	return &c
}

// Wrap returns a copy of e that records cause for the log.
func (e *Error) Wrap(cause error) *Error {
	c := *e
	c.Cause = cause
	return &c
}

func (e *Error) Error() string {
	if e.Cause != nil {
		return string(e.Code) + ": " + e.Message + ": " + e.Cause.Error()
	}
	return string(e.Code) + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Cause }

// Sender reports whether the fault is the caller's (AWS's Type "Sender") rather than the server's.
func (e *Error) Sender() bool { return e.Status < 500 }

// From turns any error into an *Error: an *Error is returned as is, anything else becomes an
// internal failure whose cause is kept for the log only.
func From(err error, internal Code) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: internal, Status: http.StatusInternalServerError,
		Message: "We encountered an internal error. Please try again.", Cause: err}
}
