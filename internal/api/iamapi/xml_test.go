package iamapi

import (
	"encoding/base64"
	"net/url"
	"strings"
	"testing"
	"time"

	"rolegate/internal/api/query"
	"rolegate/internal/totp"
)

func TestResultXML(t *testing.T) {
	f := newFixture(t)
	encTrust := query.Escape(trustDoc)
	encPerm := query.Escape(permDoc)
	if back, err := url.QueryUnescape(encPerm); err != nil || back != permDoc {
		t.Fatalf("encoded documents do not round-trip: %v", err)
	}
	f.must("CreatePolicy", "PolicyName", "bound", "PolicyDocument", permDoc)
	created := f.must("CreateRole", "RoleName", "app", "Path", "/svc/", "AssumeRolePolicyDocument", trustDoc,
		"Description", "the app", "MaxSessionDuration", "7200", "PermissionsBoundary", policyARNOf("/", "bound"))
	f.must("TagRole", "RoleName", "app", "Tags.member.1.Key", "env", "Tags.member.1.Value", "prod")
	f.must("CreateUser", "UserName", "alice")
	f.must("TagUser", "UserName", "alice", "Tags.member.1.Key", "team", "Tags.member.1.Value", "blue")

	t.Run("CreateRole", func(t *testing.T) {
		contains(t, created, "<CreateRoleResult><Role><Path>/svc/</Path><RoleName>app</RoleName><RoleId>AROA",
			"<Arn>arn:aws:iam::"+acct+":role/svc/app</Arn><CreateDate>2024-05-06T07:08:09Z</CreateDate>",
			"<AssumeRolePolicyDocument>"+encTrust+"</AssumeRolePolicyDocument>", "<Description>the app</Description>",
			"<MaxSessionDuration>7200</MaxSessionDuration>")
		lacks(t, created, "<RoleLastUsed>")
	})
	t.Run("GetRole", func(t *testing.T) {
		doc := f.must("GetRole", "RoleName", "app")
		contains(t, doc, "<AssumeRolePolicyDocument>"+encTrust+"</AssumeRolePolicyDocument>",
			"<PermissionsBoundary><PermissionsBoundaryType>PermissionsBoundaryPolicy</PermissionsBoundaryType><PermissionsBoundaryArn>"+
				policyARNOf("/", "bound")+"</PermissionsBoundaryArn></PermissionsBoundary>",
			"<Tags><member><Key>env</Key><Value>prod</Value></member></Tags>", "<RoleLastUsed></RoleLastUsed>")
		lacks(t, doc, "%7B%22Version%22+", "<LastUsedDate>")
	})
	t.Run("ListRoles omits tags, boundary and last use", func(t *testing.T) {
		doc := f.must("ListRoles")
		contains(t, doc, "<Roles><member><Path>/svc/</Path>", "<AssumeRolePolicyDocument>"+encTrust, "<IsTruncated>false</IsTruncated>")
		lacks(t, doc, "<Tags>", "<PermissionsBoundary>", "<RoleLastUsed>", "<Marker>")
	})
	t.Run("ListUsers omits tags, GetUser has them", func(t *testing.T) {
		lacks(t, f.must("ListUsers"), "<Tags>")
		contains(t, f.must("GetUser", "UserName", "alice"), "<Tags><member><Key>team</Key><Value>blue</Value></member></Tags>")
	})
	t.Run("UpdateRole has an empty result", func(t *testing.T) {
		doc := f.must("UpdateRole", "RoleName", "app", "MaxSessionDuration", "3600")
		contains(t, doc, "<UpdateRoleResult></UpdateRoleResult>")
		contains(t, f.must("GetRole", "RoleName", "app"), "<MaxSessionDuration>3600</MaxSessionDuration>", "<Description>the app</Description>")
	})
	t.Run("UpdateRoleDescription returns the role", func(t *testing.T) {
		doc := f.must("UpdateRoleDescription", "RoleName", "app", "Description", "new")
		contains(t, doc, "<UpdateRoleDescriptionResult><Role>", "<Description>new</Description>")
	})
	t.Run("operations without output", func(t *testing.T) {
		doc := f.must("UpdateAssumeRolePolicy", "RoleName", "app", "PolicyDocument", trustDoc)
		contains(t, doc, "<UpdateAssumeRolePolicyResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><ResponseMetadata>")
		lacks(t, doc, "Result>")
	})
	t.Run("inline policy", func(t *testing.T) {
		f.must("PutUserPolicy", "UserName", "ALICE", "PolicyName", "inl", "PolicyDocument", permDoc)
		doc := f.must("GetUserPolicy", "UserName", "alice", "PolicyName", "inl")
		contains(t, doc, "<GetUserPolicyResult><UserName>alice</UserName><PolicyName>inl</PolicyName><PolicyDocument>"+encPerm+
			"</PolicyDocument></GetUserPolicyResult>")
		contains(t, f.must("ListUserPolicies", "UserName", "alice"), "<PolicyNames><member>inl</member></PolicyNames>")
		f.must("PutRolePolicy", "RoleName", "app", "PolicyName", "r", "PolicyDocument", permDoc)
		contains(t, f.must("GetRolePolicy", "RoleName", "app", "PolicyName", "r"), "<RoleName>app</RoleName><PolicyName>r</PolicyName>")
	})
	t.Run("managed policy", func(t *testing.T) {
		doc := f.must("CreatePolicy", "PolicyName", "p", "Path", "/pp/", "PolicyDocument", permDoc, "Description", "words")
		contains(t, doc, "<PolicyName>p</PolicyName><PolicyId>ANPA", "<DefaultVersionId>v1</DefaultVersionId><AttachmentCount>0</AttachmentCount>",
			"<PermissionsBoundaryUsageCount>0</PermissionsBoundaryUsageCount><IsAttachable>true</IsAttachable>")
		lacks(t, doc, "<Description>")
		contains(t, f.must("GetPolicy", "PolicyArn", policyARNOf("/pp/", "p")), "<Description>words</Description>")
		contains(t, f.must("GetPolicy", "PolicyArn", policyARNOf("/", "bound")), "<PermissionsBoundaryUsageCount>1</PermissionsBoundaryUsageCount>")
		lacks(t, f.must("ListPolicies"), "<Description>")
		v := f.must("CreatePolicyVersion", "PolicyArn", policyARNOf("/pp/", "p"), "PolicyDocument", trustDoc)
		contains(t, v, "<PolicyVersion><VersionId>v2</VersionId><IsDefaultVersion>false</IsDefaultVersion>")
		lacks(t, v, "<Document>")
		contains(t, f.must("GetPolicyVersion", "PolicyArn", policyARNOf("/pp/", "p"), "VersionId", "v2"),
			"<Document>"+encTrust+"</Document><VersionId>v2</VersionId><IsDefaultVersion>false</IsDefaultVersion>")
		vs := f.must("ListPolicyVersions", "PolicyArn", policyARNOf("/pp/", "p"))
		if got := elements(vs, "VersionId"); strings.Join(got, ",") != "v2,v1" {
			t.Errorf("versions newest first = %v", got)
		}
		lacks(t, vs, "<Document>")
	})
	t.Run("instance profile roles always present", func(t *testing.T) {
		doc := f.must("CreateInstanceProfile", "InstanceProfileName", "ip", "Path", "/i/")
		contains(t, doc, "<InstanceProfileName>ip</InstanceProfileName><InstanceProfileId>AIPA", "<Roles></Roles>")
		if err := f.api.IAM.AddRoleToInstanceProfile(ctxBG, acct, "ip", "app"); err != nil {
			t.Fatal(err)
		}
		doc = f.must("GetInstanceProfile", "InstanceProfileName", "ip")
		contains(t, doc, "<Roles><member><Path>/svc/</Path><RoleName>app</RoleName>", "<AssumeRolePolicyDocument>"+encTrust)
		contains(t, f.must("ListInstanceProfilesForRole", "RoleName", "app"), "<InstanceProfiles><member><Path>/i/</Path>")
	})
	t.Run("access key", func(t *testing.T) {
		doc := f.must("CreateAccessKey", "UserName", "alice")
		secret := elements(doc, "SecretAccessKey")
		if len(secret) != 1 || len(secret[0]) != 40 {
			t.Fatalf("secret = %q", secret)
		}
		contains(t, doc, "<UserName>alice</UserName><AccessKeyId>AKIA", "<Status>Active</Status>")
		id := elements(doc, "AccessKeyId")[0]
		last := f.must("GetAccessKeyLastUsed", "AccessKeyId", id)
		contains(t, last, "<UserName>alice</UserName><AccessKeyLastUsed><ServiceName>N/A</ServiceName><Region>N/A</Region></AccessKeyLastUsed>")
		if err := f.api.IAM.RecordKeyUse(ctxBG, id, "s3", "eu-west-1", testNow); err != nil {
			t.Fatal(err)
		}
		contains(t, f.must("GetAccessKeyLastUsed", "AccessKeyId", id),
			"<LastUsedDate>2024-05-06T07:08:09Z</LastUsedDate><ServiceName>s3</ServiceName><Region>eu-west-1</Region>")
		list := f.must("ListAccessKeys", "UserName", "alice")
		contains(t, list, "<AccessKeyMetadata><member><UserName>alice</UserName><AccessKeyId>"+id)
		lacks(t, list, "SecretAccessKey")
		f.must("UpdateAccessKey", "UserName", "alice", "AccessKeyId", id, "Status", "Inactive")
		contains(t, f.must("ListAccessKeys", "UserName", "alice"), "<Status>Inactive</Status>")
		root := f.must("CreateAccessKey")
		lacks(t, root, "<UserName>")
		contains(t, f.must("ListAccessKeys"), "<AccessKeyId>"+elements(root, "AccessKeyId")[0])
	})
	t.Run("oidc provider", func(t *testing.T) {
		doc := f.must("CreateOpenIDConnectProvider", "Url", "https://token.example.com/")
		contains(t, doc, "<OpenIDConnectProviderArn>arn:aws:iam::"+acct+":oidc-provider/token.example.com</OpenIDConnectProviderArn>")
		pa := "arn:aws:iam::" + acct + ":oidc-provider/token.example.com"
		get := f.must("GetOpenIDConnectProvider", "OpenIDConnectProviderArn", pa)
		contains(t, get, "<Url>token.example.com</Url><ClientIDList></ClientIDList><ThumbprintList></ThumbprintList><CreateDate>")
		f.must("AddClientIDToOpenIDConnectProvider", "OpenIDConnectProviderArn", pa, "ClientID", "sts.amazonaws.com")
		f.must("AddClientIDToOpenIDConnectProvider", "OpenIDConnectProviderArn", pa, "ClientID", "sts.amazonaws.com")
		f.must("UpdateOpenIDConnectProviderThumbprint", "OpenIDConnectProviderArn", pa, "ThumbprintList.member.1", strings.Repeat("ab", 20))
		get = f.must("GetOpenIDConnectProvider", "OpenIDConnectProviderArn", pa)
		contains(t, get, "<ClientIDList><member>sts.amazonaws.com</member></ClientIDList><ThumbprintList><member>"+strings.Repeat("ab", 20))
		f.must("RemoveClientIDFromOpenIDConnectProvider", "OpenIDConnectProviderArn", pa, "ClientID", "sts.amazonaws.com")
		f.must("RemoveClientIDFromOpenIDConnectProvider", "OpenIDConnectProviderArn", pa, "ClientID", "absent")
		f.must("TagOpenIDConnectProvider", "OpenIDConnectProviderArn", pa, "Tags.member.1.Key", "a", "Tags.member.1.Value", "1")
		contains(t, f.must("ListOpenIDConnectProviderTags", "OpenIDConnectProviderArn", pa), "<Tags><member><Key>a</Key><Value>1</Value></member></Tags>")
		f.must("UntagOpenIDConnectProvider", "OpenIDConnectProviderArn", pa, "TagKeys.member.1", "A")
		get = f.must("GetOpenIDConnectProvider", "OpenIDConnectProviderArn", pa)
		contains(t, get, "<ClientIDList></ClientIDList>")
		lacks(t, get, "<Tags>")
		contains(t, f.must("ListOpenIDConnectProviders"), "<OpenIDConnectProviderList><member><Arn>"+pa+"</Arn></member></OpenIDConnectProviderList>")
		f.must("DeleteOpenIDConnectProvider", "OpenIDConnectProviderArn", pa)
		contains(t, f.must("ListOpenIDConnectProviders"), "<OpenIDConnectProviderList></OpenIDConnectProviderList>")
	})
	t.Run("account summary", func(t *testing.T) {
		doc := f.must("GetAccountSummary")
		contains(t, doc, "<SummaryMap><entry><key>Users</key><value>1</value></entry><entry><key>UsersQuota</key><value>5000</value></entry>",
			"<entry><key>Roles</key><value>1</value></entry>", "<entry><key>Policies</key><value>2</value></entry>",
			"<entry><key>InstanceProfiles</key><value>1</value></entry>", "<entry><key>AccountAccessKeysPresent</key><value>1</value></entry>",
			"<entry><key>Providers</key><value>0</value></entry>")
	})
	t.Run("empty credential listings", func(t *testing.T) {
		contains(t, f.must("ListSSHPublicKeys", "UserName", "alice"), "<ListSSHPublicKeysResult><SSHPublicKeys></SSHPublicKeys><IsTruncated>false</IsTruncated></ListSSHPublicKeysResult>")
		contains(t, f.must("ListSigningCertificates", "UserName", "alice"), "<Certificates></Certificates><IsTruncated>false</IsTruncated>")
		contains(t, f.must("ListServiceSpecificCredentials", "UserName", "alice"), "<ServiceSpecificCredentials></ServiceSpecificCredentials>")
	})
	t.Run("authorization details", func(t *testing.T) {
		doc := f.must("GetAccountAuthorizationDetails")
		contains(t, doc, "<UserDetailList><member><Path>/</Path><UserName>alice</UserName>",
			"<UserPolicyList><member><PolicyName>inl</PolicyName><PolicyDocument>"+encPerm+"</PolicyDocument></member></UserPolicyList>",
			"<RoleDetailList><member><Path>/svc/</Path><RoleName>app</RoleName>", "<AssumeRolePolicyDocument>"+encTrust,
			"<InstanceProfileList><member><Path>/i/</Path><InstanceProfileName>ip</InstanceProfileName>",
			"<PolicyVersionList><member><Document>"+encPerm+"</Document><VersionId>v1</VersionId><IsDefaultVersion>true</IsDefaultVersion>",
			"<GroupDetailList></GroupDetailList>")
		only := f.must("GetAccountAuthorizationDetails", "Filter.member.1", "Role")
		contains(t, only, "<UserDetailList></UserDetailList>", "<RoleDetailList><member>", "<Policies></Policies>")
	})
}

