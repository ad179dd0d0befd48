package s3

import (
	"context"
	"errors"
	"maps"
	"time"

	"rolegate/internal/api/awserr"
	"rolegate/internal/store"
)

// Bucket is a bucket's metadata. Names are global: one account owns each name.
type Bucket struct {
	Name    string
	Account string // the owner: the account that created it
	Region  string // LocationConstraint, or the region the creating request was signed for
	Created time.Time
	// Policy is the bucket policy as the owner wrote it, or "".
	Policy string            `json:",omitempty"`
	Tags   map[string]string `json:",omitempty"`
	// Versioning is "", "Enabled" or "Suspended"; only the status is kept.
	Versioning string `json:",omitempty"`
}

// CreateBucket creates the bucket name for account in region. An existing name answers
// BucketAlreadyOwnedByYou to its owner and BucketAlreadyExists to everyone else.
//
// AWS: us-east-1 answers 200 to an owner re-creating its bucket (a legacy behaviour); the other
// regions answer 409 BucketAlreadyOwnedByYou, which is what every client handles, so rolegate
// answers that everywhere.
func (s *Service) CreateBucket(ctx context.Context, account, name, region string) (*Bucket, error) {
	if !ValidBucketName(name) {
		return nil, awserr.New(awserr.InvalidBucketName, "The specified bucket is not valid.").With("BucketName", name)
	}
	b := &Bucket{Name: name, Account: account, Region: region, Created: s.now().UTC().Truncate(time.Second)}
	err := s.db.Update(ctx, func(tx store.Tx) error {
		cur, err := get[Bucket](tx, tableBucket, name)
		switch {
		case err == nil && cur.Account == account:
			return awserr.New(awserr.BucketAlreadyOwnedByYou, "Your previous request to create the named bucket succeeded and you already own it.").With("BucketName", name)
		case err == nil:
			return awserr.New(awserr.BucketAlreadyExists, "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.").With("BucketName", name)
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		if err := put(tx, tableBucket, name, b); err != nil {
			return err
		}
		return tx.Put(tableOwned, account+"/"+name, nil)
	})
	s.buckets.invalidate(name)
	if err != nil {
		return nil, err
	}
	return b, nil
}

// Bucket returns the bucket called name, or NoSuchBucket. The record is shared: callers must
// not modify it.
func (s *Service) Bucket(ctx context.Context, name string) (*Bucket, error) {
	if v, ok := s.buckets.m.Load(name); ok {
		return v.(*Bucket), nil
	}
	gen := s.buckets.gen.Load()
	var b *Bucket
	err := s.db.View(ctx, func(tx store.Tx) error {
		var err error
		b, err = bucketIn(tx, name)
		return err
	})
	if err == nil && s.buckets.gen.Load() == gen {
		s.buckets.m.Store(name, b)
	}
	return b, err
}

func bucketIn(tx store.Tx, name string) (*Bucket, error) {
	b, err := get[Bucket](tx, tableBucket, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, noSuchBucket(name)
	}
	return b, err
}

// Buckets returns the buckets account owns, by name.
func (s *Service) Buckets(ctx context.Context, account string) ([]*Bucket, error) {
	var out []*Bucket
	err := s.db.View(ctx, func(tx store.Tx) error {
		prefix := account + "/"
		return tx.Scan(tableOwned, prefix, "", 0, func(k string, _ []byte) error {
			b, err := get[Bucket](tx, tableBucket, k[len(prefix):])
			if err != nil {
				return err
			}
			out = append(out, b)
			return nil
		})
	})
	return out, err
}

// DeleteBucket deletes an empty bucket (no objects and no multipart uploads in progress).
func (s *Service) DeleteBucket(ctx context.Context, name string) error {
	defer s.buckets.invalidate(name)
	return s.db.Update(ctx, func(tx store.Tx) error {
		b, err := bucketIn(tx, name)
		if err != nil {
			return err
		}
		n, err := tx.Count(tableObject, name+"/")
		if err != nil {
			return err
		}
		u, err := tx.Count(tableUpload, name+"/")
		if err != nil {
			return err
		}
		if n+u > 0 {
			return awserr.New(awserr.BucketNotEmpty, "The bucket you tried to delete is not empty").With("BucketName", name)
		}
		if err := tx.Delete(tableBucket, name); err != nil {
			return err
		}
		return tx.Delete(tableOwned, b.Account+"/"+name)
	})
}

// updateBucket applies fn to the bucket in one transaction.
func (s *Service) updateBucket(ctx context.Context, name string, fn func(*Bucket) error) error {
	defer s.buckets.invalidate(name)
	return s.db.Update(ctx, func(tx store.Tx) error {
		b, err := bucketIn(tx, name)
		if err != nil {
			return err
		}
		if err := fn(b); err != nil {
			return err
		}
		return put(tx, tableBucket, name, b)
	})
}

// SetPolicy replaces the bucket policy; "" deletes it. The document must pass ValidatePolicy.
func (s *Service) SetPolicy(ctx context.Context, name, policy string) error {
	if policy != "" {
		if err := ValidatePolicy(name, policy); err != nil {
			return err
		}
	}
	return s.updateBucket(ctx, name, func(b *Bucket) error {
		b.Policy = policy
		return nil
	})
}

// MaxBucketTags is the number of tags a bucket may carry.
const MaxBucketTags = 50

// SetTags replaces the bucket's tag set; an empty set deletes it.
func (s *Service) SetTags(ctx context.Context, name string, tags map[string]string) error {
	if err := validateTags(tags, MaxBucketTags); err != nil {
		return err
	}
	return s.updateBucket(ctx, name, func(b *Bucket) error {
		b.Tags = maps.Clone(tags)
		if len(b.Tags) == 0 {
			b.Tags = nil
		}
		return nil
	})
}

func validateTags(tags map[string]string, max int) error {
	if len(tags) > max {
		return awserr.Newf(awserr.InvalidTag, "The TagSet cannot contain more than %d tags", max)
	}
	for k, v := range tags {
		if k == "" || len(k) > 128 {
			return awserr.New(awserr.InvalidTag, "The TagKey you have provided is invalid")
		}
		if len(v) > 256 {
			return awserr.New(awserr.InvalidTag, "The TagValue you have provided is invalid")
		}
		if len(k) >= 4 && k[:4] == "aws:" {
			return awserr.New(awserr.InvalidTag, "System tags cannot be added/updated by requester")
		}
	}
	return nil
}

// SetVersioning records the versioning status ("Enabled" or "Suspended"). Objects keep one
// version whatever the status.
func (s *Service) SetVersioning(ctx context.Context, name, status string) error {
	if status != "Enabled" && status != "Suspended" {
		return awserr.New(awserr.MalformedXML, "The XML you provided was not well-formed or did not validate against our published schema")
	}
	return s.updateBucket(ctx, name, func(b *Bucket) error {
		b.Versioning = status
		return nil
	})
}
