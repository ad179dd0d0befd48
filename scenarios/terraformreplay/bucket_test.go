package terraformreplay

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"rolegate/internal/testkit"
)

// bucketConfig is an aws_s3_bucket block.
type bucketConfig struct {
	bucket       string
	tags         map[string]string
	forceDestroy bool
}

// bucketState is what the provider's read stores of the attributes a configuration can set or
// that a plan compares.
type bucketState struct {
	bucket, region, payer string
	tags                  map[string]string
	objectLockEnabled     bool
	versioning            string
	grants                int
}

// bucketReads are the reads of aws_s3_bucket after HeadBucket, each with the error codes the
// provider takes as "not configured"; any other error fails the read (and the plan).
func bucketReads(c *s3.Client, st *bucketState) []struct {
	name     string
	call     func(context.Context, *string) error
	tolerate []string
} {
	type read = struct {
		name     string
		call     func(context.Context, *string) error
		tolerate []string
	}
	return []read{
		{"GetBucketPolicy", func(ctx context.Context, b *string) error {
			_, err := c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b})
			return err
		}, []string{"NoSuchBucketPolicy", "NotImplemented"}},
		{"GetBucketAcl", func(ctx context.Context, b *string) error {
			out, err := c.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: b})
			if err == nil {
				st.grants = len(out.Grants)
			}
			return err
		}, nil},
		{"GetBucketCors", func(ctx context.Context, b *string) error {
			_, err := c.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: b})
			return err
		}, []string{"NoSuchCORSConfiguration", "NotImplemented", "XNotImplemented"}},
		{"GetBucketWebsite", func(ctx context.Context, b *string) error {
			_, err := c.GetBucketWebsite(ctx, &s3.GetBucketWebsiteInput{Bucket: b})
			return err
		}, []string{"NoSuchWebsiteConfiguration", "MethodNotAllowed", "NotImplemented", "XNotImplemented"}},
		{"GetBucketVersioning", func(ctx context.Context, b *string) error {
			out, err := c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: b})
			if err == nil {
				st.versioning = string(out.Status)
			}
			return err
		}, nil},
		{"GetBucketAccelerateConfiguration", func(ctx context.Context, b *string) error {
			_, err := c.GetBucketAccelerateConfiguration(ctx, &s3.GetBucketAccelerateConfigurationInput{Bucket: b})
			return err
		}, []string{"MethodNotAllowed", "UnsupportedArgument", "NotImplemented"}},
		{"GetBucketRequestPayment", func(ctx context.Context, b *string) error {
			out, err := c.GetBucketRequestPayment(ctx, &s3.GetBucketRequestPaymentInput{Bucket: b})
			if err == nil {
				st.payer = string(out.Payer)
			}
			return err
		}, []string{"NotImplemented"}},
		{"GetBucketLogging", func(ctx context.Context, b *string) error {
			_, err := c.GetBucketLogging(ctx, &s3.GetBucketLoggingInput{Bucket: b})
			return err
		}, []string{"NotImplemented"}},
		{"GetBucketLifecycleConfiguration", func(ctx context.Context, b *string) error {
			_, err := c.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: b})
			return err
		}, []string{"NoSuchLifecycleConfiguration"}},
		{"GetBucketReplication", func(ctx context.Context, b *string) error {
			_, err := c.GetBucketReplication(ctx, &s3.GetBucketReplicationInput{Bucket: b})
			return err
		}, []string{"ReplicationConfigurationNotFoundError"}},
		{"GetBucketEncryption", func(ctx context.Context, b *string) error {
			_, err := c.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: b})
			return err
		}, []string{"ServerSideEncryptionConfigurationNotFoundError"}},
		{"GetObjectLockConfiguration", func(ctx context.Context, b *string) error {
			out, err := c.GetObjectLockConfiguration(ctx, &s3.GetObjectLockConfigurationInput{Bucket: b})
			if err == nil && out.ObjectLockConfiguration != nil {
				st.objectLockEnabled = out.ObjectLockConfiguration.ObjectLockEnabled == s3types.ObjectLockEnabledEnabled
			}
			return err
		}, []string{"ObjectLockConfigurationNotFoundError", "MethodNotAllowed", "NotImplemented"}},
		{"GetBucketTagging", func(ctx context.Context, b *string) error {
			out, err := c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: b})
			if err != nil {
				return err
			}
			for _, tg := range out.TagSet {
				if k := aws.ToString(tg.Key); !strings.HasPrefix(k, "aws:") {
					st.tags[k] = aws.ToString(tg.Value)
				}
			}
			return nil
		}, []string{"NoSuchTagSet", "NotImplemented"}},
	}
}

