package cond

import "testing"

func TestIPOperators(t *testing.T) {
	src := func(ip string) map[string]any { return map[string]any{"aws:SourceIp": ip} }
	runEvalCases(t, []evalCase{
		{"in v4 range", "IpAddress", "aws:SourceIp", []string{"203.0.113.0/24"}, src("203.0.113.7"), true},
		{"outside v4 range", "IpAddress", "aws:SourceIp", []string{"203.0.113.0/24"}, src("198.51.100.7"), false},
		{"bare v4 address is /32", "IpAddress", "aws:SourceIp", []string{"203.0.113.7"}, src("203.0.113.7"), true},
		{"host bits in the policy CIDR", "IpAddress", "aws:SourceIp", []string{"203.0.113.9/24"}, src("203.0.113.200"), true},
		{"v6 range", "IpAddress", "aws:SourceIp", []string{"2001:DB8:1234:5678::/64"}, src("2001:db8:1234:5678::1"), true},
		{"v6 outside", "IpAddress", "aws:SourceIp", []string{"2001:DB8:1234:5678::/64"}, src("2001:db8:1234:5679::1"), false},
		{"families never match", "IpAddress", "aws:SourceIp", []string{"0.0.0.0/0"}, src("::ffff:203.0.113.7"), false},
		{"OR across v4 and v6", "IpAddress", "aws:SourceIp", []string{"192.0.2.0/24", "2001:DB8::/32"}, src("2001:db8::5"), true},
		{"missing key", "IpAddress", "aws:SourceIp", []string{"0.0.0.0/0"}, nil, false},
		// IAM User Guide: a VPC-endpoint request carries no aws:SourceIp, so the
		// documented "deny outside these ranges" policy denies it.
		{"not ip missing key", "NotIpAddress", "aws:SourceIp", []string{"192.0.2.0/24"}, nil, true},
		{"not ip outside", "NotIpAddress", "aws:SourceIp", []string{"192.0.2.0/24"}, src("203.0.113.1"), true},
		{"not ip inside", "NotIpAddress", "aws:SourceIp", []string{"192.0.2.0/24"}, src("192.0.2.1"), false},
		{"IfExists missing", "IpAddressIfExists", "aws:SourceIp", []string{"192.0.2.0/24"}, nil, true},
		{"unparseable request", "IpAddress", "aws:SourceIp", []string{"0.0.0.0/0"}, src("not-an-ip"), false},
		{"not ip unparseable request", "NotIpAddress", "aws:SourceIp", []string{"192.0.2.0/24"}, src("not-an-ip"), false},
		{"bad policy CIDR never matches", "IpAddress", "aws:SourceIp", []string{"300.0.0.0/8"}, src("10.0.0.1"), false},
	})
}
