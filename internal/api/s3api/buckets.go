package s3api

import (
	"encoding/xml"
	"net/http"
	"strings"

	"rolegate/internal/api/awserr"
)

type listAllMyBucketsResult struct {
	XMLName xml.Name     `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListAllMyBucketsResult"`
	Owner   *owner       `xml:"Owner"`
	Buckets []bucketInfo `xml:"Buckets>Bucket"`
	Prefix  string       `xml:"Prefix,omitempty"`
}

type bucketInfo struct {
	Name         string `xml:"Name"`
	CreationDate string `xml:"CreationDate"`
	BucketRegion string `xml:"BucketRegion,omitempty"`
}

// listBuckets lists the buckets of the caller's account (a role session lists its role's
// account's buckets).
func (a *API) listBuckets(q *request) error {
	bs, err := a.S3.Buckets(q.c.Ctx, q.c.Account())
	if err != nil {
		return err
	}
	prefix := q.query.Get("prefix")
	region := q.query.Get("bucket-region")
	res := listAllMyBucketsResult{Owner: ownerOf(q.c.Account()), Buckets: []bucketInfo{}, Prefix: prefix}
	for _, b := range bs {
		if !strings.HasPrefix(b.Name, prefix) || region != "" && b.Region != region {
			continue
		}
		res.Buckets = append(res.Buckets, bucketInfo{Name: b.Name, CreationDate: xmlTime(b.Created), BucketRegion: b.Region})
	}
	return writeXML(q, res)
}

type createBucketConfiguration struct {
	LocationConstraint string `xml:"LocationConstraint"`
}

// readCreateBucket reads the optional CreateBucketConfiguration before authorization: its
// LocationConstraint is the s3:LocationConstraint key.
func (a *API) readCreateBucket(q *request) error {
	var cfg createBucketConfiguration
	if _, err := decodeXML(q, &cfg, true); err != nil {
		return err
	}
	lc := strings.TrimSpace(cfg.LocationConstraint)
	if lc == "EU" {
		lc = "eu-west-1"
	}
	if lc != "" && !validRegion(lc) {
		return awserr.New(awserr.InvalidLocationConstraint, "The specified location-constraint is not valid").With("LocationConstraint", lc)
	}
	q.region = lc
	return nil
}

// validRegion accepts region names of AWS's form (letters, digits and hyphens).
func validRegion(r string) bool {
	if len(r) == 0 || len(r) > 32 {
		return false
	}
	for i := 0; i < len(r); i++ {
		c := r[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// createBucket creates the bucket for the caller's account in the LocationConstraint region,
// or the region the request was signed for.
func (a *API) createBucket(q *request) error {
	region := q.region
	if region == "" {
		region = q.c.Region
	}
	if _, err := a.S3.CreateBucket(q.c.Ctx, q.c.Account(), q.bucket, region); err != nil {
		return err
	}
	q.w.Header().Set("Location", "/"+q.bucket)
	return writeEmpty(q, http.StatusOK)
}

func (a *API) deleteBucket(q *request) error {
	if err := a.S3.DeleteBucket(q.c.Ctx, q.bucket); err != nil {
		return err
	}
	return writeEmpty(q, http.StatusNoContent)
}

// headBucket answers 200 with the bucket's region.
func (a *API) headBucket(q *request) error {
	h := q.w.Header()
	h.Set("x-amz-bucket-region", q.b.Region)
	h.Set("x-amz-access-point-alias", "false")
	return writeEmpty(q, http.StatusOK)
}

type locationConstraint struct {
	XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ LocationConstraint"`
	Region  string   `xml:",chardata"`
}

// getBucketLocation answers the bucket's region, empty for us-east-1 as S3 does.
func (a *API) getBucketLocation(q *request) error {
	r := q.b.Region
	if r == "us-east-1" {
		r = ""
	}
	return writeXML(q, locationConstraint{Region: r})
}
