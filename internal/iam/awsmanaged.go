package iam

import (
	"context"
	"errors"
	"time"

	"rolegate/internal/store"
)

// awsManaged are the AWS managed policies every account can attach, in compact forms that grant
// what their AWS namesakes grant on the services rolegate serves.
var awsManaged = []struct{ name, path, desc, doc string }{
	{"AdministratorAccess", "/", "Provides full access to AWS services and resources.",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`},
	{"PowerUserAccess", "/", "Provides full access to AWS services and resources, but does not allow management of Users and groups.",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],"Resource":"*"},{"Effect":"Allow","Action":["iam:CreateServiceLinkedRole","iam:DeleteServiceLinkedRole","iam:ListRoles","organizations:DescribeOrganization","account:ListRegions","account:GetAccountInformation"],"Resource":"*"}]}`},
	{"ReadOnlyAccess", "/", "Provides read-only access to AWS services and resources.",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:Get*","iam:List*","iam:GenerateCredentialReport","iam:GenerateServiceLastAccessedDetails","iam:SimulateCustomPolicy","iam:SimulatePrincipalPolicy","s3:Get*","s3:List*","s3:Describe*","ec2:Describe*","ec2:Get*","sts:GetAccessKeyInfo","sts:GetCallerIdentity","sts:GetSessionToken","organizations:Describe*","organizations:List*"],"Resource":"*"}]}`},
	{"IAMFullAccess", "/", "Provides full access to IAM via the AWS Management Console.",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*","organizations:DescribeAccount","organizations:DescribeOrganization","organizations:DescribeOrganizationalUnit","organizations:DescribePolicy","organizations:ListChildren","organizations:ListParents","organizations:ListPoliciesForTarget","organizations:ListRoots","organizations:ListPolicies","organizations:ListTargetsForPolicy"],"Resource":"*"}]}`},
	{"IAMReadOnlyAccess", "/", "Provides read only access to IAM via the AWS Management Console.",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GenerateCredentialReport","iam:GenerateServiceLastAccessedDetails","iam:Get*","iam:List*","iam:SimulateCustomPolicy","iam:SimulatePrincipalPolicy"],"Resource":"*"}]}`},
	{"AmazonS3FullAccess", "/", "Provides full access to all buckets via the AWS Management Console.",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","s3-object-lambda:*"],"Resource":"*"}]}`},
	{"AmazonS3ReadOnlyAccess", "/", "Provides read only access to all buckets via the AWS Management Console.",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*","s3:Describe*","s3-object-lambda:Get*","s3-object-lambda:List*"],"Resource":"*"}]}`},
	{"AmazonEC2FullAccess", "/", "Provides full access to Amazon EC2 via the AWS Management Console.",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"},{"Effect":"Allow","Action":"iam:CreateServiceLinkedRole","Resource":"*"}]}`},
	{"AmazonEC2ReadOnlyAccess", "/", "Provides read only access to Amazon EC2 via the AWS Management Console.",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:Describe*","ec2:GetSecurityGroupsForVpc"],"Resource":"*"}]}`},
	{"AWSOrganizationsFullAccess", "/", "Provides full access to AWS Organizations.",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"organizations:*","Resource":"*"}]}`},
}

// awsManagedSince is the creation date AWS managed policies report.
var awsManagedSince = time.Date(2015, 2, 6, 18, 39, 46, 0, time.UTC)

// SeedAWSManagedPolicies stores the AWS managed policies that are missing.
func (s *Service) SeedAWSManagedPolicies(ctx context.Context) error {
	return s.cfg.Store.Update(ctx, func(tx store.Tx) error {
		for _, m := range awsManaged {
			k := key(AWSAccount, m.name)
			if _, err := tx.Get(tPolicy, k); err == nil {
				continue
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
			p := &ManagedPolicy{Account: AWSAccount, Name: m.name, Path: m.path, ID: s.cfg.IDs.Unique("ANPA"),
				Description: m.desc, Created: awsManagedSince, Updated: awsManagedSince, DefaultVersion: "v1", NextVersion: 2,
				Versions: []PolicyVersion{{ID: "v1", Document: m.doc, Created: awsManagedSince}}}
			if err := put(tx, tPolicy, k, p); err != nil {
				return err
			}
		}
		return nil
	})
}
