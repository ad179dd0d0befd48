package s3api

import (
	"encoding/xml"
	"maps"
	"net/http"
	"slices"
	"strconv"

	"rolegate/internal/api/awserr"
	"rolegate/internal/s3"
)

// absent answers what S3 answers for a configuration the bucket does not have.
func absent(code, msg string) func(a *API, q *request) error {
	return func(a *API, q *request) error {
		return awserr.New(awserr.Code(code), msg).WithStatus(http.StatusNotFound).With("BucketName", q.bucket)
	}
}

// empty answers an empty configuration document (the bucket's defaults).
func empty(root, inner string) func(a *API, q *request) error {
	doc := xml.Header + "<" + root + ` xmlns="` + ns + `">` + inner + "</" + root + ">"
	return func(a *API, q *request) error {
		h := q.w.Header()
		h.Set("Content-Type", "application/xml")
		h.Set("Content-Length", strconv.Itoa(len(doc)))
		q.w.WriteHeader(http.StatusOK)
		_, err := q.w.Write([]byte(doc))
		return err
	}
}

func (a *API) getBucketPolicy(q *request) error {
	if q.b.Policy == "" {
		return awserr.New(awserr.NoSuchBucketPolicy, "The bucket policy does not exist").With("BucketName", q.bucket)
	}
	h := q.w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(q.b.Policy)))
	q.w.WriteHeader(http.StatusOK)
	_, err := q.w.Write([]byte(q.b.Policy))
	return err
}

func (a *API) putBucketPolicy(q *request) error {
	b, err := readSmall(q)
	if err != nil {
		return err
	}
	if len(b) == 0 {
		return awserr.New(awserr.MalformedPolicy, "Policies must be valid JSON and the first byte must be '{'")
	}
	if err := a.S3.SetPolicy(q.c.Ctx, q.bucket, string(b)); err != nil {
		return err
	}
	return writeEmpty(q, http.StatusNoContent)
}

func (a *API) deleteBucketPolicy(q *request) error {
	if err := a.S3.SetPolicy(q.c.Ctx, q.bucket, ""); err != nil {
		return err
	}
	return writeEmpty(q, http.StatusNoContent)
}

type policyStatus struct {
	XMLName  xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ PolicyStatus"`
	IsPublic bool     `xml:"IsPublic"`
}

func (a *API) getBucketPolicyStatus(q *request) error {
	if q.b.Policy == "" {
		return awserr.New(awserr.NoSuchBucketPolicy, "The bucket policy does not exist").With("BucketName", q.bucket)
	}
	return writeXML(q, policyStatus{IsPublic: s3.PolicyIsPublic(q.b.Policy)})
}

type tagging struct {
	XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ Tagging"`
	TagSet  []tag    `xml:"TagSet>Tag"`
}

type tag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

func tagSet(tags map[string]string) []tag {
	out := make([]tag, 0, len(tags))
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		out = append(out, tag{Key: k, Value: tags[k]})
	}
	return out
}

// taggingIn is a <Tagging> body as read: the root's name and namespace are not checked, as
// clients differ in sending the namespace.
type taggingIn struct {
	TagSet []tag `xml:"TagSet>Tag"`
}

// parseTagging reads a <Tagging> body into a map, refusing duplicate keys.
func parseTagging(q *request) (map[string]string, error) {
	var t taggingIn
	if _, err := decodeXML(q, &t, false); err != nil {
		return nil, err
	}
	tags := make(map[string]string, len(t.TagSet))
	for _, tg := range t.TagSet {
		if _, dup := tags[tg.Key]; dup {
			return nil, awserr.New(awserr.InvalidTag, "Cannot provide multiple Tags with the same key").With("TagKey", tg.Key)
		}
		tags[tg.Key] = tg.Value
	}
	return tags, nil
}

// readTagging reads PutBucketTagging's tag set before authorization (aws:RequestTag keys).
func (a *API) readTagging(q *request) error {
	tags, err := parseTagging(q)
	if err != nil {
		return err
	}
	q.tags = tags
	return nil
}

func (a *API) getBucketTagging(q *request) error {
	if len(q.b.Tags) == 0 {
		return awserr.New(awserr.NoSuchTagSet, "The TagSet does not exist").With("BucketName", q.bucket)
	}
	return writeXML(q, tagging{TagSet: tagSet(q.b.Tags)})
}

func (a *API) putBucketTagging(q *request) error {
	if err := a.S3.SetTags(q.c.Ctx, q.bucket, q.tags); err != nil {
		return err
	}
	return writeEmpty(q, http.StatusNoContent)
}

func (a *API) deleteBucketTagging(q *request) error {
	if err := a.S3.SetTags(q.c.Ctx, q.bucket, nil); err != nil {
		return err
	}
	return writeEmpty(q, http.StatusNoContent)
}

type versioningConfiguration struct {
	XMLName   xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ VersioningConfiguration"`
	Status    string   `xml:"Status,omitempty"`
	MfaDelete string   `xml:"MfaDelete,omitempty"`
}

func (a *API) getBucketVersioning(q *request) error {
	return writeXML(q, versioningConfiguration{Status: q.b.Versioning})
}

func (a *API) putBucketVersioning(q *request) error {
	var v struct{ Status, MfaDelete string }
	if _, err := decodeXML(q, &v, false); err != nil {
		return err
	}
	if v.MfaDelete == "Enabled" {
		return awserr.New(awserr.NotImplemented, "MFA Delete is not implemented.")
	}
	if err := a.S3.SetVersioning(q.c.Ctx, q.bucket, v.Status); err != nil {
		return err
	}
	return writeEmpty(q, http.StatusOK)
}

type accessControlPolicy struct {
	XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ AccessControlPolicy"`
	Owner   *owner   `xml:"Owner"`
	Grants  []grant  `xml:"AccessControlList>Grant"`
}

type grant struct {
	Grantee    grantee `xml:"Grantee"`
	Permission string  `xml:"Permission"`
}

type grantee struct {
	XMLNS string `xml:"xmlns:xsi,attr"`
	Type  string `xml:"xsi:type,attr"`
	ID    string `xml:"ID"`
}

// ownerACL is the ACL of a bucket or object with ACLs disabled: the owner has FULL_CONTROL.
func ownerACL(account string) accessControlPolicy {
	return accessControlPolicy{Owner: ownerOf(account), Grants: []grant{{
		Grantee:    grantee{XMLNS: "http://www.w3.org/2001/XMLSchema-instance", Type: "CanonicalUser", ID: canonicalID(account)},
		Permission: "FULL_CONTROL",
	}}}
}

func (a *API) getBucketACL(q *request) error { return writeXML(q, ownerACL(q.b.Account)) }

func (a *API) getObjectACL(q *request) error {
	if _, err := a.S3.Head(q.c.Ctx, q.bucket, q.key); err != nil {
		return err
	}
	return writeXML(q, ownerACL(q.b.Account))
}
