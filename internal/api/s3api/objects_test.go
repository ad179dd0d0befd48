package s3api_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"rolegate/internal/testkit"
)

func TestBucketLifecycle(t *testing.T) {
	srv := testkit.NewServer(t)
	ctx := context.Background()
	for style, c := range clients(srv, srv.Management.Root) {
		t.Run(style, func(t *testing.T) {
			b := "life-" + style
			_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(b),
				CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraintEuWest1}})
			must(t, "CreateBucket", err)
			_, err = c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(b)})
			wantCode(t, "CreateBucket again", err, "BucketAlreadyOwnedByYou")
			_, err = c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("Bad_Name")})
			wantCode(t, "CreateBucket bad name", err, "InvalidBucketName")

			hb, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(b)})
			must(t, "HeadBucket", err)
			if aws.ToString(hb.BucketRegion) != "eu-west-1" {
				t.Errorf("HeadBucket region = %q, want eu-west-1", aws.ToString(hb.BucketRegion))
			}
			loc, err := c.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(b)})
			must(t, "GetBucketLocation", err)
			if loc.LocationConstraint != types.BucketLocationConstraintEuWest1 {
				t.Errorf("location = %q", loc.LocationConstraint)
			}
			lb, err := c.ListBuckets(ctx, &s3.ListBucketsInput{})
			must(t, "ListBuckets", err)
			found := false
			for _, x := range lb.Buckets {
				found = found || aws.ToString(x.Name) == b
			}
			if !found || lb.Owner == nil || len(aws.ToString(lb.Owner.ID)) != 64 {
				t.Errorf("ListBuckets = %+v", lb)
			}
			_, err = c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("no-such-bucket-x")})
			var re *smithyhttp.ResponseError
			if !errors.As(err, &re) || re.HTTPStatusCode() != 404 {
				t.Errorf("HeadBucket missing: %v", err)
			}
			_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String("k"), Body: strings.NewReader("x")})
			must(t, "PutObject", err)
			_, err = c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(b)})
			wantCode(t, "DeleteBucket non-empty", err, "BucketNotEmpty")
			_, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(b), Key: aws.String("k")})
			must(t, "DeleteObject", err)
			_, err = c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(b)})
			must(t, "DeleteBucket", err)
			_, err = c.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(b)})
			wantCode(t, "GetBucketLocation deleted", err, "NoSuchBucket")
		})
	}
}

func TestBucketNamesAreGlobal(t *testing.T) {
	srv := testkit.NewServer(t)
	ctx := context.Background()
	other := srv.CreateAccount(t, "other")
	_, err := srv.S3(srv.Management.Root).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("shared-name")})
	must(t, "CreateBucket", err)
	_, err = srv.S3(other.Root).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("shared-name")})
	wantCode(t, "CreateBucket by another account", err, "BucketAlreadyExists")
	lb, err := srv.S3(other.Root).ListBuckets(ctx, &s3.ListBucketsInput{})
	must(t, "ListBuckets", err)
	if len(lb.Buckets) != 0 {
		t.Errorf("other account lists %d buckets, want 0", len(lb.Buckets))
	}
	// The owner's root reads its bucket; another account's root is refused without a policy.
	_, err = srv.S3(other.Root).ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("shared-name")})
	wantCode(t, "ListObjectsV2 cross-account", err, "AccessDenied")
}

