package iamapi

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"rolegate/internal/authn"
	"rolegate/internal/gate"
)

// world creates one of each entity, with paths, tags and boundaries, for the authorization tests.
func world(f *fixture) {
	f.t.Helper()
	f.must("CreatePolicy", "PolicyName", "bound", "Path", "/b/", "PolicyDocument", permDoc)
	f.must("CreatePolicy", "PolicyName", "perm", "Path", "/pp/", "PolicyDocument", permDoc, "Description", "permissions")
	f.must("CreateUser", "UserName", "alice", "Path", "/eng/", "PermissionsBoundary", policyARNOf("/b/", "bound"))
	f.must("CreateGroup", "GroupName", "devs", "Path", "/g/")
	f.must("CreateRole", "RoleName", "app", "Path", "/svc/", "AssumeRolePolicyDocument", trustDoc,
		"PermissionsBoundary", policyARNOf("/b/", "bound"))
	f.must("CreateInstanceProfile", "InstanceProfileName", "prof", "Path", "/ip/")
	f.must("CreateOpenIDConnectProvider", "Url", "https://token.example.com", "ClientIDList.member.1", "sts.amazonaws.com")
	f.must("CreateVirtualMFADevice", "VirtualMFADeviceName", "dev", "Path", "/m/")
	// Tags are added with Tag* (a create call with tags asks the gate for the Tag action too).
	f.must("TagUser", "UserName", "alice", "Tags.member.1.Key", "team", "Tags.member.1.Value", "blue")
	f.must("TagPolicy", "PolicyArn", policyARNOf("/pp/", "perm"), "Tags.member.1.Key", "owner", "Tags.member.1.Value", "sec")
	f.must("TagRole", "RoleName", "app", "Tags.member.1.Key", "env", "Tags.member.1.Value", "prod")
	f.must("TagInstanceProfile", "InstanceProfileName", "prof", "Tags.member.1.Key", "tier", "Tags.member.1.Value", "web")
	f.must("TagOpenIDConnectProvider", "OpenIDConnectProviderArn", "arn:aws:iam::"+acct+":oidc-provider/token.example.com",
		"Tags.member.1.Key", "idp", "Tags.member.1.Value", "ci")
}

