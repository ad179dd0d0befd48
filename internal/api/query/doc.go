// Package query is the AWS Query protocol used by IAM and STS: reading form-encoded parameters
// (with member.N lists, structures and entry.N maps), checking them as the service models constrain
// them (ValidationError texts), and writing XML responses with the service namespace,
// ResponseMetadata/RequestId and the ErrorResponse envelope.
package query
