package cwlogs

import awsarn "github.com/cognate/cognate/internal/arn"

// GroupARN is `arn:<partition>:logs:<region>:<account>:log-group:<name>`,
// the form without `:*` that logGroupArn, logGroupIdentifier and the
// tagging APIs use [DOC LogGroup].
func GroupARN(region, account, name string) string {
	return "arn:" + awsarn.Partition(region) + ":logs:" + region + ":" + account + ":log-group:" + name
}

// streamARN is a log stream's ARN [DOC LogStream].
func streamARN(region, account, group, stream string) string {
	return GroupARN(region, account, group) + ":log-stream:" + stream
}
