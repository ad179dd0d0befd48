// Package sigv4 owns AWS Signature Version 4: parsing the Authorization header and presigned
// query parameters, rebuilding the canonical request, checking signatures and clock skew,
// deriving and caching signing keys, decoding aws-chunked S3 bodies (signed chunks, trailers,
// checksums), and signing requests for rolegate's own clients.
//
// The package is pure: it imports no net/http and no os, and never reads the clock; callers pass
// the current time. Servers adapt an HTTP request to a Request, call Parse, look up the secret for
// Auth.AccessKeyID, derive the key (KeyCache), then call Verify and, for S3 bodies, read through
// NewBodyReader. Failures are *Error values that wrap one of the Err* sentinels and carry what
// each AWS protocol needs to render its own error.
package sigv4
