// Package e2e holds the end-to-end tests: they build the cognate binary,
// run it as a process and drive it with real clients (the AWS CLI, boto3,
// raw signed HTTP), including killing it with SIGKILL mid-write.
package e2e
