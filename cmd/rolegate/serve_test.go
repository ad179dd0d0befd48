package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"rolegate/internal/awsconfig"
)

// buildBinary builds the rolegate command once per test binary.
var buildOnce = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "rolegate-bin")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "rolegate")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// started is a rolegate serve process.
type started struct {
	cmd      *exec.Cmd
	endpoint string
	data     string
}

// startServe runs "rolegate serve" on a free port with data directory dir and waits until it
// serves.
func startServe(t *testing.T, dir string) *started {
	t.Helper()
	bin, err := buildOnce()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve", "--listen", "127.0.0.1:0", "--data", dir)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		t.Fatalf("rolegate serve did not start: %v", err)
	}
	fields := strings.Fields(line)
	if len(fields) < 3 || !strings.HasPrefix(fields[2], "http://") {
		t.Fatalf("unexpected first line %q", line)
	}
	s := &started{cmd: cmd, endpoint: fields[2], data: dir}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return s
}

func (s *started) iam(t *testing.T, profile string) *iam.Client {
	id, secret, err := awsconfig.InDir(s.data).Keys(profile)
	if err != nil {
		t.Fatal(err)
	}
	return iam.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(s.endpoint), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider(id, secret, "")})
}

func TestServeBootstrapsProfilesAndStopsGracefully(t *testing.T) {
	dir := t.TempDir()
	s := startServe(t, dir)
	c := sts.NewFromConfig(aws.Config{Region: "eu-west-3", BaseEndpoint: aws.String(s.endpoint), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider(mustKeys(t, dir, "management"))})
	out, err := c.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil || !strings.HasSuffix(aws.ToString(out.Arn), ":root") {
		t.Fatalf("GetCallerIdentity as management = %+v, %v", out, err)
	}
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("rolegate serve exited with %v after SIGTERM", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("rolegate serve did not stop after SIGTERM")
	}
}

func mustKeys(t *testing.T, dir, profile string) (string, string, string) {
	id, secret, err := awsconfig.InDir(dir).Keys(profile)
	if err != nil {
		t.Fatal(err)
	}
	return id, secret, ""
}

// TestSIGKILLLosesNoAcknowledgedWrite creates users as fast as it can from several goroutines,
// kills the server with SIGKILL in the middle of the burst, restarts it on the same data
// directory and checks that every user whose CreateUser was answered is there.
func TestSIGKILLLosesNoAcknowledgedWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server twice")
	}
	dir := t.TempDir()
	s := startServe(t, dir)
	c := s.iam(t, "management")
	var mu sync.Mutex
	var acked []string
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				name := fmt.Sprintf("w%d-u%d", w, i)
				if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err == nil {
					mu.Lock()
					acked = append(acked, name)
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(1500 * time.Millisecond)
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	s.cmd.Wait()
	cancel()
	wg.Wait()
	if len(acked) < 10 {
		t.Fatalf("only %d writes were acknowledged before the kill", len(acked))
	}
	s2 := startServe(t, dir)
	c2 := s2.iam(t, "management")
	have := map[string]bool{}
	pg := iam.NewListUsersPaginator(c2, &iam.ListUsersInput{MaxItems: aws.Int32(1000)})
	for pg.HasMorePages() {
		out, err := pg.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range out.Users {
			have[aws.ToString(u.UserName)] = true
		}
	}
	for _, name := range acked {
		if !have[name] {
			t.Errorf("acknowledged user %s is missing after SIGKILL and restart", name)
		}
	}
	t.Logf("%d acknowledged writes, %d users after restart", len(acked), len(have))
}
