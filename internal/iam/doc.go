// Package iam is the IAM service's domain: users, groups, roles, managed and inline policies,
// attachments, access keys, login profiles, instance profiles, OIDC providers and MFA devices of
// every account, with AWS's naming rules, quotas, unique-ID formats and DeleteConflict rules.
//
// Everything lives in the store (package store) as JSON records keyed by account and lower-cased
// name, so names are unique per account case-insensitively while keeping their case, as in AWS.
// Each write runs in one store transaction and bumps the account's generation, which the
// authorizer's caches compare to know when compiled policies must be reloaded.
package iam
