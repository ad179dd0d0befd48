package iamapi

import (
	"reflect"
	"sort"
	"strings"
	"testing"
)

// walk calls op with MaxItems=1, following Marker until IsTruncated is false, and returns the
// text of every <item> element across the pages.
func walk(t *testing.T, f *fixture, op, item string, kv ...string) []string {
	t.Helper()
	var got []string
	seen := map[string]bool{}
	marker := ""
	for pages := 0; ; pages++ {
		if pages > 20 {
			t.Fatalf("%s: more pages than items", op)
		}
		args := append([]string{"MaxItems", "1"}, kv...)
		if marker != "" {
			args = append(args, "Marker", marker)
		}
		doc := f.must(op, args...)
		items := elements(doc, item)
		if len(items) > 1 {
			t.Fatalf("%s: page of %d items with MaxItems=1", op, len(items))
		}
		got = append(got, items...)
		trunc := elements(doc, "IsTruncated")
		if len(trunc) != 1 {
			t.Fatalf("%s: IsTruncated missing\n%s", op, doc)
		}
		markers := elements(doc, "Marker")
		if trunc[0] == "false" {
			if len(markers) != 0 {
				t.Errorf("%s: Marker sent with IsTruncated=false", op)
			}
			return got
		}
		if len(markers) != 1 || markers[0] == "" || seen[markers[0]] {
			t.Fatalf("%s: marker %q does not advance", op, markers)
		}
		marker = markers[0]
		seen[marker] = true
	}
}

func TestPaginationWalks(t *testing.T) {
	f := newFixture(t)
	names := []string{"a", "b", "c"}
	f.must("CreateRole", "RoleName", "r", "AssumeRolePolicyDocument", trustDoc)
	f.must("CreateUser", "UserName", "u")
	for _, n := range names {
		f.must("CreateGroup", "GroupName", "g"+n)
		f.must("CreateUser", "UserName", "u"+n)
		f.must("AddUserToGroup", "GroupName", "ga", "UserName", "u"+n)
		f.must("AddUserToGroup", "GroupName", "g"+n, "UserName", "u")
		f.must("CreatePolicy", "PolicyName", "p"+n, "PolicyDocument", permDoc)
		f.must("AttachRolePolicy", "RoleName", "r", "PolicyArn", policyARNOf("/", "p"+n))
		f.must("AttachUserPolicy", "UserName", "u"+n, "PolicyArn", policyARNOf("/", "pa"))
		f.must("PutRolePolicy", "RoleName", "r", "PolicyName", "i"+n, "PolicyDocument", permDoc)
		f.must("TagRole", "RoleName", "r", "Tags.member.1.Key", "k"+n, "Tags.member.1.Value", n)
		f.must("CreateInstanceProfile", "InstanceProfileName", "ip"+n)
		f.must("CreateVirtualMFADevice", "VirtualMFADeviceName", "d"+n)
		f.must("CreatePolicyVersion", "PolicyArn", policyARNOf("/", "pa"), "PolicyDocument", permDoc)
	}
	f.must("CreateAccessKey", "UserName", "u")
	f.must("CreateAccessKey", "UserName", "u")
	prefixed := func(p string) []string {
		out := make([]string, len(names))
		for i, n := range names {
			out[i] = p + n
		}
		return out
	}
	tests := []struct {
		op, item string
		kv       []string
		want     []string
	}{
		{"ListGroups", "GroupName", nil, prefixed("g")},
		{"GetGroup", "UserName", []string{"GroupName", "ga"}, append(prefixed("u"), "u")},
		{"ListGroupsForUser", "GroupName", []string{"UserName", "u"}, prefixed("g")},
		{"ListUsers", "UserName", nil, append(prefixed("u"), "u")},
		{"ListPolicies", "PolicyName", []string{"Scope", "Local"}, prefixed("p")},
		{"ListPolicyVersions", "VersionId", []string{"PolicyArn", policyARNOf("/", "pa")}, []string{"v1", "v2", "v3", "v4"}},
		{"ListAttachedRolePolicies", "PolicyName", []string{"RoleName", "r"}, prefixed("p")},
		{"ListEntitiesForPolicy", "UserName", []string{"PolicyArn", policyARNOf("/", "pa")}, prefixed("u")},
		{"ListRolePolicies", "member", []string{"RoleName", "r"}, prefixed("i")},
		{"ListRoleTags", "Key", []string{"RoleName", "r"}, prefixed("k")},
		{"ListInstanceProfiles", "InstanceProfileName", nil, prefixed("ip")},
		{"ListVirtualMFADevices", "SerialNumber", nil, []string{"arn:aws:iam::" + acct + ":mfa/da", "arn:aws:iam::" + acct + ":mfa/db", "arn:aws:iam::" + acct + ":mfa/dc"}},
		{"ListAccessKeys", "Status", []string{"UserName", "u"}, []string{"Active", "Active"}},
		{"GetAccountAuthorizationDetails", "GroupName", []string{"Filter.member.1", "Group"}, prefixed("g")},
	}
	for _, tc := range tests {
		t.Run(tc.op, func(t *testing.T) {
			got := walk(t, f, tc.op, tc.item, tc.kv...)
			sort.Strings(got)
			want := append([]string(nil), tc.want...)
			sort.Strings(want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("walked %q, want %q", got, want)
			}
		})
	}
}

func TestBadMarker(t *testing.T) {
	f := newFixture(t)
	f.must("CreatePolicy", "PolicyName", "p", "PolicyDocument", permDoc)
	for _, op := range [][]string{
		{"ListPolicyVersions", "PolicyArn", policyARNOf("/", "p"), "Marker", "zz"},
		{"ListVirtualMFADevices", "Marker", "-1"},
		{"ListRoles", "Marker", "!!"},
	} {
		_, err := f.run(op[0], op[1:]...)
		if err == nil || !strings.Contains(err.Error(), "Invalid Marker.") {
			t.Errorf("%s with a bad marker: %v", op[0], err)
		}
	}
}