func TestResourcesAndConditionKeys(t *testing.T) {
	f := newFixture(t)
	world(f)
	keyRes, err := f.run("CreateAccessKey", "UserName", "alice")
	if err != nil {
		t.Fatal(err)
	}
	keyID := elements(xmlOf(t, "CreateAccessKey", keyRes), "AccessKeyId")[0]
	a := "arn:aws:iam::" + acct + ":"
	boundARN, permARN := policyARNOf("/b/", "bound"), policyARNOf("/pp/", "perm")
	oidcARN := a + "oidc-provider/token.example.com"
	alice := userID("/eng/", "alice")
	tests := []struct {
		name     string
		id       *authn.Identity
		op       string
		kv       []string
		action   string
		resource string
		tags     map[string]string
		keys     map[string][]string
		account  string
	}{
		{"get group", nil, "GetGroup", []string{"GroupName", "devs"}, "iam:GetGroup", a + "group/g/devs", nil, nil, ""},
		{"missing group at root path", nil, "DeleteGroup", []string{"GroupName", "nope"}, "iam:DeleteGroup", a + "group/nope", nil, nil, ""},
		{"add user to group is on the group", nil, "AddUserToGroup", []string{"GroupName", "devs", "UserName", "alice"}, "iam:AddUserToGroup", a + "group/g/devs", nil, nil, ""},
		{"groups for user", nil, "ListGroupsForUser", []string{"UserName", "alice"}, "iam:ListGroupsForUser", a + "user/eng/alice", map[string]string{"team": "blue"}, nil, ""},
		{"list groups prefix", nil, "ListGroups", []string{"PathPrefix", "/g/"}, "iam:ListGroups", a + "group/g/", nil, nil, ""},
		{"get role: tags, no boundary key", nil, "GetRole", []string{"RoleName", "app"}, "iam:GetRole", a + "role/svc/app", map[string]string{"env": "prod"}, nil, ""},
		{"list roles", nil, "ListRoles", nil, "iam:ListRoles", a + "role/", nil, nil, ""},
		{"create role with tags and boundary", nil, "CreateRole", []string{"RoleName", "new", "Path", "/x/", "AssumeRolePolicyDocument", trustDoc,
			"PermissionsBoundary", boundARN, "Tags.member.1.Key", "k", "Tags.member.1.Value", "v"}, "iam:CreateRole", a + "role/x/new", nil,
			map[string][]string{"aws:RequestTag/k": {"v"}, "aws:TagKeys": {"k"}, "iam:PermissionsBoundary": {boundARN}}, ""},
		{"put role boundary names the new one", nil, "PutRolePermissionsBoundary", []string{"RoleName", "app", "PermissionsBoundary", permARN},
			"iam:PutRolePermissionsBoundary", a + "role/svc/app", map[string]string{"env": "prod"}, map[string][]string{"iam:PermissionsBoundary": {permARN}}, ""},
		{"untag role", nil, "UntagRole", []string{"RoleName", "app", "TagKeys.member.1", "env"}, "iam:UntagRole", a + "role/svc/app",
			map[string]string{"env": "prod"}, map[string][]string{"aws:TagKeys": {"env"}}, ""},
		{"attach role policy", nil, "AttachRolePolicy", []string{"RoleName", "app", "PolicyArn", permARN}, "iam:AttachRolePolicy", a + "role/svc/app",
			map[string]string{"env": "prod"}, map[string][]string{"iam:PolicyARN": {permARN}, "iam:PermissionsBoundary": {boundARN}}, ""},
		{"detach group policy", nil, "DetachGroupPolicy", []string{"GroupName", "devs", "PolicyArn", permARN}, "iam:DetachGroupPolicy", a + "group/g/devs",
			nil, map[string][]string{"iam:PolicyARN": {permARN}}, ""},
		{"list attached user policies", nil, "ListAttachedUserPolicies", []string{"UserName", "alice"}, "iam:ListAttachedUserPolicies", a + "user/eng/alice",
			map[string]string{"team": "blue"}, nil, ""},
		{"put user policy", nil, "PutUserPolicy", []string{"UserName", "alice", "PolicyName", "i", "PolicyDocument", permDoc}, "iam:PutUserPolicy",
			a + "user/eng/alice", map[string]string{"team": "blue"}, map[string][]string{"iam:PermissionsBoundary": {boundARN}}, ""},
		{"get role policy", nil, "GetRolePolicy", []string{"RoleName", "app", "PolicyName", "i"}, "iam:GetRolePolicy", a + "role/svc/app", map[string]string{"env": "prod"}, nil, ""},
		{"get policy", nil, "GetPolicy", []string{"PolicyArn", permARN}, "iam:GetPolicy", permARN, map[string]string{"owner": "sec"}, nil, ""},
		{"tag policy", nil, "TagPolicy", []string{"PolicyArn", permARN, "Tags.member.1.Key", "a", "Tags.member.1.Value", "b"}, "iam:TagPolicy", permARN,
			map[string]string{"owner": "sec"}, map[string][]string{"aws:RequestTag/a": {"b"}, "aws:TagKeys": {"a"}}, ""},
		{"another account's policy", nil, "GetPolicy", []string{"PolicyArn", "arn:aws:iam::210987654321:policy/x"}, "iam:GetPolicy",
			"arn:aws:iam::210987654321:policy/x", nil, nil, "210987654321"},
		{"list policies", nil, "ListPolicies", []string{"Scope", "Local"}, "iam:ListPolicies", "*", nil, nil, ""},
		{"entities for policy", nil, "ListEntitiesForPolicy", []string{"PolicyArn", permARN}, "iam:ListEntitiesForPolicy", permARN, map[string]string{"owner": "sec"}, nil, ""},
		{"own key as user", alice, "CreateAccessKey", nil, "iam:CreateAccessKey", a + "user/eng/alice", map[string]string{"team": "blue"}, nil, ""},
		{"own key as root", nil, "ListAccessKeys", nil, "iam:ListAccessKeys", a + "root", nil, nil, ""},
		{"key last used is on its owner", nil, "GetAccessKeyLastUsed", []string{"AccessKeyId", keyID}, "iam:GetAccessKeyLastUsed", a + "user/eng/alice",
			map[string]string{"team": "blue"}, nil, ""},
		{"unknown key", nil, "GetAccessKeyLastUsed", []string{"AccessKeyId", "AKIAUNKNOWNUNKNOWN"}, "iam:GetAccessKeyLastUsed", "*", nil, nil, ""},
		{"login profile", alice, "GetLoginProfile", nil, "iam:GetLoginProfile", a + "user/eng/alice", map[string]string{"team": "blue"}, nil, ""},
		{"instance profile", nil, "AddRoleToInstanceProfile", []string{"InstanceProfileName", "prof", "RoleName", "app"}, "iam:AddRoleToInstanceProfile",
			a + "instance-profile/ip/prof", map[string]string{"tier": "web"}, nil, ""},
		{"profiles for role", nil, "ListInstanceProfilesForRole", []string{"RoleName", "app"}, "iam:ListInstanceProfilesForRole", a + "role/svc/app",
			map[string]string{"env": "prod"}, nil, ""},
		{"list profiles", nil, "ListInstanceProfiles", []string{"PathPrefix", "/ip/"}, "iam:ListInstanceProfiles", a + "instance-profile/ip/", nil, nil, ""},
		{"oidc provider", nil, "AddClientIDToOpenIDConnectProvider", []string{"OpenIDConnectProviderArn", oidcARN, "ClientID", "x"},
			"iam:AddClientIDToOpenIDConnectProvider", oidcARN, map[string]string{"idp": "ci"}, nil, ""},
		{"untag oidc provider", nil, "UntagOpenIDConnectProvider", []string{"OpenIDConnectProviderArn", oidcARN, "TagKeys.member.1", "idp"},
			"iam:UntagOpenIDConnectProvider", oidcARN, map[string]string{"idp": "ci"}, map[string][]string{"aws:TagKeys": {"idp"}}, ""},
		{"list oidc providers", nil, "ListOpenIDConnectProviders", nil, "iam:ListOpenIDConnectProviders", "*", nil, nil, ""},
		{"create mfa device", nil, "CreateVirtualMFADevice", []string{"VirtualMFADeviceName", "d2", "Path", "/m/"}, "iam:CreateVirtualMFADevice", a + "mfa/m/d2", nil, nil, ""},
		{"delete mfa device", nil, "DeleteVirtualMFADevice", []string{"SerialNumber", a + "mfa/m/dev"}, "iam:DeleteVirtualMFADevice", a + "mfa/m/dev", nil, nil, ""},
		{"enable mfa is on the user", nil, "EnableMFADevice", []string{"UserName", "alice", "SerialNumber", a + "mfa/m/dev",
			"AuthenticationCode1", "123456", "AuthenticationCode2", "654321"}, "iam:EnableMFADevice", a + "user/eng/alice", map[string]string{"team": "blue"}, nil, ""},
		{"list virtual mfa devices", nil, "ListVirtualMFADevices", nil, "iam:ListVirtualMFADevices", "*", nil, nil, ""},
		{"authorization details", nil, "GetAccountAuthorizationDetails", nil, "iam:GetAccountAuthorizationDetails", "*", nil, nil, ""},
		{"summary", nil, "GetAccountSummary", nil, "iam:GetAccountSummary", "*", nil, nil, ""},
		{"password policy", nil, "GetAccountPasswordPolicy", nil, "iam:GetAccountPasswordPolicy", "*", nil, nil, ""},
		{"ssh keys of the caller", alice, "ListSSHPublicKeys", nil, "iam:ListSSHPublicKeys", a + "user/eng/alice", map[string]string{"team": "blue"}, nil, ""},
		{"service credentials of all users", nil, "ListServiceSpecificCredentials", []string{"AllUsers", "true"}, "iam:ListServiceSpecificCredentials", a + "user/", nil, nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id := tc.id
			if id == nil {
				id = rootID()
			}
			chk, work, err := f.prepare(id, tc.op, tc.kv...)
			if err != nil || work == nil {
				t.Fatalf("prepare: %v", err)
			}
			if chk.Action != tc.action || chk.Resource != tc.resource || chk.ResourceAccount != tc.account {
				t.Errorf("check = %s on %s (account %q), want %s on %s (account %q)", chk.Action, chk.Resource, chk.ResourceAccount,
					tc.action, tc.resource, tc.account)
			}
			if len(chk.ResourceTags) != 0 || len(tc.tags) != 0 {
				got := map[string]string{}
				for _, t := range chk.ResourceTags {
					got[t.Key] = t.Value
				}
				if !reflect.DeepEqual(got, tc.tags) {
					t.Errorf("resource tags = %v, want %v", chk.ResourceTags, tc.tags)
				}
			}
			if got := keyMap(chk.Keys); !reflect.DeepEqual(got, tc.keys) {
				t.Errorf("keys = %v, want %v", got, tc.keys)
			}
		})
	}
}

