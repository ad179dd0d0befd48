// Package policy owns IAM policy documents: their model (Document, Statement, Principals,
// Conditions), reading them from JSON leniently for stored documents (Parse) and strictly
// for new ones with AWS's MalformedPolicyDocument messages, element rules per policy kind
// and size limits (Validate), writing them back (Document.MarshalJSON), and compiling them
// once into immutable matchers (Compile, NewSet) that decide whether a statement applies to
// a request.
//
// A compiled statement holds pre-split action globs, ARN section patterns, principal
// lists and compiled conditions (internal/policy/cond); a Set indexes the statements of
// many policies by service prefix so that evaluation cost does not grow with unrelated
// policies, and evaluation allocates nothing. Combining policy kinds into a decision is
// internal/authz's job. The package is pure: no I/O, no clock.
package policy
