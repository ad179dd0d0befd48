// Package orgapi is rolegate's account administration API: creating a member account (with its
// root access key, which AWS Organizations never hands out but a local identity plane must) and
// listing accounts. It speaks the Query protocol under the signing name "rolegate", and only
// principals of the organization's management account that are allowed
// organizations:CreateAccount / organizations:ListAccounts may call it.
package orgapi

import (
	"context"
	"strings"
	"time"

	"rolegate/internal/api/awserr"
	"rolegate/internal/api/query"
	"rolegate/internal/gate"
	"rolegate/internal/iam"
	"rolegate/internal/org"
	"rolegate/internal/store"
)

// Service identity of the API.
const (
	Name      = "rolegate"
	Namespace = "https://rolegate.local/doc/2026-11-01/"
	Version   = "2026-11-01"
)

// API holds the services the operations use.
type API struct {
	Org *org.Service
	IAM *iam.Service
	// Revoke puts a temporary access key on the deny list.
	Revoke func(ctx context.Context, accessKeyID string) error
}

// Service returns the operation table.
func (a *API) Service() *query.Service {
	return query.NewService(Name, Namespace, Version, []query.Op{
		{Name: "CreateAccount", Prepare: a.createAccount},
		{Name: "ListAccounts", ReadOnly: true, Prepare: a.listAccounts},
		{Name: "RevokeSession", Prepare: a.revokeSession},
	})
}

type accountXML struct {
	Id              string
	Name            string
	Email           string
	Arn             string
	Status          string
	JoinedTimestamp time.Time
}

// management returns the organization, failing unless the caller belongs to its management
// account.
func (a *API) management(c *gate.Call) (*org.Organization, error) {
	o, err := a.Org.Organization(c.Ctx)
	if err != nil {
		return nil, err
	}
	if c.Account() != o.ManagementAccount {
		return nil, awserr.New(awserr.AccessDenied, "You don't have permissions to access this resource: only the management account of the organization can manage accounts.")
	}
	return o, nil
}

func (a *API) createAccount(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	name := ck.Required(p, "AccountName", "accountName")
	ck.Len("accountName", name, 1, 50)
	email, _ := p.Opt("Email")
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	o, err := a.management(c)
	if err != nil {
		return gate.Check{}, nil, err
	}
	if email == "" {
		email = name + "@rolegate.local"
	}
	chk := gate.Check{Action: "organizations:CreateAccount", Resource: "*"}
	return chk, func() (any, error) {
		var key *iam.AccessKey
		var secret string
		acct, err := a.Org.Create(c.Ctx, name, email, func(tx store.Tx, acct *org.Account) error {
			var err error
			key, secret, err = a.IAM.CreateRootKey(tx, acct.ID)
			return err
		})
		if err != nil {
			return nil, err
		}
		return struct {
			Account         accountXML
			AccessKeyId     string
			SecretAccessKey string
		}{accountOut(acct, o), key.ID, secret}, nil
	}, nil
}

func (a *API) listAccounts(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	o, err := a.management(c)
	if err != nil {
		return gate.Check{}, nil, err
	}
	return gate.Check{Action: "organizations:ListAccounts", Resource: "*"}, func() (any, error) {
		accts, err := a.Org.Accounts(c.Ctx)
		if err != nil {
			return nil, err
		}
		out := struct {
			Accounts struct {
				Member []accountXML `xml:"member"`
			}
		}{}
		for _, acct := range accts {
			out.Accounts.Member = append(out.Accounts.Member, accountOut(acct, o))
		}
		return out, nil
	}, nil
}

func accountOut(a *org.Account, o *org.Organization) accountXML {
	return accountXML{Id: a.ID, Name: a.Name, Email: a.Email, Arn: a.ARN(o), Status: "ACTIVE", JoinedTimestamp: a.Created}
}

// revokeSession denies every further request made with a temporary access key. The account of the
// session is not known without its token, so only the organization's management account may do it
// (AWS's own way, a deny on aws:TokenIssueTime in the role, needs no administrator).
func (a *API) revokeSession(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	var ck query.Check
	id := ck.Required(p, "AccessKeyId", "accessKeyId")
	ck.Len("accessKeyId", id, 16, 128)
	if err := ck.Err(); err != nil {
		return gate.Check{}, nil, err
	}
	if !strings.HasPrefix(id, "ASIA") {
		return gate.Check{}, nil, awserr.New(awserr.InvalidParameterValue, "Only temporary access keys (ASIA...) can be revoked; deactivate or delete long-term keys with IAM.")
	}
	if _, err := a.management(c); err != nil {
		return gate.Check{}, nil, err
	}
	return gate.Check{Action: "sts:RevokeSession", Resource: "*"}, func() (any, error) {
		return nil, a.Revoke(c.Ctx, id)
	}, nil
}
