package s3api

import (
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"rolegate/internal/api/awserr"
	"rolegate/internal/gate"
	"rolegate/internal/s3"
)

func itoa(n int) string { return strconv.Itoa(n) }

func writeConditions(h http.Header) s3.Conditions {
	return s3.Conditions{IfNoneMatch: h.Get("If-None-Match"), IfMatch: h.Get("If-Match")}
}

// putObject streams the body into a new data file and commits it (atomically with If-None-Match
// and If-Match).
func (a *API) putObject(q *request) error {
	if err := requireLength(q); err != nil {
		return err
	}
	meta, err := metaFromHeaders(q.r.Header)
	if err != nil {
		return err
	}
	body, err := openBody(q)
	if err != nil {
		return err
	}
	o, err := a.S3.PutObject(q.c.Ctx, s3.PutInput{Bucket: q.bucket, Key: q.key, Meta: meta,
		Cond: writeConditions(q.r.Header), Checksums: body.checksums}, body)
	if err != nil {
		return err
	}
	h := q.w.Header()
	h.Set("ETag", o.ETag)
	writeChecksums(h, o.Checksums)
	return writeEmpty(q, http.StatusOK)
}

// readConditions applies If-Match, If-None-Match, If-Modified-Since and If-Unmodified-Since.
func readConditions(h http.Header, o *s3.Object) error {
	if v := h.Get("If-Match"); v != "" && !s3.ETagMatches(v, o.ETag) {
		return awserr.New(awserr.PreconditionFailed, "At least one of the pre-conditions you specified did not hold").With("Condition", "If-Match")
	}
	if v := h.Get("If-None-Match"); v != "" && s3.ETagMatches(v, o.ETag) {
		return awserr.New(awserr.NotModified, "Not Modified")
	}
	mod := o.Modified.Truncate(time.Second)
	if v := h.Get("If-Unmodified-Since"); v != "" && h.Get("If-Match") == "" {
		if t, err := http.ParseTime(v); err == nil && mod.After(t) {
			return awserr.New(awserr.PreconditionFailed, "At least one of the pre-conditions you specified did not hold").With("Condition", "If-Unmodified-Since")
		}
	}
	if v := h.Get("If-Modified-Since"); v != "" && h.Get("If-None-Match") == "" {
		if t, err := http.ParseTime(v); err == nil && !mod.After(t) {
			return awserr.New(awserr.NotModified, "Not Modified")
		}
	}
	return nil
}

// span is the part of an object a GET returns.
type span struct {
	off, n  int64
	partial bool
}

// chooseSpan reads Range or partNumber.
func chooseSpan(q *request, o *s3.Object) (span, error) {
	whole := span{0, o.Size, false}
	if pn := q.query.Get("partNumber"); pn != "" {
		n, err := s3.PartNumber(pn)
		if err != nil {
			return whole, err
		}
		if o.Parts == 0 {
			if n != 1 {
				return whole, awserr.New(awserr.InvalidPartNumber, "The requested partnumber is not satisfiable").With("PartNumberRequested", pn).With("ActualPartCount", "1")
			}
			return whole, nil
		}
		if n > len(o.Segments) {
			return whole, awserr.New(awserr.InvalidPartNumber, "The requested partnumber is not satisfiable").With("PartNumberRequested", pn).With("ActualPartCount", itoa(o.Parts))
		}
		off := int64(0)
		for _, s := range o.Segments[:n-1] {
			off += s.Size
		}
		return span{off, o.Segments[n-1].Size, true}, nil
	}
	rh := q.r.Header.Get("Range")
	if rh == "" {
		return whole, nil
	}
	off, n, ok, satisfiable := parseRange(rh, o.Size)
	if !ok {
		// AWS: a Range header S3 cannot parse (or with several ranges) is ignored.
		return whole, nil
	}
	if !satisfiable {
		return whole, awserr.New(awserr.InvalidRange, "The requested range is not satisfiable").
			With("RangeRequested", rh).With("ActualObjectSize", strconv.FormatInt(o.Size, 10))
	}
	return span{off, n, true}, nil
}

