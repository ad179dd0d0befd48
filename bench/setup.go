package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"time"

	"rolegate/internal/seed"
	"rolegate/internal/sigv4"
)

// errNoS3 reports a rolegate that does not serve S3 yet.
var errNoS3 = errors.New("rolegate does not serve S3 (501 Not Implemented)")

// rolegatePeer returns the bench principal of a seeded data directory on a running rolegate.
func rolegatePeer(p *Proc, m *seed.Manifest) *Peer {
	b := m.Bench
	return &Peer{Name: "rolegate", Base: p.Base, Account: b.Account, UserARN: b.UserARN, RoleARN: b.RoleARN, Bucket: b.Bucket,
		Creds: sigv4.Credentials{AccessKeyID: b.AccessKeyID, SecretAccessKey: b.SecretAccessKey}}
}

// putObject creates the peer's bucket (it may exist already) and writes the 4 KiB object.
func putObject(ctx context.Context, p *Peer) error {
	now := time.Now()
	c, err := p.object(http.MethodPut, "", nil, now)
	if err != nil {
		return err
	}
	status, body, err := do(ctx, p.Base, c)
	switch {
	case err != nil:
		return err
	case status == http.StatusNotImplemented:
		return errNoS3
	case status/100 != 2 && status != http.StatusConflict: // 409: BucketAlreadyOwnedByYou
		return fmt.Errorf("%s CreateBucket: %w", p.Name, &statusError{status, body})
	}
	data := make([]byte, objectSize)
	rand.Read(data)
	if c, err = p.object(http.MethodPut, objectKey, data, now); err != nil {
		return err
	}
	if _, err := try(ctx, p.Base, c); err != nil {
		return fmt.Errorf("%s PutObject: %w", p.Name, err)
	}
	return nil
}

var (
	reAccount = regexp.MustCompile(`<Account>(\d{12})</Account>`)
	reKeyID   = regexp.MustCompile(`<AccessKeyId>([A-Z0-9]+)</AccessKeyId>`)
	reSecret  = regexp.MustCompile(`<SecretAccessKey>([^<]+)</SecretAccessKey>`)
)

// motoPeer creates on moto the same user, policies, role and object as the seeded bench account
// has, and returns the user's credentials there. Moto accepts any signature; the setup calls are
// signed with a placeholder key.
func motoPeer(ctx context.Context, p *Proc) (*Peer, error) {
	admin := &Peer{Name: "moto", Base: p.Base, Creds: sigv4.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE",
		SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}}
	call := func(service, version, action string, params url.Values) ([]byte, error) {
		c, err := admin.query(service, version, action, params, time.Now())
		if err != nil {
			return nil, err
		}
		body, err := try(ctx, p.Base, c)
		if err != nil {
			return nil, fmt.Errorf("moto %s: %w", action, err)
		}
		return body, nil
	}
	body, err := call("sts", stsVersion, "GetCallerIdentity", nil)
	if err != nil {
		return nil, err
	}
	m := reAccount.FindSubmatch(body)
	if m == nil {
		return nil, fmt.Errorf("moto GetCallerIdentity: no account in %.300s", body)
	}
	acct := string(m[1])
	policyARN := "arn:aws:iam::" + acct + ":policy/bench/" + seed.BenchPolicy
	steps := []struct {
		service, version, action string
		params                   url.Values
	}{
		{"iam", iamVersion, "CreateUser", url.Values{"UserName": {seed.BenchUser}, "Path": {seed.BenchUserPath},
			"Tags.member.1.Key": {"team"}, "Tags.member.1.Value": {seed.BenchTeam}}},
		{"iam", iamVersion, "CreatePolicy", url.Values{"PolicyName": {seed.BenchPolicy}, "Path": {"/bench/"},
			"PolicyDocument": {seed.BenchCallerPolicy(acct)}}},
		{"iam", iamVersion, "AttachUserPolicy", url.Values{"UserName": {seed.BenchUser}, "PolicyArn": {policyARN}}},
		{"iam", iamVersion, "CreateRole", url.Values{"RoleName": {seed.BenchRole},
			"AssumeRolePolicyDocument": {seed.BenchTrustPolicy(acct)}, "Tags.member.1.Key": {"team"}, "Tags.member.1.Value": {seed.BenchTeam}}},
		{"iam", iamVersion, "PutRolePolicy", url.Values{"RoleName": {seed.BenchRole}, "PolicyName": {"bench-target-inline"},
			"PolicyDocument": {seed.BenchRoleInline(acct)}}},
	}
	for _, s := range steps {
		if _, err := call(s.service, s.version, s.action, s.params); err != nil {
			return nil, err
		}
	}
	body, err = call("iam", iamVersion, "CreateAccessKey", url.Values{"UserName": {seed.BenchUser}})
	if err != nil {
		return nil, err
	}
	id, secret := reKeyID.FindSubmatch(body), reSecret.FindSubmatch(body)
	if id == nil || secret == nil {
		return nil, fmt.Errorf("moto CreateAccessKey: no key in %.300s", body)
	}
	peer := &Peer{Name: "moto", Base: p.Base, Account: acct, UserARN: seed.BenchUserARN(acct), RoleARN: seed.BenchRoleARN(acct),
		Bucket: seed.BenchBucket(acct), Creds: sigv4.Credentials{AccessKeyID: string(id[1]), SecretAccessKey: string(secret[1])}}
	return peer, putObject(ctx, peer)
}
