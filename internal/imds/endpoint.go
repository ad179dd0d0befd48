package imds

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"rolegate/internal/ec2"
)

// Header names of IMDSv2.
const (
	headerTTL   = "X-Aws-Ec2-Metadata-Token-Ttl-Seconds"
	headerToken = "X-Aws-Ec2-Metadata-Token"
)

// endpoint is the metadata service of one running instance.
type endpoint struct {
	m    *Manager
	key  tokenKey
	srv  *http.Server
	port int
	// view is the instance as last opened or updated, with its documents.
	view atomic.Pointer[view]
	// mu guards grant; it also makes concurrent first requests share one role session.
	mu    sync.Mutex
	grant *grant
}

type view struct {
	inst *ec2.Instance
	docs tree
}

func (e *endpoint) set(inst *ec2.Instance) {
	e.view.Store(&view{inst: inst, docs: newTree(inst)})
}

func (e *endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Server", "EC2ws")
	v := e.view.Load()
	now := e.m.cfg.Now()
	if v.inst.Metadata.HTTPEndpoint == ec2.Disabled {
		plain(w, http.StatusForbidden, "Forbidden")
		return
	}
	if r.URL.Path == "/latest/api/token" {
		if r.Method != http.MethodPut {
			plain(w, http.StatusMethodNotAllowed, "Method Not Allowed")
			return
		}
		e.putToken(w, r, now)
		return
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
	case http.MethodPut:
		plain(w, http.StatusForbidden, "Forbidden")
		return
	default:
		plain(w, http.StatusMethodNotAllowed, "Method Not Allowed")
		return
	}
	if tok := r.Header.Get(headerToken); tok != "" {
		if !e.key.valid(tok, now) {
			plain(w, http.StatusUnauthorized, "Unauthorized")
			return
		}
	} else if v.inst.Metadata.HTTPTokens == ec2.TokensRequired {
		plain(w, http.StatusUnauthorized, "Unauthorized")
		return
	}
	e.serve(w, r, v, now)
}

// putToken answers PUT /latest/api/token.
func (e *endpoint) putToken(w http.ResponseWriter, r *http.Request, now time.Time) {
	// AWS refuses token requests that went through a proxy.
	if len(r.Header.Values("X-Forwarded-For")) > 0 {
		plain(w, http.StatusForbidden, "Forbidden")
		return
	}
	ttl, err := strconv.Atoi(strings.TrimSpace(r.Header.Get(headerTTL)))
	if err != nil || ttl < MinTokenTTL || ttl > MaxTokenTTL {
		plain(w, http.StatusBadRequest, "Bad Request")
		return
	}
	tok, err := e.key.mint(e.m.cfg.Rand, now.Add(time.Duration(ttl)*time.Second))
	if err != nil {
		e.m.cfg.Log.Error("cannot mint a metadata token", "err", err)
		plain(w, http.StatusInternalServerError, "Internal Server Error")
		return
	}
	w.Header().Set(headerTTL, strconv.Itoa(ttl))
	plain(w, http.StatusOK, tok)
}

// serve answers a metadata GET.
func (e *endpoint) serve(w http.ResponseWriter, r *http.Request, v *view, now time.Time) {
	path := r.URL.Path
	switch path {
	case "/":
		plain(w, http.StatusOK, "latest")
		return
	case "/latest", "/latest/":
		entries := []string{"dynamic", "meta-data"}
		if _, ok := v.docs["user-data"]; ok {
			entries = append(entries, "user-data")
		}
		plain(w, http.StatusOK, strings.Join(entries, "\n"))
		return
	}
	rel, ok := strings.CutPrefix(path, "/latest/")
	if !ok {
		notFound(w)
		return
	}
	if rel == "meta-data/iam" || strings.HasPrefix(rel, "meta-data/iam/") {
		e.serveIAM(w, r, v.inst, strings.TrimPrefix(rel, "meta-data/iam"), now)
		return
	}
	if doc, ok := v.docs[rel]; ok {
		plain(w, http.StatusOK, doc)
		return
	}
	dir := strings.TrimSuffix(rel, "/") + "/"
	var extra []string
	if dir == "meta-data/" && v.inst.Profile != nil {
		extra = append(extra, "iam/")
	}
	if list, ok := v.docs.list(dir, extra...); ok {
		plain(w, http.StatusOK, list)
		return
	}
	notFound(w)
}

// serveIAM answers meta-data/iam and below; sub is what follows "meta-data/iam".
func (e *endpoint) serveIAM(w http.ResponseWriter, r *http.Request, inst *ec2.Instance, sub string, now time.Time) {
	g, err := e.grantFor(r.Context(), inst, now)
	if errors.As(err, new(errNoProfile)) {
		notFound(w)
		return
	}
	if err != nil {
		e.m.cfg.Log.Error("cannot deliver instance credentials", "instance", inst.ID, "err", err)
		plain(w, http.StatusInternalServerError, "Internal Server Error")
		return
	}
	switch sub {
	case "", "/":
		plain(w, http.StatusOK, "info\nsecurity-credentials/")
	case "/info":
		doc := infoDocument{Code: g.code, Message: g.message, LastUpdated: stamp(g.updated)}
		if g.code == codeSuccess {
			doc.InstanceProfileArn, doc.InstanceProfileId = g.profileARN, g.profileID
		}
		writeJSON(w, doc)
	case "/security-credentials", "/security-credentials/":
		if g.role == nil {
			notFound(w)
			return
		}
		plain(w, http.StatusOK, g.role.Name)
	default:
		name, ok := strings.CutPrefix(sub, "/security-credentials/")
		if !ok || g.role == nil || name != g.role.Name {
			notFound(w)
			return
		}
		if g.code != codeSuccess {
			writeJSON(w, infoDocument{Code: g.code, Message: g.message, LastUpdated: stamp(g.updated)})
			return
		}
		writeJSON(w, credentialsDocument{Code: g.code, LastUpdated: stamp(g.updated), Type: "AWS-HMAC",
			AccessKeyId: g.creds.AccessKeyID, SecretAccessKey: g.creds.SecretAccessKey, Token: g.creds.SessionToken,
			Expiration: stamp(g.creds.Expiration)})
	}
}

// infoDocument is meta-data/iam/info, and the body of a failed security-credentials request.
type infoDocument struct {
	Code               string
	Message            string `json:",omitempty"`
	LastUpdated        string
	InstanceProfileArn string `json:",omitempty"`
	InstanceProfileId  string `json:",omitempty"`
}

// credentialsDocument is meta-data/iam/security-credentials/ROLE, in the order AWS writes it.
type credentialsDocument struct {
	Code            string
	LastUpdated     string
	Type            string
	AccessKeyId     string
	SecretAccessKey string
	Token           string
	Expiration      string
}

// stamp formats t as the metadata service does: to the second, no fraction (botocore parses
// exactly %Y-%m-%dT%H:%M:%SZ).
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

func writeJSON(w http.ResponseWriter, v any) {
	raw, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		plain(w, http.StatusInternalServerError, "Internal Server Error")
		return
	}
	plain(w, http.StatusOK, string(raw))
}

func plain(w http.ResponseWriter, status int, body string) {
	h := w.Header()
	h.Set("Content-Type", "text/plain")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write([]byte(body))
}

func notFound(w http.ResponseWriter) { plain(w, http.StatusNotFound, "Not Found") }