func keyMap(keys []gate.Key) map[string][]string {
	if len(keys) == 0 {
		return nil
	}
	m := map[string][]string{}
	for _, k := range keys {
		vs := append([]string(nil), k.Values...)
		sort.Strings(vs)
		m[k.Name] = vs
	}
	return m
}

// TestPrepareChangesNothing runs Prepare of every operation that changes something and checks the
// account's IAM generation did not move: all changes happen in the work.
func TestPrepareChangesNothing(t *testing.T) {
	f := newFixture(t)
	world(f)
	before := f.api.IAM.Generation(acct)
	for _, op := range f.svc.Ops() {
		if op.ReadOnly {
			continue
		}
		_, _, _ = f.prepare(rootID(), op.Name, "UserName", "alice", "GroupName", "devs", "RoleName", "app",
			"PolicyArn", policyARNOf("/pp/", "perm"), "PolicyName", "x", "PolicyDocument", permDoc,
			"InstanceProfileName", "prof", "AssumeRolePolicyDocument", trustDoc, "VersionId", "v1",
			"Tags.member.1.Key", "k", "Tags.member.1.Value", "v", "TagKeys.member.1", "k",
			"OpenIDConnectProviderArn", "arn:aws:iam::"+acct+":oidc-provider/token.example.com", "ClientID", "c",
			"Url", "https://other.example.com", "VirtualMFADeviceName", "d9", "Password", "pw", "Status", "Inactive",
			"AccessKeyId", "AKIAUNKNOWNUNKNOWN", "SerialNumber", "arn:aws:iam::"+acct+":mfa/m/dev",
			"AuthenticationCode1", "123456", "AuthenticationCode2", "234567", "Description", "d",
			"PermissionsBoundary", policyARNOf("/b/", "bound"), "ThumbprintList.member.1", strings.Repeat("a", 40))
	}
	if after := f.api.IAM.Generation(acct); after != before {
		t.Errorf("Prepare changed the account: generation %d -> %d", before, after)
	}
}

