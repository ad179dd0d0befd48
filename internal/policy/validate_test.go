package policy

import (
	"errors"
	"strings"
	"testing"
)

// validateCase is one row of the Validate tables; an empty msg means the document is valid.
type validateCase struct {
	name  string
	rules Rules
	doc   string
	code  string
	msg   string
}

func TestValidateIdentity(t *testing.T) {
	ok := `{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},{"Sid":"","Effect":"Allow","Action":"ec2:Describe*","Resource":"*"},{"Sid":"","Effect":"Deny","NotAction":"iam:*","NotResource":"arn:aws:iam::111122223333:user/${aws:username}"}]}`
	tests := []validateCase{
		{"valid", Rules{Kind: Identity}, ok, "", ""},
		{"valid with Id (accepted in practice)", Rules{Kind: Identity}, `{"Version":"2012-10-17","Id":"x","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, "", ""},
		{"bad JSON", Rules{Kind: Identity}, `{"Version":`, CodeMalformed, MsgSyntax},
		{"empty Statement", Rules{Kind: Identity}, `{"Version":"2012-10-17","Statement":[]}`, CodeMalformed, MsgSyntax},
		{"unknown element", Rules{Kind: Identity}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Foo":"x"}}`, CodeMalformed, MsgSyntax},
		{"unknown operator", Rules{Kind: Identity}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEqual":{"aws:username":"a"}}}}`, CodeMalformed, MsgSyntax},
		{"unknown operator with empty body", Rules{Kind: Identity}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEqual":{}}}}`, "", ""},
		{"principal", Rules{Kind: Identity}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}`, CodeMalformed, MsgNoPrincipalAllowed},
		{"managed without version", Rules{Kind: Identity, Managed: true}, `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, CodeMalformed, MsgVersion},
		{"managed 2008", Rules{Kind: Identity, Managed: true}, `{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, CodeMalformed, MsgVersion},
		{"inline 2008 is fine", Rules{Kind: Identity}, `{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, "", ""},
		{"boundary is managed", Rules{Kind: Boundary}, `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, CodeMalformed, MsgVersion},
		{"effect case", Rules{Kind: Identity}, `{"Version":"2012-10-17","Statement":{"Effect":"allow","Action":"*","Resource":"*"}}`, CodeMalformed, MsgLegacy},
		{"bad date", Rules{Kind: Identity}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"2024-13-01"}}}}`, CodeMalformed, MsgLegacy},
		{"short ARN", Rules{Kind: Identity}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3::bucket"}}`, CodeMalformed, MsgLegacy},
		{"duplicate sid", Rules{Kind: Identity}, `{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"A","Effect":"Deny","Action":"*","Resource":"*"}]}`, CodeMalformed, MsgDuplicateSid},
		{"sid charset", Rules{Kind: Identity}, `{"Version":"2012-10-17","Statement":{"Sid":"Read-Only","Effect":"Allow","Action":"*","Resource":"*"}}`, CodeMalformed, MsgSidCharset},
		{"no actions", Rules{Kind: Identity}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Resource":"*"}}`, CodeMalformed, MsgNoActions},
		{"empty actions", Rules{Kind: Identity}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":[],"Resource":"*"}}`, CodeMalformed, MsgNoActions},
		{"no resources", Rules{Kind: Identity}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*"}}`, CodeMalformed, MsgNoResources},
		{"session needs resources", Rules{Kind: Session}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*"}}`, CodeMalformed, MsgNoResources},
		{"resource not an ARN", Rules{Kind: Identity}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"bucket"}}`, CodeMalformed, `Resource bucket must be in ARN format or "*".`},
		{"bad partition", Rules{Kind: Identity}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"arn:foo:s3:::b"}}`, CodeMalformed, `Partition "foo" is not valid for resource "arn:foo:s3:::b".`},
		{"bad partition short", Rules{Kind: Identity}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"arn:foo"}}`, CodeMalformed, `Partition "foo" is not valid for resource "arn:foo:*:*:*:*".`},
		{"wildcard vendor", Rules{Kind: Identity}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:s*:::b"}}`, CodeMalformed, MsgResourceVendor},
		{"iam region", Rules{Kind: Identity}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:iam:us-east-1:111122223333:user/a"}}`, CodeMalformed, "IAM resource arn:aws:iam:us-east-1:111122223333:user/a cannot contain region information."},
		{"iam path", Rules{Kind: Identity}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:iam::111122223333:u*"}}`, CodeMalformed, `IAM resource path must either be "*" or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.`},
		{"s3 region", Rules{Kind: Identity}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:us-east-1::b"}}`, CodeMalformed, "Resource arn:aws:s3:us-east-1::b can not contain region information."},
		{"action without vendor", Rules{Kind: Identity}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"GetObject","Resource":"*"}}`, CodeMalformed, MsgActionVendor},
		{"action with two colons", Rules{Kind: Identity}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:Get:Object","Resource":"*"}}`, CodeMalformed, MsgActionColons},
		{"bad vendor", Rules{Kind: Identity}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s_3:GetObject","Resource":"*"}}`, CodeMalformed, "Vendor s_3 is not valid"},
		{"unknown action is accepted", Rules{Kind: Identity}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"fsx:ListBucket","Resource":"*"}}`, "", ""},
		{"condition key without vendor", Rules{Kind: Identity}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"username":"a"}}}}`, CodeMalformed, MsgActionVendor},
		{"character set", Rules{Kind: Identity}, "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"arn:aws:s3:::\u20ac\"}}", CodeValidation, "1 validation error detected: Value at 'policyDocument' failed to satisfy constraint: " + MsgCharset},
		{"managed size", Rules{Kind: Identity, Managed: true}, bigPolicy(6145), CodeLimitExceeded, "Cannot exceed quota for PolicySize: 6144"},
		{"managed size at the limit", Rules{Kind: Identity, Managed: true}, bigPolicy(6144), "", ""},
	}
	runValidateCases(t, tests)
}

func TestValidateTrust(t *testing.T) {
	tests := []validateCase{
		{"valid", Rules{Kind: Trust}, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x"}}},{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]},{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}`, "", ""},
		{"bad JSON", Rules{Kind: Trust}, `{"Version":`, CodeMalformed, MsgInvalidJSON},
		{"empty statement", Rules{Kind: Trust}, `{"Version":"2012-10-17","Statement":[]}`, CodeMalformed, MsgEmptyStatement},
		{"missing principal", Rules{Kind: Trust}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole"}}`, CodeMalformed, MsgTrustNoPrincipal},
		{"empty principal", Rules{Kind: Trust}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{},"Action":"sts:AssumeRole"}}`, CodeMalformed, MsgTrustEmptyPrincipal},
		{"resource", Rules{Kind: Trust}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Resource":"*"}}`, CodeMalformed, MsgTrustResource},
		{"not resource", Rules{Kind: Trust}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","NotResource":"*"}}`, CodeMalformed, MsgTrustNotResource},
		{"non-STS action", Rules{Kind: Trust}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"*"}}`, CodeMalformed, MsgTrustActions},
		{"other STS action", Rules{Kind: Trust}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:GetCallerIdentity"}}`, CodeMalformed, MsgTrustActions},
		{"STS wildcard covering assume", Rules{Kind: Trust}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole*"}}`, "", ""},
		{"allow NotPrincipal", Rules{Kind: Trust}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotPrincipal":{"AWS":"*"},"Action":"sts:AssumeRole"}}`, CodeMalformed, MsgAllowNotPrincipal},
		{"wildcard session principal", Rules{Kind: Trust}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::123456789012:assumed-role/PowerUser/*"},"Action":"sts:AssumeRole"}}`, CodeMalformed, `Invalid principal in policy: "AWS":"arn:aws:sts::123456789012:assumed-role/PowerUser/*"`},
		{"wildcard account principal", Rules{Kind: Trust}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::*:role/x"},"Action":"sts:AssumeRole"}}`, CodeMalformed, `Invalid principal in policy: "AWS":"arn:aws:iam::*:role/x"`},
		{"group principal", Rules{Kind: Trust}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:group/devs"},"Action":"sts:AssumeRole"}}`, CodeMalformed, `Invalid principal in policy: "AWS":"arn:aws:iam::111122223333:group/devs"`},
		{"size", Rules{Kind: Trust}, bigTrust(2049), CodeLimitExceeded, "Cannot exceed quota for ACLSizePerRole: 2048"},
		{"raised size", Rules{Kind: Trust, MaxSize: 4096}, bigTrust(2049), "", ""},
	}
	runValidateCases(t, tests)
}

func TestValidateResourceAndOrgs(t *testing.T) {
	tests := []validateCase{
		{"bucket policy sid with punctuation", Rules{Kind: Resource}, `{"Version":"2012-10-17","Statement":{"Sid":"Public-Read 1","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`, "", ""},
		{"bucket policy", Rules{Kind: Resource}, `{"Version":"2012-10-17","Statement":{"Sid":"Public","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`, "", ""},
		{"bucket policy bad JSON", Rules{Kind: Resource}, `{"Version"`, CodeMalformedS3, MsgInvalidJSON},
		{"bucket policy not an object", Rules{Kind: Resource}, `[1]`, CodeMalformedS3, MsgS3FirstByte},
		{"bucket policy unknown field", Rules{Kind: Resource}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","condition":{}}}`, CodeMalformedS3, "Unknown field condition"},
		{"bucket policy no principal", Rules{Kind: Resource}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`, CodeMalformedS3, MsgTrustNoPrincipal},
		{"bucket policy no statement", Rules{Kind: Resource}, `{"Version":"2012-10-17"}`, CodeMalformedS3, MsgS3NoStatement},
		{"bucket policy bad principal", Rules{Kind: Resource}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::*:user/x"},"Action":"s3:*"}}`, CodeMalformedS3, MsgS3InvalidPrincipal},
		{"bucket policy bad action", Rules{Kind: Resource}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"GetObject"}}`, CodeMalformedS3, MsgS3InvalidAction},
		{"bucket policy bad resource", Rules{Kind: Resource}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"bucket/*"}}`, CodeMalformedS3, MsgS3InvalidResource},
		{"scp", Rules{Kind: SCP}, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["eu-west-1"]}}}]}`, "", ""},
		{"scp principal", Rules{Kind: SCP}, `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"*","Resource":"*"}}`, CodeMalformedOrgs, MsgOrgs},
		{"scp version", Rules{Kind: SCP}, `{"Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}`, CodeMalformedOrgs, MsgOrgs},
		{"scp bad JSON", Rules{Kind: SCP}, `{`, CodeMalformedOrgs, MsgOrgs},
		{"scp size counts whitespace", Rules{Kind: SCP}, `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}` + strings.Repeat(" ", 5120), CodeConstraintOrgs, MsgOrgsTooLarge},
		{"rcp", Rules{Kind: RCP}, `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"BoolIfExists":{"aws:SecureTransport":"false"}}}}`, "", ""},
		{"rcp full access", Rules{Kind: RCP}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}`, "", ""},
		{"rcp allow", Rules{Kind: RCP}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}`, CodeMalformedOrgs, MsgOrgs},
		{"rcp named principal", Rules{Kind: RCP}, `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"}}`, CodeMalformedOrgs, MsgOrgs},
		{"rcp NotAction", Rules{Kind: RCP}, `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","NotAction":"s3:*","Resource":"*"}}`, CodeMalformedOrgs, MsgOrgs},
		{"bucket policy size", Rules{Kind: Resource, MaxSize: 20480}, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}` + strings.Repeat(" ", 20480), CodePolicyTooLarge, MsgPolicyTooLarge},
		{"session size", Rules{Kind: Session}, bigPolicy(2049), CodeValidation, "1 validation error detected: Value at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048"},
	}
	runValidateCases(t, tests)
}

func runValidateCases(t *testing.T, tests []validateCase) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Validate([]byte(tc.doc), tc.rules)
			if tc.msg == "" {
				if err != nil || d == nil {
					t.Fatalf("Validate = %v, want valid", err)
				}
				return
			}
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("Validate err = %v, want *Error %q", err, tc.msg)
			}
			if pe.Code != tc.code || pe.Message != tc.msg {
				t.Errorf("Validate = %s %q\nwant       %s %q", pe.Code, pe.Message, tc.code, tc.msg)
			}
		})
	}
}

// bigPolicy returns a valid identity policy of exactly n non-whitespace characters.
func bigPolicy(n int) string {
	head := `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::`
	tail := `"}}`
	pad := n - Size([]byte(head+tail))
	return head + strings.Repeat("k", pad) + tail
}

func bigTrust(n int) string {
	head := `{"Version":"2012-10-17","Statement":{"Sid":"`
	tail := `","Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}}`
	return head + strings.Repeat("x", n-len(head)-len(tail)) + tail
}

func TestSize(t *testing.T) {
	if got := Size([]byte("{ \"a\" :\t\"b c\"\n}")); got != 10 {
		t.Errorf("Size = %d, want 10", got)
	}
	if got := Size([]byte(`"é"`)); got != 3 {
		t.Errorf("Size counts bytes, not characters: %d", got)
	}
}