func TestObjectsRoundTrip(t *testing.T) {
	srv := testkit.NewServer(t)
	ctx := context.Background()
	for style, c := range clients(srv, srv.Management.Root) {
		t.Run(style, func(t *testing.T) {
			b := "objs-" + style
			_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(b)})
			must(t, "CreateBucket", err)
			data := bytes.Repeat([]byte("0123456789"), 1000)
			sum := md5.Sum(data)
			key := "dir/sub dir/ünï+cödé?&=.txt"
			put, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String(key), Body: bytes.NewReader(data),
				ContentType: aws.String("text/plain"), Metadata: map[string]string{"owner": "alice"},
				ChecksumAlgorithm: types.ChecksumAlgorithmCrc32c})
			must(t, "PutObject", err)
			if aws.ToString(put.ETag) != `"`+hex.EncodeToString(sum[:])+`"` {
				t.Errorf("ETag = %s", aws.ToString(put.ETag))
			}
			if put.ChecksumCRC32C == nil {
				t.Errorf("PutObject returned no CRC32C")
			}
			got, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(b), Key: aws.String(key), ChecksumMode: types.ChecksumModeEnabled})
			must(t, "GetObject", err)
			body, err := io.ReadAll(got.Body)
			must(t, "read body", err)
			if !bytes.Equal(body, data) || aws.ToString(got.ContentType) != "text/plain" || got.Metadata["owner"] != "alice" {
				t.Errorf("GetObject: %d bytes, type %q, meta %v", len(body), aws.ToString(got.ContentType), got.Metadata)
			}
			if aws.ToString(got.ChecksumCRC32C) != aws.ToString(put.ChecksumCRC32C) {
				t.Errorf("GetObject CRC32C = %q, want %q", aws.ToString(got.ChecksumCRC32C), aws.ToString(put.ChecksumCRC32C))
			}
			rg, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(b), Key: aws.String(key), Range: aws.String("bytes=10-19")})
			must(t, "GetObject range", err)
			part, _ := io.ReadAll(rg.Body)
			if string(part) != "0123456789" || aws.ToString(rg.ContentRange) != "bytes 10-19/10000" {
				t.Errorf("range: %q %q", part, aws.ToString(rg.ContentRange))
			}
			_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(b), Key: aws.String(key), Range: aws.String("bytes=20000-")})
			wantCode(t, "unsatisfiable range", err, "InvalidRange")
			_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(b), Key: aws.String(key), IfMatch: aws.String(`"nope"`)})
			wantCode(t, "If-Match", err, "PreconditionFailed")
			head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(b), Key: aws.String(key)})
			must(t, "HeadObject", err)
			if aws.ToInt64(head.ContentLength) != int64(len(data)) {
				t.Errorf("HeadObject length %d", aws.ToInt64(head.ContentLength))
			}
			_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(b), Key: aws.String("missing")})
			wantCode(t, "HeadObject missing", err, "NotFound")
			_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(b), Key: aws.String("missing")})
			wantCode(t, "GetObject missing", err, "NoSuchKey")

			cp, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(b), Key: aws.String("copy"), CopySource: aws.String(b + "/" + urlPath(key))})
			must(t, "CopyObject", err)
			if aws.ToString(cp.CopyObjectResult.ETag) != aws.ToString(put.ETag) {
				t.Errorf("copy ETag %s", aws.ToString(cp.CopyObjectResult.ETag))
			}
			cg, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(b), Key: aws.String("copy")})
			must(t, "HeadObject copy", err)
			if cg.Metadata["owner"] != "alice" {
				t.Errorf("copy lost metadata: %v", cg.Metadata)
			}
			del, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String(b), Delete: &types.Delete{Objects: []types.ObjectIdentifier{
				{Key: aws.String(key)}, {Key: aws.String("copy")}, {Key: aws.String("never-existed")}}}})
			must(t, "DeleteObjects", err)
			if len(del.Deleted) != 3 || len(del.Errors) != 0 {
				t.Errorf("DeleteObjects: %d deleted, %d errors", len(del.Deleted), len(del.Errors))
			}
			l, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(b)})
			must(t, "ListObjectsV2", err)
			if aws.ToInt32(l.KeyCount) != 0 {
				t.Errorf("objects left: %d", aws.ToInt32(l.KeyCount))
			}
		})
	}
}