// readBucket is the provider's read; nil when HeadBucket says the bucket is gone.
func (p *provider) readBucket(t *testing.T, name string) *bucketState {
	t.Helper()
	ctx := context.Background()
	b := aws.String(name)
	_, err := p.s3.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: b})
	if notFound(err, "NotFound", "NoSuchBucket") {
		return nil
	}
	mustOK(t, "HeadBucket", err)
	st := &bucketState{bucket: name, tags: map[string]string{}}
	for _, r := range bucketReads(p.s3, st) {
		if err := r.call(ctx, b); err != nil && !notFound(err, r.tolerate...) {
			t.Fatalf("%s: %v (the provider tolerates only %v)", r.name, err, r.tolerate)
		}
	}
	st.region, err = manager.GetBucketRegion(ctx, p.s3, name, func(o *s3.Options) { o.UsePathStyle = true })
	mustOK(t, "GetBucketRegion", err)
	return st
}

func bucketDiff(c bucketConfig, st *bucketState) diff {
	var d diff
	d.str("bucket", c.bucket, st.bucket)
	d.str("region", "us-east-1", st.region)
	d.tags("tags", c.tags, st.tags)
	d.str("object_lock_enabled", "false", map[bool]string{true: "true", false: "false"}[st.objectLockEnabled])
	d.str("versioning.enabled", "", st.versioning)
	d.str("request_payer", "BucketOwner", st.payer)
	d.num("grant (the owner's FULL_CONTROL)", 1, int64(st.grants))
	return d
}

// putBucketTags is the provider's tag update: the whole set, or DeleteBucketTagging for none.
func (p *provider) putBucketTags(t *testing.T, name string, tags map[string]string) {
	t.Helper()
	ctx := context.Background()
	if len(tags) == 0 {
		_, err := p.s3.DeleteBucketTagging(ctx, &s3.DeleteBucketTaggingInput{Bucket: aws.String(name)})
		mustOK(t, "DeleteBucketTagging", err)
		return
	}
	var set []s3types.Tag
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		set = append(set, s3types.Tag{Key: aws.String(k), Value: aws.String(tags[k])})
	}
	_, err := p.s3.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String(name), Tagging: &s3types.Tagging{TagSet: set}})
	mustOK(t, "PutBucketTagging", err)
}

// deleteBucket is the provider's delete: DeleteBucket, and with force_destroy on BucketNotEmpty
// every object version goes (ListObjectVersions, DeleteObjects) before trying again.
func (p *provider) deleteBucket(t *testing.T, c bucketConfig) {
	t.Helper()
	ctx := context.Background()
	b := aws.String(c.bucket)
	_, err := p.s3.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: b})
	if errCode(err) == "BucketNotEmpty" && c.forceDestroy {
		pages := s3.NewListObjectVersionsPaginator(p.s3, &s3.ListObjectVersionsInput{Bucket: b, MaxKeys: aws.Int32(1)})
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx)
			mustOK(t, "ListObjectVersions", err)
			var ids []s3types.ObjectIdentifier
			for _, v := range page.Versions {
				ids = append(ids, s3types.ObjectIdentifier{Key: v.Key, VersionId: v.VersionId})
			}
			for _, m := range page.DeleteMarkers {
				ids = append(ids, s3types.ObjectIdentifier{Key: m.Key, VersionId: m.VersionId})
			}
			if len(ids) == 0 {
				continue
			}
			out, err := p.s3.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: b, BypassGovernanceRetention: aws.Bool(true),
				Delete: &s3types.Delete{Objects: ids, Quiet: aws.Bool(true)}})
			mustOK(t, "DeleteObjects", err)
			if len(out.Errors) > 0 {
				t.Fatalf("DeleteObjects errors: %+v", out.Errors)
			}
		}
		_, err = p.s3.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: b})
	}
	if !notFound(err, "NoSuchBucket") {
		mustOK(t, "DeleteBucket", err)
	}
}

