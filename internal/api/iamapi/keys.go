package iamapi

import (
	"time"

	"rolegate/internal/api/awserr"
	"rolegate/internal/api/query"
	"rolegate/internal/gate"
	"rolegate/internal/iam"
)

// accessKeyXML is CreateAccessKey's AccessKey. AWS: keys of the root user have no user name; the
// member is then left out.
type accessKeyXML struct {
	UserName        string `xml:",omitempty"`
	AccessKeyId     string
	Status          string
	SecretAccessKey string
	CreateDate      time.Time
}

type keyMetadataXML struct {
	UserName    string `xml:",omitempty"`
	AccessKeyId string
	Status      string
	CreateDate  time.Time
}

// ownerCheck names the user an operation with an optional UserName acts on: the named user, the
// calling user, or (userName "") the root user itself.
func (a *API) ownerCheck(c *gate.Call, action, userName string) (gate.Check, error) {
	if userName == "" {
		return gate.Check{Action: action, Resource: arn(c, "root")}, nil
	}
	return a.userCheck(c, action, userName)
}

// optionalUser reads the optional UserName of the operations that default to the caller (access
// keys, MFA devices) and checks it.
func optionalUser(ck *query.Check, c *gate.Call, p query.Params) (string, error) {
	if _, ok := p.Opt("UserName"); ok {
		name(ck, p, "UserName", "userName", 128)
	}
	return callerUser(c, p)
}

// accessKeyID reads a required AccessKeyId (16..128 word characters).
func accessKeyID(ck *query.Check, p query.Params) string {
	id := ck.Required(p, "AccessKeyId", "accessKeyId")
	if p.Has("AccessKeyId") {
		ck.Len("accessKeyId", id, 16, 128)
		ck.Chars("accessKeyId", id, wordChar, `[\w]+`)
	}
	return id
}

func wordChar(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_'
}

func (a *API) keyOps() []query.Op {
	return []query.Op{
		{Name: "CreateAccessKey", Prepare: a.createAccessKey},
		{Name: "ListAccessKeys", ReadOnly: true, Prepare: a.listAccessKeys},
		{Name: "UpdateAccessKey", Prepare: a.updateAccessKey},
		{Name: "DeleteAccessKey", Prepare: a.deleteAccessKey},
		{Name: "GetAccessKeyLastUsed", ReadOnly: true, Prepare: a.getAccessKeyLastUsed},
	}
}

func (a *API) createAccessKey(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	userName, err := optionalUser(&ck, c, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	if err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.ownerCheck(c, "iam:CreateAccessKey", userName)
	return chk, func() (any, error) {
		k, secret, err := a.IAM.CreateAccessKey(ctx(c), c.Account(), userName)
		if err != nil {
			return nil, err
		}
		return struct{ AccessKey accessKeyXML }{accessKeyXML{UserName: k.UserName, AccessKeyId: k.ID,
			Status: k.Status, SecretAccessKey: secret, CreateDate: k.Created}}, nil
	}, err
}

func (a *API) listAccessKeys(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	userName, err := optionalUser(&ck, c, p)
	pg := page(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	if err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.ownerCheck(c, "iam:ListAccessKeys", userName)
	return chk, func() (any, error) {
		ks, next, err := a.IAM.AccessKeys(ctx(c), c.Account(), userName, pg)
		if err != nil {
			return nil, err
		}
		out := struct {
			AccessKeyMetadata struct {
				Member []keyMetadataXML `xml:"member"`
			}
			listResult
		}{listResult: truncated(next)}
		for _, k := range ks {
			out.AccessKeyMetadata.Member = append(out.AccessKeyMetadata.Member,
				keyMetadataXML{UserName: k.UserName, AccessKeyId: k.ID, Status: k.Status, CreateDate: k.Created})
		}
		return out, nil
	}, err
}

func (a *API) updateAccessKey(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	userName, err := optionalUser(&ck, c, p)
	id := accessKeyID(&ck, p)
	status := ck.Required(p, "Status", "status")
	if p.Has("Status") {
		ck.Enum("status", status, "Active", "Inactive", "Expired")
	}
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	if err != nil {
		return gate.Check{}, nil, err
	}
	if status == "Expired" {
		// AWS: statusType is shared with credentials that expire; an access key can only be made
		// Active or Inactive.
		return gate.Check{}, nil, awserr.New(awserr.InvalidInput, "Access key status can only be Active or Inactive.")
	}
	chk, err := a.ownerCheck(c, "iam:UpdateAccessKey", userName)
	return chk, func() (any, error) {
		return nil, a.IAM.UpdateAccessKey(ctx(c), c.Account(), userName, id, status)
	}, err
}

func (a *API) deleteAccessKey(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	userName, err := optionalUser(&ck, c, p)
	id := accessKeyID(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	if err != nil {
		return gate.Check{}, nil, err
	}
	chk, err := a.ownerCheck(c, "iam:DeleteAccessKey", userName)
	return chk, func() (any, error) {
		return nil, a.IAM.DeleteAccessKey(ctx(c), c.Account(), userName, id)
	}, err
}

type keyLastUsedXML struct {
	LastUsedDate *time.Time `xml:",omitempty"`
	ServiceName  string
	Region       string
}

// notApplicable is what AWS reports as the service and region of a key never used.
const notApplicable = "N/A"

func (a *API) getAccessKeyLastUsed(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	id := accessKeyID(&ck, p)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	// The key's owner is the resource; a key of another account (or none) is not found, and
	// authorizing on "*" first keeps whether it exists from callers without the permission.
	chk := gate.Check{Action: "iam:GetAccessKeyLastUsed", Resource: "*"}
	k, err := a.IAM.KeyMetadata(ctx(c), id)
	switch {
	case err == nil && k.Account == c.Account():
		if chk, err = a.ownerCheck(c, chk.Action, k.UserName); err != nil {
			return chk, nil, err
		}
	case err != nil && !iam.IsNoSuchEntity(err):
		return chk, nil, err
	}
	return chk, func() (any, error) {
		if k == nil || k.Account != c.Account() {
			return nil, awserr.Newf(awserr.NoSuchEntity, "The Access Key with id %s cannot be found.", id)
		}
		last := keyLastUsedXML{ServiceName: notApplicable, Region: notApplicable}
		if !k.LastUsed.IsZero() {
			t := k.LastUsed
			last.LastUsedDate = &t
			last.ServiceName = orNA(k.LastService)
			last.Region = orNA(k.LastRegion)
		}
		return struct {
			UserName          string `xml:",omitempty"`
			AccessKeyLastUsed keyLastUsedXML
		}{k.UserName, last}, nil
	}, nil
}

func orNA(s string) string {
	if s == "" {
		return notApplicable
	}
	return s
}
