package s3api

import (
	"net/http"
	"net/url"
)

// level says which resource an operation acts on, and so which ARN it is authorized against.
type level uint8

const (
	service level = iota // no resource: ListBuckets
	bucket               // arn:aws:s3:::bucket
	object               // arn:aws:s3:::bucket/key
)

// op is one row of the operation table.
type op struct {
	name   string // S3 operation name, as in the API reference and audit events
	action string // IAM action checked before the handler runs
	level  level
	// keys adds the operation's S3 condition keys.
	keys func(q *request) []keyValue
	// perKey marks operations whose handler authorizes each key itself (DeleteObjects): the
	// table's action is then checked per key, not once.
	perKey bool
	// prepare reads what the condition keys need from a small body before authorization.
	prepare func(a *API, q *request) error
	// handle serves the request once it is authorized; nil answers NotImplemented.
	handle func(a *API, q *request) error
}

// configRead is a bucket configuration rolegate does not keep: reading it answers what AWS
// answers for a bucket that has none.
func configRead(name, action string, handle func(a *API, q *request) error) *op {
	return &op{name: name, action: action, level: bucket, handle: handle}
}

// ops is the operation table: every operation rolegate serves, with its IAM action.
var ops = struct {
	ListBuckets, CreateBucket, DeleteBucket, HeadBucket, GetBucketLocation, ListObjects, ListObjectsV2,
	ListObjectVersions, ListMultipartUploads, DeleteObjects,
	GetBucketPolicy, PutBucketPolicy, DeleteBucketPolicy, GetBucketPolicyStatus,
	GetBucketTagging, PutBucketTagging, DeleteBucketTagging, GetBucketVersioning, PutBucketVersioning,
	GetBucketAcl, GetBucketCors, GetBucketWebsite, GetBucketAccelerateConfiguration, GetBucketRequestPayment,
	GetBucketLogging, GetBucketLifecycleConfiguration, GetBucketReplication, GetBucketEncryption,
	GetObjectLockConfiguration, GetBucketOwnershipControls, GetPublicAccessBlock, GetBucketNotificationConfiguration,
	PutObject, GetObject, HeadObject, DeleteObject, CopyObject, GetObjectTagging, PutObjectTagging,
	DeleteObjectTagging, GetObjectAcl,
	CreateMultipartUpload, UploadPart, UploadPartCopy, CompleteMultipartUpload, AbortMultipartUpload, ListParts *op
}{
	ListBuckets:          &op{name: "ListBuckets", action: "s3:ListAllMyBuckets", level: service, handle: (*API).listBuckets},
	CreateBucket:         &op{name: "CreateBucket", action: "s3:CreateBucket", level: bucket, keys: createBucketKeys, prepare: (*API).readCreateBucket, handle: (*API).createBucket},
	DeleteBucket:         &op{name: "DeleteBucket", action: "s3:DeleteBucket", level: bucket, handle: (*API).deleteBucket},
	HeadBucket:           &op{name: "HeadBucket", action: "s3:ListBucket", level: bucket, handle: (*API).headBucket},
	GetBucketLocation:    &op{name: "GetBucketLocation", action: "s3:GetBucketLocation", level: bucket, handle: (*API).getBucketLocation},
	ListObjects:          &op{name: "ListObjects", action: "s3:ListBucket", level: bucket, keys: listKeys, handle: (*API).listObjects},
	ListObjectsV2:        &op{name: "ListObjectsV2", action: "s3:ListBucket", level: bucket, keys: listKeys, handle: (*API).listObjectsV2},
	ListObjectVersions:   &op{name: "ListObjectVersions", action: "s3:ListBucketVersions", level: bucket, keys: listKeys, handle: (*API).listObjectVersions},
	ListMultipartUploads: &op{name: "ListMultipartUploads", action: "s3:ListBucketMultipartUploads", level: bucket, handle: (*API).listUploads},
	DeleteObjects:        &op{name: "DeleteObjects", action: "s3:DeleteObject", level: bucket, perKey: true, handle: (*API).deleteObjects},

	GetBucketPolicy:       &op{name: "GetBucketPolicy", action: "s3:GetBucketPolicy", level: bucket, handle: (*API).getBucketPolicy},
	PutBucketPolicy:       &op{name: "PutBucketPolicy", action: "s3:PutBucketPolicy", level: bucket, handle: (*API).putBucketPolicy},
	DeleteBucketPolicy:    &op{name: "DeleteBucketPolicy", action: "s3:DeleteBucketPolicy", level: bucket, handle: (*API).deleteBucketPolicy},
	GetBucketPolicyStatus: &op{name: "GetBucketPolicyStatus", action: "s3:GetBucketPolicyStatus", level: bucket, handle: (*API).getBucketPolicyStatus},
	GetBucketTagging:      &op{name: "GetBucketTagging", action: "s3:GetBucketTagging", level: bucket, handle: (*API).getBucketTagging},
	PutBucketTagging:      &op{name: "PutBucketTagging", action: "s3:PutBucketTagging", level: bucket, keys: requestTagKeys, prepare: (*API).readTagging, handle: (*API).putBucketTagging},
	DeleteBucketTagging:   &op{name: "DeleteBucketTagging", action: "s3:PutBucketTagging", level: bucket, handle: (*API).deleteBucketTagging},
	GetBucketVersioning:   &op{name: "GetBucketVersioning", action: "s3:GetBucketVersioning", level: bucket, handle: (*API).getBucketVersioning},
	PutBucketVersioning:   &op{name: "PutBucketVersioning", action: "s3:PutBucketVersioning", level: bucket, handle: (*API).putBucketVersioning},

	GetBucketAcl:                       configRead("GetBucketAcl", "s3:GetBucketAcl", (*API).getBucketACL),
	GetBucketCors:                      configRead("GetBucketCors", "s3:GetBucketCORS", absent("NoSuchCORSConfiguration", "The CORS configuration does not exist")),
	GetBucketWebsite:                   configRead("GetBucketWebsite", "s3:GetBucketWebsite", absent("NoSuchWebsiteConfiguration", "The specified bucket does not have a website configuration")),
	GetBucketAccelerateConfiguration:   configRead("GetBucketAccelerateConfiguration", "s3:GetAccelerateConfiguration", empty("AccelerateConfiguration", "")),
	GetBucketRequestPayment:            configRead("GetBucketRequestPayment", "s3:GetBucketRequestPayment", empty("RequestPaymentConfiguration", "<Payer>BucketOwner</Payer>")),
	GetBucketLogging:                   configRead("GetBucketLogging", "s3:GetBucketLogging", empty("BucketLoggingStatus", "")),
	GetBucketLifecycleConfiguration:    configRead("GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration", absent("NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist")),
	GetBucketReplication:               configRead("GetBucketReplication", "s3:GetReplicationConfiguration", absent("ReplicationConfigurationNotFoundError", "The replication configuration was not found")),
	GetBucketEncryption:                configRead("GetBucketEncryption", "s3:GetEncryptionConfiguration", absent("ServerSideEncryptionConfigurationNotFoundError", "The server side encryption configuration was not found")),
	GetObjectLockConfiguration:         configRead("GetObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration", absent("ObjectLockConfigurationNotFoundError", "Object Lock configuration does not exist for this bucket")),
	GetBucketOwnershipControls:         configRead("GetBucketOwnershipControls", "s3:GetBucketOwnershipControls", absent("OwnershipControlsNotFoundError", "The bucket ownership controls were not found")),
	GetPublicAccessBlock:               configRead("GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock", absent("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found")),
	GetBucketNotificationConfiguration: configRead("GetBucketNotificationConfiguration", "s3:GetBucketNotification", empty("NotificationConfiguration", "")),

	PutObject:           &op{name: "PutObject", action: "s3:PutObject", level: object, keys: putObjectKeys, handle: (*API).putObject},
	GetObject:           &op{name: "GetObject", action: "s3:GetObject", level: object, handle: (*API).getObject},
	HeadObject:          &op{name: "HeadObject", action: "s3:GetObject", level: object, handle: (*API).getObject},
	DeleteObject:        &op{name: "DeleteObject", action: "s3:DeleteObject", level: object, handle: (*API).deleteObject},
	CopyObject:          &op{name: "CopyObject", action: "s3:PutObject", level: object, keys: copyObjectKeys, handle: (*API).copyObject},
	GetObjectTagging:    &op{name: "GetObjectTagging", action: "s3:GetObjectTagging", level: object, handle: (*API).getObjectTagging},
	PutObjectTagging:    &op{name: "PutObjectTagging", action: "s3:PutObjectTagging", level: object, handle: (*API).putObjectTagging},
	DeleteObjectTagging: &op{name: "DeleteObjectTagging", action: "s3:DeleteObjectTagging", level: object, handle: (*API).deleteObjectTagging},
	GetObjectAcl:        &op{name: "GetObjectAcl", action: "s3:GetObjectAcl", level: object, handle: (*API).getObjectACL},

	CreateMultipartUpload:   &op{name: "CreateMultipartUpload", action: "s3:PutObject", level: object, keys: putObjectKeys, handle: (*API).createUpload},
	UploadPart:              &op{name: "UploadPart", action: "s3:PutObject", level: object, handle: (*API).uploadPart},
	UploadPartCopy:          &op{name: "UploadPartCopy", action: "s3:PutObject", level: object, keys: copyObjectKeys, handle: (*API).uploadPartCopy},
	CompleteMultipartUpload: &op{name: "CompleteMultipartUpload", action: "s3:PutObject", level: object, handle: (*API).completeUpload},
	AbortMultipartUpload:    &op{name: "AbortMultipartUpload", action: "s3:AbortMultipartUpload", level: object, handle: (*API).abortUpload},
	ListParts:               &op{name: "ListParts", action: "s3:ListMultipartUploadParts", level: object, handle: (*API).listParts},
}

