package cwlogs

import "strings"

// partition returns the AWS partition of a region, as in ARNs.
func partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	case strings.HasPrefix(region, "us-iso-"):
		return "aws-iso"
	case strings.HasPrefix(region, "us-isob-"):
		return "aws-iso-b"
	case strings.HasPrefix(region, "eu-isoe-"):
		return "aws-iso-e"
	case strings.HasPrefix(region, "us-isof-"):
		return "aws-iso-f"
	}
	return "aws"
}

// GroupARN is `arn:<partition>:logs:<region>:<account>:log-group:<name>`,
// the form without `:*` that logGroupArn, logGroupIdentifier and the
// tagging APIs use [DOC LogGroup].
func GroupARN(region, account, name string) string {
	return "arn:" + partition(region) + ":logs:" + region + ":" + account + ":log-group:" + name
}

// streamARN is a log stream's ARN [DOC LogStream].
func streamARN(region, account, group, stream string) string {
	return GroupARN(region, account, group) + ":log-stream:" + stream
}

// arn is a parsed Amazon Resource Name.
type arn struct {
	Partition, Service, Region, Account, Resource string
}

// parseARN splits `arn:partition:service:region:account:resource`.
func parseARN(s string) (arn, bool) {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] == "" || parts[2] == "" {
		return arn{}, false
	}
	return arn{Partition: parts[1], Service: parts[2], Region: parts[3], Account: parts[4], Resource: parts[5]}, true
}