// parseRange parses a single "bytes=" range against size.
func parseRange(h string, size int64) (off, n int64, ok, satisfiable bool) {
	spec, found := strings.CutPrefix(strings.TrimSpace(h), "bytes=")
	if !found || strings.Contains(spec, ",") {
		return 0, 0, false, false
	}
	first, last, found := strings.Cut(spec, "-")
	if !found {
		return 0, 0, false, false
	}
	first, last = strings.TrimSpace(first), strings.TrimSpace(last)
	if first == "" {
		k, err := strconv.ParseInt(last, 10, 64)
		if err != nil || k < 0 {
			return 0, 0, false, false
		}
		if k == 0 || size == 0 {
			return 0, 0, true, false
		}
		k = min(k, size)
		return size - k, k, true, true
	}
	a, err := strconv.ParseInt(first, 10, 64)
	if err != nil || a < 0 {
		return 0, 0, false, false
	}
	b := size - 1
	if last != "" {
		if b, err = strconv.ParseInt(last, 10, 64); err != nil || b < a {
			return 0, 0, false, false
		}
	}
	if a >= size {
		return 0, 0, true, false
	}
	b = min(b, size-1)
	return a, b - a + 1, true, true
}

// getObject serves GetObject and HeadObject.
func (a *API) getObject(q *request) error {
	var sp span
	rng := func(o *s3.Object) (int64, int64, error) {
		if err := readConditions(q.r.Header, o); err != nil {
			return 0, 0, err
		}
		var err error
		sp, err = chooseSpan(q, o)
		return sp.off, sp.n, err
	}
	var o *s3.Object
	var body io.ReadCloser
	var err error
	if q.r.Method == http.MethodHead {
		o, err = a.S3.Head(q.c.Ctx, q.bucket, q.key)
		if err == nil {
			_, _, err = rng(o)
		}
	} else {
		o, body, err = a.S3.Open(q.c.Ctx, q.bucket, q.key, rng)
	}
	if err != nil {
		return err
	}
	if body != nil {
		defer body.Close()
	}
	h := q.w.Header()
	writeObjectHeaders(h, o, !sp.partial && strings.EqualFold(q.r.Header.Get("X-Amz-Checksum-Mode"), "ENABLED"))
	applyOverrides(h, q.query)
	h.Set("Content-Length", strconv.FormatInt(sp.n, 10))
	status := http.StatusOK
	if sp.partial {
		status = http.StatusPartialContent
		if sp.n > 0 {
			h.Set("Content-Range", "bytes "+strconv.FormatInt(sp.off, 10)+"-"+strconv.FormatInt(sp.off+sp.n-1, 10)+"/"+strconv.FormatInt(o.Size, 10))
		}
	}
	q.w.WriteHeader(status)
	if body != nil {
		// A failure here is the connection's: the status is already sent.
		a.copyBody(q.w, body, sp.n)
	}
	return nil
}

// copyBufferSize is the size of the pooled buffers object bodies are copied through.
const copyBufferSize = 64 << 10

// copyBody writes n bytes of body to w through a pooled buffer: a small object goes out in one
// write, a large one in buffer-sized writes, and no request allocates a buffer of its own.
func (a *API) copyBody(w http.ResponseWriter, body io.Reader, n int64) {
	bp, _ := a.buffers.Get().(*[]byte)
	if bp == nil {
		b := make([]byte, copyBufferSize)
		bp = &b
	}
	defer a.buffers.Put(bp)
	buf := *bp
	if n <= int64(len(buf)) {
		m, _ := io.ReadFull(body, buf[:n])
		w.Write(buf[:m])
		return
	}
	// writerOnly hides the response's ReadFrom, which would copy through a buffer of its own.
	io.CopyBuffer(struct{ io.Writer }{w}, body, buf)
}

func (a *API) deleteObject(q *request) error {
	if err := a.S3.DeleteObject(q.c.Ctx, q.bucket, q.key); err != nil {
		return err
	}
	return writeEmpty(q, http.StatusNoContent)
}

// copySource parses x-amz-copy-source ("/bucket/key" or "bucket/key", URL-encoded).
func copySource(v string) (bucket, key string, err error) {
	v, _, _ = strings.Cut(v, "?versionId=")
	dec, uerr := url.PathUnescape(v)
	if uerr != nil {
		return "", "", awserr.New(awserr.InvalidArgument, "Invalid copy source encoding").With("ArgumentName", "x-amz-copy-source")
	}
	bucket, key, _ = strings.Cut(strings.TrimPrefix(dec, "/"), "/")
	if bucket == "" || key == "" {
		return "", "", awserr.New(awserr.InvalidArgument, "Copy Source must mention the source bucket and key: sourcebucket/sourcekey").
			With("ArgumentName", "x-amz-copy-source").With("ArgumentValue", v)
	}
	return bucket, key, nil
}

