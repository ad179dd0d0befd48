package s3

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"

	"rolegate/internal/store"
)

// Head returns the metadata of an object, or NoSuchKey.
func (s *Service) Head(ctx context.Context, bucket, key string) (*Object, error) {
	ref := objectRef{bucket, key}
	gen := s.objects.gen(bucket).Load()
	if e, ok := s.objects.get(ref, gen); ok {
		return e.o, nil
	}
	var o *Object
	err := s.db.View(ctx, func(tx store.Tx) error {
		var err error
		o, err = get[Object](tx, tableObject, objectKey(bucket, key))
		if errors.Is(err, store.ErrNotFound) {
			// Only an empty bucket can be deleted: the bucket is checked when the key is absent.
			if _, err := bucketIn(tx, bucket); err != nil {
				return err
			}
			return noSuchKey(key)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	s.objects.put(ref, gen, o, nil)
	return o, nil
}

// Range chooses, from an object's metadata, which bytes of it to read (or fails, for a
// precondition or an unsatisfiable range).
type Range func(o *Object) (off, n int64, err error)

// Open returns the object's metadata and a reader of the bytes rng chooses. The reader holds
// open files: the caller closes it. An object replaced while it is being read is still read
// whole (its files stay readable until closed).
func (s *Service) Open(ctx context.Context, bucket, key string, rng Range) (*Object, io.ReadCloser, error) {
	ref := objectRef{bucket, key}
	gen := s.objects.gen(bucket).Load()
	if e, ok := s.objects.get(ref, gen); ok && e.data != nil {
		off, n, err := rng(e.o)
		if err != nil {
			return nil, nil, err
		}
		return e.o, io.NopCloser(bytes.NewReader(e.data[off : off+n])), nil
	}
	// A concurrent replace may remove the files between the metadata read and the open; the
	// next attempt sees the new object.
	for attempt := 0; ; attempt++ {
		o, err := s.Head(ctx, bucket, key)
		if err != nil {
			return nil, nil, err
		}
		off, n, err := rng(o)
		if err != nil {
			return nil, nil, err
		}
		if o.Size <= smallObject {
			data, err := s.readSmall(o)
			if errors.Is(err, os.ErrNotExist) && attempt < 2 {
				continue
			}
			if err != nil {
				return nil, nil, err
			}
			s.objects.put(ref, gen, o, data)
			return o, io.NopCloser(bytes.NewReader(data[off : off+n])), nil
		}
		r, err := s.openRange(o, off, n)
		if errors.Is(err, os.ErrNotExist) && attempt < 2 {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		return o, r, nil
	}
}

// readSmall reads the whole content of a small object.
func (s *Service) readSmall(o *Object) ([]byte, error) {
	r, err := s.openRange(o, 0, o.Size)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	data := make([]byte, o.Size)
	if _, err := io.ReadFull(r, data); err != nil {
		return nil, err
	}
	return data, nil
}

// Whole is the Range of a whole object.
func Whole(o *Object) (int64, int64, error) { return 0, o.Size, nil }

// openRange opens every segment overlapping [off, off+n) up front, so that a later replace
// cannot remove a file the reader still needs.
func (s *Service) openRange(o *Object, off, n int64) (io.ReadCloser, error) {
	r := &segmentReader{}
	pos := int64(0)
	for _, seg := range o.Segments {
		start, end := pos, pos+seg.Size
		pos = end
		if end <= off || start >= off+n || seg.Size == 0 {
			continue
		}
		f, err := s.data.open(seg.Data)
		if err != nil {
			r.Close()
			return nil, err
		}
		lo := max(off, start) - start
		hi := min(off+n, end) - start
		r.files = append(r.files, f)
		r.parts = append(r.parts, io.NewSectionReader(f, lo, hi-lo))
	}
	return r, nil
}

// segmentReader reads sections of several files in order.
type segmentReader struct {
	files []*os.File
	parts []io.Reader
}

func (r *segmentReader) Read(p []byte) (int, error) {
	for len(r.parts) > 0 {
		n, err := r.parts[0].Read(p)
		if err == io.EOF {
			r.parts = r.parts[1:]
			if n > 0 {
				return n, nil
			}
			continue
		}
		return n, err
	}
	return 0, io.EOF
}

func (r *segmentReader) Close() error {
	var first error
	for _, f := range r.files {
		if err := f.Close(); err != nil && first == nil {
			first = err
		}
	}
	r.files, r.parts = nil, nil
	return first
}
