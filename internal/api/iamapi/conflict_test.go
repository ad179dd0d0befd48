package iamapi

import (
	"testing"

	"rolegate/internal/api/awserr"
)

func TestDeleteConflicts(t *testing.T) {
	tests := []struct {
		name  string
		setup [][]string // operations run as root first: op, then name/value pairs
		op    []string
		want  string
		// undo, run after the conflict, makes the delete succeed
		undo [][]string
	}{
		{"user with access keys",
			[][]string{{"CreateUser", "UserName", "u"}, {"CreateAccessKey", "UserName", "u"}},
			[]string{"DeleteUser", "UserName", "u"}, "Cannot delete entity, must delete access keys first.", nil},
		{"user with login profile",
			[][]string{{"CreateUser", "UserName", "u"}, {"CreateLoginProfile", "UserName", "u", "Password", "Secr3t!pass"}},
			[]string{"DeleteUser", "UserName", "u"}, "Cannot delete entity, must delete login profile first.",
			[][]string{{"DeleteLoginProfile", "UserName", "u"}}},
		{"user in a group",
			[][]string{{"CreateUser", "UserName", "u"}, {"CreateGroup", "GroupName", "g"}, {"AddUserToGroup", "GroupName", "g", "UserName", "u"}},
			[]string{"DeleteUser", "UserName", "u"}, "Cannot delete entity, must remove users from group first.",
			[][]string{{"RemoveUserFromGroup", "GroupName", "g", "UserName", "u"}}},
		{"group with members",
			[][]string{{"CreateUser", "UserName", "u"}, {"CreateGroup", "GroupName", "g"}, {"AddUserToGroup", "GroupName", "g", "UserName", "u"}},
			[]string{"DeleteGroup", "GroupName", "g"}, "Cannot delete entity, must remove users from group first.",
			[][]string{{"RemoveUserFromGroup", "GroupName", "g", "UserName", "u"}}},
		{"group with inline policy",
			[][]string{{"CreateGroup", "GroupName", "g"}, {"PutGroupPolicy", "GroupName", "g", "PolicyName", "p", "PolicyDocument", permDoc}},
			[]string{"DeleteGroup", "GroupName", "g"}, "Cannot delete entity, must delete policies first.",
			[][]string{{"DeleteGroupPolicy", "GroupName", "g", "PolicyName", "p"}}},
		{"role with attached policy",
			[][]string{{"CreateRole", "RoleName", "r", "AssumeRolePolicyDocument", trustDoc},
				{"CreatePolicy", "PolicyName", "p", "PolicyDocument", permDoc},
				{"AttachRolePolicy", "RoleName", "r", "PolicyArn", policyARNOf("/", "p")}},
			[]string{"DeleteRole", "RoleName", "r"}, "Cannot delete entity, must detach all policies first.",
			[][]string{{"DetachRolePolicy", "RoleName", "r", "PolicyArn", policyARNOf("/", "p")}}},
		{"attached policy",
			[][]string{{"CreateRole", "RoleName", "r", "AssumeRolePolicyDocument", trustDoc},
				{"CreatePolicy", "PolicyName", "p", "PolicyDocument", permDoc},
				{"AttachRolePolicy", "RoleName", "r", "PolicyArn", policyARNOf("/", "p")}},
			[]string{"DeletePolicy", "PolicyArn", policyARNOf("/", "p")}, "Cannot delete a policy attached to entities.",
			[][]string{{"DetachRolePolicy", "RoleName", "r", "PolicyArn", policyARNOf("/", "p")}}},
		{"policy used as a boundary",
			[][]string{{"CreatePolicy", "PolicyName", "p", "PolicyDocument", permDoc},
				{"CreateRole", "RoleName", "r", "AssumeRolePolicyDocument", trustDoc, "PermissionsBoundary", policyARNOf("/", "p")}},
			[]string{"DeletePolicy", "PolicyArn", policyARNOf("/", "p")}, "Cannot delete a policy attached to entities.",
			[][]string{{"DeleteRolePermissionsBoundary", "RoleName", "r"}}},
		{"default policy version",
			[][]string{{"CreatePolicy", "PolicyName", "p", "PolicyDocument", permDoc}},
			[]string{"DeletePolicyVersion", "PolicyArn", policyARNOf("/", "p"), "VersionId", "v1"}, "Cannot delete the default version of a policy.",
			[][]string{{"CreatePolicyVersion", "PolicyArn", policyARNOf("/", "p"), "PolicyDocument", permDoc, "SetAsDefault", "true"}}},
		{"instance profile holding a role",
			[][]string{{"CreateRole", "RoleName", "r", "AssumeRolePolicyDocument", trustDoc}, {"CreateInstanceProfile", "InstanceProfileName", "ip"}},
			[]string{"DeleteInstanceProfile", "InstanceProfileName", "ip"}, "Cannot delete entity, must remove roles from instance profile first.",
			[][]string{{"RemoveRoleFromInstanceProfile", "InstanceProfileName", "ip", "RoleName", "r"}}},
		{"role in an instance profile",
			[][]string{{"CreateRole", "RoleName", "r", "AssumeRolePolicyDocument", trustDoc}, {"CreateInstanceProfile", "InstanceProfileName", "ip"}},
			[]string{"DeleteRole", "RoleName", "r"}, "Cannot delete entity, must remove roles from instance profile first.",
			[][]string{{"RemoveRoleFromInstanceProfile", "InstanceProfileName", "ip", "RoleName", "r"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			for _, s := range tc.setup {
				f.must(s[0], s[1:]...)
			}
			if tc.name == "instance profile holding a role" || tc.name == "role in an instance profile" {
				// AddRoleToInstanceProfile also asks the gate for iam:PassRole; put the role in
				// through the domain.
				if err := f.api.IAM.AddRoleToInstanceProfile(ctxBG, acct, "ip", "r"); err != nil {
					t.Fatal(err)
				}
			}
			_, err := f.run(tc.op[0], tc.op[1:]...)
			e := awsErr(t, err, awserr.DeleteConflict, tc.want)
			if e.Status != 409 {
				t.Errorf("status = %d, want 409", e.Status)
			}
			if tc.undo == nil {
				return
			}
			for _, s := range tc.undo {
				f.must(s[0], s[1:]...)
			}
			if _, err := f.run(tc.op[0], tc.op[1:]...); err != nil {
				t.Errorf("%s after clearing the conflict: %v", tc.op[0], err)
			}
		})
	}
}

func TestNotFoundErrors(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		op   []string
		want string
	}{
		{[]string{"GetGroup", "GroupName", "nope"}, "The group with name nope cannot be found."},
		{[]string{"GetRole", "RoleName", "nope"}, "The role with name nope cannot be found."},
		{[]string{"GetInstanceProfile", "InstanceProfileName", "nope"}, "Instance Profile nope cannot be found."},
		{[]string{"GetAccessKeyLastUsed", "AccessKeyId", "AKIAUNKNOWNUNKNOWN"}, "The Access Key with id AKIAUNKNOWNUNKNOWN cannot be found."},
		{[]string{"GetAccountPasswordPolicy"}, "The Password Policy with domain name " + acct + " cannot be found."},
		{[]string{"ListSSHPublicKeys", "UserName", "nope"}, "The user with name nope cannot be found."},
		{[]string{"GetOpenIDConnectProvider", "OpenIDConnectProviderArn", "arn:aws:iam::" + acct + ":oidc-provider/none.example.com"},
			"OpenIDConnect Provider not found for arn arn:aws:iam::" + acct + ":oidc-provider/none.example.com"},
		{[]string{"GetPolicy", "PolicyArn", "arn:aws:iam::210987654321:policy/theirs"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.op[0], func(t *testing.T) {
			_, err := f.run(tc.op[0], tc.op[1:]...)
			e := awsErr(t, err, awserr.NoSuchEntity, tc.want)
			if e.Status != 404 {
				t.Errorf("status = %d", e.Status)
			}
		})
	}
}