// unimplemented answers NotImplemented for an S3 operation rolegate recognises but does not serve.
func unimplemented(name, action string, lv level) *op {
	return &op{name: name, action: action, level: lv}
}

// bucketGets maps the sub-resource of a GET on a bucket to its operation.
var bucketGets = map[string]*op{
	"policy": ops.GetBucketPolicy, "policyStatus": ops.GetBucketPolicyStatus, "tagging": ops.GetBucketTagging,
	"versioning": ops.GetBucketVersioning, "location": ops.GetBucketLocation, "acl": ops.GetBucketAcl,
	"cors": ops.GetBucketCors, "website": ops.GetBucketWebsite, "accelerate": ops.GetBucketAccelerateConfiguration,
	"requestPayment": ops.GetBucketRequestPayment, "logging": ops.GetBucketLogging,
	"lifecycle": ops.GetBucketLifecycleConfiguration, "replication": ops.GetBucketReplication,
	"encryption": ops.GetBucketEncryption, "object-lock": ops.GetObjectLockConfiguration,
	"ownershipControls": ops.GetBucketOwnershipControls, "publicAccessBlock": ops.GetPublicAccessBlock,
	"notification": ops.GetBucketNotificationConfiguration, "uploads": ops.ListMultipartUploads,
	"versions":            ops.ListObjectVersions,
	"analytics":           unimplemented("GetBucketAnalyticsConfiguration", "s3:GetAnalyticsConfiguration", bucket),
	"metrics":             unimplemented("GetBucketMetricsConfiguration", "s3:GetMetricsConfiguration", bucket),
	"inventory":           unimplemented("GetBucketInventoryConfiguration", "s3:GetInventoryConfiguration", bucket),
	"intelligent-tiering": unimplemented("GetBucketIntelligentTieringConfiguration", "s3:GetIntelligentTieringConfiguration", bucket),
}

