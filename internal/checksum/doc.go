// Package checksum owns the S3 flexible checksums (CRC32, CRC32C, CRC64NVME, SHA1, SHA256): their
// names on the wire, their base64 encoding, incremental computation, and readers that compare a
// streamed body against the value a client sent in an x-amz-checksum-<alg> header or trailer.
//
// The package is pure (no I/O of its own, no clock) and may be imported by anything; sigv4 uses it
// to check aws-chunked trailers and the S3 API uses it to store and return object checksums.
package checksum
