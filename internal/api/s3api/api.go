package s3api

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"rolegate/internal/api/awserr"
	"rolegate/internal/api/router"
	"rolegate/internal/audit"
	"rolegate/internal/gate"
	"rolegate/internal/s3"
)

// API serves S3 requests handed on by the router.
type API struct {
	S3  *s3.Service
	Log *slog.Logger
	// buffers recycles the buffers object bodies are copied through.
	buffers sync.Pool
}

// request is one S3 request being served.
type request struct {
	w      http.ResponseWriter
	r      *http.Request
	c      *gate.Call
	in     *router.S3Request
	op     *op
	bucket string
	key    string
	b      *s3.Bucket // the bucket, loaded before authorization (nil when absent)
	query  url.Values // the URL query, parsed once (nil when empty)
	// What prepare read from a small body: CreateBucket's region, PutBucketTagging's tags.
	region string
	tags   map[string]string
	audit  auditParams
}

// ServeS3 implements router.S3.
func (a *API) ServeS3(w http.ResponseWriter, r *http.Request, c *gate.Call, in *router.S3Request) {
	// Canonical keys assigned directly, values sharing one array: this runs on every request.
	h := w.Header()
	vals := []string{c.RequestID, hostID(c.RequestID), "rolegate"}
	h["X-Amz-Request-Id"], h["X-Amz-Id-2"], h["Server"] = vals[0:1:1], vals[1:2:2], vals[2:3:3]
	q := &request{w: w, r: r, c: c, in: in}
	if r.URL.RawQuery != "" {
		q.query = r.URL.Query()
	}
	q.bucket, q.key = address(r, in.HostBucket)
	if in.AuthErr != nil {
		a.fail(q, authError(in.AuthErr, in))
		return
	}
	q.op = route(r.Method, q.bucket, q.key, q.query, r.Header)
	if q.op == nil {
		a.fail(q, awserr.New(awserr.MethodNotAllowed, "The specified method is not allowed against this resource.").
			With("Method", r.Method).With("ResourceType", resourceType(q)))
		return
	}
	if q.op.handle == nil {
		a.fail(q, awserr.New(awserr.NotImplemented, "A header you provided implies functionality that is not implemented."))
		return
	}
	c.Operation = q.op.name
	q.audit = auditParams{bucket: q.bucket, key: q.key, host: r.Host}
	c.AuditParams = &q.audit // a pointer into q: no second allocation
	if err := a.authorize(q); err != nil {
		a.fail(q, err)
		return
	}
	if err := q.op.handle(a, q); err != nil {
		a.fail(q, err)
	}
}

func resourceType(q *request) string {
	switch {
	case q.bucket == "":
		return "SERVICE"
	case q.key == "":
		return "BUCKET"
	}
	return "OBJECT"
}

// address returns the bucket and key of a request: the bucket from a virtual-hosted Host or the
// first path segment, and the key from the rest of the (decoded) path.
func address(r *http.Request, hostBucket string) (bucket, key string) {
	p := strings.TrimPrefix(r.URL.Path, "/")
	if hostBucket != "" {
		return hostBucket, p
	}
	bucket, key, _ = strings.Cut(p, "/")
	return bucket, key
}

// hostID is the x-amz-id-2 value: an opaque token derived from the request id.
func hostID(requestID string) string {
	b := make([]byte, 0, 64)
	for i := 0; i < len(requestID); i++ {
		if c := requestID[i]; c != '-' {
			b = append(b, c)
		}
	}
	return string(append(b, "rolegate"...))
}

// auditParams is the requestParameters of an S3 call's audit record, as CloudTrail writes them.
type auditParams struct{ bucket, key, host string }

// AppendAuditJSON writes {"bucketName":…,"key":…,"Host":…}, leaving out what is empty.
func (p auditParams) AppendAuditJSON(b []byte) []byte {
	b = append(b, '{')
	sep := false
	for _, f := range [...]struct{ name, v string }{{"bucketName", p.bucket}, {"key", p.key}, {"Host", p.host}} {
		if f.v == "" {
			continue
		}
		if sep {
			b = append(b, ',')
		}
		sep = true
		b = append(b, '"')
		b = append(b, f.name...)
		b = append(b, `":`...)
		b = audit.AppendString(b, f.v)
	}
	return append(b, '}')
}
