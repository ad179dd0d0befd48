package s3api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"rolegate/internal/sigv4"
	"rolegate/internal/testkit"
)

// TestEveryOperationAsksTheGate sends each operation as an IAM user without any policy and
// checks that every one is refused before it does anything.
func TestEveryOperationAsksTheGate(t *testing.T) {
	srv := testkit.NewServer(t)
	ctx := context.Background()
	root := srv.S3(srv.Management.Root)
	createBucket(t, root, "guarded", "obj")
	up, err := root.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("guarded"), Key: aws.String("mp")})
	must(t, "CreateMultipartUpload", err)
	uid := aws.ToString(up.UploadId)
	r := newRaw(srv, newUser(t, srv, srv.Management.Root, "nobody", ""))
	copySrc := http.Header{"X-Amz-Copy-Source": {"/guarded/obj"}}
	tests := []struct {
		name, method, target string
		h                    http.Header
		body                 string
	}{
		{"ListBuckets", "GET", "/", nil, ""},
		{"CreateBucket", "PUT", "/new-bucket-x", nil, ""},
		{"DeleteBucket", "DELETE", "/guarded", nil, ""},
		{"HeadBucket", "HEAD", "/guarded", nil, ""},
		{"GetBucketLocation", "GET", "/guarded?location", nil, ""},
		{"ListObjects", "GET", "/guarded", nil, ""},
		{"ListObjectsV2", "GET", "/guarded?list-type=2", nil, ""},
		{"ListObjectVersions", "GET", "/guarded?versions", nil, ""},
		{"ListMultipartUploads", "GET", "/guarded?uploads", nil, ""},
		{"GetBucketPolicy", "GET", "/guarded?policy", nil, ""},
		{"PutBucketPolicy", "PUT", "/guarded?policy", nil, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::guarded/*"}]}`},
		{"DeleteBucketPolicy", "DELETE", "/guarded?policy", nil, ""},
		{"GetBucketPolicyStatus", "GET", "/guarded?policyStatus", nil, ""},
		{"GetBucketTagging", "GET", "/guarded?tagging", nil, ""},
		{"PutBucketTagging", "PUT", "/guarded?tagging", nil, `<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>`},
		{"DeleteBucketTagging", "DELETE", "/guarded?tagging", nil, ""},
		{"GetBucketVersioning", "GET", "/guarded?versioning", nil, ""},
		{"PutBucketVersioning", "PUT", "/guarded?versioning", nil, `<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>`},
		{"GetBucketAcl", "GET", "/guarded?acl", nil, ""},
		{"GetBucketEncryption", "GET", "/guarded?encryption", nil, ""},
		{"PutObject", "PUT", "/guarded/new", nil, "data"},
		{"GetObject", "GET", "/guarded/obj", nil, ""},
		{"HeadObject", "HEAD", "/guarded/obj", nil, ""},
		{"DeleteObject", "DELETE", "/guarded/obj", nil, ""},
		{"CopyObject", "PUT", "/guarded/copy", copySrc, ""},
		{"GetObjectTagging", "GET", "/guarded/obj?tagging", nil, ""},
		{"PutObjectTagging", "PUT", "/guarded/obj?tagging", nil, `<Tagging><TagSet></TagSet></Tagging>`},
		{"DeleteObjectTagging", "DELETE", "/guarded/obj?tagging", nil, ""},
		{"GetObjectAcl", "GET", "/guarded/obj?acl", nil, ""},
		{"CreateMultipartUpload", "POST", "/guarded/mp2?uploads", nil, ""},
		{"UploadPart", "PUT", "/guarded/mp?partNumber=1&uploadId=" + uid, nil, "part"},
		{"UploadPartCopy", "PUT", "/guarded/mp?partNumber=1&uploadId=" + uid, copySrc, ""},
		{"CompleteMultipartUpload", "POST", "/guarded/mp?uploadId=" + uid, nil, `<CompleteMultipartUpload></CompleteMultipartUpload>`},
		{"AbortMultipartUpload", "DELETE", "/guarded/mp?uploadId=" + uid, nil, ""},
		{"ListParts", "GET", "/guarded/mp?uploadId=" + uid, nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := r.do(t, tc.method, tc.target, tc.h, strings.NewReader(tc.body), int64(len(tc.body)), sha256Hex([]byte(tc.body)))
			if resp.StatusCode != http.StatusForbidden {
				t.Fatalf("status %d, want 403: %s", resp.StatusCode, body)
			}
			if tc.method != "HEAD" && !strings.Contains(body, "<Code>AccessDenied</Code>") {
				t.Fatalf("body %s", body)
			}
		})
	}
	// DeleteObjects refuses each key on its own.
	del := `<Delete><Object><Key>obj</Key></Object></Delete>`
	resp, body := r.do(t, "POST", "/guarded?delete", nil, strings.NewReader(del), int64(len(del)), sha256Hex([]byte(del)))
	if resp.StatusCode != 200 || !strings.Contains(body, "<Error><Key>obj</Key><Code>AccessDenied</Code>") {
		t.Fatalf("DeleteObjects: %d %s", resp.StatusCode, body)
	}
	// Nothing was changed.
	if _, err := root.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("guarded"), Key: aws.String("obj")}); err != nil {
		t.Fatalf("object gone: %v", err)
	}
	if _, err := root.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("guarded")}); apiCode(err) != "NoSuchBucketPolicy" {
		t.Fatalf("policy changed: %v", err)
	}
	if _, err := root.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("guarded"), Key: aws.String("mp"), UploadId: up.UploadId}); err != nil {
		t.Fatalf("upload changed: %v", err)
	}
	// The expected bucket owner header refuses a bucket of another account.
	rr := newRaw(srv, srv.Management.Root)
	resp, _ = rr.do(t, "GET", "/guarded?list-type=2", http.Header{"X-Amz-Expected-Bucket-Owner": {"111122223333"}}, nil, 0, sigv4.EmptySHA256)
	if resp.StatusCode != 403 {
		t.Fatalf("x-amz-expected-bucket-owner mismatch: %d", resp.StatusCode)
	}
}
