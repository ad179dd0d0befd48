// Package iamapi is the IAM service on the wire: one operation-table row per IAM action, each
// decoding and checking its Query parameters as the service model constrains them, naming the
// IAM action, resource ARN and condition keys it must be authorized for, calling the iam domain
// service, and shaping the XML result as AWS does (URL-encoded policy documents, omitted absent
// members, Marker/IsTruncated pagination).
package iamapi
