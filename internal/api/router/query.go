package router

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"

	"rolegate/internal/api/awserr"
	"rolegate/internal/api/query"
	"rolegate/internal/authn"
	"rolegate/internal/gate"
	"rolegate/internal/sigv4"
)

// maxQueryBody bounds a Query request body: the largest IAM parameter (a 131,072-character policy
// document) percent-encoded, with room to spare.
const maxQueryBody = 2 << 20

func (rt *Router) serveQuery(w http.ResponseWriter, r *http.Request, requestID string, sig *sigv4.Request, auth *sigv4.Auth, perr error, service string) {
	now := rt.cfg.Now()
	values, err := rt.readForm(r, sig)
	if err != nil {
		query.WriteError(w, query.IAMNamespace, requestID, awserr.From(err, awserr.InternalFailure))
		return
	}
	svc := rt.cfg.Query[service]
	if svc == nil {
		svc = rt.byVersion[values.String("Version")]
	}
	if svc == nil {
		if service != "" {
			query.WriteError(w, query.IAMNamespace, requestID, awserr.Newf(awserr.InvalidAction, "The service %s is not available at this endpoint.", service))
		} else {
			query.WriteError(w, query.IAMNamespace, requestID, awserr.New(awserr.MissingAuthenticationToken, "Request is missing Authentication Token"))
		}
		return
	}
	action := values.String("Action")
	if action == "" {
		svc.WriteError(w, requestID, awserr.New(awserr.MissingAction, "Missing Action"))
		return
	}
	op, ok := svc.Op(action)
	if !ok {
		svc.WriteError(w, requestID, unknownAction(svc, action, values.String("Version")))
		return
	}
	var id *authn.Identity
	switch {
	case errors.Is(perr, sigv4.ErrMissingAuth) && op.Unsigned:
		id = &authn.Identity{Kind: authn.Anonymous}
	case perr != nil:
		svc.WriteError(w, requestID, authError(svc, perr))
		return
	default:
		id, _, err = rt.cfg.Auth.Authenticate(r.Context(), sig, auth, now)
		if err != nil {
			svc.WriteError(w, requestID, authError(svc, err))
			return
		}
		if rt.cfg.Restrict != nil {
			if err := rt.cfg.Restrict(id.Session, svc.Name, op.Name); err != nil {
				svc.WriteError(w, requestID, awserr.From(err, awserr.InternalFailure))
				return
			}
		}
	}
	c := rt.newCall(r, requestID, svc.Name, id, auth.Region, now)
	c.Operation = op.Name
	res, aerr := svc.Run(w, c, op, values)
	rt.record(c, op.ReadOnly, values, res, aerr)
}

// readForm reads the Query parameters of r (URL query and form body) and records the body's
// SHA-256 in sig for signature verification.
func (rt *Router) readForm(r *http.Request, sig *sigv4.Request) (query.Params, error) {
	buf, _ := rt.bodies.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	defer func() {
		if buf.Cap() <= 64<<10 {
			buf.Reset()
			rt.bodies.Put(buf)
		}
	}()
	if err := readLimited(buf, r.Body, maxQueryBody+1); err != nil {
		return query.Params{}, awserr.New(awserr.InvalidRequest, "The request body could not be read.")
	}
	body := buf.Bytes()
	if len(body) > maxQueryBody {
		return query.Params{}, awserr.New(awserr.InvalidRequest, "The request body is too large.")
	}
	sum := sha256.Sum256(body)
	var text [2 * sha256.Size]byte
	hex.Encode(text[:], sum[:])
	sig.BodySHA256 = string(text[:])
	p, err := query.Parse(string(body), r.URL.RawQuery)
	if err != nil {
		return query.Params{}, awserr.New(awserr.MalformedQueryString, "The request body or query string is not a valid form.")
	}
	return p, nil
}

