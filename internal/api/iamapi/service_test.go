package iamapi

import (
	"strings"
	"testing"

	"rolegate/internal/api/awserr"
)

func TestServiceHasEveryOperation(t *testing.T) {
	svc := (&API{}).Service()
	names := []string{
		// users
		"CreateUser", "GetUser", "ListUsers", "UpdateUser", "DeleteUser", "TagUser", "UntagUser", "ListUserTags",
		"PutUserPermissionsBoundary", "DeleteUserPermissionsBoundary",
		// groups
		"CreateGroup", "GetGroup", "ListGroups", "UpdateGroup", "DeleteGroup", "AddUserToGroup",
		"RemoveUserFromGroup", "ListGroupsForUser",
		// roles
		"CreateRole", "GetRole", "ListRoles", "UpdateRole", "UpdateRoleDescription", "UpdateAssumeRolePolicy",
		"DeleteRole", "TagRole", "UntagRole", "ListRoleTags", "PutRolePermissionsBoundary",
		"DeleteRolePermissionsBoundary",
		// managed policies
		"CreatePolicy", "GetPolicy", "ListPolicies", "DeletePolicy", "CreatePolicyVersion", "GetPolicyVersion",
		"ListPolicyVersions", "DeletePolicyVersion", "SetDefaultPolicyVersion", "TagPolicy", "UntagPolicy",
		"ListPolicyTags",
		// attachments
		"AttachUserPolicy", "AttachGroupPolicy", "AttachRolePolicy", "DetachUserPolicy", "DetachGroupPolicy",
		"DetachRolePolicy", "ListAttachedUserPolicies", "ListAttachedGroupPolicies", "ListAttachedRolePolicies",
		"ListEntitiesForPolicy",
		// inline policies
		"PutUserPolicy", "GetUserPolicy", "DeleteUserPolicy", "ListUserPolicies",
		"PutGroupPolicy", "GetGroupPolicy", "DeleteGroupPolicy", "ListGroupPolicies",
		"PutRolePolicy", "GetRolePolicy", "DeleteRolePolicy", "ListRolePolicies",
		// access keys
		"CreateAccessKey", "ListAccessKeys", "UpdateAccessKey", "DeleteAccessKey", "GetAccessKeyLastUsed",
		// login profiles
		"CreateLoginProfile", "GetLoginProfile", "UpdateLoginProfile", "DeleteLoginProfile",
		// instance profiles
		"CreateInstanceProfile", "GetInstanceProfile", "ListInstanceProfiles", "ListInstanceProfilesForRole",
		"AddRoleToInstanceProfile", "RemoveRoleFromInstanceProfile", "DeleteInstanceProfile",
		"TagInstanceProfile", "UntagInstanceProfile", "ListInstanceProfileTags",
		// OIDC providers
		"CreateOpenIDConnectProvider", "GetOpenIDConnectProvider", "ListOpenIDConnectProviders",
		"DeleteOpenIDConnectProvider", "AddClientIDToOpenIDConnectProvider",
		"RemoveClientIDFromOpenIDConnectProvider", "UpdateOpenIDConnectProviderThumbprint",
		"TagOpenIDConnectProvider", "UntagOpenIDConnectProvider", "ListOpenIDConnectProviderTags",
		// MFA devices
		"CreateVirtualMFADevice", "EnableMFADevice", "DeactivateMFADevice", "DeleteVirtualMFADevice",
		"ListMFADevices", "ListVirtualMFADevices",
		// account
		"GetAccountAuthorizationDetails", "GetAccountSummary", "ListSSHPublicKeys", "ListSigningCertificates",
		"ListServiceSpecificCredentials", "GetAccountPasswordPolicy",
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			op, ok := svc.Op(name)
			if !ok {
				t.Fatalf("operation %s missing", name)
			}
			if op.Public || op.Unsigned {
				t.Errorf("%s skips the gate", name)
			}
			wantRead := strings.HasPrefix(name, "Get") || strings.HasPrefix(name, "List")
			if op.ReadOnly != wantRead {
				t.Errorf("%s ReadOnly = %v, want %v", name, op.ReadOnly, wantRead)
			}
		})
	}
	if got := len(svc.Ops()); got != len(names) {
		t.Errorf("service has %d operations, the list names %d", got, len(names))
	}
}

