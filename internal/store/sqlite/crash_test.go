package sqlite_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"rolegate/internal/store"
	"rolegate/internal/store/sqlite"
)

// crashEnv carries the database path to the child process of TestCrashKeepsAcknowledgedUpdates.
const crashEnv = "ROLEGATE_SQLITE_CRASH_DB"

// TestCrashKeepsAcknowledgedUpdates runs a child process that commits a numbered sequence of
// Updates and reports each one on stdout once Update has returned, kills it with SIGKILL in the
// middle of the burst, and checks that the reopened database holds every reported Update, that
// committed Updates form an unbroken prefix of the sequence, and that the file is intact. It
// does this twice, so the second child starts from a database recovered after a kill.
func TestCrashKeepsAcknowledgedUpdates(t *testing.T) {
	if path := os.Getenv(crashEnv); path != "" {
		crashChild(path)
		return
	}
	if testing.Short() {
		t.Skip("runs child processes")
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	for round := range 2 {
		acked := runAndKill(t, path, 150+round*100)
		if len(acked) == 0 {
			t.Fatal("the child acknowledged no Update")
		}
		last := verifyAfterCrash(t, path)
		if maxAcked := acked[len(acked)-1]; last < maxAcked {
			t.Fatalf("round %d: database ends at Update %d, but the child acknowledged %d", round, last, maxAcked)
		}
		t.Logf("round %d: %d acknowledged, %d committed", round, len(acked), last+1)
	}
}

// runAndKill starts the child on path, kills it after it acknowledged killAfter Updates and
// returns the sequence numbers of every complete acknowledgement it printed.
func runAndKill(t *testing.T, path string, killAfter int) []int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashKeepsAcknowledgedUpdates$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"="+path)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })

	r := bufio.NewReader(out)
	var acked []int
	killed := false
	for {
		line, err := r.ReadString('\n')
		if errors.Is(err, io.EOF) {
			break // a line cut by the kill has no newline and does not count
		}
		if err != nil {
			t.Fatal(err)
		}
		n, ok := strings.CutPrefix(strings.TrimSuffix(line, "\n"), "ack ")
		if !ok {
			continue
		}
		seq, err := strconv.Atoi(n)
		if err != nil {
			t.Fatalf("bad acknowledgement %q", line)
		}
		acked = append(acked, seq)
		if !killed && len(acked) == killAfter {
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			killed = true
		}
	}
	err = cmd.Wait()
	if !killed {
		t.Fatalf("child exited by itself (%v) after %d acknowledgements", err, len(acked))
	}
	return acked
}

// verifyAfterCrash reopens path and checks it; it returns the last committed sequence number.
func verifyAfterCrash(t *testing.T, path string) int {
	t.Helper()
	d, err := sqlite.Open(path)
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer d.Close()
	if err := d.Check(t.Context()); err != nil {
		t.Fatalf("integrity after kill: %v", err)
	}
	last := -1
	err = d.View(t.Context(), func(tx store.Tx) error {
		v, err := tx.Get("crash", "last")
		if err != nil {
			return fmt.Errorf("last: %w", err)
		}
		if last, err = strconv.Atoi(string(v)); err != nil {
			return err
		}
		seq := 0
		err = tx.Scan("crash", "seq/", "", 0, func(k string, v []byte) error {
			if want := seqKey(seq); k != want {
				return fmt.Errorf("committed keys have a gap: found %q, want %q", k, want)
			}
			if !bytes.Equal(v, seqValue(seq)) {
				return fmt.Errorf("value of %q is damaged", k)
			}
			seq++
			return nil
		})
		if err != nil {
			return err
		}
		if seq != last+1 {
			return fmt.Errorf("%d sequence records, but last is %d", seq, last)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("after kill: %v", err)
	}
	return last
}

// crashChild commits Updates forever, continuing the sequence already in the database. Each
// Update writes the next sequence record and moves the "last" pointer together.
func crashChild(path string) {
	d, err := sqlite.Open(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(3)
	}
	ctx := context.Background()
	next := 0
	err = d.View(ctx, func(tx store.Tx) error {
		v, err := tx.Get("crash", "last")
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		last, err := strconv.Atoi(string(v))
		next = last + 1
		return err
	})
	for err == nil {
		seq := next
		err = d.Update(ctx, func(tx store.Tx) error {
			if err := tx.Insert("crash", seqKey(seq), seqValue(seq)); err != nil {
				return err
			}
			return tx.Put("crash", "last", []byte(strconv.Itoa(seq)))
		})
		if err == nil {
			// One write call per line, so a kill can only cut the line being written.
			_, err = os.Stdout.WriteString("ack " + strconv.Itoa(seq) + "\n")
			next++
		}
	}
	fmt.Fprintln(os.Stderr, "child:", err)
	os.Exit(3)
}

func seqKey(seq int) string { return fmt.Sprintf("seq/%09d", seq) }

// seqValue is a 4 KiB value derived from seq, large enough that each Update spans pages.
func seqValue(seq int) []byte {
	sum := sha256.Sum256([]byte(strconv.Itoa(seq)))
	return bytes.Repeat(sum[:], 128)
}
