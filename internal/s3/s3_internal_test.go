package s3

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rolegate/internal/api/awserr"
	"rolegate/internal/idgen"
	"rolegate/internal/store/sqlite"
)

// openAt opens the service over a database and object directory in dir.
func openAt(t testing.TB, dir string) (*Service, func()) {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(dir, "s3.db"))
	if err != nil {
		t.Fatalf("sqlite.Open: %v", err)
	}
	s, err := Open(context.Background(), Config{Store: db, Dir: filepath.Join(dir, "objects"), IDs: idgen.New(rand.Reader), Now: time.Now})
	if err != nil {
		db.Close()
		t.Fatalf("Open: %v", err)
	}
	return s, func() { db.Close() }
}

func dataFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, "objects"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func readAll(t *testing.T, s *Service, bucket, key string) string {
	t.Helper()
	_, r, err := s.Open(context.Background(), bucket, key, Whole)
	if err != nil {
		t.Fatalf("Open %s: %v", key, err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// failingReader returns n bytes, then err.
type failingReader struct {
	n   int
	err error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n == 0 {
		return 0, f.err
	}
	k := min(len(p), f.n)
	for i := range k {
		p[i] = 'x'
	}
	f.n -= k
	return k, nil
}

func TestFailedBodyLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	s, done := openAt(t, dir)
	defer done()
	ctx := context.Background()
	if _, err := s.CreateBucket(ctx, "acct", "bkt", "us-east-1"); err != nil {
		t.Fatal(err)
	}
	bad := errors.New("signature of the last chunk does not match")
	_, err := s.PutObject(ctx, PutInput{Bucket: "bkt", Key: "k"}, &failingReader{n: 1 << 20, err: bad})
	if !errors.Is(err, bad) {
		t.Fatalf("PutObject error = %v, want the body's", err)
	}
	if _, err := s.Head(ctx, "bkt", "k"); !isCode(err, awserr.NoSuchKey) {
		t.Fatalf("object visible after a failed body: %v", err)
	}
	if files := dataFiles(t, dir); len(files) != 0 {
		t.Fatalf("files left behind: %v", files)
	}
	// A failed precondition discards the new data too.
	if _, err := s.PutObject(ctx, PutInput{Bucket: "bkt", Key: "k"}, strings.NewReader("v1")); err != nil {
		t.Fatal(err)
	}
	_, err = s.PutObject(ctx, PutInput{Bucket: "bkt", Key: "k", Cond: Conditions{IfNoneMatch: "*"}}, strings.NewReader("v2"))
	if !isCode(err, awserr.PreconditionFailed) {
		t.Fatalf("If-None-Match on an existing key: %v", err)
	}
	if got := readAll(t, s, "bkt", "k"); got != "v1" {
		t.Fatalf("object = %q", got)
	}
	if files := dataFiles(t, dir); len(files) != 1 {
		t.Fatalf("files: %v, want the one of v1", files)
	}
	// Overwrite and delete remove the data they replace.
	if _, err := s.PutObject(ctx, PutInput{Bucket: "bkt", Key: "k"}, strings.NewReader("v3")); err != nil {
		t.Fatal(err)
	}
	if files := dataFiles(t, dir); len(files) != 1 {
		t.Fatalf("files after overwrite: %v", files)
	}
	if err := s.DeleteObject(ctx, "bkt", "k"); err != nil {
		t.Fatal(err)
	}
	if files := dataFiles(t, dir); len(files) != 0 {
		t.Fatalf("files after delete: %v", files)
	}
}

func isCode(err error, c awserr.Code) bool {
	var e *awserr.Error
	return errors.As(err, &e) && e.Code == c
}

func TestOpenSweepsOrphans(t *testing.T) {
	dir := t.TempDir()
	s, done := openAt(t, dir)
	ctx := context.Background()
	if _, err := s.CreateBucket(ctx, "acct", "bkt", "us-east-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutObject(ctx, PutInput{Bucket: "bkt", Key: "kept"}, strings.NewReader("kept")); err != nil {
		t.Fatal(err)
	}
	up, err := s.CreateUpload(ctx, "bkt", "mp", Meta{}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UploadPart(ctx, "bkt", "mp", up.ID, 1, strings.NewReader("part"), nil); err != nil {
		t.Fatal(err)
	}
	// A crash after the data file was renamed but before its metadata was committed, and one
	// in the middle of writing a temporary file.
	if _, err := s.data.write(strings.NewReader("orphan")); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "objects", tmpPrefix+"123"), []byte("partial"), 0o600)
	os.WriteFile(filepath.Join(dir, "objects", "not-a-data-file"), []byte("left alone"), 0o600)
	if n := len(dataFiles(t, dir)); n != 5 {
		t.Fatalf("%d files before reopen, want 5", n)
	}
	done()
	s, done = openAt(t, dir)
	defer done()
	if n := len(dataFiles(t, dir)); n != 3 {
		t.Fatalf("files after reopen: %v, want the object's, the part's and the foreign file", dataFiles(t, dir))
	}
	if got := readAll(t, s, "bkt", "kept"); got != "kept" {
		t.Fatalf("kept object = %q", got)
	}
	if _, err := s.CompleteUpload(ctx, "bkt", "mp", up.ID, []CompletedPart{{Number: 1, ETag: "*"}}, Conditions{}); err != nil {
		t.Fatalf("CompleteUpload after reopen: %v", err)
	}
	if got := readAll(t, s, "bkt", "mp"); got != "part" {
		t.Fatalf("completed object = %q", got)
	}
}

// crashEnv carries the directory to the child process of TestCrashKeepsAcknowledgedPuts.
const crashEnv = "ROLEGATE_S3_CRASH_DIR"

// TestCrashKeepsAcknowledgedPuts runs a child that writes objects and reports each one
// acknowledged, kills it with SIGKILL mid-stream, and checks that after reopening every
// acknowledged object reads back whole and no file is left that no object names.
func TestCrashKeepsAcknowledgedPuts(t *testing.T) {
	if dir := os.Getenv(crashEnv); dir != "" {
		crashChild(t, dir)
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashKeepsAcknowledgedPuts$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var acked []string
	sc := bufio.NewScanner(out)
	for sc.Scan() && len(acked) < 20 {
		if k, ok := strings.CutPrefix(sc.Text(), "acked "); ok {
			acked = append(acked, k)
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	if len(acked) < 20 {
		t.Fatalf("child acknowledged only %d objects", len(acked))
	}
	s, done := openAt(t, dir)
	defer done()
	for _, k := range acked {
		if got := readAll(t, s, "crash", k); got != strings.Repeat(k, 1000) {
			t.Fatalf("acknowledged object %s reads %d bytes", k, len(got))
		}
	}
	l, err := s.List(context.Background(), ListInput{Bucket: "crash", MaxKeys: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if files := dataFiles(t, dir); len(files) != len(l.Objects) {
		t.Fatalf("%d data files for %d objects after the crash sweep", len(files), len(l.Objects))
	}
}

func crashChild(t *testing.T, dir string) {
	s, _ := openAt(t, dir)
	ctx := context.Background()
	if _, err := s.CreateBucket(ctx, "acct", "crash", "us-east-1"); err != nil {
		fmt.Println("error", err)
		return
	}
	for i := 0; ; i++ {
		k := fmt.Sprintf("k%05d", i)
		if _, err := s.PutObject(ctx, PutInput{Bucket: "crash", Key: k}, bytes.NewReader([]byte(strings.Repeat(k, 1000)))); err != nil {
			fmt.Println("error", err)
			return
		}
		fmt.Println("acked", k)
	}
}

func TestValidBucketName(t *testing.T) {
	tests := map[string]bool{
		"abc": true, "my-bucket.logs": true, "a1b2": true, "ab": false, strings.Repeat("a", 64): false,
		"Upper": false, "-start": false, "end-": false, "a..b": false, "192.168.1.1": false,
		"xn--abc": false, "sthree-x": false, "x-s3alias": false, "b_u": false, "amzn-s3-demo-x": false,
	}
	for name, want := range tests {
		if got := ValidBucketName(name); got != want {
			t.Errorf("ValidBucketName(%q) = %v", name, got)
		}
	}
}

func TestValidatePolicy(t *testing.T) {
	const ok = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b1/*"}]}`
	tests := []struct {
		name, doc string
		valid     bool
	}{
		{"valid", ok, true},
		{"wildcard resource", strings.Replace(ok, "arn:aws:s3:::b1/*", "arn:aws:s3:::b*", 1), true},
		{"other bucket", strings.Replace(ok, "b1/*", "b2/*", 1), false},
		{"iam action", strings.Replace(ok, "s3:GetObject", "iam:GetUser", 1), false},
		{"no principal", strings.Replace(ok, `"Principal":"*",`, "", 1), false},
		{"not json", `{"Version":`, false},
		{"array", `[]`, false},
		{"too large", `{"Version":"2012-10-17","Statement":[` + strings.Repeat(" ", MaxPolicySize) + `]}`, false},
	}
	for _, tc := range tests {
		err := ValidatePolicy("b1", tc.doc)
		if (err == nil) != tc.valid {
			t.Errorf("%s: err = %v", tc.name, err)
		}
		if err != nil && !isCode(err, awserr.MalformedPolicy) {
			t.Errorf("%s: code of %v", tc.name, err)
		}
	}
}

func TestPolicyIsPublic(t *testing.T) {
	tests := map[string]bool{
		`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`:                                                         true,
		`{"Statement":{"Effect":"Allow","Principal":{"AWS":["*"]},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`:                                                 true,
		`{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`:                                                          false,
		`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`:                                      false,
		`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`: false,
	}
	for doc, want := range tests {
		if got := PolicyIsPublic(doc); got != want {
			t.Errorf("PolicyIsPublic(%s) = %v", doc, got)
		}
	}
}
