package router

import (
	"errors"
	"net/http"
	"strings"

	"rolegate/internal/authn"
	"rolegate/internal/sigv4"
)

// serveS3 authenticates an S3 request (anonymous when unsigned) and hands it to the S3 service,
// which renders authentication failures in S3's own words.
func (rt *Router) serveS3(w http.ResponseWriter, r *http.Request, requestID string, sig *sigv4.Request, auth *sigv4.Auth, perr error, hostBucket string) {
	now := rt.cfg.Now()
	in := &S3Request{HostBucket: hostBucket, Sig: sig}
	id := &authn.Identity{Kind: authn.Anonymous}
	region := ""
	switch {
	case errors.Is(perr, sigv4.ErrMissingAuth):
	case perr != nil:
		in.AuthErr = perr
	default:
		region = auth.Region
		got, key, err := rt.cfg.Auth.Authenticate(r.Context(), sig, auth, now)
		if err != nil {
			in.AuthErr = err
		} else {
			id, in.Auth, in.Key = got, auth, key
		}
	}
	c := rt.newCall(r, requestID, "s3", id, region, now)
	if rt.cfg.S3 == nil {
		w.Header().Set("x-amz-request-id", requestID)
		http.Error(w, "", http.StatusNotImplemented)
		return
	}
	rt.cfg.S3.ServeS3(w, r, c, in)
	if c.Operation == "" || in.AuthErr != nil {
		return // not an operation, or not an authenticated caller: nothing to audit
	}
	e := auditEvent(c, r.Method == http.MethodGet || r.Method == http.MethodHead)
	e.EventType = "AwsApiCall"
	e.RequestParameters = s3Params(r)
	if f := c.Failed; f != nil {
		e.ErrorCode, e.ErrorMessage = string(f.Code), f.Message
	}
	if rt.cfg.Audit != nil {
		rt.cfg.Audit.Record(e)
	}
}

// s3Params is the requestParameters of an S3 event: the bucket, key and query parameters.
func s3Params(r *http.Request) map[string]any {
	p := map[string]any{"Host": r.Host}
	for k, v := range r.URL.Query() {
		if strings.HasPrefix(strings.ToLower(k), "x-amz-") {
			continue // presigned-URL signing parameters: a signature replays within its window
		}
		if len(v) == 1 {
			p[k] = v[0]
		} else {
			p[k] = v
		}
	}
	if r.URL.Path != "/" {
		p["path"] = r.URL.Path
	}
	return p
}

// IsAuthFailure reports whether err is a failure to authenticate rather than an internal error.
func IsAuthFailure(err error) bool { return isAuthFailure(err) }
