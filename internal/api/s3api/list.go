package s3api

import (
	"encoding/base64"
	"encoding/xml"
	"strconv"

	"rolegate/internal/api/awserr"
	"rolegate/internal/s3"
)

type listEntry struct {
	Key          string `xml:"Key"`
	LastModified string `xml:"LastModified"`
	ETag         string `xml:"ETag"`
	Size         int64  `xml:"Size"`
	Owner        *owner `xml:"Owner,omitempty"`
	StorageClass string `xml:"StorageClass"`
}

type commonPrefix struct {
	Prefix string `xml:"Prefix"`
}

// listBucketResult serves ListObjects (V1 fields) and ListObjectsV2 (V2 fields); the fields of
// the other version stay empty and are omitted.
type listBucketResult struct {
	XMLName               xml.Name       `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListBucketResult"`
	Name                  string         `xml:"Name"`
	Prefix                string         `xml:"Prefix"`
	Marker                *string        `xml:"Marker"`
	NextMarker            string         `xml:"NextMarker,omitempty"`
	ContinuationToken     string         `xml:"ContinuationToken,omitempty"`
	NextContinuationToken string         `xml:"NextContinuationToken,omitempty"`
	StartAfter            string         `xml:"StartAfter,omitempty"`
	KeyCount              *int           `xml:"KeyCount"`
	MaxKeys               int            `xml:"MaxKeys"`
	Delimiter             string         `xml:"Delimiter,omitempty"`
	EncodingType          string         `xml:"EncodingType,omitempty"`
	IsTruncated           bool           `xml:"IsTruncated"`
	Contents              []listEntry    `xml:"Contents"`
	CommonPrefixes        []commonPrefix `xml:"CommonPrefixes"`
}

// listParams reads the parameters common to both listing versions.
type listParams struct {
	prefix, delimiter string
	maxKeys           int
	encode            func(string) string
	encodingType      string
}

func readListParams(q *request) (listParams, error) {
	v := q.query
	p := listParams{prefix: v.Get("prefix"), delimiter: v.Get("delimiter"), maxKeys: s3.DefaultMaxKeys,
		encode: func(s string) string { return s }}
	if mk := v.Get("max-keys"); v.Has("max-keys") {
		n, err := strconv.Atoi(mk)
		if err != nil || n < 0 {
			return p, awserr.New(awserr.InvalidArgument, "Provided max-keys not an integer or within integer range").
				With("ArgumentName", "max-keys").With("ArgumentValue", mk)
		}
		p.maxKeys = min(n, s3.DefaultMaxKeys)
	}
	switch et := v.Get("encoding-type"); et {
	case "":
	case "url":
		p.encode, p.encodingType = urlEncodeKey, "url"
	default:
		return p, awserr.New(awserr.InvalidArgument, "Invalid Encoding Method specified in Request").
			With("ArgumentName", "encoding-type").With("ArgumentValue", et)
	}
	return p, nil
}

// urlEncodeKey encodes a key as S3 does for encoding-type=url: every byte but unreserved
// characters and '/' as %XX (so both unquote and unquote_plus give the key back).
func urlEncodeKey(s string) string {
	const hex = "0123456789ABCDEF"
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' || c == '/' {
			b = append(b, c)
			continue
		}
		b = append(b, '%', hex[c>>4], hex[c&15])
	}
	return string(b)
}

func (p listParams) fill(res *listBucketResult, l *s3.Listing, withOwner bool, account string) {
	res.Prefix, res.Delimiter = p.encode(p.prefix), p.encode(p.delimiter)
	res.MaxKeys, res.EncodingType, res.IsTruncated = p.maxKeys, p.encodingType, l.IsTruncated
	for _, o := range l.Objects {
		e := listEntry{Key: p.encode(o.Key), LastModified: xmlTime(o.Modified), ETag: o.ETag, Size: o.Size, StorageClass: "STANDARD"}
		if withOwner {
			e.Owner = ownerOf(account)
		}
		res.Contents = append(res.Contents, e)
	}
	for _, cp := range l.CommonPrefixes {
		res.CommonPrefixes = append(res.CommonPrefixes, commonPrefix{Prefix: p.encode(cp)})
	}
}

