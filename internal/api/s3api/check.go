package s3api

import (
	"errors"
	"net/url"
	"strconv"
	"strings"

	"rolegate/internal/api/awserr"
	"rolegate/internal/gate"
	"rolegate/internal/iam"
)

// keyValue is one S3 condition key of a request.
type keyValue = gate.Key

// bucketARN and objectARN are the resource ARNs of S3's IAM actions.
func bucketARN(b string) string      { return "arn:aws:s3:::" + b }
func objectARN(b, key string) string { return "arn:aws:s3:::" + b + "/" + key }

// authorize loads the bucket the request names (its owner, policy and tags are part of the
// check) and asks the gate for the operation's action. A request on a bucket that does not exist
// is checked as if the caller's own account owned it, so that only callers allowed to act learn
// that the name is free.
func (a *API) authorize(q *request) error {
	if q.op.level != service && q.op != ops.CreateBucket {
		b, err := a.S3.Bucket(q.c.Ctx, q.bucket)
		switch {
		case err == nil:
			q.b = b
			if q.op == ops.HeadBucket {
				// AWS: HeadBucket names the bucket's region even when it refuses the caller;
				// SDKs find a bucket's region with an anonymous HeadBucket.
				q.w.Header().Set("x-amz-bucket-region", b.Region)
			}
		case isNoSuchBucket(err):
			if q.c.Authorize(a.check(q, q.op.action, q.key)) != nil {
				return accessDeniedOr(q.c)
			}
			return err
		default:
			return err
		}
	}
	if owner := q.r.Header.Get("X-Amz-Expected-Bucket-Owner"); owner != "" && q.b != nil && owner != q.b.Account {
		return accessDenied()
	}
	if q.op.perKey {
		return nil
	}
	if q.op.prepare != nil {
		if err := q.op.prepare(a, q); err != nil {
			return err
		}
	}
	if err := q.c.Authorize(a.check(q, q.op.action, q.key)); err != nil {
		return accessDeniedOr(q.c)
	}
	return nil
}

// accessDeniedOr returns the gate's denial (it carries AccessDenied and its reason).
func accessDeniedOr(c *gate.Call) error {
	if c.Denied != nil {
		return c.Denied
	}
	return accessDenied()
}

// check builds the gate check of action on the request's bucket (and key, for object actions):
// resource ARN, owning account, bucket policy, bucket tags and the operation's S3 keys.
func (a *API) check(q *request, action, key string) gate.Check {
	chk := gate.Check{Action: action, Resource: "*"}
	switch q.op.level {
	case bucket:
		chk.Resource = bucketARN(q.bucket)
	case object:
		chk.Resource = objectARN(q.bucket, key)
	}
	if q.op.perKey {
		chk.Resource = objectARN(q.bucket, key)
	}
	if q.b != nil {
		chk.ResourceAccount = q.b.Account
		chk.ResourcePolicy = q.b.Policy
		if q.b.Policy != "" {
			chk.ResourcePolicyName = "bucket policy of " + q.bucket
		}
		if q.op.level == bucket && !q.op.perKey {
			for k, v := range q.b.Tags {
				chk.ResourceTags = append(chk.ResourceTags, iam.Tag{Key: k, Value: v})
			}
		}
	}
	chk.Keys = authKeys(q)
	if q.op.keys != nil {
		chk.Keys = append(chk.Keys, q.op.keys(q)...)
	}
	return chk
}

// isNoSuchBucket reports an error that says the bucket does not exist. (Its own function: the
// target of errors.As escapes to the heap, which the request that found its bucket should not pay.)
func isNoSuchBucket(err error) bool {
	var ae *awserr.Error
	return errors.As(err, &ae) && ae.Code == awserr.NoSuchBucket
}

