package userpool

import awsarn "github.com/cognate/cognate/internal/arn"

// PoolARN is `arn:<partition>:cognito-idp:<region>:<account>:userpool/<id>`
// [DOC API reference UpdateUserPool sample].
func PoolARN(region, account, id string) string {
	return "arn:" + awsarn.Partition(region) + ":cognito-idp:" + region + ":" + account + ":userpool/" + id
}
