package s3api

import (
	"encoding/xml"
	"net/http"
	"strconv"

	"rolegate/internal/api/awserr"
	"rolegate/internal/checksum"
	"rolegate/internal/s3"
)

type initiateResult struct {
	XMLName  xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ InitiateMultipartUploadResult"`
	Bucket   string   `xml:"Bucket"`
	Key      string   `xml:"Key"`
	UploadID string   `xml:"UploadId"`
}

func (a *API) createUpload(q *request) error {
	meta, err := metaFromHeaders(q.r.Header)
	if err != nil {
		return err
	}
	alg := ""
	if v := q.r.Header.Get("X-Amz-Checksum-Algorithm"); v != "" {
		al, ok := checksum.Parse(v)
		if !ok {
			return awserr.New(awserr.InvalidRequest, "Checksum algorithm provided is unsupported.")
		}
		alg = al.String()
	}
	u, err := a.S3.CreateUpload(q.c.Ctx, q.bucket, q.key, meta, alg)
	if err != nil {
		return err
	}
	if alg != "" {
		q.w.Header().Set("x-amz-checksum-algorithm", alg)
		q.w.Header().Set("x-amz-checksum-type", "COMPOSITE")
	}
	return writeXML(q, initiateResult{Bucket: q.bucket, Key: q.key, UploadID: u.ID})
}

func partParams(q *request) (string, int, error) {
	v := q.query
	n, err := s3.PartNumber(v.Get("partNumber"))
	return v.Get("uploadId"), n, err
}

func (a *API) uploadPart(q *request) error {
	id, n, err := partParams(q)
	if err != nil {
		return err
	}
	if err := requireLength(q); err != nil {
		return err
	}
	body, err := openBody(q)
	if err != nil {
		return err
	}
	p, err := a.S3.UploadPart(q.c.Ctx, q.bucket, q.key, id, n, body, body.checksums)
	if err != nil {
		return err
	}
	h := q.w.Header()
	h.Set("ETag", p.ETag)
	for name, v := range p.Checksums {
		if alg, ok := checksum.Parse(name); ok {
			h.Set(alg.Header(), v)
		}
	}
	return writeEmpty(q, http.StatusOK)
}

type copyPartResult struct {
	XMLName      xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CopyPartResult"`
	ETag         string   `xml:"ETag"`
	LastModified string   `xml:"LastModified"`
}

// uploadPartCopy makes a part from a range of another object.
func (a *API) uploadPartCopy(q *request) error {
	id, n, err := partParams(q)
	if err != nil {
		return err
	}
	sb, sk, err := copySource(q.r.Header.Get("X-Amz-Copy-Source"))
	if err != nil {
		return err
	}
	if err := a.authorizeSource(q, sb, sk); err != nil {
		return err
	}
	if _, err := a.S3.Upload(q.c.Ctx, q.bucket, q.key, id); err != nil {
		return err
	}
	_, r, err := a.S3.Open(q.c.Ctx, sb, sk, func(o *s3.Object) (int64, int64, error) {
		if v := q.r.Header.Get("X-Amz-Copy-Source-If-Match"); v != "" && !s3.ETagMatches(v, o.ETag) {
			return 0, 0, awserr.New(awserr.PreconditionFailed, "At least one of the pre-conditions you specified did not hold").With("Condition", "x-amz-copy-source-If-Match")
		}
		rh := q.r.Header.Get("X-Amz-Copy-Source-Range")
		if rh == "" {
			return 0, o.Size, nil
		}
		off, cnt, ok, sat := parseRange(rh, o.Size)
		if !ok || !sat {
			return 0, 0, awserr.New(awserr.InvalidArgument, "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy").
				With("ArgumentName", "x-amz-copy-source-range").With("ArgumentValue", rh)
		}
		return off, cnt, nil
	})
	if err != nil {
		return err
	}
	defer r.Close()
	p, err := a.S3.UploadPart(q.c.Ctx, q.bucket, q.key, id, n, r, nil)
	if err != nil {
		return err
	}
	return writeXML(q, copyPartResult{ETag: p.ETag, LastModified: xmlTime(p.Modified)})
}

type completeRequest struct {
	Parts []struct {
		PartNumber int    `xml:"PartNumber"`
		ETag       string `xml:"ETag"`
	} `xml:"Part"`
}

type completeResult struct {
	XMLName        xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CompleteMultipartUploadResult"`
	Location       string   `xml:"Location"`
	Bucket         string   `xml:"Bucket"`
	Key            string   `xml:"Key"`
	ETag           string   `xml:"ETag"`
	ChecksumCRC32  string   `xml:"ChecksumCRC32,omitempty"`
	ChecksumCRC32C string   `xml:"ChecksumCRC32C,omitempty"`
	ChecksumSHA1   string   `xml:"ChecksumSHA1,omitempty"`
	ChecksumSHA256 string   `xml:"ChecksumSHA256,omitempty"`
	ChecksumType   string   `xml:"ChecksumType,omitempty"`
}

func (a *API) completeUpload(q *request) error {
	var req completeRequest
	if _, err := decodeXML(q, &req, false); err != nil {
		return err
	}
	list := make([]s3.CompletedPart, len(req.Parts))
	for i, p := range req.Parts {
		list[i] = s3.CompletedPart{Number: p.PartNumber, ETag: p.ETag}
	}
	o, err := a.S3.CompleteUpload(q.c.Ctx, q.bucket, q.key, q.query.Get("uploadId"), list, writeConditions(q.r.Header))
	if err != nil {
		return err
	}
	scheme := "http"
	if q.r.TLS != nil {
		scheme = "https"
	}
	res := completeResult{Location: scheme + "://" + q.r.Host + "/" + q.bucket + "/" + urlEncodeKey(q.key), Bucket: q.bucket, Key: q.key, ETag: o.ETag}
	for name, v := range o.Checksums {
		res.ChecksumType = "COMPOSITE"
		switch name {
		case "CRC32":
			res.ChecksumCRC32 = v
		case "CRC32C":
			res.ChecksumCRC32C = v
		case "SHA1":
			res.ChecksumSHA1 = v
		case "SHA256":
			res.ChecksumSHA256 = v
		default:
			res.ChecksumType = ""
		}
	}
	return writeXML(q, res)
}

