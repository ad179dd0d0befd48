package iamapi

import (
	"errors"
	"net/url"
	"sort"
	"testing"

	"rolegate/internal/api/awserr"
	"rolegate/internal/api/query"
)

// FuzzPrepare feeds arbitrary Query parameters to every operation's Prepare: bad input must come
// back as an AWS error, never a panic or an untyped error.
func FuzzPrepare(f *testing.F) {
	f.Add("RoleName=r&AssumeRolePolicyDocument=%7B%7D&Tags.member.1.Key=k&Tags.member.1.Value=v")
	f.Add("PolicyArn=arn:aws:iam::123456789012:policy/p&VersionId=v1.x&MaxItems=1000&Marker=%FF")
	f.Add("Filter.member.1=User&ThumbprintList.member.9=zz&TagKeys=&UserName=a%00b&Password=%F0%9F%98%80")
	f.Add("OpenIDConnectProviderArn=arn:aws:iam::1:oidc-provider/&SerialNumber=arn:aws:iam::1:mfa/&Path=//")
	fx := newFixture(f)
	var names []string
	for _, op := range fx.svc.Ops() {
		names = append(names, op.Name)
	}
	sort.Strings(names)
	f.Fuzz(func(t *testing.T, form string) {
		v, err := url.ParseQuery(form)
		if err != nil {
			return
		}
		for _, name := range names {
			op, _ := fx.svc.Op(name)
			_, _, err := op.Prepare(call(rootID()), query.NewParams(v))
			var e *awserr.Error
			if err != nil && !errors.As(err, &e) {
				t.Fatalf("%s: untyped error %v", name, err)
			}
			if e != nil && e.Status >= 500 {
				t.Fatalf("%s: server fault for bad input: %v", name, e)
			}
		}
	})
}
