package s3api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"rolegate/internal/testkit"
)

// TestTerraformBucketReads makes every read Terraform's aws_s3_bucket (and its companion
// resources) performs on a bucket with no configuration, and checks each answers what AWS
// answers then: a default document or the "not found" code the provider tolerates.
func TestTerraformBucketReads(t *testing.T) {
	srv := testkit.NewServer(t)
	ctx := context.Background()
	c := srv.S3(srv.Management.Root)
	createBucket(t, c, "tf-bucket")
	b := aws.String("tf-bucket")
	tests := []struct {
		name string
		call func() error
		code string // "" when the read succeeds
	}{
		{"HeadBucket", func() error { _, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: b}); return err }, ""},
		{"GetBucketPolicy", func() error { _, err := c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b}); return err }, "NoSuchBucketPolicy"},
		{"GetBucketAcl", func() error {
			out, err := c.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: b})
			if err == nil && (len(out.Grants) != 1 || out.Grants[0].Permission != types.PermissionFullControl) {
				t.Errorf("ACL grants = %+v", out.Grants)
			}
			return err
		}, ""},
		{"GetBucketCors", func() error { _, err := c.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: b}); return err }, "NoSuchCORSConfiguration"},
		{"GetBucketWebsite", func() error { _, err := c.GetBucketWebsite(ctx, &s3.GetBucketWebsiteInput{Bucket: b}); return err }, "NoSuchWebsiteConfiguration"},
		{"GetBucketVersioning", func() error {
			out, err := c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: b})
			if err == nil && out.Status != "" {
				t.Errorf("versioning = %q", out.Status)
			}
			return err
		}, ""},
		{"GetBucketAccelerateConfiguration", func() error {
			_, err := c.GetBucketAccelerateConfiguration(ctx, &s3.GetBucketAccelerateConfigurationInput{Bucket: b})
			return err
		}, ""},
		{"GetBucketRequestPayment", func() error {
			out, err := c.GetBucketRequestPayment(ctx, &s3.GetBucketRequestPaymentInput{Bucket: b})
			if err == nil && out.Payer != types.PayerBucketOwner {
				t.Errorf("payer = %q", out.Payer)
			}
			return err
		}, ""},
		{"GetBucketLogging", func() error { _, err := c.GetBucketLogging(ctx, &s3.GetBucketLoggingInput{Bucket: b}); return err }, ""},
		{"GetBucketLifecycleConfiguration", func() error {
			_, err := c.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: b})
			return err
		}, "NoSuchLifecycleConfiguration"},
		{"GetBucketReplication", func() error {
			_, err := c.GetBucketReplication(ctx, &s3.GetBucketReplicationInput{Bucket: b})
			return err
		}, "ReplicationConfigurationNotFoundError"},
		{"GetBucketEncryption", func() error {
			_, err := c.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: b})
			return err
		}, "ServerSideEncryptionConfigurationNotFoundError"},
		{"GetObjectLockConfiguration", func() error {
			_, err := c.GetObjectLockConfiguration(ctx, &s3.GetObjectLockConfigurationInput{Bucket: b})
			return err
		}, "ObjectLockConfigurationNotFoundError"},
		{"GetBucketTagging", func() error { _, err := c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: b}); return err }, "NoSuchTagSet"},
		{"GetBucketOwnershipControls", func() error {
			_, err := c.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: b})
			return err
		}, "OwnershipControlsNotFoundError"},
		{"GetPublicAccessBlock", func() error {
			_, err := c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: b})
			return err
		}, "NoSuchPublicAccessBlockConfiguration"},
		{"GetBucketNotificationConfiguration", func() error {
			_, err := c.GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: b})
			return err
		}, ""},
		{"GetBucketPolicyStatus", func() error {
			_, err := c.GetBucketPolicyStatus(ctx, &s3.GetBucketPolicyStatusInput{Bucket: b})
			return err
		}, "NoSuchBucketPolicy"},
		{"ListObjectVersions", func() error { _, err := c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: b}); return err }, ""},
		{"GetBucketRegion", func() error {
			region, err := manager.GetBucketRegion(ctx, c, "tf-bucket", func(o *s3.Options) { o.UsePathStyle = true })
			if err == nil && region != "us-east-1" {
				t.Errorf("region = %q", region)
			}
			return err
		}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if tc.code == "" {
				must(t, tc.name, err)
				return
			}
			wantCode(t, tc.name, err, tc.code)
		})
	}
}

