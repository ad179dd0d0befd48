package ec2api_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"rolegate/internal/client"
	"rolegate/internal/sigv4"
)

// TestAuthenticationFailuresInEC2Words checks the codes EC2 gives where IAM and STS say
// SignatureDoesNotMatch or ExpiredToken.
func TestAuthenticationFailuresInEC2Words(t *testing.T) {
	f := newFixture(t)
	root := sigv4.Credentials{AccessKeyID: f.srv.Management.Root.AccessKeyID, SecretAccessKey: f.srv.Management.Root.SecretAccessKey}
	tok, err := f.srv.STS(f.srv.Management.Root).GetSessionToken(context.Background(), &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(900)})
	if err != nil {
		t.Fatal(err)
	}
	session := sigv4.Credentials{AccessKeyID: aws.ToString(tok.Credentials.AccessKeyId), SecretAccessKey: aws.ToString(tok.Credentials.SecretAccessKey),
		SessionToken: aws.ToString(tok.Credentials.SessionToken)}
	cases := []struct {
		name   string
		creds  sigv4.Credentials
		now    func() time.Time
		code   string
		status int
	}{
		{"skewed clock", root, func() time.Time { return f.srv.Clock.Now().Add(-20 * time.Minute) }, "RequestExpired", 400},
		{"unknown key", sigv4.Credentials{AccessKeyID: "AKIAUNKNOWNKEY000000", SecretAccessKey: "x"}, nil, "AuthFailure", 401},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := &client.Client{Endpoint: f.srv.URL, Credentials: tc.creds, Now: tc.now}
			err := c.EC2(context.Background(), "DescribeInstances", nil, nil)
			var ae *client.APIError
			if !errors.As(err, &ae) || ae.Code != tc.code || ae.Status != tc.status {
				t.Errorf("%v, want %s %d", err, tc.code, tc.status)
			}
		})
	}
	// Session credentials past their expiry, signed with the (advanced) server clock.
	f.srv.Clock.Advance(16 * time.Minute)
	c := &client.Client{Endpoint: f.srv.URL, Credentials: session, Now: f.srv.Clock.Now}
	var ae *client.APIError
	if err := c.EC2(context.Background(), "DescribeInstances", nil, nil); !errors.As(err, &ae) || ae.Code != "RequestExpired" || ae.Status != 400 {
		t.Errorf("expired session: %v", err)
	}
	resp, err := http.PostForm(f.srv.URL, url.Values{"Action": {"DescribeInstances"}, "Version": {"2016-11-15"}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 400 || !strings.Contains(string(body), "<Code>MissingParameter</Code>") || !strings.Contains(string(body), "<RequestID>") {
		t.Errorf("unsigned request: %d %s", resp.StatusCode, body)
	}
}
