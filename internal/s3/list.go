package s3

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"rolegate/internal/store"
)

// DefaultMaxKeys is the listing size S3 uses when max-keys is absent, and the most it returns.
const DefaultMaxKeys = 1000

// ListInput is a listing request: keys starting with Prefix and sorting after After, grouped
// into common prefixes at the first Delimiter after Prefix.
type ListInput struct {
	Bucket    string
	Prefix    string
	Delimiter string
	After     string // marker, start-after or the decoded continuation token
	MaxKeys   int
}

// Listing is one page of a listing.
type Listing struct {
	Objects        []*Object
	CommonPrefixes []string
	IsTruncated    bool
	// Last is the last key or common prefix of the page, where the next page starts after.
	Last string
}

// errPageFull stops a scan when the page has one entry more than asked (so truncation is known);
// errJump stops it to skip the rest of a common prefix.
var (
	errPageFull = errors.New("page full")
	errJump     = errors.New("jump")
)

// afterAll sorts after every key that starts with the prefix it is appended to: no UTF-8 key
// contains the byte 0xFF.
const afterAll = "\xff"

// List returns one page of the bucket's keys in UTF-8 binary order.
func (s *Service) List(ctx context.Context, in ListInput) (*Listing, error) {
	out := &Listing{}
	if in.MaxKeys < 0 || in.MaxKeys > DefaultMaxKeys {
		in.MaxKeys = DefaultMaxKeys
	}
	err := s.db.View(ctx, func(tx store.Tx) error {
		if _, err := bucketIn(tx, in.Bucket); err != nil {
			return err
		}
		if in.MaxKeys == 0 {
			return nil
		}
		base := in.Bucket + "/"
		after := ""
		if in.After != "" {
			after = base + in.After
		}
		count := 0
		for {
			var jumpTo string
			err := tx.Scan(tableObject, base+in.Prefix, after, 0, func(k string, v []byte) error {
				key := k[len(base):]
				if in.Delimiter != "" {
					rest := key[len(in.Prefix):]
					if i := strings.Index(rest, in.Delimiter); i >= 0 {
						cp := key[:len(in.Prefix)+i+len(in.Delimiter)]
						jumpTo = base + cp + afterAll
						if in.After != "" && cp <= in.After {
							// The marker lies inside this prefix: it was returned already.
							return errJump
						}
						if count == in.MaxKeys {
							out.IsTruncated = true
							return errPageFull
						}
						count++
						out.CommonPrefixes = append(out.CommonPrefixes, cp)
						out.Last = cp
						return errJump
					}
				}
				if count == in.MaxKeys {
					out.IsTruncated = true
					return errPageFull
				}
				o := new(Object)
				if err := json.Unmarshal(v, o); err != nil {
					return err
				}
				count++
				out.Objects = append(out.Objects, o)
				out.Last = key
				return nil
			})
			switch {
			case errors.Is(err, errJump):
				after = jumpTo
				continue
			case errors.Is(err, errPageFull):
				return nil
			}
			return err
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
