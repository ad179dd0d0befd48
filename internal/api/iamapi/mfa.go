package iamapi

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
	"time"

	"rolegate/internal/api/awserr"
	"rolegate/internal/api/query"
	"rolegate/internal/gate"
	"rolegate/internal/iam"
	"rolegate/internal/totp"
)

// newSeed returns a fresh TOTP seed in base32, as AWS issues them.
func newSeed() (string, error) { return totp.GenerateSeed(rand.Reader) }

func invalidCode() error {
	return awserr.New(awserr.InvalidAuthenticationCode, "Authentication code for device is not valid.")
}

// serialNumber reads a required SerialNumber (9..256 characters of [\w+=/:,.@-]).
func serialNumber(ck *query.Check, p query.Params) string {
	v := ck.Required(p, "SerialNumber", "serialNumber")
	if p.Has("SerialNumber") {
		ck.Len("serialNumber", v, 9, 256)
		ck.Chars("serialNumber", v, func(r rune) bool { return wordChar(r) || strings.ContainsRune("+=/:,.@-", r) },
			`[\w+=/:,.@-]+`)
	}
	return v
}

// authCode reads a required six-digit authentication code.
func authCode(ck *query.Check, p query.Params, param, field string) string {
	v := ck.Required(p, param, field)
	if p.Has(param) {
		ck.Len(field, v, 6, 6)
		ck.Chars(field, v, func(r rune) bool { return r >= '0' && r <= '9' }, `[\d]+`)
	}
	return v
}

type mfaDeviceXML struct {
	UserName     string
	SerialNumber string
	EnableDate   time.Time
}

type virtualMFAXML struct {
	SerialNumber     string
	Base32StringSeed string      `xml:",omitempty"` // a blob: base64 of the base32 seed text
	User             *userXML    `xml:",omitempty"`
	EnableDate       *time.Time  `xml:",omitempty"`
	Tags             *tagListXML `xml:",omitempty"`
}

func (a *API) mfaOps() []query.Op {
	return []query.Op{
		{Name: "CreateVirtualMFADevice", Prepare: a.createVirtualMFADevice},
		{Name: "EnableMFADevice", Prepare: a.enableMFADevice},
		{Name: "DeactivateMFADevice", Prepare: a.deactivateMFADevice},
		{Name: "DeleteVirtualMFADevice", Prepare: a.deleteVirtualMFADevice},
		{Name: "ListMFADevices", ReadOnly: true, Prepare: a.listMFADevices},
		{Name: "ListVirtualMFADevices", ReadOnly: true, Prepare: a.listVirtualMFADevices},
	}
}

