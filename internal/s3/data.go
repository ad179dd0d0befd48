package s3

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"rolegate/internal/idgen"
)

// tmpPrefix marks files still being written; they are never named by metadata.
const tmpPrefix = "tmp-"

// copyBufferSize is the size of the one buffer a streaming copy uses, whatever the object size.
const copyBufferSize = 256 << 10

// dataDir holds object data files, each named by a random id that carries no client input.
type dataDir struct {
	dir string
	ids *idgen.Gen
}

func openDataDir(dir string, ids *idgen.Gen) (*dataDir, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("s3: data directory: %w", err)
	}
	return &dataDir{dir: dir, ids: ids}, nil
}

// validID reports whether id has the form of a data file id, so that a corrupted record can
// never name a path outside the directory.
func validID(id string) bool {
	if len(id) != 32 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func (d *dataDir) path(id string) (string, error) {
	if !validID(id) {
		return "", fmt.Errorf("s3: invalid data file id %q", id)
	}
	return filepath.Join(d.dir, id), nil
}

// written is a data file made durable by write.
type written struct {
	ID   string
	Size int64
}

// write streams r into a new data file: a temporary file, synced, then renamed to its id and
// the directory synced, so that once write returns the file survives a crash. On any error of r
// (a bad signature or checksum discovered at the end of the body included) nothing is left
// behind. Memory use is one copy buffer.
func (d *dataDir) write(r io.Reader) (written, error) {
	id := d.ids.Hex(32)
	tmp, err := os.CreateTemp(d.dir, tmpPrefix+"*")
	if err != nil {
		return written{}, fmt.Errorf("s3: create data file: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	buf := make([]byte, copyBufferSize)
	n, err := io.CopyBuffer(onlyWriter{tmp}, onlyReader{r}, buf)
	if err != nil {
		return written{}, err
	}
	if err := tmp.Sync(); err != nil {
		return written{}, fmt.Errorf("s3: sync data file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return written{}, fmt.Errorf("s3: close data file: %w", err)
	}
	final := filepath.Join(d.dir, id)
	if err := os.Rename(tmp.Name(), final); err != nil {
		return written{}, fmt.Errorf("s3: rename data file: %w", err)
	}
	ok = true
	if err := syncDir(d.dir); err != nil {
		os.Remove(final)
		return written{}, err
	}
	return written{ID: id, Size: n}, nil
}

// onlyReader and onlyWriter hide ReadFrom/WriteTo so io.CopyBuffer uses the one buffer given
// (an *os.File's ReadFrom would otherwise pick its own path and sizes).
type onlyReader struct{ io.Reader }
type onlyWriter struct{ io.Writer }

// open opens a data file for reading.
func (d *dataDir) open(id string) (*os.File, error) {
	p, err := d.path(id)
	if err != nil {
		return nil, err
	}
	return os.Open(p)
}

// remove deletes data files whose metadata is gone; failures only leave files for the next sweep.
func (d *dataDir) remove(ids ...string) {
	for _, id := range ids {
		if p, err := d.path(id); err == nil {
			os.Remove(p)
		}
	}
}

// sweep removes temporary files and data files that keep reports unreferenced.
func (d *dataDir) sweep(keep func(id string) bool) error {
	entries, err := os.ReadDir(d.dir)
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || (!strings.HasPrefix(name, tmpPrefix) && (!validID(name) || keep(name))) {
			continue
		}
		if err := os.Remove(filepath.Join(d.dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// syncDir flushes a directory's entries (a rename) to stable storage.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("s3: sync %s: %w", dir, err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("s3: sync %s: %w", dir, err)
	}
	return nil
}
