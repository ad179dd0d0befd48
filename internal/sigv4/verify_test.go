package sigv4_test

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"rolegate/internal/sigv4"
)

func TestCheckTime(t *testing.T) {
	t.Parallel()
	reqTime := mustTime(t, "20240101T000000Z")
	tests := []struct {
		name      string
		presigned bool
		expires   time.Duration
		now       string
		wantErr   error
		wantMsg   string
	}{
		{name: "same time", now: "20240101T000000Z"},
		{name: "15 min late is fine", now: "20240101T001500Z"},
		{name: "15 min early is fine", now: "20231231T234500Z"},
		{name: "expired", now: "20240101T002500Z", wantErr: sigv4.ErrSkewed,
			wantMsg: "Signature expired: 20240101T000000Z is now earlier than 20240101T001000Z (20240101T002500Z - 15 min.)"},
		{name: "one second past the window", now: "20240101T001501Z", wantErr: sigv4.ErrSkewed, wantMsg: "Signature expired"},
		{name: "not yet current", now: "20231231T234000Z", wantErr: sigv4.ErrSkewed,
			wantMsg: "Signature not yet current: 20240101T000000Z is still later than 20231231T235500Z (20231231T234000Z + 15 min.)"},
		{name: "presigned within expiry", presigned: true, expires: time.Hour, now: "20240101T010000Z"},
		{name: "presigned after expiry", presigned: true, expires: time.Hour, now: "20240101T010001Z", wantErr: sigv4.ErrExpired,
			wantMsg: "Request has expired"},
		{name: "presigned week", presigned: true, expires: sigv4.MaxPresignExpiry, now: "20240107T235959Z"},
		{name: "presigned early within skew", presigned: true, expires: time.Minute, now: "20231231T234500Z"},
		{name: "presigned too early", presigned: true, expires: time.Hour, now: "20231231T234459Z", wantErr: sigv4.ErrSkewed,
			wantMsg: "not yet current"},
		{name: "presigned without expires uses skew", presigned: true, now: "20240101T001501Z", wantErr: sigv4.ErrSkewed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := sigv4.Auth{Presigned: tc.presigned, Expires: tc.expires, Time: reqTime, AmzDate: "20240101T000000Z"}
			now := mustTime(t, tc.now)
			err := a.CheckTime(now)
			checkErr(t, err, tc.wantErr, tc.wantMsg)
			var se *sigv4.Error
			if errors.As(err, &se) {
				if !se.RequestTime.Equal(reqTime) || !se.ServerTime.Equal(now) || se.MaxSkew != 15*time.Minute {
					t.Errorf("times = %v %v %v", se.RequestTime, se.ServerTime, se.MaxSkew)
				}
				if errors.Is(err, sigv4.ErrExpired) && (se.ExpiresIn != tc.expires || !se.ExpiresAt.Equal(reqTime.Add(tc.expires))) {
					t.Errorf("expiry = %v %v", se.ExpiresIn, se.ExpiresAt)
				}
			}
		})
	}
}

// signedPost returns a Query POST signed by Signer at signTime.
func signedPost(t testing.TB, creds sigv4.Credentials, body string, signTime time.Time) *sigv4.Request {
	t.Helper()
	r := &sigv4.Request{
		Method: "POST", Path: "/", Host: "localhost:4566",
		Header: map[string][]string{
			"Content-Type":   {"application/x-www-form-urlencoded; charset=utf-8"},
			"Content-Length": {strconv.Itoa(len(body))},
			"User-Agent":     {"rolegate-cli/1.0"},
		},
		ContentLength: int64(len(body)),
	}
	s := sigv4.Signer{Credentials: creds, Region: "us-east-1", Service: "sts"}
	if err := s.Sign(r, signTime, sha256Hex([]byte(body))); err != nil {
		t.Fatal(err)
	}
	r.BodySHA256 = sha256Hex([]byte(body))
	return r
}

func TestVerifyPayloadHash(t *testing.T) {
	t.Parallel()
	signTime := mustTime(t, "20240101T000000Z")
	creds := sigv4.Credentials{AccessKeyID: "AKID", SecretAccessKey: exampleSecret}
	body := "Action=GetCallerIdentity&Version=2011-06-15"
	key := sigv4.DeriveKey(exampleSecret, "20240101", "us-east-1", "sts")

	t.Run("missing body hash", func(t *testing.T) {
		r := signedPost(t, creds, body, signTime)
		r.BodySHA256 = ""
		a, err := sigv4.Parse(r)
		if err != nil {
			t.Fatal(err)
		}
		checkErr(t, sigv4.Verify(r, &a, key, signTime), sigv4.ErrMissingContentHash, "SHA-256 of the request body")
	})
	t.Run("claim differs from body", func(t *testing.T) {
		r := signedPost(t, creds, body, signTime)
		r.Header["X-Amz-Content-Sha256"] = []string{sigv4.EmptySHA256}
		a, err := sigv4.Parse(r)
		if err != nil {
			t.Fatal(err)
		}
		err = sigv4.Verify(r, &a, key, signTime)
		checkErr(t, err, sigv4.ErrPayloadMismatch, "x-amz-content-sha256")
		var se *sigv4.Error
		if errors.As(err, &se) && (se.ClaimedSHA256 != sigv4.EmptySHA256 || se.ComputedSHA256 != r.BodySHA256) {
			t.Errorf("hashes = %q %q", se.ClaimedSHA256, se.ComputedSHA256)
		}
	})
	t.Run("skew is checked before the signature", func(t *testing.T) {
		r := signedPost(t, creds, body, signTime)
		a, err := sigv4.Parse(r)
		if err != nil {
			t.Fatal(err)
		}
		checkErr(t, sigv4.Verify(r, &a, sigv4.Key{}, signTime.Add(time.Hour)), sigv4.ErrSkewed, "Signature expired")
	})
}
