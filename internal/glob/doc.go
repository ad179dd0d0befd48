// Package glob matches strings against IAM wildcard patterns: `*` matches any run of
// characters (including none) and `?` matches exactly one character.
//
// It owns nothing but the matching algorithm. Patterns are compiled once into pieces and
// matched without allocation and without backtracking: the pieces between stars are placed
// left to right at their earliest position, which is optimal for patterns made of stars and
// fixed-length chunks, so a match costs O(len(s)·len(pattern)) in the worst case and never
// explodes the way a backtracking or regexp-based matcher can on inputs like `*a*a*a*b`.
//
// Policy variables, IAM case rules and ARN sections are the callers' business
// (internal/policy/cond, internal/policy); this package is imported by them and by
// internal/arn. It is pure: no I/O, no clock.
package glob