// TestExtraAuthorizationComesFirst checks that operations AWS authorizes twice (a create carrying
// tags needs the Tag action; AddRoleToInstanceProfile needs iam:PassRole; a rename needs the
// target) ask the gate before they change anything. The test gate is not wired, so asking it
// panics; the state must be unchanged afterwards.
func TestExtraAuthorizationComesFirst(t *testing.T) {
	f := newFixture(t)
	world(f)
	tests := []struct {
		op    string
		kv    []string
		check func() bool // reports whether the change happened
	}{
		{"CreateRole", []string{"RoleName", "tagged", "AssumeRolePolicyDocument", trustDoc, "Tags.member.1.Key", "k", "Tags.member.1.Value", "v"},
			func() bool { _, err := f.api.IAM.Role(ctxBG, acct, "tagged"); return err == nil }},
		{"CreatePolicy", []string{"PolicyName", "tagged", "PolicyDocument", permDoc, "Tags.member.1.Key", "k", "Tags.member.1.Value", "v"},
			func() bool { _, err := f.api.IAM.Policy(ctxBG, policyARNOf("/", "tagged")); return err == nil }},
		{"AddRoleToInstanceProfile", []string{"InstanceProfileName", "prof", "RoleName", "app"},
			func() bool { _, roles, _ := f.api.IAM.InstanceProfile(ctxBG, acct, "prof"); return len(roles) > 0 }},
		{"UpdateGroup", []string{"GroupName", "devs", "NewGroupName", "ops"},
			func() bool { _, err := f.api.IAM.Group(ctxBG, acct, "ops"); return err == nil }},
		{"UpdateUser", []string{"UserName", "alice", "NewPath", "/new/"},
			func() bool { u, _ := f.api.IAM.User(ctxBG, acct, "alice"); return u.Path == "/new/" }},
	}
	for _, tc := range tests {
		t.Run(tc.op, func(t *testing.T) {
			_, work, err := f.prepare(rootID(), tc.op, tc.kv...)
			if err != nil {
				t.Fatal(err)
			}
			func() {
				defer func() {
					if r := recover(); r == nil {
						t.Errorf("%s did not ask the gate", tc.op)
					}
				}()
				work()
			}()
			if tc.check() {
				t.Errorf("%s changed state before it was authorized", tc.op)
			}
		})
	}
}
