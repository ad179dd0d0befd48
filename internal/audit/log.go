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
// Recording appends to a batch under a lock; one writer goroutine takes the batch every
// flushDelay (or as soon as it is half full), encodes it and writes it with one system call.
// Requests therefore never wait on the disk nor wake the writer one by one, and Record blocks
// only when a full batch is waiting: an event is never dropped.
type Log struct {
	f       *os.File
	mu      sync.Mutex
	full    *sync.Cond // signalled when the writer has taken the batch
	batch   []*Event
	closed  bool
	err     error
	wake    chan struct{} // a batch is half full
	stop    chan struct{}
	done    chan struct{}
	closing sync.Once
}

// Bounds of the batch: Record blocks when batchSize events are waiting.
const (
	batchSize  = 4096
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

// Record queues an event. Its RequestParameters and ResponseElements are scrubbed of secrets and
// encoded by the writer, so the caller must not change them afterwards.
func (l *Log) Record(e *Event) {
	if e.EventVersion == "" {
		e.EventVersion = "1.08"
	}
	if e.EventType == "" {
		e.EventType = "AwsApiCall"
	}
	l.mu.Lock()
	for len(l.batch) >= batchSize && !l.closed {
		l.full.Wait()
	}
	l.batch = append(l.batch, e)
	if len(l.batch) == batchSize/2 {
		select {
		case l.wake <- struct{}{}:
		default:
		}
	}
	l.mu.Unlock()
}

func (l *Log) run() {
	defer close(l.done)
	w := bufio.NewWriterSize(l.f, 64<<10)
	ticker := time.NewTicker(flushDelay)
	defer ticker.Stop()
	var line []byte
	var enc encoder
	var spare []*Event
	for {
		stopping := false
		select {
		case <-ticker.C:
		case <-l.wake:
		case <-l.stop:
			stopping = true
		}
		l.mu.Lock()
		events := l.batch
		l.batch = spare[:0]
		l.full.Broadcast()
		l.mu.Unlock()
		for _, e := range events {
			line = append(e.appendJSON(line[:0], &enc), '\n')
			if _, err := w.Write(line); err != nil {
				l.setErr(err)
			}
		}
		if len(events) > 0 {
			if err := w.Flush(); err != nil {
				l.setErr(err)
			}
		}
		clear(events)
		spare = events
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