// TestBucketLifecycleThroughAssumedRole replays aws_s3_bucket as the seed's cross-account
// setup runs it: a provider in dev with an assume_role block for prod's terraform-role.
func TestBucketLifecycleThroughAssumedRole(t *testing.T) {
	srv := testkit.NewServer(t)
	dev := srv.CreateAccount(t, "dev")
	prod := srv.CreateAccount(t, "prod")
	ctx := context.Background()
	runner := srv.User(t, dev.Root, "terraform", map[string]string{"assume": testkit.Allow("arn:aws:iam::"+prod.ID+":role/terraform-role", "sts:AssumeRole")})
	admin := configure(t, srv, prod.Root, nil)
	admin.createRole(t, roleConfig{name: "terraform-role", path: "/",
		assumeRolePolicy: jsonDoc(`{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + dev.ID + `:root"}}`),
		inlinePolicies: map[string]string{"bucket": jsonDoc(`{"Action":"s3:*","Effect":"Allow","Resource":["arn:aws:s3:::my-bucket-in-account-b","arn:aws:s3:::my-bucket-in-account-b/*"]}`),
			"objects": jsonDoc(`{"Action":"s3:PutObject","Effect":"Allow","Resource":"arn:aws:s3:::my-bucket-in-account-b/*"}`)}})

	p := configure(t, srv, runner, &assumeRole{roleARN: "arn:aws:iam::" + prod.ID + ":role/terraform-role", sessionName: "terraform"})
	if p.account != prod.ID {
		t.Fatalf("provider account %s after assume_role, want prod %s", p.account, prod.ID)
	}

	c := bucketConfig{bucket: "my-bucket-in-account-b", forceDestroy: true, tags: map[string]string{"env": "prod"}}
	_, err := p.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(c.bucket)})
	mustOK(t, "CreateBucket", err)
	if p.readBucket(t, c.bucket) == nil {
		t.Fatal("HeadBucket does not find the bucket just created")
	}
	p.putBucketTags(t, c.bucket, c.tags)
	noChanges(t, "after create", bucketDiff(c, p.readBucket(t, c.bucket)))
	_, err = p.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("another-bucket-in-account-b")})
	if errCode(err) != "AccessDenied" {
		t.Fatalf("the role created a bucket its policy does not name: %v", err)
	}
	owned, err := srv.S3(prod.Root).ListBuckets(ctx, &s3.ListBucketsInput{})
	mustOK(t, "ListBuckets as prod", err)
	if len(owned.Buckets) != 1 || aws.ToString(owned.Buckets[0].Name) != c.bucket {
		t.Fatalf("prod owns %+v", owned.Buckets)
	}

	for _, tags := range []map[string]string{{"env": "prod", "owner": "platform"}, nil} {
		updated := c
		updated.tags = tags
		p.putBucketTags(t, c.bucket, tags)
		noChanges(t, "after a tag update", bucketDiff(updated, p.readBucket(t, c.bucket)))
	}

	for _, key := range []string{"a.txt", "logs/b.txt"} {
		_, err := p.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(c.bucket), Key: aws.String(key), Body: strings.NewReader("x")})
		mustOK(t, "PutObject "+key, err)
	}
	p.deleteBucket(t, c)
	if st := p.readBucket(t, c.bucket); st != nil {
		t.Fatalf("bucket still readable after delete: %+v", st)
	}
	_, err = srv.IAM(prod.Root).GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("terraform-role")})
	mustOK(t, "the role outlives the bucket", err)
}
