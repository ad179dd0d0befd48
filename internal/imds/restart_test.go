package imds_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"rolegate/internal/awsconfig"
	"rolegate/internal/server"
)

// TestEndpointsComeBackAfterARestart stops a server with a running instance and starts a new one
// on the same data directory: the instance's endpoint is back on its port.
func TestEndpointsComeBackAfterARestart(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	start := func() (*server.Server, *httptest.Server) {
		srv, err := server.New(ctx, server.Config{DataDir: dir, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		return srv, httptest.NewServer(srv.Handler())
	}
	srv, hs := start()
	if err := srv.WriteProfiles(ctx, hs.URL); err != nil {
		t.Fatal(err)
	}
	id, secret, err := awsconfig.InDir(dir).Keys(server.ManagementProfile)
	if err != nil {
		t.Fatal(err)
	}
	client := ec2.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(hs.URL),
		Credentials: credentials.NewStaticCredentialsProvider(id, secret, "")})
	out, err := client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(ubuntu), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		MetadataOptions: &types.InstanceMetadataOptionsRequest{HttpTokens: types.HttpTokensStateOptional}})
	if err != nil {
		t.Fatal(err)
	}
	instance := aws.ToString(out.Instances[0].InstanceId)
	ep, ok := srv.MetadataEndpoint(instance)
	if !ok {
		t.Fatal("no endpoint for the new instance")
	}
	hs.Close()
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if !refused(ep[len("http://"):]) {
		t.Fatal("the endpoint outlived its server")
	}
	srv, hs = start()
	defer func() { hs.Close(); srv.Close() }()
	again, ok := srv.MetadataEndpoint(instance)
	if !ok || again != ep {
		t.Fatalf("after restart the endpoint is %q (%v), was %q", again, ok, ep)
	}
	if status, body, _ := get(t, http.MethodGet, ep+"/latest/meta-data/instance-id"); status != 200 || body != instance {
		t.Errorf("after restart: %d %q", status, body)
	}
}
