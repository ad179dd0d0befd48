// Package cond owns the Condition element of IAM policies and policy variables: the request
// context that condition keys are looked up in, every condition operator family (String,
// Numeric, Date, Bool, Binary, IP address, ARN, Null) with the IfExists suffix and the
// ForAllValues/ForAnyValue set qualifiers, and templates, the compiled form of policy
// strings that may contain ${...} variables and wildcards.
//
// Conditions are compiled once (values parsed into numbers, instants, CIDR prefixes, ARN
// section patterns and templates) and evaluated against a Context without allocating in
// the common case. Where AWS documents no answer the choice is named in a test and marked
// with an "AWS:" comment. internal/policy imports this package; it imports internal/arn and
// internal/glob and is pure.
package cond
