// Package testkit starts a real rolegate server for end-to-end tests and hands out AWS SDK clients
// signed with the credentials of its accounts. Only _test.go files import it; the rolegate binary
// never links the AWS SDK.
package testkit

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"rolegate/internal/api/orgapi"
	"rolegate/internal/awsconfig"
	"rolegate/internal/client"
	"rolegate/internal/server"
	"rolegate/internal/sigv4"
)

// Creds are an access key pair, with a session token for temporary credentials.
type Creds struct {
	AccessKeyID, SecretAccessKey, SessionToken string
}

// Account is an account of the test server with its root credentials.
type Account struct {
	ID   string
	Root Creds
}

// Clock is an adjustable clock for the server; it starts at the real time.
type Clock struct {
	mu     sync.Mutex
	offset time.Duration
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
}

// Server is a rolegate server behind httptest.
type Server struct {
	URL        string
	Dir        string
	Clock      *Clock
	Srv        *server.Server
	Management Account
	http       *httptest.Server
	stopOnce   sync.Once
}

// NewServer starts a server on a fresh data directory; it stops when the test ends.
func NewServer(t testing.TB) *Server {
	t.Helper()
	return OpenServer(t, t.TempDir(), &Clock{})
}

// OpenServer starts a server on the data directory dir, which may hold an earlier server's data;
// it stops when the test ends, or earlier with Stop.
func OpenServer(t testing.TB, dir string, clock *Clock) *Server {
	t.Helper()
	srv, err := server.New(context.Background(), server.Config{DataDir: dir, Now: clock.Now,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatalf("server.New: %v", err)
	}
	hs := httptest.NewServer(srv.Handler())
	s := &Server{URL: hs.URL, Dir: dir, Clock: clock, Srv: srv, http: hs}
	t.Cleanup(s.Stop)
	if err := srv.WriteProfiles(context.Background(), hs.URL); err != nil {
		t.Fatalf("WriteProfiles: %v", err)
	}
	id, secret, err := awsconfig.InDir(dir).Keys(server.ManagementProfile)
	if err != nil {
		t.Fatalf("management profile: %v", err)
	}
	s.Management.Root = Creds{AccessKeyID: id, SecretAccessKey: secret}
	ident, err := s.STS(s.Management.Root).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err == nil {
		s.Management.ID = aws.ToString(ident.Account)
	}
	return s
}

// Stop stops the server and closes its data directory; it may be called more than once.
func (s *Server) Stop() {
	s.stopOnce.Do(func() {
		s.http.Close()
		if err := s.Srv.Close(); err != nil {
			panic("server.Close: " + err.Error())
		}
	})
}

// CreateAccount creates a member account through the administration API.
func (s *Server) CreateAccount(t testing.TB, name string) Account {
	t.Helper()
	c := &client.Client{Endpoint: s.URL, Credentials: sigv4.Credentials{AccessKeyID: s.Management.Root.AccessKeyID,
		SecretAccessKey: s.Management.Root.SecretAccessKey}}
	var res struct {
		Account         struct{ Id string }
		AccessKeyId     string
		SecretAccessKey string
	}
	if err := c.Query(context.Background(), orgapi.Name, orgapi.Version, "CreateAccount", url.Values{"AccountName": {name}}, &res); err != nil {
		t.Fatalf("CreateAccount %s: %v", name, err)
	}
	return Account{ID: res.Account.Id, Root: Creds{AccessKeyID: res.AccessKeyId, SecretAccessKey: res.SecretAccessKey}}
}

// Config returns an SDK configuration signing with c against the server.
func (s *Server) Config(c Creds) aws.Config {
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider(c.AccessKeyID, c.SecretAccessKey, c.SessionToken),
		BaseEndpoint: aws.String(s.URL),
		// Tests assert on the first answer; retries would only hide it.
		RetryMaxAttempts: 1,
	}
}

// IAM returns an IAM client for c.
func (s *Server) IAM(c Creds) *iam.Client { return iam.NewFromConfig(s.Config(c)) }

// STS returns an STS client for c.
func (s *Server) STS(c Creds) *sts.Client { return sts.NewFromConfig(s.Config(c)) }

// S3 returns a path-style S3 client for c.
func (s *Server) S3(c Creds) *s3.Client {
	return s3.NewFromConfig(s.Config(c), func(o *s3.Options) { o.UsePathStyle = true })
}

// S3VirtualHost returns an S3 client that addresses buckets as <bucket>.localhost:<port>. Its
// transport dials every host on the loopback address, since resolvers need not know *.localhost.
func (s *Server) S3VirtualHost(c Creds) *s3.Client {
	local := strings.Replace(s.URL, "127.0.0.1", "localhost", 1)
	return s3.NewFromConfig(s.Config(c), func(o *s3.Options) {
		o.BaseEndpoint = aws.String(local)
		o.HTTPClient = &http.Client{Transport: LoopbackTransport()}
	})
}

// LoopbackTransport dials every host on 127.0.0.1, keeping the port.
func LoopbackTransport() *http.Transport {
	d := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		_, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		return d.DialContext(ctx, network, net.JoinHostPort("127.0.0.1", port))
	}}
}

// FromSTS turns STS credentials into Creds.
func FromSTS(id, secret, token *string) Creds {
	return Creds{AccessKeyID: aws.ToString(id), SecretAccessKey: aws.ToString(secret), SessionToken: aws.ToString(token)}
}

// Client returns the project's own Query client signing with c (it exposes error details the
// SDKs hide, such as encoded authorization messages).
func (s *Server) Client(c Creds) *client.Client {
	return &client.Client{Endpoint: s.URL, Credentials: sigv4.Credentials{AccessKeyID: c.AccessKeyID,
		SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken}, Now: s.Clock.Now}
}
