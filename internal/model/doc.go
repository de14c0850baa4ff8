// Package model holds the Amazon Cognito user-pool API (cognito-idp,
// 2016-04-18) as data: every operation, shape, member, constraint, enum,
// error and paginator, taken from botocore's service model with AWS's prose
// removed. Everything else that depends on the API (generated Go types in
// internal/api, server-side validation, the CLI's options) reads it from
// here. It imports only the standard library and its subpackage ordered.
//
// Regenerate the committed model and the Go code with one command:
//
//	go generate ./internal/model
package model

//go:generate go run ./gen -botocore auto -model .
