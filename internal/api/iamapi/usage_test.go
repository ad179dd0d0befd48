package iamapi

import (
	"reflect"
	"sort"
	"testing"
)

func sorted(s []string) []string {
	out := append([]string{}, s...)
	sort.Strings(out)
	return out
}

func TestListEntitiesForPolicy(t *testing.T) {
	f := newFixture(t)
	pa := policyARNOf("/", "p")
	f.must("CreatePolicy", "PolicyName", "p", "PolicyDocument", permDoc)
	f.must("CreateUser", "UserName", "attached", "Path", "/a/")
	f.must("CreateUser", "UserName", "bounded", "PermissionsBoundary", pa)
	f.must("CreateRole", "RoleName", "both", "AssumeRolePolicyDocument", trustDoc, "PermissionsBoundary", pa)
	f.must("CreateGroup", "GroupName", "g")
	f.must("AttachUserPolicy", "UserName", "attached", "PolicyArn", pa)
	f.must("AttachRolePolicy", "RoleName", "both", "PolicyArn", pa)
	f.must("AttachGroupPolicy", "GroupName", "g", "PolicyArn", pa)
	tests := []struct {
		name               string
		kv                 []string
		users, roles, grps []string
	}{
		{"every use", nil, []string{"attached", "bounded"}, []string{"both"}, []string{"g"}},
		{"permissions policy", []string{"PolicyUsageFilter", "PermissionsPolicy"}, []string{"attached"}, []string{"both"}, []string{"g"}},
		{"permissions boundary", []string{"PolicyUsageFilter", "PermissionsBoundary"}, []string{"bounded"}, []string{"both"}, nil},
		{"users only", []string{"EntityFilter", "User"}, []string{"attached", "bounded"}, nil, nil},
		{"groups only", []string{"EntityFilter", "Group", "PolicyUsageFilter", "PermissionsBoundary"}, nil, nil, nil},
		{"path prefix", []string{"PathPrefix", "/a/"}, []string{"attached"}, nil, nil},
		{"policy types match no entity", []string{"EntityFilter", "LocalManagedPolicy"}, nil, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := f.must("ListEntitiesForPolicy", append([]string{"PolicyArn", pa}, tc.kv...)...)
			contains(t, doc, "<PolicyGroups>", "<PolicyUsers>", "<PolicyRoles>")
			for _, c := range []struct {
				tag  string
				want []string
			}{{"UserName", tc.users}, {"RoleName", tc.roles}, {"GroupName", tc.grps}} {
				if got := sorted(elements(doc, c.tag)); !reflect.DeepEqual(got, sorted(c.want)) {
					t.Errorf("%s = %q, want %q", c.tag, got, c.want)
				}
			}
			if len(tc.users)+len(tc.roles)+len(tc.grps) > 0 {
				contains(t, doc, "Id>A")
			}
		})
	}
	_, err := f.run("ListEntitiesForPolicy", "PolicyArn", policyARNOf("/", "nope"))
	awsErr(t, err, "NoSuchEntity", "")
}

func TestListPoliciesFilters(t *testing.T) {
	f := newFixture(t)
	for _, n := range []string{"attached", "bound", "idle"} {
		f.must("CreatePolicy", "PolicyName", n, "PolicyDocument", permDoc)
	}
	f.must("CreatePolicy", "PolicyName", "deep", "Path", "/x/y/", "PolicyDocument", permDoc)
	f.must("CreateRole", "RoleName", "r", "AssumeRolePolicyDocument", trustDoc, "PermissionsBoundary", policyARNOf("/", "bound"))
	f.must("AttachRolePolicy", "RoleName", "r", "PolicyArn", policyARNOf("/", "attached"))
	tests := []struct {
		name string
		kv   []string
		want []string
	}{
		{"all local", []string{"Scope", "Local"}, []string{"attached", "bound", "deep", "idle"}},
		{"only attached", []string{"OnlyAttached", "true"}, []string{"attached", "bound"}},
		{"attached as permissions", []string{"OnlyAttached", "true", "PolicyUsageFilter", "PermissionsPolicy"}, []string{"attached"}},
		{"attached as boundary", []string{"OnlyAttached", "true", "PolicyUsageFilter", "PermissionsBoundary"}, []string{"bound"}},
		{"usage filter alone lists every policy", []string{"PolicyUsageFilter", "PermissionsPolicy"}, []string{"attached", "bound", "deep", "idle"}},
		{"path prefix", []string{"PathPrefix", "/x/"}, []string{"deep"}},
		{"aws scope", []string{"Scope", "AWS"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := f.must("ListPolicies", tc.kv...)
			if got := sorted(elements(doc, "PolicyName")); !reflect.DeepEqual(got, sorted(tc.want)) {
				t.Errorf("policies = %q, want %q", got, tc.want)
			}
		})
	}
	doc := f.must("GetPolicy", "PolicyArn", policyARNOf("/", "attached"))
	contains(t, doc, "<AttachmentCount>1</AttachmentCount><PermissionsBoundaryUsageCount>0</PermissionsBoundaryUsageCount>")
}

