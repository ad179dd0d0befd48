package router

import (
	"errors"
	"net/http"

	"rolegate/internal/authn"
	"rolegate/internal/sigv4"
)

// serveS3 authenticates an S3 request (anonymous when unsigned) and hands it to the S3 service,
// which renders authentication failures in S3's own words.
func (rt *Router) serveS3(w http.ResponseWriter, r *http.Request, requestID string, sig *sigv4.Request, auth *sigv4.Auth, perr error, hostBucket string) {
	now := rt.cfg.Now()
	in := &S3Request{HostBucket: hostBucket, Sig: sig}
	var id *authn.Identity
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
	if id == nil {
		id = &authn.Identity{Kind: authn.Anonymous}
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
	e.RequestParameters = c.AuditParams
	if f := c.Failed; f != nil {
		e.ErrorCode, e.ErrorMessage = string(f.Code), f.Message
	}
	if rt.cfg.Audit != nil {
		rt.cfg.Audit.Record(e)
	}
}

// IsAuthFailure reports whether err is a failure to authenticate rather than an internal error.
func IsAuthFailure(err error) bool { return isAuthFailure(err) }
