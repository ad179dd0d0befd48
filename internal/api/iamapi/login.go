package iamapi

import (
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"rolegate/internal/api/awserr"
	"rolegate/internal/api/query"
	"rolegate/internal/gate"
	"rolegate/internal/iam"
)

type loginProfileXML struct {
	UserName              string
	CreateDate            time.Time
	PasswordResetRequired bool
}

func loginOut(lp *iam.LoginProfile) struct{ LoginProfile loginProfileXML } {
	return struct{ LoginProfile loginProfileXML }{loginProfileXML{lp.UserName, lp.Created, lp.ResetRequired}}
}

// loginUser returns the user a login-profile operation acts on: UserName (1..64) or the calling
// user. AWS: only an AssumeRoot session may omit the name to reach the root user's own password;
// rolegate issues no such sessions, so the root user must name a user.
func loginUser(ck *query.Check, c *gate.Call, p query.Params) (string, error) {
	if _, ok := p.Opt("UserName"); ok {
		return name(ck, p, "UserName", "userName", 64), nil
	}
	u, err := callerUser(c, p)
	if err == nil && u == "" {
		err = awserr.New(awserr.ValidationError, "Must specify userName when calling with non-User credentials")
	}
	return u, err
}

// password reads a password parameter and returns the violation it causes, if any. The password is
// a secret: like AWS for sensitive members, the message names the field but never the value.
func password(p query.Params, param, field string) (value string, sent bool, violation string) {
	if !p.Has(param) {
		return "", false, ""
	}
	v := p.String(param)
	switch n := utf8.RuneCountInString(v); {
	case n < 1:
		violation = "must have length greater than or equal to 1"
	case n > 128:
		violation = "must have length less than or equal to 128"
	case strings.IndexFunc(v, func(r rune) bool { return !query.PolicyChar(r) }) >= 0:
		violation = "must satisfy regular expression pattern: " + query.PolicyPattern
	}
	if violation != "" {
		violation = "Value at '" + field + "' failed to satisfy constraint: Member " + violation
	}
	return v, true, violation
}

// withViolation adds one violation to the ValidationError a query.Check produced (or starts one),
// keeping AWS's "N validation errors detected: a; b" form.
func withViolation(err error, violation string) error {
	if violation == "" {
		return err
	}
	if err == nil {
		return awserr.New(awserr.ValidationError, "1 validation error detected: "+violation)
	}
	var e *awserr.Error
	if !errors.As(err, &e) || e.Code != awserr.ValidationError {
		return err
	}
	count, rest, ok := strings.Cut(e.Message, " validation error")
	_, list, ok2 := strings.Cut(rest, "detected: ")
	n := 0
	for _, ch := range count {
		n = n*10 + int(ch-'0')
	}
	if !ok || !ok2 || n == 0 {
		return err
	}
	return awserr.New(awserr.ValidationError, itoa(n+1)+" validation errors detected: "+list+"; "+violation)
}

func (a *API) loginOps() []query.Op {
	return []query.Op{
		{Name: "CreateLoginProfile", Prepare: a.createLoginProfile},
		{Name: "GetLoginProfile", ReadOnly: true, Prepare: a.getLoginProfile},
		{Name: "UpdateLoginProfile", Prepare: a.updateLoginProfile},
		{Name: "DeleteLoginProfile", Prepare: a.deleteLoginProfile},
	}
}

func (a *API) createLoginProfile(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	userName, err := loginUser(&ck, c, p)
	pw, sent, violation := password(p, "Password", "password")
	if !sent {
		// AWS: Password may be left out only in an AssumeRoot session.
		ck.Required(p, "Password", "password")
	}
	reset, _ := ck.Bool(p, "PasswordResetRequired", "passwordResetRequired")
	if err := withViolation(ck.Err(), violation); err != nil {
		return gate.Check{}, nil, err
	}
	if err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.userCheck(c, "iam:CreateLoginProfile", userName)
	return chk, func() (any, error) {
		lp, err := a.IAM.CreateLoginProfile(ctx(c), c.Account(), userName, pw, reset)
		if err != nil {
			return nil, err
		}
		return loginOut(lp), nil
	}, err
}

func (a *API) getLoginProfile(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	userName, err := loginUser(&ck, c, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	if err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.userCheck(c, "iam:GetLoginProfile", userName)
	return chk, func() (any, error) {
		lp, err := a.IAM.LoginProfile(ctx(c), c.Account(), userName)
		if err != nil {
			return nil, err
		}
		return loginOut(lp), nil
	}, err
}

func (a *API) updateLoginProfile(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	userName := name(&ck, p, "UserName", "userName", 64)
	pw, sent, violation := password(p, "Password", "password")
	reset, resetSent := ck.Bool(p, "PasswordResetRequired", "passwordResetRequired")
	if err := withViolation(ck.Err(), violation); err != nil {
		return gate.Check{}, nil, err
	}
	var pwPtr *string
	if sent {
		pwPtr = &pw
	}
	var resetPtr *bool
	if resetSent {
		resetPtr = &reset
	}
	chk, err := a.userCheck(c, "iam:UpdateLoginProfile", userName)
	return chk, func() (any, error) {
		return nil, a.IAM.UpdateLoginProfile(ctx(c), c.Account(), userName, pwPtr, resetPtr)
	}, err
}

func (a *API) deleteLoginProfile(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	userName, err := loginUser(&ck, c, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	if err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.userCheck(c, "iam:DeleteLoginProfile", userName)
	return chk, func() (any, error) {
		return nil, a.IAM.DeleteLoginProfile(ctx(c), c.Account(), userName)
	}, err
}