func (a *API) abortUpload(q *request) error {
	if err := a.S3.AbortUpload(q.c.Ctx, q.bucket, q.key, q.query.Get("uploadId")); err != nil {
		return err
	}
	return writeEmpty(q, http.StatusNoContent)
}

type listPartsResult struct {
	XMLName              xml.Name   `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListPartsResult"`
	Bucket               string     `xml:"Bucket"`
	Key                  string     `xml:"Key"`
	UploadID             string     `xml:"UploadId"`
	PartNumberMarker     int        `xml:"PartNumberMarker"`
	NextPartNumberMarker int        `xml:"NextPartNumberMarker,omitempty"`
	MaxParts             int        `xml:"MaxParts"`
	IsTruncated          bool       `xml:"IsTruncated"`
	Parts                []partInfo `xml:"Part"`
	Initiator            *owner     `xml:"Initiator"`
	Owner                *owner     `xml:"Owner"`
	StorageClass         string     `xml:"StorageClass"`
	ChecksumAlgorithm    string     `xml:"ChecksumAlgorithm,omitempty"`
}

type partInfo struct {
	PartNumber     int    `xml:"PartNumber"`
	LastModified   string `xml:"LastModified"`
	ETag           string `xml:"ETag"`
	Size           int64  `xml:"Size"`
	ChecksumCRC32  string `xml:"ChecksumCRC32,omitempty"`
	ChecksumCRC32C string `xml:"ChecksumCRC32C,omitempty"`
	ChecksumSHA1   string `xml:"ChecksumSHA1,omitempty"`
	ChecksumSHA256 string `xml:"ChecksumSHA256,omitempty"`
}

func intParam(q *request, name string, def int) (int, error) {
	v := q.query.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, awserr.New(awserr.InvalidArgument, "Provided "+name+" not an integer or within integer range").With("ArgumentName", name).With("ArgumentValue", v)
	}
	return n, nil
}

func (a *API) listParts(q *request) error {
	marker, err := intParam(q, "part-number-marker", 0)
	if err != nil {
		return err
	}
	max, err := intParam(q, "max-parts", s3.DefaultMaxParts)
	if err != nil {
		return err
	}
	l, err := a.S3.ListParts(q.c.Ctx, q.bucket, q.key, q.query.Get("uploadId"), marker, max)
	if err != nil {
		return err
	}
	res := listPartsResult{Bucket: q.bucket, Key: q.key, UploadID: l.Upload.ID, PartNumberMarker: marker,
		MaxParts: min(max, s3.DefaultMaxParts), IsTruncated: l.IsTruncated, Initiator: ownerOf(q.c.Account()),
		Owner: ownerOf(q.b.Account), StorageClass: "STANDARD", ChecksumAlgorithm: l.Upload.ChecksumAlgorithm}
	if res.MaxParts == 0 {
		res.MaxParts = s3.DefaultMaxParts
	}
	for _, p := range l.Parts {
		pi := partInfo{PartNumber: p.Number, LastModified: xmlTime(p.Modified), ETag: p.ETag, Size: p.Size,
			ChecksumCRC32: p.Checksums["CRC32"], ChecksumCRC32C: p.Checksums["CRC32C"],
			ChecksumSHA1: p.Checksums["SHA1"], ChecksumSHA256: p.Checksums["SHA256"]}
		res.Parts = append(res.Parts, pi)
		res.NextPartNumberMarker = p.Number
	}
	return writeXML(q, res)
}

type listUploadsResult struct {
	XMLName            xml.Name     `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListMultipartUploadsResult"`
	Bucket             string       `xml:"Bucket"`
	KeyMarker          string       `xml:"KeyMarker"`
	UploadIDMarker     string       `xml:"UploadIdMarker"`
	NextKeyMarker      string       `xml:"NextKeyMarker,omitempty"`
	NextUploadIDMarker string       `xml:"NextUploadIdMarker,omitempty"`
	Prefix             string       `xml:"Prefix"`
	MaxUploads         int          `xml:"MaxUploads"`
	IsTruncated        bool         `xml:"IsTruncated"`
	Uploads            []uploadInfo `xml:"Upload"`
}

type uploadInfo struct {
	Key          string `xml:"Key"`
	UploadID     string `xml:"UploadId"`
	Initiator    *owner `xml:"Initiator"`
	Owner        *owner `xml:"Owner"`
	StorageClass string `xml:"StorageClass"`
	Initiated    string `xml:"Initiated"`
}

func (a *API) listUploads(q *request) error {
	max, err := intParam(q, "max-uploads", s3.DefaultMaxParts)
	if err != nil {
		return err
	}
	prefix := q.query.Get("prefix")
	us, truncated, err := a.S3.Uploads(q.c.Ctx, q.bucket, prefix, max)
	if err != nil {
		return err
	}
	res := listUploadsResult{Bucket: q.bucket, Prefix: prefix, MaxUploads: max, IsTruncated: truncated}
	for _, u := range us {
		res.Uploads = append(res.Uploads, uploadInfo{Key: u.Key, UploadID: u.ID, Initiator: ownerOf(q.b.Account),
			Owner: ownerOf(q.b.Account), StorageClass: "STANDARD", Initiated: xmlTime(u.Initiated)})
	}
	return writeXML(q, res)
}
