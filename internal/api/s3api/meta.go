package s3api

import (
	"net/http"
	"net/url"
	"strings"

	"rolegate/internal/api/awserr"
	"rolegate/internal/checksum"
	"rolegate/internal/s3"
)

// maxUserMeta is S3's limit on the size of user metadata (names and values).
const maxUserMeta = 2 << 10

// defaultContentType is what S3 stores when a client sends none.
const defaultContentType = "binary/octet-stream"

// metaFromHeaders reads the representation headers, user metadata and tags of an upload.
func metaFromHeaders(h http.Header) (s3.Meta, error) {
	m := s3.Meta{
		ContentType: h.Get("Content-Type"), ContentEncoding: h.Get("Content-Encoding"),
		ContentDisposition: h.Get("Content-Disposition"), ContentLanguage: h.Get("Content-Language"),
		CacheControl: h.Get("Cache-Control"), Expires: h.Get("Expires"),
	}
	// aws-chunked is a transfer detail of the request, not part of the object.
	var enc []string
	for _, e := range strings.Split(m.ContentEncoding, ",") {
		if e = strings.TrimSpace(e); e != "" && !strings.EqualFold(e, "aws-chunked") {
			enc = append(enc, e)
		}
	}
	m.ContentEncoding = strings.Join(enc, ",")
	if m.ContentType == "" {
		m.ContentType = defaultContentType
	}
	size := 0
	for k, v := range h {
		lk := strings.ToLower(k)
		if !strings.HasPrefix(lk, "x-amz-meta-") || len(v) == 0 {
			continue
		}
		if m.User == nil {
			m.User = map[string]string{}
		}
		name := lk[len("x-amz-meta-"):]
		m.User[name] = strings.Join(v, ",")
		size += len(name) + len(m.User[name])
	}
	if size > maxUserMeta {
		return m, awserr.New(awserr.MetadataTooLarge, "Your metadata headers exceed the maximum allowed metadata size.").
			With("Size", itoa(size)).With("MaxSizeAllowed", itoa(maxUserMeta))
	}
	if t := h.Get("X-Amz-Tagging"); t != "" {
		tags, err := url.ParseQuery(t)
		if err != nil {
			return m, awserr.New(awserr.InvalidArgument, "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.")
		}
		m.Tags = map[string]string{}
		for k, v := range tags {
			if len(v) != 1 {
				return m, awserr.New(awserr.InvalidTag, "Cannot provide multiple Tags with the same key").With("TagKey", k)
			}
			m.Tags[k] = v[0]
		}
	}
	if sc := h.Get("X-Amz-Storage-Class"); sc != "" && sc != "STANDARD" {
		m.StorageClass = sc
	}
	return m, nil
}

// writeObjectHeaders sets the headers of a GET or HEAD response for o.
func writeObjectHeaders(h http.Header, o *s3.Object, checksums bool) {
	ct := o.Meta.ContentType
	if ct == "" {
		ct = defaultContentType
	}
	// Canonical keys assigned directly, values sharing one array: this runs for every read.
	vals := []string{o.ETag, o.Modified.UTC().Format(http.TimeFormat), "bytes", ct}
	h["Etag"], h["Last-Modified"], h["Accept-Ranges"], h["Content-Type"] = vals[0:1:1], vals[1:2:2], vals[2:3:3], vals[3:4:4]
	set := func(k, v string) {
		if v != "" {
			h.Set(k, v)
		}
	}
	set("Content-Encoding", o.Meta.ContentEncoding)
	set("Content-Disposition", o.Meta.ContentDisposition)
	set("Content-Language", o.Meta.ContentLanguage)
	set("Cache-Control", o.Meta.CacheControl)
	set("Expires", o.Meta.Expires)
	set("x-amz-storage-class", o.Meta.StorageClass)
	for k, v := range o.Meta.User {
		h["X-Amz-Meta-"+k] = []string{v}
	}
	if len(o.Meta.Tags) > 0 {
		h.Set("x-amz-tagging-count", itoa(len(o.Meta.Tags)))
	}
	if o.Parts > 0 {
		h.Set("x-amz-mp-parts-count", itoa(o.Parts))
	}
	if checksums {
		writeChecksums(h, o.Checksums)
	}
}

// writeChecksums echoes full-object checksums. Composite checksums of multipart objects ("-N")
// are not echoed on reads: they are not checksums of the bytes a client receives.
func writeChecksums(h http.Header, sums map[string]string) {
	for name, v := range sums {
		alg, ok := checksum.Parse(name)
		if !ok || strings.Contains(v, "-") {
			continue
		}
		h.Set(alg.Header(), v)
		h.Set("x-amz-checksum-type", "FULL_OBJECT")
	}
}

// responseOverrides are the GET parameters that replace response headers (presigned links).
var responseOverrides = [][2]string{
	{"response-content-type", "Content-Type"}, {"response-content-language", "Content-Language"},
	{"response-expires", "Expires"}, {"response-cache-control", "Cache-Control"},
	{"response-content-disposition", "Content-Disposition"}, {"response-content-encoding", "Content-Encoding"},
}

func applyOverrides(h http.Header, q url.Values) {
	for _, o := range responseOverrides {
		if v := q.Get(o[0]); v != "" {
			h.Set(o[1], v)
		}
	}
}
