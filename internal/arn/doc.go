// Package arn owns the shape of Amazon Resource Names: splitting an ARN into its partition,
// service, region, account and resource sections, formatting it back, and the few facts
// about ARN sections that other packages must agree on (account ids, IAM resource types).
//
// Matching ARNs against policy patterns is done section by section by internal/policy and
// internal/policy/cond with internal/glob; this package only provides the split. Parsing
// allocates nothing, so it can be used on every request. The package is pure.
package arn
