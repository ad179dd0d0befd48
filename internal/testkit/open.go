package testkit

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"rolegate/internal/awsconfig"
	"rolegate/internal/server"
)

// OpenServer starts a server on an existing data directory (one filled by "rolegate seed", say);
// it stops when the test ends and leaves the directory in place.
func OpenServer(t testing.TB, dir string) *Server {
	t.Helper()
	clock := &Clock{}
	srv, err := server.New(context.Background(), server.Config{DataDir: dir, Now: clock.Now,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatalf("server.New: %v", err)
	}
	hs := httptest.NewServer(srv.Handler())
	s := &Server{URL: hs.URL, Dir: dir, Clock: clock, Srv: srv, http: hs}
	t.Cleanup(func() {
		hs.Close()
		if err := srv.Close(); err != nil {
			t.Errorf("server.Close: %v", err)
		}
	})
	if err := srv.WriteProfiles(context.Background(), hs.URL); err != nil {
		t.Fatalf("WriteProfiles: %v", err)
	}
	id, secret, err := awsconfig.InDir(dir).Keys(server.ManagementProfile)
	if err != nil {
		t.Fatalf("management profile: %v", err)
	}
	s.Management.Root = Creds{AccessKeyID: id, SecretAccessKey: secret}
	ident, err := s.STS(s.Management.Root).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("GetCallerIdentity as management root: %v", err)
	}
	s.Management.ID = aws.ToString(ident.Account)
	return s
}
