// Package client is rolegate's own AWS Query client, used by the command-line verbs that talk to a
// running server (account create/list, session revoke, exec, credential-process). It signs with
// package sigv4 so the binary never links an AWS SDK.
package client

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"rolegate/internal/sigv4"
)

// Client calls Query operations on an endpoint.
type Client struct {
	Endpoint    string // e.g. http://127.0.0.1:4566
	Credentials sigv4.Credentials
	Region      string // default us-east-1
	HTTP        *http.Client
	Now         func() time.Time
}

// APIError is an error response of the service.
type APIError struct {
	Status  int
	Code    string
	Message string
	// EncodedMessage is the encoded authorization message of an AccessDenied, if any.
	EncodedMessage string
}

func (e *APIError) Error() string { return e.Code + ": " + e.Message }

// Query signs and sends Action with params to service (its signing name) and decodes the
// <ActionResult> element of the response into out (which may be nil).
func (c *Client) Query(ctx context.Context, service, version, action string, params url.Values, out any) error {
	raw, err := c.send(ctx, service, version, action, params)
	if err != nil || out == nil {
		return err
	}
	return decodeResult(raw, action+"Result", out)
}

// send signs and posts one Query request and returns the body of a successful response; an error
// response becomes an *APIError.
func (c *Client) send(ctx context.Context, service, version, action string, params url.Values) ([]byte, error) {
	form := url.Values{}
	for k, v := range params {
		form[k] = v
	}
	form.Set("Action", action)
	form.Set("Version", version)
	body := form.Encode()
	u, err := url.Parse(strings.TrimSuffix(c.Endpoint, "/") + "/")
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	sum := sha256.Sum256([]byte(body))
	sr := &sigv4.Request{Method: req.Method, Path: "/", Host: u.Host, Header: req.Header, ContentLength: int64(len(body))}
	region := c.Region
	if region == "" {
		region = "us-east-1"
	}
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	signer := sigv4.Signer{Credentials: c.Credentials, Region: region, Service: service}
	if err := signer.Sign(sr, now(), hex.EncodeToString(sum[:])); err != nil {
		return nil, err
	}
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		// IAM and STS answer <ErrorResponse><Error>, EC2 <Response><Errors><Error>.
		var e struct {
			Error  struct{ Code, Message, EncodedAuthorizationMessage string }
			Errors struct {
				Error struct{ Code, Message, EncodedAuthorizationMessage string }
			}
		}
		if xml.Unmarshal(raw, &e) != nil || e.Error.Code == "" && e.Errors.Error.Code == "" {
			return nil, &APIError{Status: resp.StatusCode, Code: resp.Status, Message: string(raw)}
		}
		if e.Error.Code == "" {
			e.Error = e.Errors.Error
		}
		return nil, &APIError{Status: resp.StatusCode, Code: e.Error.Code, Message: e.Error.Message,
			EncodedMessage: e.Error.EncodedAuthorizationMessage}
	}
	return raw, nil
}

// EC2 signs and sends Action with params to EC2 (version 2016-11-15) and decodes the
// <ActionResponse> root of the response, which has no Result wrapper, into out.
func (c *Client) EC2(ctx context.Context, action string, params url.Values, out any) error {
	raw, err := c.send(ctx, "ec2", "2016-11-15", action, params)
	if err != nil || out == nil {
		return err
	}
	return xml.Unmarshal(raw, out)
}

// decodeResult decodes the element named name, found anywhere under the root, into out.
func decodeResult(raw []byte, name string, out any) error {
	d := xml.NewDecoder(bytes.NewReader(raw))
	for {
		tok, err := d.Token()
		if err != nil {
			return fmt.Errorf("response has no %s element: %w", name, err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == name {
			return d.DecodeElement(out, &se)
		}
	}
}
