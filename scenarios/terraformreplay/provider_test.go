package terraformreplay

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsarn "github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"rolegate/internal/testkit"
)

// provider is what the hashicorp/aws provider holds once configured: clients signed with its
// final credentials, and the account and partition that GetCallerIdentity reported.
type provider struct {
	iam       *iam.Client
	s3        *s3.Client
	sts       *sts.Client
	creds     testkit.Creds
	account   string
	partition string
}

// assumeRole is the provider's assume_role block.
type assumeRole struct {
	roleARN, sessionName, externalID string
}

// configure does what the provider does at configure time: assume the role of an assume_role
// block if there is one, then validate the credentials with GetCallerIdentity and take the
// partition and account from its Arn, which must parse as an ARN.
func configure(t *testing.T, srv *testkit.Server, base testkit.Creds, assume *assumeRole) *provider {
	t.Helper()
	ctx := context.Background()
	creds := base
	if assume != nil {
		in := &sts.AssumeRoleInput{RoleArn: aws.String(assume.roleARN), RoleSessionName: aws.String(assume.sessionName)}
		if assume.externalID != "" {
			in.ExternalId = aws.String(assume.externalID)
		}
		out, err := srv.STS(base).AssumeRole(ctx, in)
		if err != nil {
			t.Fatalf("provider assume_role %s: %v", assume.roleARN, err)
		}
		creds = testkit.FromSTS(out.Credentials.AccessKeyId, out.Credentials.SecretAccessKey, out.Credentials.SessionToken)
	}
	who, err := srv.STS(creds).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("provider credential validation (GetCallerIdentity): %v", err)
	}
	parsed, err := awsarn.Parse(aws.ToString(who.Arn))
	if err != nil {
		t.Fatalf("GetCallerIdentity Arn %q does not parse: %v", aws.ToString(who.Arn), err)
	}
	if parsed.AccountID != aws.ToString(who.Account) {
		t.Fatalf("GetCallerIdentity Account %s, but its Arn names %s", aws.ToString(who.Account), parsed.AccountID)
	}
	return &provider{iam: srv.IAM(creds), s3: srv.S3(creds), sts: srv.STS(creds), creds: creds,
		account: parsed.AccountID, partition: parsed.Partition}
}

// arn formats an ARN in the provider's partition and account.
func (p *provider) arn(service, resource string) string {
	return "arn:" + p.partition + ":" + service + "::" + p.account + ":" + resource
}

// errCode returns the AWS error code of err, or "" when there is none.
func errCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// notFound reports whether err is one of the codes the provider reads as "the resource is gone".
func notFound(err error, codes ...string) bool {
	return err != nil && slices.Contains(codes, errCode(err))
}

// diff collects the attributes whose state differs from the configuration: an empty diff is a
// plan without changes.
type diff []string

func (d *diff) str(attr, want, got string) {
	if want != got {
		*d = append(*d, fmt.Sprintf("%s: config %q, state %q", attr, want, got))
	}
}

func (d *diff) num(attr string, want, got int64) {
	if want != got {
		*d = append(*d, fmt.Sprintf("%s: config %d, state %d", attr, want, got))
	}
}

// tags compares tag maps; no tags and an empty map are the same to the provider.
func (d *diff) tags(attr string, want, got map[string]string) {
	if len(want) == 0 && len(got) == 0 {
		return
	}
	if !maps.Equal(want, got) {
		*d = append(*d, fmt.Sprintf("%s: config %v, state %v", attr, want, got))
	}
}

// set compares string sets.
func (d *diff) set(attr string, want, got []string) {
	w, g := slices.Sorted(slices.Values(want)), slices.Sorted(slices.Values(got))
	if !slices.Equal(w, g) {
		*d = append(*d, fmt.Sprintf("%s: config %v, state %v", attr, w, g))
	}
}

// policy compares a configured policy document with one read back, by meaning, as the
// provider's equivalence check does.
func (d *diff) policy(attr, want, got string) {
	same, err := equivalentPolicies(want, got)
	if err != nil || !same {
		*d = append(*d, fmt.Sprintf("%s: config %s, state %s (%v)", attr, want, got, err))
	}
}

// noChanges fails the test unless the plan (the diff) is empty.
func noChanges(t *testing.T, what string, d diff) {
	t.Helper()
	if len(d) > 0 {
		t.Fatalf("%s: a plan would show changes:\n  %s", what, strings.Join(d, "\n  "))
	}
}

// decodeDocument undoes IAM's URL-encoding of policy documents, as the provider does with
// url.QueryUnescape; a document that is not encoded (it holds a raw '{') is an error, because
// a client that decodes it would corrupt any '%' or '+' in it.
func decodeDocument(t *testing.T, what, raw string) string {
	t.Helper()
	if strings.ContainsAny(raw, "{\"") {
		t.Fatalf("%s: document is not URL-encoded: %s", what, raw)
	}
	doc, err := url.QueryUnescape(raw)
	if err != nil {
		t.Fatalf("%s: document does not URL-decode: %v", what, err)
	}
	return doc
}

// tagMap reads IAM tags as the provider does, leaving out the reserved aws: keys.
func tagMap(tags []iamtypes.Tag) map[string]string {
	m := map[string]string{}
	for _, tg := range tags {
		if k := aws.ToString(tg.Key); !strings.HasPrefix(k, "aws:") {
			m[k] = aws.ToString(tg.Value)
		}
	}
	return m
}

// iamTags turns a configuration's tags into the request form.
func iamTags(m map[string]string) []iamtypes.Tag {
	var out []iamtypes.Tag
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, iamtypes.Tag{Key: aws.String(k), Value: aws.String(m[k])})
	}
	return out
}

// tagChanges splits a tag update the provider's way: keys to remove first, then keys to set.
func tagChanges(old, new map[string]string) (remove []string, set map[string]string) {
	set = map[string]string{}
	for k := range old {
		if _, ok := new[k]; !ok {
			remove = append(remove, k)
		}
	}
	for k, v := range new {
		if ov, ok := old[k]; !ok || ov != v {
			set[k] = v
		}
	}
	slices.Sort(remove)
	return remove, set
}

// checkID fails unless id has the shape of an IAM unique id with the given prefix.
func checkID(t *testing.T, what, prefix, id string) {
	t.Helper()
	if !regexp.MustCompile(`^` + prefix + `[A-Z0-9]{17}$`).MatchString(id) {
		t.Fatalf("%s: unique id %q is not %s followed by 17 characters", what, id, prefix)
	}
}

// checkCreated fails unless a creation date is set and recent (the server runs on real time).
func checkCreated(t *testing.T, what string, at *time.Time) {
	t.Helper()
	if at == nil || at.IsZero() || time.Since(*at) > 10*time.Minute || time.Until(*at) > time.Minute {
		t.Fatalf("%s: CreateDate %v is not the time of creation", what, at)
	}
}

// mustOK fails the test on err.
func mustOK(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// jsonDoc renders a policy the way Terraform's jsonencode does: compact, keys sorted.
func jsonDoc(statements ...string) string {
	return `{"Statement":[` + strings.Join(statements, ",") + `],"Version":"2012-10-17"}`
}
