package s3

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"rolegate/internal/api/awserr"
	"rolegate/internal/idgen"
	"rolegate/internal/store"
)

// Tables of the store this package owns.
const (
	tableBucket store.Table = "s3.bucket" // bucket name → Bucket
	tableOwned  store.Table = "s3.owned"  // account "/" bucket → "" (ListBuckets index)
	tableObject store.Table = "s3.object" // bucket "/" key → Object
	tableUpload store.Table = "s3.upload" // bucket "/" upload id → Upload
	tablePart   store.Table = "s3.part"   // upload id "/" %05d part number → Part
)

// Config holds the service's dependencies.
type Config struct {
	Store store.Store
	// Dir holds the object data files; it is created if absent.
	Dir string
	IDs *idgen.Gen
	Now func() time.Time
}

// Service is the object store. Its methods are safe for concurrent use.
type Service struct {
	db   store.Store
	data *dataDir
	ids  *idgen.Gen
	now  func() time.Time
	// buckets caches bucket records: every request reads its bucket (owner, policy, tags)
	// before it is authorized, and the hot path reads memory.
	buckets bucketCache
	objects objectCache
}

// Open returns the service over cfg.Dir, after removing the data files that no metadata names
// (left by a crash between writing a file and committing its metadata, or between deleting
// metadata and its file).
func Open(ctx context.Context, cfg Config) (*Service, error) {
	d, err := openDataDir(cfg.Dir, cfg.IDs)
	if err != nil {
		return nil, err
	}
	s := &Service{db: cfg.Store, data: d, ids: cfg.IDs, now: cfg.Now}
	if err := s.sweep(ctx); err != nil {
		return nil, fmt.Errorf("s3: sweep data files: %w", err)
	}
	return s, nil
}

// sweep removes every data file without a reference.
func (s *Service) sweep(ctx context.Context) error {
	refs := map[string]bool{}
	err := s.db.View(ctx, func(tx store.Tx) error {
		err := tx.Scan(tableObject, "", "", 0, func(_ string, v []byte) error {
			var o Object
			if err := json.Unmarshal(v, &o); err != nil {
				return err
			}
			for _, seg := range o.Segments {
				refs[seg.Data] = true
			}
			return nil
		})
		if err != nil {
			return err
		}
		return tx.Scan(tablePart, "", "", 0, func(_ string, v []byte) error {
			var p Part
			if err := json.Unmarshal(v, &p); err != nil {
				return err
			}
			refs[p.Data] = true
			return nil
		})
	})
	if err != nil {
		return err
	}
	return s.data.sweep(func(id string) bool { return refs[id] })
}

func get[T any](tx store.Tx, t store.Table, key string) (*T, error) {
	raw, err := tx.Get(t, key)
	if err != nil {
		return nil, err
	}
	return decode[T](raw)
}

func decode[T any](raw []byte) (*T, error) {
	v := new(T)
	if err := json.Unmarshal(raw, v); err != nil {
		return nil, fmt.Errorf("s3: decode record: %w", err)
	}
	return v, nil
}

func put(tx store.Tx, t store.Table, key string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return tx.Put(t, key, raw)
}

// Errors in S3's words.

func noSuchBucket(name string) error {
	return awserr.New(awserr.NoSuchBucket, "The specified bucket does not exist").With("BucketName", name)
}

func noSuchKey(key string) error {
	return awserr.New(awserr.NoSuchKey, "The specified key does not exist.").With("Key", key)
}

func noSuchUpload(id string) error {
	return awserr.New(awserr.NoSuchUpload, "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.").With("UploadId", id)
}

func invalidArgument(msg, name, value string) error {
	return awserr.New(awserr.InvalidArgument, msg).With("ArgumentName", name).With("ArgumentValue", value)
}

// bucketCache holds bucket records read from the store. Writers bump gen after their commit and
// drop the entry; a reader stores what it read only if no write committed since it started, so a
// stale record is never cached. Within one process this is exact; several nodes sharing one
// database would also need the store's change notifications.
type bucketCache struct {
	gen atomic.Uint64
	m   sync.Map // name → *Bucket
}

func (c *bucketCache) invalidate(name string) {
	c.gen.Add(1)
	c.m.Delete(name)
}
