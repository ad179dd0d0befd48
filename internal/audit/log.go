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
type Log struct {
	f     *os.File
	queue chan *Event
	done  chan struct{}
	once  sync.Once
	mu    sync.Mutex // guards err
	err   error
}

// queueSize bounds the events waiting to be written; Record blocks when it is full rather than
// drop an event.
const queueSize = 4096

// Open appends to the file at path, creating it (mode 0600) if needed.
func Open(path string) (*Log, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	l := &Log{f: f, queue: make(chan *Event, queueSize), done: make(chan struct{})}
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
	l.queue <- e
}

func (l *Log) run() {
	defer close(l.done)
	w := bufio.NewWriterSize(l.f, 64<<10)
	var line []byte
	var enc encoder
	for e := range l.queue {
		line = append(e.appendJSON(line[:0], &enc), '\n')
		if _, err := w.Write(line); err != nil {
			l.setErr(err)
		}
		if len(l.queue) == 0 {
			if err := w.Flush(); err != nil {
				l.setErr(err)
			}
		}
	}
	if err := w.Flush(); err != nil {
		l.setErr(err)
	}
}

func (l *Log) setErr(err error) {
	l.mu.Lock()
	if l.err == nil {
		l.err = err
	}
	l.mu.Unlock()
}

// Close writes every queued event, syncs and closes the file.
func (l *Log) Close() error {
	l.once.Do(func() { close(l.queue) })
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
