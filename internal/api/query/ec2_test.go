package query

import (
	"net/http/httptest"
	"strings"
	"testing"

	"rolegate/internal/api/awserr"
	"rolegate/internal/gate"
)

func TestWriteEC2Result(t *testing.T) {
	type item struct {
		InstanceID string `xml:"instanceId"`
	}
	res := struct {
		Return bool   `xml:"return"`
		Items  []item `xml:"instancesSet>item"`
	}{true, []item{{"i-1"}, {"i-2&"}}}
	cases := []struct {
		name   string
		result any
		want   string
	}{
		{"fields", res, `<RunInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>req-1</requestId><return>true</return><instancesSet><item><instanceId>i-1</instanceId></item><item><instanceId>i-2&amp;</instanceId></item></instancesSet></RunInstancesResponse>`},
		{"nil", nil, `<RunInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>req-1</requestId></RunInstancesResponse>`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			if err := WriteEC2Result(rec, EC2Namespace, "RunInstances", "req-1", tc.result); err != nil {
				t.Fatal(err)
			}
			body := rec.Body.String()
			if !strings.HasPrefix(body, "<?xml") || !strings.HasSuffix(body, tc.want) || rec.Code != 200 {
				t.Errorf("body = %s\nwant suffix %s", body, tc.want)
			}
		})
	}
}

func TestWriteEC2Error(t *testing.T) {
	denied := awserr.New(awserr.AccessDenied, "User: arn:aws:iam::111122223333:user/bob is not authorized to perform: ec2:RunInstances").
		With(gate.EncodedMessageField, "ENC")
	cases := []struct {
		name   string
		err    *awserr.Error
		status int
		want   string
	}{
		{"denial", denied, 403, `<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation. User: arn:aws:iam::111122223333:user/bob is not authorized to perform: ec2:RunInstances Encoded authorization failure message: ENC</Message></Error></Errors><RequestID>req-2</RequestID></Response>`},
		{"not found", awserr.New("InvalidInstanceID.NotFound", "The instance ID 'i-1' does not exist"), 400,
			`<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code><Message>The instance ID &#39;i-1&#39; does not exist</Message></Error></Errors><RequestID>req-2</RequestID></Response>`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			s := NewEC2Service("ec2", EC2Namespace, "2016-11-15", nil)
			s.WriteError(rec, "req-2", tc.err)
			if rec.Code != tc.status || !strings.HasSuffix(rec.Body.String(), tc.want) {
				t.Errorf("got %d %s\nwant %d %s", rec.Code, rec.Body.String(), tc.status, tc.want)
			}
		})
	}
}