func TestVirtualMFALifecycle(t *testing.T) {
	f := newFixture(t)
	f.must("CreateUser", "UserName", "bob")
	doc := f.must("CreateVirtualMFADevice", "VirtualMFADeviceName", "bob-phone")
	serial := "arn:aws:iam::" + acct + ":mfa/bob-phone"
	contains(t, doc, "<SerialNumber>"+serial+"</SerialNumber>")
	lacks(t, doc, "QRCodePNG")
	raw, err := base64.StdEncoding.DecodeString(elements(doc, "Base32StringSeed")[0])
	if err != nil || len(raw) != 64 {
		t.Fatalf("Base32StringSeed decodes to %q, %v; want 64 base32 characters", raw, err)
	}
	seed := string(raw)
	code := func(step int64) string {
		c, err := totp.Code(seed, time.Unix(step*30, 0))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	step := testNow.Unix() / 30
	enable := func(c1, c2 string) error {
		_, err := f.run("EnableMFADevice", "UserName", "bob", "SerialNumber", serial, "AuthenticationCode1", c1, "AuthenticationCode2", c2)
		return err
	}
	for _, bad := range [][2]string{
		{code(step), code(step)},           // the same code twice
		{code(step), code(step - 1)},       // reversed
		{code(step - 30), code(step - 29)}, // stale: outside the drift window
		{"000000", code(step)},             // wrong
		{code(step - 2), code(step)},       // not consecutive
	} {
		e := awsErr(t, enable(bad[0], bad[1]), "InvalidAuthenticationCode", "Authentication code for device is not valid.")
		if e.Status != 403 {
			t.Errorf("status = %d, want 403", e.Status)
		}
	}
	unassigned := f.must("ListVirtualMFADevices", "AssignmentStatus", "Unassigned")
	contains(t, unassigned, "<SerialNumber>"+serial+"</SerialNumber>")
	lacks(t, unassigned, "Base32StringSeed", "<User>")
	if err := enable(code(step-1), code(step)); err != nil {
		t.Fatalf("consecutive codes refused: %v", err)
	}
	contains(t, f.must("ListMFADevices", "UserName", "bob"),
		"<MFADevices><member><UserName>bob</UserName><SerialNumber>"+serial+"</SerialNumber><EnableDate>2024-05-06T07:08:09Z</EnableDate>")
	assigned := f.must("ListVirtualMFADevices", "AssignmentStatus", "Assigned")
	contains(t, assigned, "<User><Path>/</Path><UserName>bob</UserName>", "<EnableDate>2024-05-06T07:08:09Z</EnableDate>")
	lacks(t, f.must("ListVirtualMFADevices", "AssignmentStatus", "Unassigned"), serial)
	_, err = f.run("DeleteVirtualMFADevice", "SerialNumber", serial)
	awsErr(t, err, "DeleteConflict", "MFA device is already in use.")
	_, err = f.run("DeleteUser", "UserName", "bob")
	awsErr(t, err, "DeleteConflict", "Cannot delete entity, must delete MFA device first.")
	f.must("DeactivateMFADevice", "UserName", "bob", "SerialNumber", serial)
	f.must("DeleteVirtualMFADevice", "SerialNumber", serial)
	f.must("DeleteUser", "UserName", "bob")
	contains(t, f.must("ListVirtualMFADevices"), "<VirtualMFADevices></VirtualMFADevices>")

}

func TestLoginProfileNeverEchoesPassword(t *testing.T) {
	f := newFixture(t)
	f.must("CreateUser", "UserName", "carol")
	const pw = "Tr0ub4dor&3-horse"
	doc := f.must("CreateLoginProfile", "UserName", "carol", "Password", pw, "PasswordResetRequired", "true")
	contains(t, doc, "<LoginProfile><UserName>carol</UserName><CreateDate>2024-05-06T07:08:09Z</CreateDate><PasswordResetRequired>true</PasswordResetRequired></LoginProfile>")
	lacks(t, doc, pw, "Password>"+pw)
	f.must("UpdateLoginProfile", "UserName", "carol", "Password", "other-"+pw, "PasswordResetRequired", "false")
	as := userID("/", "carol")
	res, err := f.runAs(as, "GetLoginProfile")
	if err != nil {
		t.Fatal(err)
	}
	got := xmlOf(t, "GetLoginProfile", res)
	contains(t, got, "<PasswordResetRequired>false</PasswordResetRequired>")
	lacks(t, got, pw)
	_, err = f.run("CreateLoginProfile", "UserName", "carol", "Password", pw)
	awsErr(t, err, "EntityAlreadyExists", "Login Profile for user carol already exists.")
	_, err = f.run("GetLoginProfile")
	awsErr(t, err, "ValidationError", "Must specify userName when calling with non-User credentials")
	f.must("DeleteLoginProfile", "UserName", "carol")
	_, err = f.run("GetLoginProfile", "UserName", "carol")
	awsErr(t, err, "NoSuchEntity", "Login Profile for User carol cannot be found.")
}
