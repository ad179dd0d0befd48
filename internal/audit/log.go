package audit

import (
	"bufio"
	"errors"
	"io"
	"os"
	"sync"
	"time"
)

// Log writes events to a JSON Lines file. It is safe for concurrent use.
//
// Record encodes its event at once, while the caller's data is still in the processor's cache,
// and appends the line to a batch under a short lock; one writer goroutine takes the batch every
// flushDelay (or as soon as it is half full) and writes it with one system call. Requests
// therefore never wait on the disk nor wake the writer one by one, and Record blocks only when
// a full batch is waiting: an event is never dropped.
type Log struct {
	f       *os.File
	mu      sync.Mutex
	full    *sync.Cond // signalled when the writer has taken the batch
	batch   []byte     // encoded events, one per line, waiting for the writer
	scratch sync.Pool  // of *scratch: a line being encoded outside the lock
	closed  bool
	err     error
	wake    chan struct{} // a batch is half full
	stop    chan struct{}
	done    chan struct{}
	closing sync.Once
}

// scratch is one Record's encoding buffer and encoder (whose per-type tables it keeps).
type scratch struct {
	line []byte
	enc  encoder
}

// Bounds of the batch: Record blocks while batchBytes of encoded events are waiting.
const (
	batchBytes = 4 << 20
	flushDelay = 20 * time.Millisecond
)

// Open appends to the file at path, creating it (mode 0600) if needed.
func Open(path string) (*Log, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	l := &Log{f: f, wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	l.full = sync.NewCond(&l.mu)
	go l.run()
	return l, nil
}

// Record encodes an event, its RequestParameters and ResponseElements scrubbed of secrets, and
// queues it for the file. The event is not kept: the caller may reuse it and what it points to
// once Record returns.
func (l *Log) Record(e *Event) {
	if e.EventVersion == "" {
		e.EventVersion = "1.08"
	}
	if e.EventType == "" {
		e.EventType = "AwsApiCall"
	}
	sc, _ := l.scratch.Get().(*scratch)
	if sc == nil {
		sc = new(scratch)
	}
	sc.line = append(e.appendJSON(sc.line[:0], &sc.enc), '\n')
	l.mu.Lock()
	for len(l.batch) >= batchBytes && !l.closed {
		l.full.Wait()
	}
	before := len(l.batch)
	l.batch = append(l.batch, sc.line...)
	if before < batchBytes/2 && len(l.batch) >= batchBytes/2 {
		select {
		case l.wake <- struct{}{}:
		default:
		}
	}
	l.mu.Unlock()
	l.scratch.Put(sc)
}

func (l *Log) run() {
	defer close(l.done)
	ticker := time.NewTicker(flushDelay)
	defer ticker.Stop()
	var spare []byte
	for {
		stopping := false
		select {
		case <-ticker.C:
		case <-l.wake:
		case <-l.stop:
			stopping = true
		}
		l.mu.Lock()
		lines := l.batch
		l.batch = spare[:0]
		l.full.Broadcast()
		l.mu.Unlock()
		if len(lines) > 0 {
			if _, err := l.f.Write(lines); err != nil {
				l.setErr(err)
			}
		}
		spare = lines
		if stopping {
			return
		}
	}
}

func (l *Log) setErr(err error) {
	l.mu.Lock()
	if l.err == nil {
		l.err = err
	}
	l.mu.Unlock()
}

// Close writes every event recorded so far, syncs and closes the file. Events recorded after
// Close began are written too if they arrive before the writer's last batch; Record never blocks
// after Close.
func (l *Log) Close() error {
	l.closing.Do(func() {
		l.mu.Lock()
		l.closed = true
		l.full.Broadcast()
		l.mu.Unlock()
		close(l.stop)
	})
	<-l.done
	l.mu.Lock()
	err := l.err
	l.mu.Unlock()
	return errors.Join(err, l.f.Sync(), l.f.Close())
}

// Tail writes the last n lines of the audit file at path to w; with follow it then keeps writing
// new lines as they are appended until stop is closed.
func Tail(path string, n int, follow bool, stop <-chan struct{}, w io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	lines, err := lastLines(f, n)
	if err != nil {
		return err
	}
	for _, line := range lines {
		if _, err := w.Write(line); err != nil {
			return err
		}
	}
	if !follow {
		return nil
	}
	r := bufio.NewReader(f)
	var partial []byte
	for {
		line, err := r.ReadBytes('\n')
		partial = append(partial, line...)
		if err == nil {
			if _, err := w.Write(partial); err != nil {
				return err
			}
			partial = partial[:0]
			continue
		}
		if !errors.Is(err, io.EOF) {
			return err
		}
		select {
		case <-stop:
			return nil
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// lastLines returns the last n complete lines of f and leaves f positioned at its end.
func lastLines(f *os.File, n int) ([][]byte, error) {
	var ring [][]byte
	r := bufio.NewReader(f)
	for {
		line, err := r.ReadBytes('\n')
		if len(line) > 0 && line[len(line)-1] == '\n' {
			ring = append(ring, line)
			if n >= 0 && len(ring) > n {
				ring = ring[1:]
			}
		}
		if errors.Is(err, io.EOF) {
			if len(line) > 0 && line[len(line)-1] != '\n' {
				// Step back over a line still being written.
				if _, err := f.Seek(-int64(len(line)), io.SeekCurrent); err != nil {
					return nil, err
				}
			}
			return ring, nil
		}
		if err != nil {
			return nil, err
		}
	}
}