// urlPath percent-encodes a key for x-amz-copy-source.
func urlPath(k string) string {
	var b strings.Builder
	for i := 0; i < len(k); i++ {
		c := k[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-_.~/", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func TestConditionalPutIsAtomic(t *testing.T) {
	srv := testkit.NewServer(t)
	ctx := context.Background()
	c := srv.S3(srv.Management.Root)
	_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("locks")})
	must(t, "CreateBucket", err)
	const writers = 8
	errs := make(chan error, writers)
	for i := range writers {
		go func() {
			_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("locks"), Key: aws.String("state.tflock"),
				Body: strings.NewReader(fmt.Sprintf("writer %d", i)), IfNoneMatch: aws.String("*")})
			errs <- err
		}()
	}
	won := 0
	for range writers {
		err := <-errs
		switch apiCode(err) {
		case "":
			won++
		case "PreconditionFailed":
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if won != 1 {
		t.Fatalf("%d writers created the lock, want exactly 1", won)
	}
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("locks"), Key: aws.String("state.tflock")})
	must(t, "HeadObject", err)
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("locks"), Key: aws.String("state.tflock"),
		Body: strings.NewReader("x"), IfMatch: aws.String(`"0000"`)})
	wantCode(t, "If-Match stale", err, "PreconditionFailed")
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("locks"), Key: aws.String("state.tflock"),
		Body: strings.NewReader("x"), IfMatch: head.ETag})
	must(t, "If-Match current", err)
}

func TestMultipartUpload(t *testing.T) {
	srv := testkit.NewServer(t)
	ctx := context.Background()
	c := srv.S3(srv.Management.Root)
	_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("mpu")})
	must(t, "CreateBucket", err)
	cr, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("big"),
		ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
	must(t, "CreateMultipartUpload", err)
	partA := bytes.Repeat([]byte{'a'}, 5<<20)
	partB := []byte("tail")
	var completed []types.CompletedPart
	var md5s []byte
	for i, p := range [][]byte{partA, partB} {
		up, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("mpu"), Key: aws.String("big"), UploadId: cr.UploadId,
			PartNumber: aws.Int32(int32(i + 1)), Body: bytes.NewReader(p), ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
		must(t, "UploadPart", err)
		completed = append(completed, types.CompletedPart{PartNumber: aws.Int32(int32(i + 1)), ETag: up.ETag, ChecksumCRC32: up.ChecksumCRC32})
		s := md5.Sum(p)
		md5s = append(md5s, s[:]...)
	}
	lp, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("mpu"), Key: aws.String("big"), UploadId: cr.UploadId})
	must(t, "ListParts", err)
	if len(lp.Parts) != 2 || aws.ToInt64(lp.Parts[0].Size) != 5<<20 {
		t.Fatalf("ListParts = %+v", lp.Parts)
	}
	// Out of order and unknown ETags are refused.
	_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("big"), UploadId: cr.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{completed[1], completed[0]}}})
	wantCode(t, "Complete out of order", err, "InvalidPartOrder")
	done, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("big"), UploadId: cr.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: completed}})
	must(t, "CompleteMultipartUpload", err)
	etag := md5.Sum(md5s)
	if want := `"` + hex.EncodeToString(etag[:]) + `-2"`; aws.ToString(done.ETag) != want {
		t.Errorf("ETag = %s, want %s", aws.ToString(done.ETag), want)
	}
	got, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("mpu"), Key: aws.String("big"), Range: aws.String(fmt.Sprintf("bytes=%d-", (5<<20)-2))})
	must(t, "GetObject across parts", err)
	b, _ := io.ReadAll(got.Body)
	if string(b) != "aatail" {
		t.Errorf("range across parts = %q", b)
	}
	_, err = c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("mpu"), Key: aws.String("big"), UploadId: cr.UploadId})
	wantCode(t, "ListParts after complete", err, "NoSuchUpload")

	ab, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("aborted")})
	must(t, "CreateMultipartUpload", err)
	_, err = c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("mpu"), Key: aws.String("aborted"), UploadId: ab.UploadId,
		PartNumber: aws.Int32(1), Body: strings.NewReader("x")})
	must(t, "UploadPart", err)
	_, err = c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("aborted"), UploadId: ab.UploadId})
	must(t, "AbortMultipartUpload", err)
	_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("mpu"), Key: aws.String("aborted")})
	wantCode(t, "aborted object", err, "NotFound")
}

