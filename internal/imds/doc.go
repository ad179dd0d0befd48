// Package imds serves credentials to programs without keys on disk: the instance metadata service
// of each running EC2 instance (a loopback endpoint per instance speaking IMDSv1 and IMDSv2, with
// the role credentials of the instance's profile, refreshed well before they expire, each
// delivery recorded in the audit log as CloudTrail records EC2's AssumeRole) and the
// container-credentials endpoint that "rolegate exec" runs for its child process.
package imds
