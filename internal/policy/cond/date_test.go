package cond

import (
	"testing"
	"time"
)

func TestDateOperators(t *testing.T) {
	now := map[string]any{"aws:CurrentTime": "2024-06-15T12:00:00Z"}
	runEvalCases(t, []evalCase{
		// IAM User Guide example: allow only within a date window.
		{"greater than start", "DateGreaterThan", "aws:CurrentTime", []string{"2024-01-01T00:00:00Z"}, now, true},
		{"less than end", "DateLessThan", "aws:CurrentTime", []string{"2024-12-31T23:59:59Z"}, now, true},
		{"after the window", "DateLessThan", "aws:CurrentTime", []string{"2024-06-01T00:00:00Z"}, now, false},
		{"equals across zones", "DateEquals", "aws:CurrentTime", []string{"2024-06-15T14:00:00+02:00"}, now, true},
		{"equals epoch", "DateEquals", "aws:CurrentTime", []string{"1718452800"}, now, true},
		{"epoch request value", "DateGreaterThanEquals", "aws:EpochTime", []string{"2024-06-15T12:00:00Z"}, map[string]any{"aws:EpochTime": "1718452800"}, true},
		{"date only is midnight UTC", "DateLessThan", "aws:CurrentTime", []string{"2024-06-16"}, now, true},
		{"year only", "DateGreaterThan", "aws:CurrentTime", []string{"2024"}, now, true},
		{"fractional seconds", "DateLessThan", "aws:TokenIssueTime", []string{"2024-06-15T12:00:00.5Z"}, map[string]any{"aws:TokenIssueTime": "2024-06-15T12:00:00.25Z"}, true},
		{"not equals", "DateNotEquals", "aws:CurrentTime", []string{"2024-06-15T12:00:01Z"}, now, true},
		{"not equals missing key", "DateNotEquals", "aws:CurrentTime", []string{"2024"}, nil, true},
		{"missing key", "DateGreaterThan", "aws:TokenIssueTime", []string{"2024"}, nil, false},
		{"IfExists missing key", "DateGreaterThanIfExists", "aws:TokenIssueTime", []string{"2024"}, nil, true},
		{"less than equals", "DateLessThanEquals", "aws:CurrentTime", []string{"2024-06-15T12:00:00Z"}, now, true},
		{"unparseable request", "DateLessThan", "aws:CurrentTime", []string{"2024"}, map[string]any{"aws:CurrentTime": "yesterday"}, false},
	})
}

func TestParseInstant(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2024-06-15T12:00:00Z", time.Date(2024, 6, 15, 12, 0, 0, 0, time.UTC)},
		{"2024-06-15T12:00Z", time.Date(2024, 6, 15, 12, 0, 0, 0, time.UTC)},
		{"2024-06-15T12:00:00-05:30", time.Date(2024, 6, 15, 17, 30, 0, 0, time.UTC)},
		{"2024-06-15T12:00:00.123456789Z", time.Date(2024, 6, 15, 12, 0, 0, 123456789, time.UTC)},
		{"2024-06", time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)},
		{"2000-02-29", time.Date(2000, 2, 29, 0, 0, 0, 0, time.UTC)},
		{"1969-12-31T23:59:59Z", time.Date(1969, 12, 31, 23, 59, 59, 0, time.UTC)},
		{"0", time.Unix(0, 0)},
		{"1718452800", time.Unix(1718452800, 0)},
	}
	for _, tc := range tests {
		got, ok := parseInstant(tc.in)
		if !ok {
			t.Errorf("parseInstant(%q) failed", tc.in)
			continue
		}
		if got.sec != tc.want.Unix() || got.nsec != int64(tc.want.Nanosecond()) {
			t.Errorf("parseInstant(%q) = %+v, want %v", tc.in, got, tc.want)
		}
	}
	for _, bad := range []string{"", "2024-13-01", "2023-02-29", "2024-06-15T25:00:00Z", "2024-06-15T12", "2024-06-15 12:00:00Z", "yesterday", "2024-06-15T12:00:00+5", "-1"} {
		if _, ok := parseInstant(bad); ok {
			t.Errorf("parseInstant(%q) accepted a bad date", bad)
		}
	}
}

func TestValidValueChecksDatesOnly(t *testing.T) {
	date, _ := ParseOperator("DateLessThan")
	str, _ := ParseOperator("StringEquals")
	if ValidValue(date, "not-a-date") || !ValidValue(date, "2024-01-01") || !ValidValue(str, "anything") {
		t.Error("ValidValue disagrees with the date rules")
	}
}