func TestListings(t *testing.T) {
	srv := testkit.NewServer(t)
	ctx := context.Background()
	c := srv.S3(srv.Management.Root)
	_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("lists")})
	must(t, "CreateBucket", err)
	keys := []string{"a.txt", "docs/1", "docs/2", "docs/sub/3", "logs/x", "z z"}
	for _, k := range keys {
		_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("lists"), Key: aws.String(k), Body: strings.NewReader(k)})
		must(t, "PutObject "+k, err)
	}
	tests := []struct {
		name, prefix, delim string
		wantKeys, wantCPs   []string
	}{
		{"all", "", "", keys, nil},
		{"root with delimiter", "", "/", []string{"a.txt", "z z"}, []string{"docs/", "logs/"}},
		{"prefix with delimiter", "docs/", "/", []string{"docs/1", "docs/2"}, []string{"docs/sub/"}},
		{"prefix only", "docs/s", "", []string{"docs/sub/3"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Pages of one entry exercise continuation across keys and common prefixes.
			var gotKeys, gotCPs []string
			var token *string
			for pages := 0; ; pages++ {
				if pages > 10 {
					t.Fatal("pagination does not end")
				}
				out, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("lists"), Prefix: aws.String(tc.prefix),
					Delimiter: aws.String(tc.delim), MaxKeys: aws.Int32(1), ContinuationToken: token})
				must(t, "ListObjectsV2", err)
				for _, o := range out.Contents {
					gotKeys = append(gotKeys, aws.ToString(o.Key))
				}
				for _, p := range out.CommonPrefixes {
					gotCPs = append(gotCPs, aws.ToString(p.Prefix))
				}
				if !aws.ToBool(out.IsTruncated) {
					break
				}
				token = out.NextContinuationToken
			}
			if fmt.Sprint(gotKeys) != fmt.Sprint(tc.wantKeys) || fmt.Sprint(gotCPs) != fmt.Sprint(tc.wantCPs) {
				t.Errorf("keys %q prefixes %q, want %q %q", gotKeys, gotCPs, tc.wantKeys, tc.wantCPs)
			}
			// V1 with markers gives the same answer.
			var v1Keys []string
			var marker *string
			for pages := 0; pages < 10; pages++ {
				out, err := c.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String("lists"), Prefix: aws.String(tc.prefix),
					Delimiter: aws.String(tc.delim), MaxKeys: aws.Int32(2), Marker: marker})
				must(t, "ListObjects", err)
				for _, o := range out.Contents {
					v1Keys = append(v1Keys, aws.ToString(o.Key))
				}
				if !aws.ToBool(out.IsTruncated) {
					break
				}
				marker = out.NextMarker
			}
			if fmt.Sprint(v1Keys) != fmt.Sprint(tc.wantKeys) {
				t.Errorf("V1 keys %q, want %q", v1Keys, tc.wantKeys)
			}
		})
	}
	// encoding-type=url encodes keys and echoes EncodingType.
	r := newRaw(srv, srv.Management.Root)
	resp, body := r.do(t, "GET", "/lists?list-type=2&encoding-type=url&prefix=z", nil, nil, 0, "UNSIGNED-PAYLOAD")
	if resp.StatusCode != 200 || !strings.Contains(body, "<Key>z%20z</Key>") || !strings.Contains(body, "<EncodingType>url</EncodingType>") {
		t.Errorf("encoding-type=url: %d %s", resp.StatusCode, body)
	}
	resp, body = r.do(t, "GET", "/lists?list-type=2&max-keys=abc", nil, nil, 0, "UNSIGNED-PAYLOAD")
	if resp.StatusCode != 400 || !strings.Contains(body, "<Code>InvalidArgument</Code>") {
		t.Errorf("bad max-keys: %d %s", resp.StatusCode, body)
	}
	_ = http.MethodGet
}
