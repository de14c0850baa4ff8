package arn

import "testing"

func TestParse(t *testing.T) {
	a, ok := Parse("arn:aws:logs:us-east-1:123456789012:log-group:g:*")
	if !ok || a.Partition != "aws" || a.Service != "logs" || a.Region != "us-east-1" ||
		a.Account != "123456789012" || a.Resource != "log-group:g:*" {
		t.Fatalf("Parse = %+v, %v", a, ok)
	}
	for _, bad := range []string{"", "arn:aws:logs", "arn::logs:r:a:x", "arn:aws::r:a:x", "urn:aws:logs:r:a:x"} {
		if _, ok := Parse(bad); ok {
			t.Errorf("Parse(%q) ok, want false", bad)
		}
	}
}

func TestPartition(t *testing.T) {
	for region, want := range map[string]string{
		"us-east-1": "aws", "cn-north-1": "aws-cn", "us-gov-west-1": "aws-us-gov",
		"us-iso-east-1": "aws-iso", "us-isob-east-1": "aws-iso-b",
		"eu-isoe-west-1": "aws-iso-e", "us-isof-south-1": "aws-iso-f",
	} {
		if got := Partition(region); got != want {
			t.Errorf("Partition(%q) = %q, want %q", region, got, want)
		}
	}
}
