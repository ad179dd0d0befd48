package query

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"rolegate/internal/api/awserr"
)

func TestListsAndStructs(t *testing.T) {
	v, err := url.ParseQuery("Action=AssumeRole&Tags.member.2.Key=b&Tags.member.2.Value=2" +
		"&Tags.member.1.Key=a&Tags.member.1.Value=1&TransitiveTagKeys.member.10=z" +
		"&TransitiveTagKeys.member.2=y&PolicyArns=&Filter.1.Name=instance-id&Filter.1.Value.1=i-1" +
		"&Filter.1.Value.2=i-2&InstanceId.1=i-9&IamInstanceProfile.Name=prof")
	if err != nil {
		t.Fatal(err)
	}
	p := NewParams(v)
	if got := p.List("TransitiveTagKeys"); !reflect.DeepEqual(got, []string{"y", "z"}) {
		t.Errorf("List = %q, want [y z] in index order", got)
	}
	if got := p.List("PolicyArns"); got == nil || len(got) != 0 {
		t.Errorf("explicitly empty list = %#v, want empty non-nil", got)
	}
	if got := p.List("Missing"); got != nil {
		t.Errorf("absent list = %#v, want nil", got)
	}
	tags := p.Structs("Tags")
	if len(tags) != 2 || tags[0].String("Key") != "a" || tags[1].String("Value") != "2" {
		t.Errorf("Structs = %+v", tags)
	}
	f := p.FlatStructs("Filter")
	if len(f) != 1 || f[0].String("Name") != "instance-id" || !reflect.DeepEqual(f[0].Flat("Value"), []string{"i-1", "i-2"}) {
		t.Errorf("FlatStructs = %+v", f)
	}
	if got := p.Flat("InstanceId"); !reflect.DeepEqual(got, []string{"i-9"}) {
		t.Errorf("Flat = %q", got)
	}
	if got := p.Struct("IamInstanceProfile").String("Name"); got != "prof" {
		t.Errorf("Struct = %q", got)
	}
}

func TestCheckMessages(t *testing.T) {
	var c Check
	c.Chars("roleSessionName", "a b", NameChar, `[\w+=,.@-]*`)
	err := c.Err()
	var e *awserr.Error
	if !errors.As(err, &e) || e.Code != awserr.ValidationError || e.Status != 400 {
		t.Fatalf("err = %v", err)
	}
	want := `1 validation error detected: Value 'a b' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`
	if e.Message != want {
		t.Errorf("message\n got %s\nwant %s", e.Message, want)
	}
	c = Check{}
	p := NewParams(url.Values{"DurationSeconds": {"43201"}})
	c.Required(p, "RoleArn", "roleArn")
	c.Int(p, "DurationSeconds", "durationSeconds", 900, 43200)
	c.Len("roleSessionName", "x", 2, 64)
	msg := c.Err().Error()
	for _, part := range []string{"3 validation errors detected: ", "Value null at 'roleArn' failed to satisfy constraint: Member must not be null",
		"Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200",
		"Member must have length greater than or equal to 2"} {
		if !strings.Contains(msg, part) {
			t.Errorf("message %q lacks %q", msg, part)
		}
	}
	if (&Check{}).Err() != nil {
		t.Error("empty check reported an error")
	}
}

func TestEscapeRoundTripsThroughQueryUnescape(t *testing.T) {
	doc := `{"Version": "2012-10-17", "Statement": [{"Action": "s3:*", "Resource": "arn:aws:s3:::a+b/ü~"}]}`
	enc := Escape(doc)
	if strings.ContainsAny(enc, " +\"{") {
		t.Fatalf("Escape left reserved characters: %s", enc)
	}
	back, err := url.QueryUnescape(enc)
	if err != nil || back != doc {
		t.Fatalf("QueryUnescape(Escape(doc)) = %q, %v", back, err)
	}
	back, err = url.PathUnescape(enc)
	if err != nil || back != doc {
		t.Fatalf("PathUnescape(Escape(doc)) = %q, %v", back, err)
	}
}

func TestWriteResultAndError(t *testing.T) {
	rec := httptest.NewRecorder()
	type user struct {
		UserName string
		Doc      Encoded `xml:",omitempty"`
	}
	res := struct {
		User user
	}{user{UserName: "a&b", Doc: `{"a": 1}`}}
	if err := WriteResult(rec, IAMNamespace, "GetUser", "req-1", res); err != nil {
		t.Fatal(err)
	}
	body := rec.Body.String()
	want := `<GetUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetUserResult><User><UserName>a&amp;b</UserName><Doc>%7B%22a%22%3A%201%7D</Doc></User></GetUserResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></GetUserResponse>`
	if !strings.HasSuffix(body, want) || rec.Header().Get("x-amzn-RequestId") != "req-1" || rec.Code != 200 {
		t.Errorf("body = %s", body)
	}
	rec = httptest.NewRecorder()
	WriteError(rec, STSNamespace, "req-2", awserr.New(awserr.AccessDenied, "no <way>"))
	if rec.Code != 403 || !strings.Contains(rec.Body.String(), "<Type>Sender</Type><Code>AccessDenied</Code><Message>no &lt;way&gt;</Message></Error><RequestId>req-2</RequestId>") {
		t.Errorf("error = %d %s", rec.Code, rec.Body.String())
	}
}

func TestAppendTextMatchesEncodingXML(t *testing.T) {
	for _, s := range []string{"plain", `a&b<c>d"e'f`, "tab\tnl\nret\r", "ctl\x01", "ünï ✓", "bad\xffutf8", ""} {
		var want strings.Builder
		xml.EscapeText(&want, []byte(s))
		if got := string(AppendText(nil, s)); got != want.String() {
			t.Errorf("AppendText(%q) = %q, encoding/xml writes %q", s, got, want.String())
		}
	}
}

func TestParseKeepsOrderAndDecodes(t *testing.T) {
	p, err := Parse("Action=AssumeRole&RoleSessionName=a+b%2Fc&Tags.member.1.Key=k&Tags.member.1.Value=v&Empty=&Dup=1", "Dup=2&Version=2011-06-15")
	if err != nil {
		t.Fatal(err)
	}
	if p.String("RoleSessionName") != "a b/c" || !p.Has("Empty") || p.Has("Missing") || p.String("Dup") != "1" || p.String("Version") != "2011-06-15" {
		t.Fatalf("parsed %+v", p)
	}
	if tags := p.Structs("Tags"); len(tags) != 1 || tags[0].String("Key") != "k" {
		t.Fatalf("Structs = %+v", tags)
	}
	if _, err := Parse("a=%zz", ""); err == nil {
		t.Fatal("a malformed escape must be an error")
	}
}

func TestParamsAuditJSON(t *testing.T) {
	p, err := Parse("Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Ar&TokenCode=123456&Tags.member.1.Key=k&Dup=1&Dup=2", "")
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(p.AppendAuditJSON(nil), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"roleArn": "arn:r", "tags.member.1.Key": "k", "dup": []any{"1", "2"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("audit parameters = %v, want %v (no Action, Version or secret)", got, want)
	}
}