func TestBucketConfiguration(t *testing.T) {
	srv := testkit.NewServer(t)
	ctx := context.Background()
	c := srv.S3(srv.Management.Root)
	createBucket(t, c, "cfg")
	b := aws.String("cfg")

	_, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::cfg/*"}]}`)})
	wantCode(t, "policy without principal", err, "MalformedPolicy")
	_, err = c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::other/*"}]}`)})
	wantCode(t, "policy on another bucket", err, "MalformedPolicy")
	_, err = c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(`not json`)})
	wantCode(t, "policy not JSON", err, "MalformedPolicy")
	doc := `{"Version":"2012-10-17","Statement":[{"Sid":"r","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + srv.Management.ID + `:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::cfg/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`
	putPolicy(t, c, "cfg", doc)
	got, err := c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b})
	must(t, "GetBucketPolicy", err)
	if aws.ToString(got.Policy) != doc {
		t.Errorf("policy = %s", aws.ToString(got.Policy))
	}
	st, err := c.GetBucketPolicyStatus(ctx, &s3.GetBucketPolicyStatusInput{Bucket: b})
	must(t, "GetBucketPolicyStatus", err)
	if aws.ToBool(st.PolicyStatus.IsPublic) {
		t.Errorf("account-scoped policy reported public")
	}
	_, err = c.DeleteBucketPolicy(ctx, &s3.DeleteBucketPolicyInput{Bucket: b})
	must(t, "DeleteBucketPolicy", err)
	_, err = c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b})
	wantCode(t, "GetBucketPolicy after delete", err, "NoSuchBucketPolicy")

	_, err = c.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: b, Tagging: &types.Tagging{TagSet: []types.Tag{
		{Key: aws.String("team"), Value: aws.String("platform")}, {Key: aws.String("env"), Value: aws.String("dev")}}}})
	must(t, "PutBucketTagging", err)
	tg, err := c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: b})
	must(t, "GetBucketTagging", err)
	var pairs []string
	for _, x := range tg.TagSet {
		pairs = append(pairs, aws.ToString(x.Key)+"="+aws.ToString(x.Value))
	}
	if strings.Join(pairs, ",") != "env=dev,team=platform" {
		t.Errorf("tags = %v", pairs)
	}
	_, err = c.DeleteBucketTagging(ctx, &s3.DeleteBucketTaggingInput{Bucket: b})
	must(t, "DeleteBucketTagging", err)
	_, err = c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: b})
	wantCode(t, "GetBucketTagging after delete", err, "NoSuchTagSet")

	_, err = c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: b, VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}})
	must(t, "PutBucketVersioning", err)
	v, err := c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: b})
	must(t, "GetBucketVersioning", err)
	if v.Status != types.BucketVersioningStatusEnabled {
		t.Errorf("versioning = %q", v.Status)
	}
	_, err = c.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: b, CORSConfiguration: &types.CORSConfiguration{CORSRules: []types.CORSRule{{AllowedMethods: []string{"GET"}, AllowedOrigins: []string{"*"}}}}})
	wantCode(t, "PutBucketCors", err, "NotImplemented")
}

func TestBucketTagCondition(t *testing.T) {
	srv := testkit.NewServer(t)
	ctx := context.Background()
	c := srv.S3(srv.Management.Root)
	createBucket(t, c, "tagged")
	createBucket(t, c, "untagged")
	_, err := c.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String("tagged"), Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String("team"), Value: aws.String("blue")}}}})
	must(t, "PutBucketTagging", err)
	u := newUser(t, srv, srv.Management.Root, "blue", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"blue"}}}]}`)
	_, err = srv.S3(u).ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("tagged")})
	must(t, "list tagged bucket", err)
	_, err = srv.S3(u).ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("untagged")})
	wantCode(t, "list untagged bucket", err, "AccessDenied")
}
