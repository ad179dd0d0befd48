package s3

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"rolegate/internal/api/awserr"
	"rolegate/internal/checksum"
	"rolegate/internal/store"
)

// Multipart limits of S3.
const (
	MaxPartNumber = 10000
	MinPartSize   = 5 << 20 // every part but the last
	// DefaultMaxParts is the ListParts page size when max-parts is absent.
	DefaultMaxParts = 1000
)

// Upload is a multipart upload in progress.
type Upload struct {
	ID        string
	Bucket    string
	Key       string
	Initiated time.Time
	Meta      Meta
	// ChecksumAlgorithm is the algorithm named at creation ("CRC32"...), or "".
	ChecksumAlgorithm string `json:",omitempty"`
}

// Part is one uploaded part.
type Part struct {
	Number    int
	Data      string
	Size      int64
	ETag      string
	Modified  time.Time
	Checksums map[string]string `json:",omitempty"`
}

func uploadKey(bucket, id string) string { return bucket + "/" + id }
func partKey(id string, n int) string    { return fmt.Sprintf("%s/%05d", id, n) }

// CreateUpload starts a multipart upload of key.
func (s *Service) CreateUpload(ctx context.Context, bucket, key string, meta Meta, alg string) (*Upload, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	u := &Upload{ID: s.ids.Hex(48), Bucket: bucket, Key: key, Initiated: s.now().UTC(), Meta: meta, ChecksumAlgorithm: alg}
	err := s.db.Update(ctx, func(tx store.Tx) error {
		if _, err := bucketIn(tx, bucket); err != nil {
			return err
		}
		return put(tx, tableUpload, uploadKey(bucket, u.ID), u)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// validUploadID reports whether id could have been made by CreateUpload; other values are
// answered NoSuchUpload without reaching the store's key space.
func validUploadID(id string) bool {
	if len(id) != 48 {
		return false
	}
	_, err := hex.DecodeString(id)
	return err == nil
}

func uploadIn(tx store.Tx, bucket, key, id string) (*Upload, error) {
	if _, err := bucketIn(tx, bucket); err != nil {
		return nil, err
	}
	if !validUploadID(id) {
		return nil, noSuchUpload(id)
	}
	u, err := get[Upload](tx, tableUpload, uploadKey(bucket, id))
	if errors.Is(err, store.ErrNotFound) || err == nil && u.Key != key {
		return nil, noSuchUpload(id)
	}
	return u, err
}

// Upload returns the upload id of key in bucket, or NoSuchUpload.
func (s *Service) Upload(ctx context.Context, bucket, key, id string) (*Upload, error) {
	var u *Upload
	err := s.db.View(ctx, func(tx store.Tx) error {
		var err error
		u, err = uploadIn(tx, bucket, key, id)
		return err
	})
	return u, err
}

// PartNumber parses a partNumber parameter (1..10000).
func PartNumber(v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > MaxPartNumber {
		return 0, invalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", v)
	}
	return n, nil
}

// UploadPart stores part number n of an upload, replacing an earlier part with that number.
func (s *Service) UploadPart(ctx context.Context, bucket, key, id string, n int, body io.Reader, sums func() map[string]string) (*Part, error) {
	if _, err := s.Upload(ctx, bucket, key, id); err != nil {
		return nil, err
	}
	h := md5.New()
	w, err := s.data.write(io.TeeReader(body, h))
	if err != nil {
		return nil, err
	}
	p := &Part{Number: n, Data: w.ID, Size: w.Size, ETag: `"` + hex.EncodeToString(h.Sum(nil)) + `"`, Modified: s.now().UTC()}
	if sums != nil {
		p.Checksums = sums()
	}
	var old *Part
	err = s.db.Update(ctx, func(tx store.Tx) error {
		if _, err := uploadIn(tx, bucket, key, id); err != nil {
			return err
		}
		cur, err := get[Part](tx, tablePart, partKey(id, n))
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		old = cur
		return put(tx, tablePart, partKey(id, n), p)
	})
	if err != nil {
		s.data.remove(w.ID)
		return nil, err
	}
	if old != nil {
		s.data.remove(old.Data)
	}
	return p, nil
}

// parts returns the parts of upload id in order.
func parts(tx store.Tx, id string, after, limit int) ([]*Part, error) {
	var out []*Part
	start := ""
	if after > 0 {
		start = partKey(id, after)
	}
	err := tx.Scan(tablePart, id+"/", start, limit, func(_ string, v []byte) error {
		p, err := decode[Part](v)
		if err != nil {
			return err
		}
		out = append(out, p)
		return nil
	})
	return out, err
}

// PartList is one page of ListParts.
type PartList struct {
	Upload      *Upload
	Parts       []*Part
	IsTruncated bool
}

// ListParts returns up to max parts numbered above after.
func (s *Service) ListParts(ctx context.Context, bucket, key, id string, after, max int) (*PartList, error) {
	if max <= 0 || max > DefaultMaxParts {
		max = DefaultMaxParts
	}
	out := &PartList{}
	err := s.db.View(ctx, func(tx store.Tx) error {
		u, err := uploadIn(tx, bucket, key, id)
		if err != nil {
			return err
		}
		out.Upload = u
		ps, err := parts(tx, id, after, max+1)
		if err != nil {
			return err
		}
		if len(ps) > max {
			ps, out.IsTruncated = ps[:max], true
		}
		out.Parts = ps
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Uploads returns the uploads in progress in bucket whose key starts with prefix.
func (s *Service) Uploads(ctx context.Context, bucket, prefix string, max int) ([]*Upload, bool, error) {
	if max <= 0 || max > DefaultMaxParts {
		max = DefaultMaxParts
	}
	var out []*Upload
	err := s.db.View(ctx, func(tx store.Tx) error {
		if _, err := bucketIn(tx, bucket); err != nil {
			return err
		}
		return tx.Scan(tableUpload, bucket+"/", "", 0, func(_ string, v []byte) error {
			u, err := decode[Upload](v)
			if err != nil {
				return err
			}
			if strings.HasPrefix(u.Key, prefix) {
				out = append(out, u)
			}
			return nil
		})
	})
	truncated := len(out) > max
	if truncated {
		out = out[:max]
	}
	return out, truncated, err
}

// AbortUpload discards an upload and its parts.
func (s *Service) AbortUpload(ctx context.Context, bucket, key, id string) error {
	var gone []string
	err := s.db.Update(ctx, func(tx store.Tx) error {
		if _, err := uploadIn(tx, bucket, key, id); err != nil {
			return err
		}
		ps, err := parts(tx, id, 0, 0)
		if err != nil {
			return err
		}
		for _, p := range ps {
			if err := tx.Delete(tablePart, partKey(id, p.Number)); err != nil {
				return err
			}
			gone = append(gone, p.Data)
		}
		return tx.Delete(tableUpload, uploadKey(bucket, id))
	})
	if err == nil {
		s.data.remove(gone...)
	}
	return err
}

// CompletedPart is one entry of a CompleteMultipartUpload request.
type CompletedPart struct {
	Number int
	ETag   string
}

// CompleteUpload turns the listed parts into the object key, in one transaction that also
// checks the write conditions. The parts' data files become the object's segments; parts not
// listed are discarded.
func (s *Service) CompleteUpload(ctx context.Context, bucket, key, id string, list []CompletedPart, cond Conditions) (*Object, error) {
	if len(list) == 0 {
		return nil, awserr.New(awserr.MalformedXML, "The XML you provided was not well-formed or did not validate against our published schema")
	}
	var o *Object
	var old *Object
	var unused []string
	err := s.updateObjects(ctx, bucket, func(tx store.Tx) error {
		u, err := uploadIn(tx, bucket, key, id)
		if err != nil {
			return err
		}
		ps, err := parts(tx, id, 0, 0)
		if err != nil {
			return err
		}
		byNum := make(map[int]*Part, len(ps))
		for _, p := range ps {
			byNum[p.Number] = p
		}
		o, err = assemble(u, list, byNum)
		if err != nil {
			return err
		}
		o.Modified = s.now().UTC()
		cur, err := get[Object](tx, tableObject, objectKey(bucket, key))
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if err := cond.check(cur); err != nil {
			return err
		}
		used := map[int]bool{}
		for _, c := range list {
			used[c.Number] = true
		}
		for _, p := range ps {
			if !used[p.Number] {
				unused = append(unused, p.Data)
			}
			if err := tx.Delete(tablePart, partKey(id, p.Number)); err != nil {
				return err
			}
		}
		if err := tx.Delete(tableUpload, uploadKey(bucket, id)); err != nil {
			return err
		}
		old = cur
		return put(tx, tableObject, objectKey(bucket, key), o)
	})
	if err != nil {
		return nil, err
	}
	s.data.remove(unused...)
	if old != nil {
		s.data.remove(old.dataIDs()...)
	}
	return o, nil
}

// assemble builds the object of a completed upload: checks order, ETags and part sizes, and
// computes the multipart ETag (MD5 of the parts' MD5s, "-N") and composite checksum.
func assemble(u *Upload, list []CompletedPart, byNum map[int]*Part) (*Object, error) {
	o := &Object{Bucket: u.Bucket, Key: u.Key, Meta: u.Meta, Parts: len(list)}
	etags := md5.New()
	var alg checksum.Algorithm
	if a, ok := checksum.Parse(u.ChecksumAlgorithm); ok {
		alg = a
	}
	for i, c := range list {
		if i > 0 && c.Number <= list[i-1].Number {
			return nil, awserr.New(awserr.InvalidPartOrder, "The list of parts was not in ascending order. Parts must be ordered by part number.").With("UploadId", u.ID)
		}
	}
	var composite = alg.New()
	for i, c := range list {
		p := byNum[c.Number]
		if p == nil || !ETagMatches(c.ETag, p.ETag) {
			return nil, awserr.New(awserr.InvalidPart, "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.").
				With("UploadId", u.ID).With("PartNumber", strconv.Itoa(c.Number)).With("ETag", c.ETag)
		}
		if i < len(list)-1 && p.Size < MinPartSize {
			return nil, awserr.New(awserr.EntityTooSmall, "Your proposed upload is smaller than the minimum allowed size").
				With("ProposedSize", strconv.FormatInt(p.Size, 10)).With("MinSizeAllowed", strconv.Itoa(MinPartSize)).
				With("PartNumber", strconv.Itoa(c.Number)).With("ETag", p.ETag)
		}
		raw, _ := hex.DecodeString(strings.Trim(p.ETag, `"`))
		etags.Write(raw)
		if composite != nil {
			sum, ok := p.Checksums[alg.String()]
			dec, err := base64.StdEncoding.DecodeString(sum)
			if !ok || err != nil {
				composite = nil
			} else {
				composite.Write(dec)
			}
		}
		o.Size += p.Size
		o.Segments = append(o.Segments, Segment{Data: p.Data, Size: p.Size})
	}
	o.ETag = `"` + hex.EncodeToString(etags.Sum(nil)) + "-" + strconv.Itoa(len(list)) + `"`
	if composite != nil {
		o.Checksums = map[string]string{alg.String(): checksum.Encode(composite.Sum(nil)) + "-" + strconv.Itoa(len(list))}
	}
	return o, nil
}
