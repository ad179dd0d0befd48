// Package router is rolegate's one HTTP front door. It reads the SigV4 signature (header or
// presigned), routes by the service in the credential scope, then by the Query Version/Action,
// then by path (S3, path-style or virtual-host), authenticates the caller, builds the gate.Call
// every handler runs under, and writes the audit event of every authenticated call.
package router

import (
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"rolegate/internal/api/awserr"
	"rolegate/internal/api/query"
	"rolegate/internal/audit"
	"rolegate/internal/authn"
	"rolegate/internal/gate"
	"rolegate/internal/idgen"
	"rolegate/internal/sigv4"
	"rolegate/internal/token"
)

// S3 serves S3 requests that the router has identified (and authenticated, when signed).
type S3 interface {
	// ServeS3 handles one S3 request. bucket is the bucket named by a virtual-host Host, or "".
	ServeS3(w http.ResponseWriter, r *http.Request, c *gate.Call, in *S3Request)
}

// S3Request is what the router learned about an S3 request before handing it on.
type S3Request struct {
	HostBucket string         // bucket from a virtual-hosted Host header, or ""
	Sig        *sigv4.Request // the request as signed
	Auth       *sigv4.Auth    // nil for anonymous requests
	Key        sigv4.Key      // signing key, for aws-chunked bodies
	AuthErr    error          // authentication failure to render in S3's words, or nil
}

// Config holds the router's dependencies.
type Config struct {
	Auth  *authn.Authenticator
	Gate  *gate.Gate
	IDs   *idgen.Gen
	Audit *audit.Log
	Now   func() time.Time
	Log   *slog.Logger
	// Query services by credential-scope name (iam, sts, ec2, rolegate...).
	Query map[string]*query.Service
	S3    S3
	// Restrict refuses calls that temporary credentials of some kinds may not make (GetSessionToken
	// credentials without MFA on IAM, federated users on IAM, ...), or returns nil.
	Restrict func(s *token.Session, service, action string) error
	// BaseHosts are the host names the endpoint is reached by ("localhost", "127.0.0.1"); a Host
	// of the form <bucket>.<base> is a virtual-hosted S3 request.
	BaseHosts []string
}

// Router is the http.Handler of the endpoint.
type Router struct {
	cfg       Config
	byVersion map[string]*query.Service
	bodies    sync.Pool // *bytes.Buffer for Query request bodies
	dates     atomic.Pointer[dateText]
}

// dateText is a Date header value and the second it names.
type dateText struct {
	unix   int64
	header []string // one value; capacity one, so an Add to it cannot write into the shared array
}

// date returns the Date header of now, formatted once per second and shared by the responses of
// that second.
func (rt *Router) date(now time.Time) []string {
	u := now.Unix()
	if d := rt.dates.Load(); d != nil && d.unix == u {
		return d.header
	}
	d := &dateText{unix: u, header: []string{now.UTC().Format(http.TimeFormat)}}
	rt.dates.Store(d)
	return d.header
}

// New returns the router.
func New(cfg Config) *Router {
	rt := &Router{cfg: cfg, byVersion: map[string]*query.Service{}}
	for _, s := range cfg.Query {
		rt.byVersion[s.Version] = s
	}
	return rt
}

// HealthPath answers unauthenticated liveness checks.
const HealthPath = "/_rolegate/health"

func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	requestID := rt.cfg.IDs.RequestID()
	// Clients estimate their clock skew from Date; it must be the server's clock.
	w.Header()["Date"] = rt.date(rt.cfg.Now())
	defer func() {
		if v := recover(); v != nil {
			rt.cfg.Log.Error("panic serving request", "request_id", requestID, "panic", v)
			query.WriteError(w, query.IAMNamespace, requestID, awserr.New(awserr.InternalFailure, "We encountered an internal error. Please try again."))
		}
	}()
	if r.URL.Path == HealthPath && r.Method == http.MethodGet {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("ok\n"))
		return
	}
	sig := sigRequest(r)
	auth, perr := sigv4.Parse(sig)
	hostBucket := rt.hostBucket(r.Host)
	service := ""
	if perr == nil {
		service = auth.Service
	}
	switch {
	case service == "s3" || service == "" && (hostBucket != "" || !looksLikeQuery(r)):
		rt.serveS3(w, r, requestID, sig, &auth, perr, hostBucket)
	default:
		rt.serveQuery(w, r, requestID, sig, &auth, perr, service)
	}
}

// looksLikeQuery reports whether an unsigned request is AWS Query traffic rather than S3.
func looksLikeQuery(r *http.Request) bool {
	if r.URL.Path != "/" && r.URL.Path != "" {
		return false
	}
	if r.URL.Query().Has("Action") {
		return true
	}
	return r.Method == http.MethodPost && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded")
}

// hostBucket returns the bucket of a virtual-hosted Host ("b.localhost:4566" → "b").
func (rt *Router) hostBucket(host string) string {
	h := host
	if hp, _, err := net.SplitHostPort(host); err == nil {
		h = hp
	}
	for _, base := range rt.cfg.BaseHosts {
		if strings.HasSuffix(h, "."+base) {
			return strings.TrimSuffix(h, "."+base)
		}
	}
	// AWS's own S3 host names, as clients send them through the proxy:
	// bucket.s3.amazonaws.com, bucket.s3.REGION.amazonaws.com, bucket.s3-REGION.amazonaws.com.
	if strings.HasSuffix(h, ".amazonaws.com") {
		for _, sep := range []string{".s3.", ".s3-"} {
			if i := strings.Index(h, sep); i > 0 {
				return h[:i]
			}
		}
	}
	return ""
}

// sigRequest describes r as SigV4 sees it.
func sigRequest(r *http.Request) *sigv4.Request {
	p := r.RequestURI
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	return &sigv4.Request{Method: r.Method, Path: p, RawQuery: r.URL.RawQuery, Host: r.Host,
		Header: r.Header, ContentLength: r.ContentLength}
}

// newCall builds the call context of an authenticated (or anonymous) request.
func (rt *Router) newCall(r *http.Request, requestID, service string, id *authn.Identity, region string, now time.Time) *gate.Call {
	if region == "" {
		region = "us-east-1"
	}
	return rt.cfg.Gate.NewCall(gate.Call{Ctx: r.Context(), RequestID: requestID, Service: service, Region: region,
		Identity: id, SourceIP: sourceIP(r), Secure: r.TLS != nil, UserAgent: r.UserAgent(), Now: now})
}

func sourceIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// isAuthFailure reports whether err is a failure to authenticate (as opposed to an internal error).
func isAuthFailure(err error) bool {
	var se *sigv4.Error
	return errors.As(err, &se) || errors.Is(err, authn.ErrUnknownKey) || errors.Is(err, authn.ErrBadToken) ||
		errors.Is(err, authn.ErrExpiredToken) || errors.Is(err, sigv4.ErrMissingAuth)
}