func (a *API) createVirtualMFADevice(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	deviceName := name(&ck, p, "VirtualMFADeviceName", "virtualMFADeviceName", -1)
	devicePath := path(&ck, p, "Path", "path")
	ts := tags(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	if err := checkTags(ts); err != nil {
		return gate.Check{}, nil, err
	}
	chk := gate.Check{Action: "iam:CreateVirtualMFADevice", Resource: arn(c, "mfa"+orRoot(devicePath)+deviceName), Keys: requestTagKeys(ts)}
	return chk, func() (any, error) {
		if err := authorizeTagOnCreate(c, chk, "iam:TagMFADevice", ts); err != nil {
			return nil, err
		}
		seed, err := newSeed()
		if err != nil {
			return nil, err
		}
		d, err := a.IAM.CreateVirtualMFADevice(ctx(c), c.Account(), deviceName, devicePath, seed, ts)
		if err != nil {
			return nil, err
		}
		// AWS also returns QRCodePNG, a QR code of the otpauth:// URI; rolegate leaves it out
		// (clients treat it as optional) and callers enrol the seed directly.
		return struct{ VirtualMFADevice virtualMFAXML }{virtualMFAXML{SerialNumber: d.Serial(),
			Base32StringSeed: base64.StdEncoding.EncodeToString([]byte(seed)), Tags: tagList(d.Tags)}}, nil
	}, nil
}

func (a *API) enableMFADevice(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	userName := name(&ck, p, "UserName", "userName", 128)
	serial := serialNumber(&ck, p)
	code1 := authCode(&ck, p, "AuthenticationCode1", "authenticationCode1")
	code2 := authCode(&ck, p, "AuthenticationCode2", "authenticationCode2")
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.userCheck(c, "iam:EnableMFADevice", userName)
	return chk, func() (any, error) {
		return nil, a.IAM.EnableMFADevice(ctx(c), c.Account(), userName, serial, func(seed string) (int64, error) {
			return a.consecutive(seed, code1, code2, c.Now)
		})
	}, err
}

// consecutive checks that code1 and code2 are the codes of two consecutive time steps around now
// and returns the later step.
func (a *API) consecutive(seed, code1, code2 string, now time.Time) (int64, error) {
	step, err := totp.VerifyPair(seed, code1, code2, now, 0)
	if err != nil {
		return 0, invalidCode()
	}
	return int64(step), nil
}

func (a *API) deactivateMFADevice(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	userName, err := optionalUser(&ck, c, p)
	serial := serialNumber(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	if err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.ownerCheck(c, "iam:DeactivateMFADevice", userName)
	return chk, func() (any, error) {
		if userName == "" {
			// The root user holds no virtual MFA device in rolegate.
			return nil, awserr.Newf(awserr.NoSuchEntity, "MFA Device with serial number %s does not exist.", serial)
		}
		return nil, a.IAM.DeactivateMFADevice(ctx(c), c.Account(), userName, serial)
	}, err
}

func (a *API) deleteVirtualMFADevice(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	serial := serialNumber(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	chk := gate.Check{Action: "iam:DeleteVirtualMFADevice", Resource: serial, ResourceAccount: foreignAccount(c, serial)}
	ds, err := a.IAM.MFADevices(ctx(c), c.Account(), "Any", "")
	if err != nil {
		return chk, nil, err
	}
	for _, d := range ds {
		if d.Serial() == serial {
			chk.ResourceTags = d.Tags
		}
	}
	return chk, func() (any, error) {
		return nil, a.IAM.DeleteVirtualMFADevice(ctx(c), c.Account(), serial)
	}, nil
}

func (a *API) listMFADevices(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	userName, err := optionalUser(&ck, c, p)
	pg := page(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	if err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.ownerCheck(c, "iam:ListMFADevices", userName)
	return chk, func() (any, error) {
		var ds []*iam.MFADevice
		if userName != "" { // the root user holds no virtual MFA device in rolegate
			var err error
			if ds, err = a.IAM.MFADevices(ctx(c), c.Account(), "Assigned", userName); err != nil {
				return nil, err
			}
		}
		ds, next, err := pageOf(ds, pg)
		if err != nil {
			return nil, err
		}
		out := struct {
			MFADevices struct {
				Member []mfaDeviceXML `xml:"member"`
			}
			listResult
		}{listResult: truncated(next)}
		for _, d := range ds {
			out.MFADevices.Member = append(out.MFADevices.Member, mfaDeviceXML{d.UserName, d.Serial(), d.Enabled})
		}
		return out, nil
	}, err
}

func (a *API) listVirtualMFADevices(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	status := "Any"
	if s, ok := p.Opt("AssignmentStatus"); ok {
		ck.Enum("assignmentStatus", s, "Assigned", "Unassigned", "Any")
		status = s
	}
	pg := page(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	return gate.Check{Action: "iam:ListVirtualMFADevices", Resource: "*"}, func() (any, error) {
		all, err := a.IAM.MFADevices(ctx(c), c.Account(), status, "")
		if err != nil {
			return nil, err
		}
		ds, next, err := pageOf(all, pg)
		if err != nil {
			return nil, err
		}
		out := struct {
			VirtualMFADevices struct {
				Member []virtualMFAXML `xml:"member"`
			}
			listResult
		}{listResult: truncated(next)}
		for _, d := range ds {
			x := virtualMFAXML{SerialNumber: d.Serial(), Tags: tagList(d.Tags)}
			if d.UserName != "" {
				u, err := a.IAM.User(ctx(c), c.Account(), d.UserName)
				if err != nil {
					return nil, err
				}
				ux := userOut(u, false)
				enabled := d.Enabled
				x.User, x.EnableDate = &ux, &enabled
			}
			out.VirtualMFADevices.Member = append(out.VirtualMFADevices.Member, x)
		}
		return out, nil
	}, nil
}
