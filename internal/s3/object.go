package s3

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"time"

	"rolegate/internal/api/awserr"
	"rolegate/internal/store"
)

// Object is an object's metadata. Its bytes are the concatenation of its segments' data files:
// one segment for a simple upload, one per part for a multipart upload (the parts are never
// copied into one file; reads stream them in order).
type Object struct {
	Bucket   string
	Key      string
	Size     int64
	ETag     string // quoted: "hex-md5", or "hex-md5-of-md5s-N" for multipart objects
	Modified time.Time
	Segments []Segment
	Meta     Meta
	// Checksums holds the base64 checksums by algorithm name (CRC32, SHA256...) that the
	// client sent or that were computed for it; multipart checksums end in "-N".
	Checksums map[string]string `json:",omitempty"`
	// Parts is the number of parts of a multipart object, 0 for a simple one.
	Parts int `json:",omitempty"`
}

// Segment is one data file of an object.
type Segment struct {
	Data string
	Size int64
}

// Meta is what a client stores with an object and gets back on reads: the representation
// headers and user metadata (x-amz-meta-*, names lower case without the prefix).
type Meta struct {
	ContentType        string            `json:",omitempty"`
	ContentEncoding    string            `json:",omitempty"`
	ContentDisposition string            `json:",omitempty"`
	ContentLanguage    string            `json:",omitempty"`
	CacheControl       string            `json:",omitempty"`
	Expires            string            `json:",omitempty"`
	User               map[string]string `json:",omitempty"`
	Tags               map[string]string `json:",omitempty"`
	// StorageClass is echoed on reads; only STANDARD is kept.
	StorageClass string `json:",omitempty"`
}

// Conditions are the preconditions of a write, checked atomically with its commit.
type Conditions struct {
	// IfNoneMatch "*" requires the key to be absent.
	IfNoneMatch string
	// IfMatch requires the current object's ETag to be this (quoted or not), or "*" any object.
	IfMatch string
}

func objectKey(bucket, key string) string { return bucket + "/" + key }

// PutInput describes one simple upload.
type PutInput struct {
	Bucket, Key string
	Meta        Meta
	Cond        Conditions
	// Checksums computes the checksums to keep once Body has been read to its end (nil: none).
	Checksums func() map[string]string
}

// PutObject stores body under key: the bytes are made durable first, then the metadata is
// committed in one transaction that also checks the preconditions. On any error nothing is
// visible and no data file is left behind.
func (s *Service) PutObject(ctx context.Context, in PutInput, body io.Reader) (*Object, error) {
	if _, err := s.Bucket(ctx, in.Bucket); err != nil {
		return nil, err
	}
	if err := checkKey(in.Key); err != nil {
		return nil, err
	}
	h := md5.New()
	w, err := s.data.write(io.TeeReader(body, h))
	if err != nil {
		return nil, err
	}
	o := &Object{Bucket: in.Bucket, Key: in.Key, Size: w.Size, ETag: `"` + hex.EncodeToString(h.Sum(nil)) + `"`,
		Modified: s.now().UTC(), Segments: []Segment{{Data: w.ID, Size: w.Size}}, Meta: in.Meta}
	if in.Checksums != nil {
		o.Checksums = in.Checksums()
	}
	if err := s.commitObject(ctx, o, in.Cond); err != nil {
		s.data.remove(w.ID)
		return nil, err
	}
	return o, nil
}

// commitObject records o, replacing the current object if the conditions allow, then removes
// the replaced object's data files.
func (s *Service) commitObject(ctx context.Context, o *Object, cond Conditions) error {
	var old *Object
	err := s.updateObjects(ctx, o.Bucket, func(tx store.Tx) error {
		if _, err := bucketIn(tx, o.Bucket); err != nil {
			return err
		}
		cur, err := get[Object](tx, tableObject, objectKey(o.Bucket, o.Key))
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if err := cond.check(cur); err != nil {
			return err
		}
		old = cur
		return put(tx, tableObject, objectKey(o.Bucket, o.Key), o)
	})
	if err == nil && old != nil {
		s.data.remove(old.dataIDs()...)
	}
	return err
}

func (o *Object) dataIDs() []string {
	ids := make([]string, len(o.Segments))
	for i, seg := range o.Segments {
		ids[i] = seg.Data
	}
	return ids
}

// check applies write preconditions to the current object (nil when absent).
func (c Conditions) check(cur *Object) error {
	if c.IfNoneMatch != "" && cur != nil && (c.IfNoneMatch == "*" || ETagMatches(c.IfNoneMatch, cur.ETag)) {
		return preconditionFailed("If-None-Match")
	}
	if c.IfMatch != "" && (cur == nil || !ETagMatches(c.IfMatch, cur.ETag)) {
		if cur == nil {
			return noSuchKey("")
		}
		return preconditionFailed("If-Match")
	}
	return nil
}

func preconditionFailed(cond string) error {
	return awserr.New(awserr.PreconditionFailed, "At least one of the pre-conditions you specified did not hold").With("Condition", cond)
}

