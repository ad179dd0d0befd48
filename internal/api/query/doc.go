// Package query is the AWS Query protocol used by IAM and STS: reading form-encoded parameters
// (with member.N lists, structures and entry.N maps), checking them as the service models constrain
// them (ValidationError texts), and writing XML responses with the service namespace,
// ResponseMetadata/RequestId and the ErrorResponse envelope. EC2's dialect of the protocol
// (flattened lists, no Result wrapper, <requestId> under the root, the Response/Errors envelope and
// UnauthorizedOperation for denials) is a Dialect of the same Service.
package query
