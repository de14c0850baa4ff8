// Package shorthand parses the AWS CLI's shorthand syntax, the
// `Key=value,List=a,b,Map={k=v},Items=[x,y]` form accepted by
// structure, map and list-of-structure parameters (awscli/shorthand.py,
// spec §3). It works on the text alone: Parse returns a *value.Object
// whose values are strings, []any and nested *value.Object (plus whatever
// Options.LoadFile returns for `key@=file://…` entries); typing the
// values from the service model is left to the caller. Grammar errors are
// *SyntaxError values whose messages are the AWS CLI v2 ones, caret line
// included. The package imports only the standard library and
// internal/cli/value.
package shorthand
