// Package terraformreplay holds scenario 4's Go half: it replays, with aws-sdk-go-v2 against a
// real rolegate server, the calls Terraform's hashicorp/aws provider makes to create, read,
// update and delete aws_iam_role, aws_iam_policy, aws_iam_policy_attachment, aws_iam_user,
// aws_iam_access_key, aws_iam_user_policy_attachment, aws_iam_group, aws_iam_group_membership
// and aws_s3_bucket, starting as the provider does with sts:GetCallerIdentity. After every
// create and update it reads back each attribute the provider compares with the configuration
// (ARNs, ids, paths, dates, tags, attachments, URL-decoded policy documents compared by meaning)
// and fails on any difference, which is what "a plan after apply shows no changes" requires.
// The package has only tests.
package terraformreplay