// authorizeSource checks s3:GetObject on the source object, under the source bucket's owner
// and policy.
func (a *API) authorizeSource(q *request, bucket, key string) error {
	src, err := a.S3.Bucket(q.c.Ctx, bucket)
	chk := gate.Check{Action: "s3:GetObject", Resource: objectARN(bucket, key), Keys: authKeys(q)}
	if err == nil {
		chk.ResourceAccount, chk.ResourcePolicy = src.Account, src.Policy
		if src.Policy != "" {
			chk.ResourcePolicyName = "bucket policy of " + bucket
		}
	}
	if q.c.Authorize(chk) != nil {
		return accessDeniedOr(q.c)
	}
	return err
}

type copyObjectResult struct {
	XMLName      xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CopyObjectResult"`
	ETag         string   `xml:"ETag"`
	LastModified string   `xml:"LastModified"`
}

func (a *API) copyObject(q *request) error {
	sb, sk, err := copySource(q.r.Header.Get("X-Amz-Copy-Source"))
	if err != nil {
		return err
	}
	if err := a.authorizeSource(q, sb, sk); err != nil {
		return err
	}
	in := s3.CopyInput{SrcBucket: sb, SrcKey: sk, Bucket: q.bucket, Key: q.key, Cond: writeConditions(q.r.Header),
		SrcIfMatch: q.r.Header.Get("X-Amz-Copy-Source-If-Match"), SrcIfNoneMatch: q.r.Header.Get("X-Amz-Copy-Source-If-None-Match")}
	switch d := q.r.Header.Get("X-Amz-Metadata-Directive"); d {
	case "", "COPY":
	case "REPLACE":
		if in.Meta, err = metaFromHeaders(q.r.Header); err != nil {
			return err
		}
		in.ReplaceMeta = true
	default:
		return awserr.New(awserr.InvalidArgument, "Unknown metadata directive.").With("ArgumentName", "x-amz-metadata-directive").With("ArgumentValue", d)
	}
	o, err := a.S3.CopyObject(q.c.Ctx, in)
	if err != nil {
		return err
	}
	return writeXML(q, copyObjectResult{ETag: o.ETag, LastModified: xmlTime(o.Modified)})
}

func (a *API) getObjectTagging(q *request) error {
	o, err := a.S3.Head(q.c.Ctx, q.bucket, q.key)
	if err != nil {
		return err
	}
	return writeXML(q, tagging{TagSet: tagSet(o.Meta.Tags)})
}

func (a *API) putObjectTagging(q *request) error {
	tags, err := parseTagging(q)
	if err != nil {
		return err
	}
	if err := a.S3.SetObjectTags(q.c.Ctx, q.bucket, q.key, tags); err != nil {
		return err
	}
	return writeEmpty(q, http.StatusOK)
}

func (a *API) deleteObjectTagging(q *request) error {
	if err := a.S3.SetObjectTags(q.c.Ctx, q.bucket, q.key, nil); err != nil {
		return err
	}
	return writeEmpty(q, http.StatusNoContent)
}

type deleteRequest struct {
	Quiet   bool `xml:"Quiet"`
	Objects []struct {
		Key string `xml:"Key"`
	} `xml:"Object"`
}

type deleteResult struct {
	XMLName xml.Name        `xml:"http://s3.amazonaws.com/doc/2006-03-01/ DeleteResult"`
	Deleted []deletedObject `xml:"Deleted"`
	Errors  []deleteError   `xml:"Error"`
}

type deletedObject struct {
	Key string `xml:"Key"`
}

type deleteError struct {
	Key     string `xml:"Key"`
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

// maxDeleteKeys is the most keys one DeleteObjects request may name.
const maxDeleteKeys = 1000

// deleteObjects authorizes s3:DeleteObject for each key and deletes those allowed; refusals and
// failures are reported per key.
func (a *API) deleteObjects(q *request) error {
	var req deleteRequest
	if _, err := decodeXML(q, &req, false); err != nil {
		return err
	}
	if len(req.Objects) == 0 || len(req.Objects) > maxDeleteKeys {
		return malformedXML()
	}
	res := deleteResult{}
	for _, obj := range req.Objects {
		if err := q.c.Authorize(a.check(q, "s3:DeleteObject", obj.Key)); err != nil {
			res.Errors = append(res.Errors, deleteError{Key: obj.Key, Code: string(awserr.AccessDenied), Message: "Access Denied"})
			continue
		}
		if err := a.S3.DeleteObject(q.c.Ctx, q.bucket, obj.Key); err != nil {
			e := asError(err)
			res.Errors = append(res.Errors, deleteError{Key: obj.Key, Code: string(e.Code), Message: e.Message})
			continue
		}
		if !req.Quiet {
			res.Deleted = append(res.Deleted, deletedObject{Key: obj.Key})
		}
	}
	return writeXML(q, res)
}
