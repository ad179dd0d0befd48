package server

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"rolegate/internal/api/awserr"
	"rolegate/internal/authn"
	"rolegate/internal/iam"
	"rolegate/internal/token"
	"rolegate/internal/totp"
)

// authzMessageAD binds encoded authorization messages to their purpose.
var authzMessageAD = []byte("rolegate authorization message")

// encodeMessage seals a decision's details so that only DecodeAuthorizationMessage can read them.
func (s *Server) encodeMessage(plain []byte) string {
	return base64.RawURLEncoding.EncodeToString(s.box.Seal(plain, authzMessageAD))
}

// decodeMessage opens an encoded authorization message.
func (s *Server) decodeMessage(encoded string) (string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimSpace(encoded))
	if err != nil {
		return "", err
	}
	plain, err := s.box.Open(raw, authzMessageAD)
	if err != nil {
		return "", err
	}
	return string(plain), nil
}

// mfaFailed is STS's answer to a wrong, reused or foreign MFA code.
func mfaFailed() error {
	return awserr.New(awserr.AccessDenied, "MultiFactorAuthentication failed with invalid MFA one time pass code. ")
}

// verifyMFA checks a TOTP code of the caller's own MFA device and marks it used.
func (s *Server) verifyMFA(ctx context.Context, caller *authn.Identity, serial, code string, t time.Time) error {
	acct, _, ok := iam.ParseMFASerial(serial)
	if !ok || acct != caller.Account || caller.UserName == "" {
		return mfaFailed()
	}
	dev, _, err := s.iam.MFADevice(ctx, serial)
	if err != nil || !strings.EqualFold(dev.UserName, caller.UserName) {
		return mfaFailed()
	}
	_, err = s.iam.UseMFACode(ctx, serial, func(seed string, last int64) (int64, error) {
		step, err := totp.Verify(seed, code, t, uint64(max(last, 0)))
		return int64(step), err
	})
	if err != nil {
		if iam.IsNoSuchEntity(err) || errors.Is(err, totp.ErrMismatch) || errors.Is(err, totp.ErrReused) ||
			errors.Is(err, totp.ErrMalformedCode) || errors.Is(err, totp.ErrMalformedSeed) {
			return mfaFailed()
		}
		return err
	}
	return nil
}

// accessKeyAccount answers GetAccessKeyInfo: the account of a long-term key from the store, of a
// temporary key from the key ID itself, which names it.
func (s *Server) accessKeyAccount(ctx context.Context, id string) (string, error) {
	if acct, ok := token.AccountOfAccessKeyID(id); ok {
		return acct, nil
	}
	if strings.HasPrefix(id, "AKIA") {
		k, _, err := s.iam.AccessKey(ctx, id)
		if err == nil {
			return k.Account, nil
		}
		if !iam.IsNoSuchEntity(err) {
			return "", err
		}
	}
	return "", awserr.New(awserr.InvalidParameterValue, "The access key ID "+id+" is not valid.")
}

// sessionKindLimits reports whether temporary credentials of kind may call service's action, as
// AWS restricts them (wire-protocol §2.6).
func sessionKindLimits(s *token.Session, service, action string) error {
	if s == nil {
		return nil
	}
	switch s.Kind {
	case token.KindSessionToken:
		if service == "iam" && !s.MFA {
			return awserr.New(awserr.InvalidClientTokenID, "The security token included in the request is invalid")
		}
		if service == "sts" && action != "AssumeRole" && action != "GetCallerIdentity" {
			return awserr.New(awserr.AccessDenied, "Cannot call "+action+" with session credentials")
		}
	case token.KindFederatedUser:
		if service == "iam" {
			return awserr.New(awserr.InvalidClientTokenID, "The security token included in the request is invalid")
		}
		if service == "sts" && action != "GetCallerIdentity" {
			return awserr.New(awserr.AccessDenied, "Cannot call "+action+" with session credentials")
		}
	}
	return nil
}