// ETagMatches reports whether an If-Match/If-None-Match list (quoted or bare ETags separated by
// commas, or "*") names etag.
func ETagMatches(list, etag string) bool {
	bare := strings.Trim(etag, `"`)
	for _, v := range strings.Split(list, ",") {
		v = strings.TrimSpace(v)
		v = strings.TrimPrefix(v, "W/")
		if v == "*" || strings.Trim(v, `"`) == bare {
			return true
		}
	}
	return false
}

func checkKey(key string) error {
	if key == "" {
		return invalidArgument("Object key must not be empty", "key", key)
	}
	if len(key) > MaxKeyLength {
		return awserr.New(awserr.KeyTooLongError, "Your key is too long")
	}
	return nil
}

// DeleteObject removes key; deleting an absent key succeeds, as in S3.
func (s *Service) DeleteObject(ctx context.Context, bucket, key string) error {
	var old *Object
	err := s.updateObjects(ctx, bucket, func(tx store.Tx) error {
		if _, err := bucketIn(tx, bucket); err != nil {
			return err
		}
		o, err := get[Object](tx, tableObject, objectKey(bucket, key))
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		old = o
		return tx.Delete(tableObject, objectKey(bucket, key))
	})
	if err == nil && old != nil {
		s.data.remove(old.dataIDs()...)
	}
	return err
}

// CopyInput describes CopyObject.
type CopyInput struct {
	SrcBucket, SrcKey string
	Bucket, Key       string
	// Meta replaces the source's metadata when ReplaceMeta is set (x-amz-metadata-directive:
	// REPLACE); otherwise the source's is kept.
	Meta        Meta
	ReplaceMeta bool
	Cond        Conditions
	// SrcIfMatch / SrcIfNoneMatch are x-amz-copy-source-if-match / -if-none-match.
	SrcIfMatch, SrcIfNoneMatch string
}

// CopyObject copies an object by streaming its bytes into a new data file.
func (s *Service) CopyObject(ctx context.Context, in CopyInput) (*Object, error) {
	if err := checkKey(in.Key); err != nil {
		return nil, err
	}
	if _, err := s.Bucket(ctx, in.Bucket); err != nil {
		return nil, err
	}
	src, r, err := s.Open(ctx, in.SrcBucket, in.SrcKey, func(o *Object) (int64, int64, error) {
		if in.SrcIfMatch != "" && !ETagMatches(in.SrcIfMatch, o.ETag) {
			return 0, 0, preconditionFailed("x-amz-copy-source-If-Match")
		}
		if in.SrcIfNoneMatch != "" && ETagMatches(in.SrcIfNoneMatch, o.ETag) {
			return 0, 0, preconditionFailed("x-amz-copy-source-If-None-Match")
		}
		return Whole(o)
	})
	if err != nil {
		return nil, err
	}
	defer r.Close()
	if in.SrcBucket == in.Bucket && in.SrcKey == in.Key && !in.ReplaceMeta {
		return nil, awserr.New(awserr.InvalidRequest, "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.")
	}
	h := md5.New()
	w, err := s.data.write(io.TeeReader(r, h))
	if err != nil {
		return nil, err
	}
	// AWS: a copy of a multipart object made by one CopyObject call is a simple object whose
	// ETag is the MD5 of its bytes.
	etag := `"` + hex.EncodeToString(h.Sum(nil)) + `"`
	meta := src.Meta
	if in.ReplaceMeta {
		meta = in.Meta
	}
	o := &Object{Bucket: in.Bucket, Key: in.Key, Size: w.Size, ETag: etag, Modified: s.now().UTC(),
		Segments: []Segment{{Data: w.ID, Size: w.Size}}, Meta: meta}
	for alg, v := range src.Checksums {
		if !strings.Contains(v, "-") {
			if o.Checksums == nil {
				o.Checksums = map[string]string{}
			}
			o.Checksums[alg] = v
		}
	}
	if err := s.commitObject(ctx, o, in.Cond); err != nil {
		s.data.remove(w.ID)
		return nil, err
	}
	return o, nil
}

// MaxObjectTags is the number of tags an object may carry.
const MaxObjectTags = 10

// SetObjectTags replaces an object's tag set; an empty set deletes it.
func (s *Service) SetObjectTags(ctx context.Context, bucket, key string, tags map[string]string) error {
	if err := validateTags(tags, MaxObjectTags); err != nil {
		return err
	}
	return s.updateObjects(ctx, bucket, func(tx store.Tx) error {
		if _, err := bucketIn(tx, bucket); err != nil {
			return err
		}
		o, err := get[Object](tx, tableObject, objectKey(bucket, key))
		if errors.Is(err, store.ErrNotFound) {
			return noSuchKey(key)
		}
		if err != nil {
			return err
		}
		o.Meta.Tags = tags
		if len(tags) == 0 {
			o.Meta.Tags = nil
		}
		return put(tx, tableObject, objectKey(bucket, key), o)
	})
}
