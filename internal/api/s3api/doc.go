// Package s3api is the HTTP face of rolegate's S3: it reads REST-XML requests (path-style and
// virtual-hosted), names each request's operation from a table that gives the IAM action, the
// resource ARN and the S3 condition keys, asks the gate before anything is done, then calls
// package s3 and writes S3's XML responses and errors (authentication failures in S3's own
// codes included).
package s3api