// authKeys are the keys every signed S3 request carries: how it was signed.
func authKeys(q *request) []keyValue {
	if q.in.Auth == nil {
		return nil
	}
	authType := "REST-HEADER"
	if q.in.Auth.Presigned {
		authType = "REST-QUERY-STRING"
	}
	// One allocation backs the keys, their values and room for the operation's own keys: this
	// runs on every signed request.
	arr := new(struct {
		vals [4]string
		keys [8]keyValue
	})
	arr.vals = [4]string{authType, "AWS4-HMAC-SHA256", q.in.Auth.PayloadHash, ""}
	vals, keys := arr.vals[:], arr.keys[:3]
	keys[0] = keyValue{Name: "s3:authType", Values: vals[0:1:1]}
	keys[1] = keyValue{Name: "s3:signatureversion", Values: vals[1:2:2]}
	keys[2] = keyValue{Name: "s3:x-amz-content-sha256", Values: vals[2:3:3]}
	if !q.in.Auth.Time.IsZero() {
		age := q.c.Now.Sub(q.in.Auth.Time).Milliseconds()
		vals[3] = strconv.FormatInt(max(age, 0), 10)
		keys = append(keys, keyValue{Name: "s3:signatureAge", Values: vals[3:4:4]})
	}
	return keys
}

// headerKey adds the condition key name with the value of header h when the request has it.
func headerKey(q *request, keys []keyValue, name, h string) []keyValue {
	if v := q.r.Header.Get(h); v != "" {
		keys = append(keys, keyValue{Name: name, Values: []string{v}})
	}
	return keys
}

// listKeys: s3:prefix, s3:delimiter, s3:max-keys.
//
// AWS: the IAM documentation's home-folder example allows s3:prefix "" for listings of the
// bucket root, so s3:prefix is present (empty) when the request has no prefix; s3:delimiter and
// s3:max-keys are present only when the request sends them.
func listKeys(q *request) []keyValue {
	v := q.query
	keys := []keyValue{{Name: "s3:prefix", Values: []string{v.Get("prefix")}}}
	if v.Has("delimiter") {
		keys = append(keys, keyValue{Name: "s3:delimiter", Values: []string{v.Get("delimiter")}})
	}
	if v.Has("max-keys") {
		keys = append(keys, keyValue{Name: "s3:max-keys", Values: []string{v.Get("max-keys")}})
	}
	return keys
}

// createBucketKeys: s3:x-amz-acl, s3:x-amz-object-ownership and s3:LocationConstraint (from the
// body, read before authorization for this reason).
func createBucketKeys(q *request) []keyValue {
	var keys []keyValue
	keys = headerKey(q, keys, "s3:x-amz-acl", "X-Amz-Acl")
	keys = headerKey(q, keys, "s3:x-amz-object-ownership", "X-Amz-Object-Ownership")
	if q.region != "" {
		keys = append(keys, keyValue{Name: "s3:LocationConstraint", Values: []string{q.region}})
	}
	return keys
}

func putObjectKeys(q *request) []keyValue {
	var keys []keyValue
	keys = headerKey(q, keys, "s3:x-amz-acl", "X-Amz-Acl")
	keys = headerKey(q, keys, "s3:x-amz-server-side-encryption", "X-Amz-Server-Side-Encryption")
	keys = headerKey(q, keys, "s3:x-amz-storage-class", "X-Amz-Storage-Class")
	if t := q.r.Header.Get("X-Amz-Tagging"); t != "" {
		if tags, err := url.ParseQuery(t); err == nil {
			names := make([]string, 0, len(tags))
			for k, v := range tags {
				names = append(names, k)
				keys = append(keys, keyValue{Name: "s3:RequestObjectTag/" + k, Values: v})
			}
			keys = append(keys, keyValue{Name: "s3:RequestObjectTagKeys", Values: names})
		}
	}
	return keys
}

func copyObjectKeys(q *request) []keyValue {
	keys := putObjectKeys(q)
	if src := q.r.Header.Get("X-Amz-Copy-Source"); src != "" {
		if dec, err := url.PathUnescape(src); err == nil {
			src = dec
		}
		keys = append(keys, keyValue{Name: "s3:x-amz-copy-source", Values: []string{strings.TrimPrefix(src, "/")}})
	}
	return headerKey(q, keys, "s3:x-amz-metadata-directive", "X-Amz-Metadata-Directive")
}

// requestTagKeys: aws:RequestTag/K and aws:TagKeys of the tag set in the body (read before
// authorization for this reason).
func requestTagKeys(q *request) []keyValue {
	var keys []keyValue
	names := make([]string, 0, len(q.tags))
	for k, v := range q.tags {
		names = append(names, k)
		keys = append(keys, keyValue{Name: "aws:RequestTag/" + k, Values: []string{v}})
	}
	return append(keys, keyValue{Name: "aws:TagKeys", Values: names})
}