func (a *API) listObjects(q *request) error {
	p, err := readListParams(q)
	if err != nil {
		return err
	}
	marker := q.query.Get("marker")
	l, err := a.S3.List(q.c.Ctx, s3.ListInput{Bucket: q.bucket, Prefix: p.prefix, Delimiter: p.delimiter, After: marker, MaxKeys: p.maxKeys})
	if err != nil {
		return err
	}
	m := p.encode(marker)
	res := listBucketResult{Name: q.bucket, Marker: &m}
	p.fill(&res, l, true, q.b.Account)
	if l.IsTruncated {
		res.NextMarker = p.encode(l.Last)
	}
	return writeXML(q, res)
}

func (a *API) listObjectsV2(q *request) error {
	p, err := readListParams(q)
	if err != nil {
		return err
	}
	v := q.query
	after := v.Get("start-after")
	token := v.Get("continuation-token")
	if v.Has("continuation-token") {
		dec, err := base64.RawURLEncoding.DecodeString(token)
		if err != nil || token == "" {
			return awserr.New(awserr.InvalidArgument, "The continuation token provided is incorrect").
				With("ArgumentName", "continuation-token")
		}
		after = max(after, string(dec))
	}
	l, err := a.S3.List(q.c.Ctx, s3.ListInput{Bucket: q.bucket, Prefix: p.prefix, Delimiter: p.delimiter, After: after, MaxKeys: p.maxKeys})
	if err != nil {
		return err
	}
	count := len(l.Objects) + len(l.CommonPrefixes)
	res := listBucketResult{Name: q.bucket, KeyCount: &count, ContinuationToken: token, StartAfter: p.encode(v.Get("start-after"))}
	p.fill(&res, l, v.Get("fetch-owner") == "true", q.b.Account)
	if l.IsTruncated {
		res.NextContinuationToken = base64.RawURLEncoding.EncodeToString([]byte(l.Last))
	}
	return writeXML(q, res)
}

type listVersionsResult struct {
	XMLName             xml.Name       `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListVersionsResult"`
	Name                string         `xml:"Name"`
	Prefix              string         `xml:"Prefix"`
	KeyMarker           string         `xml:"KeyMarker"`
	VersionIDMarker     string         `xml:"VersionIdMarker"`
	NextKeyMarker       string         `xml:"NextKeyMarker,omitempty"`
	NextVersionIDMarker string         `xml:"NextVersionIdMarker,omitempty"`
	MaxKeys             int            `xml:"MaxKeys"`
	Delimiter           string         `xml:"Delimiter,omitempty"`
	EncodingType        string         `xml:"EncodingType,omitempty"`
	IsTruncated         bool           `xml:"IsTruncated"`
	Versions            []version      `xml:"Version"`
	CommonPrefixes      []commonPrefix `xml:"CommonPrefixes"`
}

type version struct {
	Key          string `xml:"Key"`
	VersionID    string `xml:"VersionId"`
	IsLatest     bool   `xml:"IsLatest"`
	LastModified string `xml:"LastModified"`
	ETag         string `xml:"ETag"`
	Size         int64  `xml:"Size"`
	Owner        *owner `xml:"Owner"`
	StorageClass string `xml:"StorageClass"`
}

// listObjectVersions lists each object as its one version, "null" (rolegate keeps one version
// per key; emptying a bucket by versions, as Terraform's force_destroy does, then works).
func (a *API) listObjectVersions(q *request) error {
	p, err := readListParams(q)
	if err != nil {
		return err
	}
	marker := q.query.Get("key-marker")
	l, err := a.S3.List(q.c.Ctx, s3.ListInput{Bucket: q.bucket, Prefix: p.prefix, Delimiter: p.delimiter, After: marker, MaxKeys: p.maxKeys})
	if err != nil {
		return err
	}
	res := listVersionsResult{Name: q.bucket, Prefix: p.encode(p.prefix), KeyMarker: p.encode(marker), MaxKeys: p.maxKeys,
		Delimiter: p.encode(p.delimiter), EncodingType: p.encodingType, IsTruncated: l.IsTruncated}
	for _, o := range l.Objects {
		res.Versions = append(res.Versions, version{Key: p.encode(o.Key), VersionID: "null", IsLatest: true,
			LastModified: xmlTime(o.Modified), ETag: o.ETag, Size: o.Size, Owner: ownerOf(q.b.Account), StorageClass: "STANDARD"})
	}
	for _, cp := range l.CommonPrefixes {
		res.CommonPrefixes = append(res.CommonPrefixes, commonPrefix{Prefix: p.encode(cp)})
	}
	if l.IsTruncated {
		res.NextKeyMarker, res.NextVersionIDMarker = p.encode(l.Last), "null"
	}
	return writeXML(q, res)
}