// bucketPuts and bucketDeletes do the same for PUT and DELETE.
var bucketPuts = map[string]*op{
	"policy": ops.PutBucketPolicy, "tagging": ops.PutBucketTagging, "versioning": ops.PutBucketVersioning,
	"acl": unimplemented("PutBucketAcl", "s3:PutBucketAcl", bucket), "cors": unimplemented("PutBucketCors", "s3:PutBucketCORS", bucket),
	"website": unimplemented("PutBucketWebsite", "s3:PutBucketWebsite", bucket), "lifecycle": unimplemented("PutBucketLifecycleConfiguration", "s3:PutLifecycleConfiguration", bucket),
	"encryption":  unimplemented("PutBucketEncryption", "s3:PutEncryptionConfiguration", bucket),
	"replication": unimplemented("PutBucketReplication", "s3:PutReplicationConfiguration", bucket),
	"logging":     unimplemented("PutBucketLogging", "s3:PutBucketLogging", bucket), "object-lock": unimplemented("PutObjectLockConfiguration", "s3:PutBucketObjectLockConfiguration", bucket),
	"ownershipControls": unimplemented("PutBucketOwnershipControls", "s3:PutBucketOwnershipControls", bucket),
	"publicAccessBlock": unimplemented("PutPublicAccessBlock", "s3:PutBucketPublicAccessBlock", bucket),
	"notification":      unimplemented("PutBucketNotificationConfiguration", "s3:PutBucketNotification", bucket),
	"accelerate":        unimplemented("PutBucketAccelerateConfiguration", "s3:PutAccelerateConfiguration", bucket),
	"requestPayment":    unimplemented("PutBucketRequestPayment", "s3:PutBucketRequestPayment", bucket),
}

