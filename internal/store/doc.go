// Package store is rolegate's persistence boundary: an ordered, transactional key-value space
// split into named tables, on which the services (iam, sts, s3, ec2) keep their aggregates.
//
// Drivers live in sub-packages (store/sqlite is the embedded default) and every driver passes the
// conformance suite in store/storetest. Services never see SQL: they read and write encoded records
// by key inside a transaction, so an aggregate and the index records that point at it always change
// together.
//
// Keys are non-empty byte strings held in Go strings: any byte may appear, including NUL, '/',
// '%', '_' and bytes that are not valid UTF-8. Keys order by plain byte comparison (the order of
// Go's < on strings), never by a collation, and no byte has a special meaning to prefix matching.
// The empty key is not a key: Scan uses "" to mean "from the start", so a record under "" could
// never be paged past; writes under it MUST fail and reads find nothing. Values are arbitrary byte slices; a nil and an
// empty value are the same value. Drivers MUST accept keys up to at least 1 KiB and values up to
// at least 16 MiB.
//
// This package holds only the contract; it is imported by the services and by the drivers.
package store
