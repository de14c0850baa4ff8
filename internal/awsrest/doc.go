// Package awsrest sends signed requests to AWS-compatible endpoints with
// aws-sdk-go-v2's SigV4 signer and credential providers, for the few calls
// Cognate makes to external S3 and Firehose endpoints. The generated
// aws-sdk-go-v2 service clients would do the same, but importing them
// costs every server more than a MiB of memory at start (their package
// tables), which the idle-RSS target cannot afford. It imports only the
// standard library and aws-sdk-go-v2's core.
package awsrest
