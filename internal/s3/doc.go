// Package s3 is rolegate's object store: buckets (global names owned by the account that created
// them, with their region, policy, tags and versioning status), object metadata, object data
// files and multipart uploads. Metadata lives in the store; object bytes live in files under one
// directory, named by random id, written to a temporary file, synced and renamed before the
// metadata that names them is committed, so an acknowledged write survives a crash and an
// interrupted one is never visible. Files no metadata names are removed when the service opens.
package s3
