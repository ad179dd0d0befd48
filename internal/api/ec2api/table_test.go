package ec2api_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"rolegate/internal/api/ec2api"
	"rolegate/internal/client"
	"rolegate/internal/sigv4"
)

// TestEveryOperationAsksTheGate walks the operation table and calls every operation as a user
// without EC2 permissions: each must answer UnauthorizedOperation.
func TestEveryOperationAsksTheGate(t *testing.T) {
	f := newFixture(t)
	creds := user(t, f.srv, "nobody", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)
	c := &client.Client{Endpoint: f.srv.URL, Credentials: sigv4.Credentials{AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey}}
	in := f.run(t, f.root, &ec2.RunInstancesInput{})
	params := url.Values{
		"InstanceId": {*in.InstanceId}, "InstanceId.1": {*in.InstanceId}, "ResourceId.1": {*in.InstanceId},
		"AssociationId": {"iip-assoc-0123456789abcdef0"}, "Tag.1.Key": {"k"}, "Tag.1.Value": {"v"},
		"ImageId": {ubuntu}, "MinCount": {"1"}, "MaxCount": {"1"}, "Attribute": {"instanceType"},
		"IamInstanceProfile.Name": {"app"}, "HttpTokens": {"required"},
	}
	ops := (&ec2api.API{}).Service().Ops()
	if len(ops) < 18 {
		t.Fatalf("operation table has %d rows", len(ops))
	}
	for _, op := range ops {
		t.Run(op.Name, func(t *testing.T) {
			err := c.EC2(context.Background(), op.Name, params, nil)
			var ae *client.APIError
			if !errors.As(err, &ae) || ae.Code != "UnauthorizedOperation" || ae.Status != 403 ||
				!strings.HasPrefix(ae.Message, "You are not authorized to perform this operation.") {
				t.Errorf("%s as a user without EC2 permissions: %v", op.Name, err)
			}
		})
	}
}
