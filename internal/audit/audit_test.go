package audit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestRecordScrubsSecretsAndTailShowsLastEvents(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.log")
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	type creds struct {
		AccessKeyID     string `json:"AccessKeyId"`
		SecretAccessKey string
		SessionToken    string
		Provider        string `xml:",omitempty"` // empty: left out, as the API's answer leaves it out
		Audience        string // empty but not omitempty: written
	}
	for i := range 5 {
		l.Record(&Event{EventName: "AssumeRole", EventTime: time.Unix(int64(i), 0).UTC(), RequestID: string(rune('a' + i)),
			RequestParameters: map[string]string{"RoleArn": "arn:r", "TokenCode": "123456"},
			ResponseElements:  map[string]any{"Credentials": creds{"ASIAX", "topsecret", "tok", "", ""}}})
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	for _, secret := range []string{"topsecret", "\"tok\"", "123456"} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("audit log contains secret %s:\n%s", secret, raw)
		}
	}
	var e map[string]any
	first := raw[:bytes.IndexByte(raw, '\n')]
	if err := json.Unmarshal(first, &e); err != nil {
		t.Fatal(err)
	}
	if e["requestParameters"].(map[string]any)["roleArn"] != "arn:r" || e["eventVersion"] != "1.08" {
		t.Errorf("event = %s", first)
	}
	c := e["responseElements"].(map[string]any)["credentials"].(map[string]any)
	if _, hasProvider := c["provider"]; c["accessKeyId"] != "ASIAX" || hasProvider || c["audience"] != "" {
		t.Errorf("response = %v, want accessKeyId and an empty audience, no provider", c)
	}
	var out bytes.Buffer
	if err := Tail(path, 2, false, nil, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[1], `"requestID":"e"`) {
		t.Errorf("tail = %q", lines)
	}
}

func TestEventJSONMatchesEncodingJSON(t *testing.T) {
	tricky := []string{"plain", `quo"te\back`, "<html>&amp;", "tab\tnl\nnul\x00", "ünïcödé ✓", "bad\xffutf8", "line\u2028sep", ""}
	for _, s := range tricky {
		e := &Event{EventVersion: "1.08", EventName: s, UserAgent: s, EventTime: time.Unix(1700000000, 0),
			UserIdentity: Identity{Type: "AssumedRole", ARN: s, SessionContext: &SessionContext{
				SessionIssuer: &Issuer{Type: "Role", UserName: s}, SourceIdentity: s}},
			RequestParameters: map[string]any{"RoleSessionName": s}, ResponseElements: struct{ Value string }{s}}
		raw := e.appendJSON(nil, &encoder{})
		var got map[string]any
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Fatalf("%q: invalid JSON %s: %v", s, raw, err)
		}
		want, _ := json.Marshal(s)
		var wantStr string
		json.Unmarshal(want, &wantStr)
		if got["eventName"] != wantStr || got["userIdentity"].(map[string]any)["arn"] != nonEmpty(wantStr) {
			t.Errorf("%q: decoded %v", s, got)
		}
		if got["requestParameters"].(map[string]any)["roleSessionName"] != wantStr ||
			got["responseElements"].(map[string]any)["value"] != wantStr {
			t.Errorf("%q: parameters or response not round-tripped: %s", s, raw)
		}
	}
}

func nonEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func TestConcurrentRecordsAreAllWritten(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.log")
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	const writers, each = 8, 3 * batchSize / 2 // enough to fill batches and block writers
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				l.Record(&Event{EventName: "E", RequestID: fmt.Sprintf("%d-%d", w, i)})
			}
		}()
	}
	wg.Wait()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(raw, []byte("\n")); n != writers*each {
		t.Fatalf("%d events written, want %d", n, writers*each)
	}
}

func TestPlainJSONMatchesTheByteLoop(t *testing.T) {
	slow := func(s string) bool {
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c < 0x20 || c >= 0x80 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return false
			}
		}
		return true
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		b := make([]byte, r.IntN(40))
		for i := range b {
			if r.IntN(8) == 0 {
				b[i] = byte(r.IntN(256))
			} else {
				b[i] = byte(0x20 + r.IntN(0x5f))
			}
		}
		if got, want := plainJSON(string(b)), slow(string(b)); got != want {
			t.Fatalf("plainJSON(%q) = %v, want %v", b, got, want)
		}
	}
}
