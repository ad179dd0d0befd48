// Package authz is the evaluator: Decide combines every kind of policy in play for a
// request — identity policies, the resource-based policy (bucket policy, key policy, role
// trust policy), the permissions boundary, session policies, service control policies
// level by level and resource control policies — into one Decision: allowed, explicitDeny
// or implicitDeny, the statements that decided it and AWS's AccessDenied sentence.
//
// It owns AWS's combination rules: explicit deny wins; every SCP and RCP level must
// allow; same-account resource-policy grants that name the caller bypass the implicit
// denies AWS documents them to bypass (and no others); cross-account requests need both
// sides; trust policies and KMS key policies must always allow. Deny is a value, not an
// error, and anything that prevents evaluation fails closed. Statement matching is
// internal/policy's job. The package is pure and a decision allocates nothing.
package authz