var bucketDeletes = map[string]*op{
	"policy": ops.DeleteBucketPolicy, "tagging": ops.DeleteBucketTagging,
	"cors": unimplemented("DeleteBucketCors", "s3:PutBucketCORS", bucket), "website": unimplemented("DeleteBucketWebsite", "s3:DeleteBucketWebsite", bucket),
	"lifecycle":         unimplemented("DeleteBucketLifecycle", "s3:PutLifecycleConfiguration", bucket),
	"encryption":        unimplemented("DeleteBucketEncryption", "s3:PutEncryptionConfiguration", bucket),
	"replication":       unimplemented("DeleteBucketReplication", "s3:PutReplicationConfiguration", bucket),
	"ownershipControls": unimplemented("DeleteBucketOwnershipControls", "s3:PutBucketOwnershipControls", bucket),
	"publicAccessBlock": unimplemented("DeletePublicAccessBlock", "s3:PutBucketPublicAccessBlock", bucket),
}

// subresource returns the first sub-resource parameter of q found in table.
func subresource(q url.Values, table map[string]*op) (*op, bool) {
	for k := range q {
		if o, ok := table[k]; ok {
			return o, true
		}
	}
	return nil, false
}

// route names the operation of a request, or nil for a method the resource does not allow.
func route(method, bkt, key string, q url.Values, h http.Header) *op {
	switch {
	case bkt == "":
		if method == http.MethodGet {
			return ops.ListBuckets
		}
		return nil
	case key == "":
		return routeBucket(method, q)
	}
	return routeObject(method, q, h)
}

func routeBucket(method string, q url.Values) *op {
	switch method {
	case http.MethodGet:
		if o, ok := subresource(q, bucketGets); ok {
			return o
		}
		if q.Get("list-type") == "2" {
			return ops.ListObjectsV2
		}
		return ops.ListObjects
	case http.MethodHead:
		return ops.HeadBucket
	case http.MethodPut:
		if o, ok := subresource(q, bucketPuts); ok {
			return o
		}
		return ops.CreateBucket
	case http.MethodDelete:
		if o, ok := subresource(q, bucketDeletes); ok {
			return o
		}
		return ops.DeleteBucket
	case http.MethodPost:
		if q.Has("delete") {
			return ops.DeleteObjects
		}
	}
	return nil
}

func routeObject(method string, q url.Values, h http.Header) *op {
	switch method {
	case http.MethodGet:
		switch {
		case q.Has("uploadId"):
			return ops.ListParts
		case q.Has("tagging"):
			return ops.GetObjectTagging
		case q.Has("acl"):
			return ops.GetObjectAcl
		}
		return ops.GetObject
	case http.MethodHead:
		return ops.HeadObject
	case http.MethodPut:
		copySource := h.Get("X-Amz-Copy-Source") != ""
		switch {
		case q.Has("uploadId") && copySource:
			return ops.UploadPartCopy
		case q.Has("uploadId"):
			return ops.UploadPart
		case q.Has("tagging"):
			return ops.PutObjectTagging
		case q.Has("acl"):
			return unimplemented("PutObjectAcl", "s3:PutObjectAcl", object)
		case copySource:
			return ops.CopyObject
		}
		return ops.PutObject
	case http.MethodDelete:
		switch {
		case q.Has("uploadId"):
			return ops.AbortMultipartUpload
		case q.Has("tagging"):
			return ops.DeleteObjectTagging
		}
		return ops.DeleteObject
	case http.MethodPost:
		switch {
		case q.Has("uploads"):
			return ops.CreateMultipartUpload
		case q.Has("uploadId"):
			return ops.CompleteMultipartUpload
		}
	}
	return nil
}