func TestValidationMessages(t *testing.T) {
	long := strings.Repeat("a", 65)
	secret := strings.Repeat("p", 129)
	tests := []struct {
		name string
		op   string
		kv   []string
		code awserr.Code
		want string // the whole message
	}{
		{"group name pattern", "CreateGroup", []string{"GroupName", "bad name"}, awserr.ValidationError,
			`1 validation error detected: Value 'bad name' at 'groupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`},
		{"group path pattern", "CreateGroup", []string{"GroupName", "g", "Path", "nope"}, awserr.ValidationError,
			`1 validation error detected: Value 'nope' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\u002F)|(\u002F[\u0021-\u007E]+\u002F)`},
		{"role name length and missing trust", "CreateRole", []string{"RoleName", long}, awserr.ValidationError,
			"2 validation errors detected: Value '" + long + "' at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64; " +
				"Value null at 'assumeRolePolicyDocument' failed to satisfy constraint: Member must not be null"},
		{"max session duration", "CreateRole", []string{"RoleName", "r", "AssumeRolePolicyDocument", trustDoc, "MaxSessionDuration", "100"}, awserr.ValidationError,
			"1 validation error detected: Value '100' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600"},
		{"role description characters", "UpdateRoleDescription", []string{"RoleName", "r", "Description", "bell\a"}, awserr.ValidationError,
			"1 validation error detected: Value 'bell\a' at 'description' failed to satisfy constraint: Member must satisfy regular expression pattern: " + roleDescriptionPattern},
		{"policy path", "CreatePolicy", []string{"PolicyName", "p", "PolicyDocument", permDoc, "Path", "/a//b/"}, awserr.ValidationError,
			"1 validation error detected: Value '/a//b/' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: ((/[A-Za-z0-9\\.,\\+@=_-]+)*)/"},
		{"scope enum", "ListPolicies", []string{"Scope", "Mine"}, awserr.ValidationError,
			"1 validation error detected: Value 'Mine' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]"},
		{"version id", "GetPolicyVersion", []string{"PolicyArn", policyARNOf("/", "p"), "VersionId", "v0"}, awserr.ValidationError,
			"1 validation error detected: Value 'v0' at 'versionId' failed to satisfy constraint: Member must satisfy regular expression pattern: " + versionIDPattern},
		{"max items", "ListGroups", []string{"MaxItems", "0"}, awserr.ValidationError,
			"1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"filter enum list", "GetAccountAuthorizationDetails", []string{"Filter.member.1", "User", "Filter.member.2", "Users"}, awserr.ValidationError,
			"1 validation error detected: Value '[User, Users]' at 'filter' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [User, Role, Group, LocalManagedPolicy, AWSManagedPolicy]]"},
		{"tag keys list", "UntagRole", []string{"RoleName", "r", "TagKeys.member.1", "ok", "TagKeys.member.2", "no!"}, awserr.ValidationError,
			`1 validation error detected: Value '[ok, no!]' at 'tagKeys' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+]`},
		{"thumbprint length", "CreateOpenIDConnectProvider", []string{"Url", "https://token.example.com", "ThumbprintList.member.1", "abc"}, awserr.ValidationError,
			"1 validation error detected: Value '[abc]' at 'thumbprintList' failed to satisfy constraint: Member must satisfy constraint: [Member must have length greater than or equal to 40]"},
		{"thumbprint hex", "CreateOpenIDConnectProvider", []string{"Url", "https://token.example.com", "ThumbprintList.member.1", strings.Repeat("g", 40)}, awserr.InvalidInput, ""},
		{"oidc url scheme", "CreateOpenIDConnectProvider", []string{"Url", "http://token.example.com"}, awserr.InvalidInput, ""},
		{"auth code", "EnableMFADevice", []string{"UserName", "u", "SerialNumber", "arn:aws:iam::123456789012:mfa/d", "AuthenticationCode1", "12345a", "AuthenticationCode2", "1234567"}, awserr.ValidationError,
			`2 validation errors detected: Value '12345a' at 'authenticationCode1' failed to satisfy constraint: Member must satisfy regular expression pattern: [\d]+; ` +
				"Value '1234567' at 'authenticationCode2' failed to satisfy constraint: Member must have length less than or equal to 6"},
		{"password is never quoted", "CreateLoginProfile", []string{"UserName", "bad name", "Password", secret}, awserr.ValidationError,
			`2 validation errors detected: Value 'bad name' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+; ` +
				"Value at 'password' failed to satisfy constraint: Member must have length less than or equal to 128"},
		{"password alone", "UpdateLoginProfile", []string{"UserName", "u", "Password", ""}, awserr.ValidationError,
			"1 validation error detected: Value at 'password' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"key status Expired", "UpdateAccessKey", []string{"AccessKeyId", "AKIAEXAMPLEEXAMPLE", "Status", "Expired"}, awserr.InvalidInput, ""},
		{"key id", "DeleteAccessKey", []string{"AccessKeyId", "AKIA-SHORT"}, awserr.ValidationError,
			"2 validation errors detected: Value 'AKIA-SHORT' at 'accessKeyId' failed to satisfy constraint: Member must have length greater than or equal to 16; " +
				`Value 'AKIA-SHORT' at 'accessKeyId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w]+`},
		{"policy arn shape", "AttachRolePolicy", []string{"RoleName", "r", "PolicyArn", "arn:aws:iam::123456789012:role/x"}, awserr.InvalidInput,
			"ARN arn:aws:iam::123456789012:role/x is not valid."},
		{"policy arn length", "GetPolicy", []string{"PolicyArn", "arn:aws:iam::1:p"}, awserr.ValidationError,
			"1 validation error detected: Value 'arn:aws:iam::1:p' at 'policyArn' failed to satisfy constraint: Member must have length greater than or equal to 20"},
		{"attach user name is userNameType", "AttachUserPolicy", []string{"UserName", long, "PolicyArn", policyARNOf("/", "p")}, awserr.ValidationError,
			"1 validation error detected: Value '" + long + "' at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64"},
		{"tag role needs tags", "TagRole", []string{"RoleName", "r"}, awserr.ValidationError,
			"1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null"},
		{"reserved tag key", "TagRole", []string{"RoleName", "r", "Tags.member.1.Key", "aws:x", "Tags.member.1.Value", "v"}, awserr.InvalidInput,
			"User-provided tag keys cannot start with 'aws:'."},
		{"usage filter", "ListEntitiesForPolicy", []string{"PolicyArn", policyARNOf("/", "p"), "PolicyUsageFilter", "Both"}, awserr.ValidationError,
			"1 validation error detected: Value 'Both' at 'policyUsageFilter' failed to satisfy constraint: Member must satisfy enum value set: [PermissionsPolicy, PermissionsBoundary]"},
		{"assignment status", "ListVirtualMFADevices", []string{"AssignmentStatus", "Some"}, awserr.ValidationError,
			"1 validation error detected: Value 'Some' at 'assignmentStatus' failed to satisfy constraint: Member must satisfy enum value set: [Assigned, Unassigned, Any]"},
	}
	f := newFixture(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := f.prepare(rootID(), tc.op, tc.kv...)
			e := awsErr(t, err, tc.code, tc.want)
			if strings.Contains(e.Message, secret) {
				t.Errorf("message quotes the password: %s", e.Message)
			}
		})
	}
}

func TestCallerDefaults(t *testing.T) {
	f := newFixture(t)
	for _, op := range []string{"CreateAccessKey", "ListAccessKeys", "ListMFADevices", "GetLoginProfile", "ListSSHPublicKeys"} {
		t.Run(op, func(t *testing.T) {
			_, _, err := f.prepare(roleSessionID(), op)
			awsErr(t, err, awserr.ValidationError, "Must specify userName when calling with non-User credentials")
		})
	}
}
