package imds

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Credentials are temporary credentials as the container-credentials endpoint and
// credential_process hand them out.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	Expiration      time.Time
	RoleARN         string
	AccountID       string
}

// String keeps the secret and the token out of logs and error messages.
func (c Credentials) String() string {
	return "{" + c.AccessKeyID + " REDACTED expires " + stamp(c.Expiration) + "}"
}

// GoString keeps %#v from printing the secret and the token.
func (c Credentials) GoString() string { return c.String() }

// Refresher caches credentials from Fetch and fetches new ones before the cached ones come near
// their expiry, so that clients never receive credentials inside their own refresh window.
type Refresher struct {
	Fetch func(ctx context.Context) (Credentials, error)
	Now   func() time.Time

	mu      sync.Mutex
	cur     Credentials
	fetched time.Time
}

// refreshWindow is the least lifetime the served credentials keep: botocore refreshes 15 minutes
// before expiry (and insists at 10), so fresh credentials are fetched while more than 20 minutes
// remain, or three quarters of a short session's lifetime.
func refreshWindow(lifetime time.Duration) time.Duration {
	return min(20*time.Minute, lifetime*3/4)
}

// Credentials returns the current credentials, fetching new ones when the cached ones are due.
// When a fetch fails, credentials that have not expired are still returned.
func (r *Refresher) Credentials(ctx context.Context) (Credentials, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.Now()
	if r.cur.AccessKeyID != "" && r.cur.Expiration.Sub(now) > refreshWindow(r.cur.Expiration.Sub(r.fetched)) {
		return r.cur, nil
	}
	c, err := r.Fetch(ctx)
	if err != nil {
		if r.cur.AccessKeyID != "" && now.Before(r.cur.Expiration) {
			return r.cur, nil
		}
		return Credentials{}, err
	}
	r.cur, r.fetched = c, now
	return c, nil
}

// ContainerHandler is the container-credentials endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI):
// it answers GETs carrying the authorization token verbatim in Authorization with the current
// credentials.
type ContainerHandler struct {
	// Token is the value of AWS_CONTAINER_AUTHORIZATION_TOKEN.
	Token string
	// Source returns the credentials to serve.
	Source func(ctx context.Context) (Credentials, error)
}

// containerDocument is the endpoint's answer, as the ECS agent writes it.
type containerDocument struct {
	AccessKeyId     string
	SecretAccessKey string
	Token           string
	Expiration      string
	RoleArn         string `json:",omitempty"`
	AccountId       string `json:",omitempty"`
}

// containerError is the endpoint's error body; SDKs show its code and message.
type containerError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ServeHTTP answers one credentials request.
func (h *ContainerHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writeContainer(w, http.StatusMethodNotAllowed, containerError{"MethodNotAllowed", "Only GET is served."})
		return
	}
	got := r.Header.Get("Authorization")
	if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(h.Token)) != 1 {
		writeContainer(w, http.StatusForbidden, containerError{"AccessDenied", "The authorization token is missing or wrong."})
		return
	}
	c, err := h.Source(r.Context())
	if err != nil {
		// The cause may name the role or the endpoint but never carries secrets.
		writeContainer(w, http.StatusInternalServerError, containerError{"CredentialsUnavailable", err.Error()})
		return
	}
	writeContainer(w, http.StatusOK, containerDocument{AccessKeyId: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey,
		Token: c.SessionToken, Expiration: stamp(c.Expiration), RoleArn: c.RoleARN, AccountId: c.AccountID})
}

func writeContainer(w http.ResponseWriter, status int, v any) {
	raw, _ := json.Marshal(v)
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(raw)))
	w.WriteHeader(status)
	w.Write(raw)
}