// readLimited appends up to limit bytes of r to buf, reading into buf's spare capacity (as
// bytes.Buffer.ReadFrom does, without wrapping r in an io.LimitedReader for every request).
func readLimited(buf *bytes.Buffer, r io.Reader, limit int) error {
	for buf.Len() < limit {
		buf.Grow(min(limit-buf.Len(), 512))
		b := buf.AvailableBuffer()
		b = b[:min(cap(b), limit-buf.Len())]
		n, err := r.Read(b)
		buf.Write(b[:n])
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// authError renders an authentication failure in the words of svc's dialect.
func authError(svc *query.Service, err error) *awserr.Error {
	if svc.Dialect == query.EC2 {
		return EC2AuthError(err)
	}
	return QueryAuthError(err)
}

// unknownAction is the error for an Action the service does not have.
func unknownAction(svc *query.Service, action, version string) *awserr.Error {
	if svc.Dialect == query.EC2 {
		return awserr.Newf(awserr.InvalidAction, "The action %s is not valid for this web service.", action)
	}
	return awserr.Newf(awserr.InvalidAction, "Could not find operation %s for version %s", action, version)
}

// EC2AuthError renders an authentication failure as EC2 does: AuthFailure (401) for credentials
// it cannot validate, RequestExpired (400) for a skewed clock or expired temporary credentials,
// and MissingParameter for an unsigned request.
func EC2AuthError(err error) *awserr.Error {
	const authFailure awserr.Code = "AuthFailure"
	switch {
	case errors.Is(err, sigv4.ErrMissingAuth):
		return awserr.New(awserr.MissingParameter, "The request must contain the parameter AWSAccessKeyId")
	case errors.Is(err, authn.ErrExpiredToken), errors.Is(err, sigv4.ErrSkewed), errors.Is(err, sigv4.ErrExpired):
		return awserr.New(awserr.RequestExpired, "Request has expired.")
	case errors.Is(err, sigv4.ErrMalformed), errors.Is(err, sigv4.ErrUnsupportedAlgorithm),
		errors.Is(err, sigv4.ErrHostNotSigned), errors.Is(err, sigv4.ErrInvalidContentHash):
		return awserr.New(awserr.IncompleteSignature, messageOf(err))
	case isAuthFailure(err):
		return awserr.New(authFailure, "AWS was not able to validate the provided access credentials").WithStatus(http.StatusUnauthorized)
	}
	return awserr.From(err, awserr.InternalFailure)
}

// QueryAuthError renders an authentication failure as the Query services (IAM, STS) do.
func QueryAuthError(err error) *awserr.Error {
	var se *sigv4.Error
	switch {
	case errors.Is(err, sigv4.ErrMissingAuth):
		return awserr.New(awserr.MissingAuthenticationToken, "Request is missing Authentication Token")
	case errors.Is(err, authn.ErrUnknownKey), errors.Is(err, authn.ErrBadToken):
		return awserr.New(awserr.InvalidClientTokenID, "The security token included in the request is invalid.")
	case errors.Is(err, authn.ErrExpiredToken):
		return awserr.New(awserr.ExpiredToken, "The security token included in the request is expired")
	case errors.Is(err, sigv4.ErrMalformed), errors.Is(err, sigv4.ErrUnsupportedAlgorithm),
		errors.Is(err, sigv4.ErrHostNotSigned), errors.Is(err, sigv4.ErrInvalidContentHash):
		return awserr.New(awserr.IncompleteSignature, messageOf(err))
	case errors.Is(err, sigv4.ErrSkewed), errors.Is(err, sigv4.ErrExpired):
		if errors.As(err, &se) {
			return awserr.New(awserr.SignatureDoesNotMatch, se.Message)
		}
	case errors.Is(err, sigv4.ErrSignatureMismatch), errors.Is(err, sigv4.ErrPayloadMismatch),
		errors.Is(err, sigv4.ErrScopeDate):
		return awserr.New(awserr.SignatureDoesNotMatch, "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
	}
	return awserr.From(err, awserr.InternalFailure)
}

func messageOf(err error) string {
	var se *sigv4.Error
	if errors.As(err, &se) {
		return se.Message
	}
	return err.Error()
}

// record writes the audit event of an authenticated call.
func (rt *Router) record(c *gate.Call, readOnly bool, params query.Params, res any, aerr *awserr.Error) {
	if rt.cfg.Audit == nil {
		return
	}
	e := auditEvent(c, readOnly)
	e.RequestParameters = params
	if aerr != nil {
		e.ErrorCode, e.ErrorMessage = string(aerr.Code), aerr.Message
	} else {
		e.ResponseElements = res
	}
	rt.cfg.Audit.Record(e)
}