func TestGroupsAndAttachments(t *testing.T) {
	f := newFixture(t)
	f.must("CreateUser", "UserName", "u")
	f.must("CreateGroup", "GroupName", "g", "Path", "/teams/")
	f.must("AddUserToGroup", "GroupName", "g", "UserName", "u")
	contains(t, f.must("GetGroup", "GroupName", "G"),
		"<Group><Path>/teams/</Path><GroupName>g</GroupName><GroupId>AGPA", "<Users><member><Path>/</Path><UserName>u</UserName>")
	// A move without a rename needs no second authorization.
	f.must("UpdateGroup", "GroupName", "g", "NewPath", "/teams/")
	contains(t, f.must("ListGroupsForUser", "UserName", "u"), "<Groups><member><Path>/teams/</Path><GroupName>g</GroupName>")
	_, err := f.run("CreateGroup", "GroupName", "G")
	awsErr(t, err, "EntityAlreadyExists", "Group with name G already exists.")

	f.must("CreatePolicy", "PolicyName", "p", "Path", "/pp/", "PolicyDocument", permDoc)
	pa := policyARNOf("/pp/", "p")
	f.must("AttachGroupPolicy", "GroupName", "g", "PolicyArn", pa)
	contains(t, f.must("ListAttachedGroupPolicies", "GroupName", "g"),
		"<AttachedPolicies><member><PolicyName>p</PolicyName><PolicyArn>"+pa+"</PolicyArn></member></AttachedPolicies>")
	lacks(t, f.must("ListAttachedGroupPolicies", "GroupName", "g", "PathPrefix", "/other/"), "<PolicyName>")
	f.must("DetachGroupPolicy", "GroupName", "g", "PolicyArn", pa)
	_, err = f.run("DetachGroupPolicy", "GroupName", "g", "PolicyArn", pa)
	awsErr(t, err, "NoSuchEntity", "Policy "+pa+" was not found.")
	contains(t, f.must("ListAttachedGroupPolicies", "GroupName", "g"), "<AttachedPolicies></AttachedPolicies>")

	f.must("RemoveUserFromGroup", "GroupName", "g", "UserName", "u")
	contains(t, f.must("GetGroup", "GroupName", "g"), "<Users></Users>")
	f.must("DeleteGroup", "GroupName", "g")
	contains(t, f.must("ListGroups"), "<Groups></Groups><IsTruncated>false</IsTruncated>")
}

func TestTagsOfProfilesAndPolicies(t *testing.T) {
	f := newFixture(t)
	f.must("CreateInstanceProfile", "InstanceProfileName", "ip")
	f.must("CreatePolicy", "PolicyName", "p", "PolicyDocument", permDoc)
	pa := policyARNOf("/", "p")
	f.must("TagInstanceProfile", "InstanceProfileName", "ip", "Tags.member.1.Key", "a", "Tags.member.1.Value", "1",
		"Tags.member.2.Key", "b", "Tags.member.2.Value", "2")
	f.must("TagPolicy", "PolicyArn", pa, "Tags.member.1.Key", "a", "Tags.member.1.Value", "1")
	contains(t, f.must("GetInstanceProfile", "InstanceProfileName", "ip"), "<Tags><member><Key>a</Key><Value>1</Value></member><member><Key>b</Key>")
	lacks(t, f.must("ListInstanceProfiles"), "<Tags>")
	f.must("UntagInstanceProfile", "InstanceProfileName", "ip", "TagKeys.member.1", "a")
	if got := elements(f.must("ListInstanceProfileTags", "InstanceProfileName", "ip"), "Key"); !reflect.DeepEqual(got, []string{"b"}) {
		t.Errorf("profile tags = %q", got)
	}
	contains(t, f.must("GetPolicy", "PolicyArn", pa), "<Tags><member><Key>a</Key><Value>1</Value></member></Tags>")
	f.must("UntagPolicy", "PolicyArn", pa, "TagKeys.member.1", "a")
	contains(t, f.must("ListPolicyTags", "PolicyArn", pa), "<Tags></Tags><IsTruncated>false</IsTruncated>")
	_, err := f.run("TagPolicy", "PolicyArn", pa, "Tags.member.1.Key", "k", "Tags.member.1.Value", "1",
		"Tags.member.2.Key", "K", "Tags.member.2.Value", "2")
	awsErr(t, err, "InvalidInput", "Duplicate tag keys found. Please note that Tag keys are case insensitive.")
}
