package imds_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// deliveryEvent is the part of an audit record these tests read.
type deliveryEvent struct {
	EventName    string `json:"eventName"`
	EventSource  string `json:"eventSource"`
	UserIdentity struct {
		Type      string `json:"type"`
		InvokedBy string `json:"invokedBy"`
	} `json:"userIdentity"`
	SourceIPAddress   string            `json:"sourceIPAddress"`
	ErrorCode         string            `json:"errorCode"`
	RequestParameters map[string]string `json:"requestParameters"`
	ResponseElements  struct {
		Credentials struct {
			AccessKeyID string `json:"accessKeyId"`
			Expiration  string `json:"expiration"`
		} `json:"credentials"`
	} `json:"responseElements"`
}

// TestDeliveredSessionsAreAudited: as CloudTrail records EC2 obtaining an instance's role
// credentials (AssumeRole by the service ec2.amazonaws.com, session named after the instance),
// the audit log records every session delivered and every refusal by a role's trust policy,
// without the secret key or the session token.
func TestDeliveredSessionsAreAudited(t *testing.T) {
	f := newFixture(t)
	f.srv.InstanceProfile(t, f.srv.Management.Root, "lambda-only",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`, "")
	appID, appEP := f.launch(t, "app", types.HttpTokensStateRequired)
	creds, err := roleCreds(t, appEP)
	if err != nil {
		t.Fatal(err)
	}
	deniedID, deniedEP := f.launch(t, "lambda-only", types.HttpTokensStateOptional)
	get(t, http.MethodGet, deniedEP+"/latest/meta-data/iam/security-credentials/lambda-only")
	f.srv.Stop()

	raw, err := os.ReadFile(filepath.Join(f.srv.Dir, "audit.log"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte(creds.SecretAccessKey)) || bytes.Contains(raw, []byte(creds.SessionToken)) {
		t.Fatal("the audit log holds the delivered secret key or session token")
	}
	byInstance := map[string]deliveryEvent{}
	for _, line := range bytes.Split(bytes.TrimSpace(raw), []byte("\n")) {
		var e deliveryEvent
		if err := json.Unmarshal(line, &e); err != nil {
			t.Fatalf("audit line %s: %v", line, err)
		}
		if e.UserIdentity.InvokedBy == "ec2.amazonaws.com" {
			byInstance[e.RequestParameters["roleSessionName"]] = e
		}
	}
	app, ok := byInstance[appID]
	if !ok {
		t.Fatalf("no delivery recorded for %s: %v", appID, byInstance)
	}
	if app.EventName != "AssumeRole" || app.EventSource != "sts.amazonaws.com" || app.UserIdentity.Type != "AWSService" ||
		app.SourceIPAddress != "ec2.amazonaws.com" || app.ErrorCode != "" ||
		!strings.HasSuffix(app.RequestParameters["roleArn"], ":role/app") ||
		app.ResponseElements.Credentials.AccessKeyID != creds.AccessKeyID || app.ResponseElements.Credentials.Expiration == "" {
		t.Errorf("delivery to %s recorded as %+v", appID, app)
	}
	denied, ok := byInstance[deniedID]
	if !ok || denied.ErrorCode != "AccessDenied" || denied.ResponseElements.Credentials.AccessKeyID != "" ||
		!strings.HasSuffix(denied.RequestParameters["roleArn"], ":role/lambda-only") {
		t.Errorf("refusal for %s recorded as %+v (found %v)", deniedID, denied, ok)
	}
}
