// Package clierr is how the command line's packages report an error: its
// kind decides the exit code and the shape of the message on stderr, which
// only the root command (internal/cli) writes (AWS CLI v2 rules, spec
// aws-cli.md §8). It imports only the standard library.
package clierr

import "fmt"

// Kind says how the CLI reports an error.
type Kind int

// The kinds, with the AWS CLI v2 exit code of each.
const (
	// Usage: argparse errors (missing required option, invalid choice,
	// unknown options). Exit 252, printed with the usage block.
	Usage Kind = iota
	// ParamParse: shorthand, JSON, parameter-file and --cli-input errors,
	// bad --query, bad --endpoint-url. Exit 252.
	ParamParse
	// ParamValidation: the client-side "Parameter validation failed:"
	// checks. Exit 252, printed as "An error occurred (ParamValidation): …".
	ParamValidation
	// Config: no credentials, no region, pager cannot start. Exit 253.
	Config
	// Service: an error answered by the service (also 5xx after retries).
	// Exit 254.
	Service
	// Other: unknown profile, connection failure, anything unexpected.
	// Exit 255.
	Other
)

// ExitCode returns the AWS CLI v2 exit code of a kind.
func (k Kind) ExitCode() int {
	switch k {
	case Usage, ParamParse, ParamValidation:
		return 252
	case Config:
		return 253
	case Service:
		return 254
	}
	return 255
}

// Error is an error of the command line.
type Error struct {
	Kind Kind
	// Code is the name in "An error occurred (<Code>)…": ParamValidation,
	// NoCredentials, NoRegion, or a service's error code. Empty for errors
	// printed as their message alone.
	Code string
	// Message is the text, without the "aws: [ERROR]: " prefix.
	Message string
	// Operation is the API operation of a service error.
	Operation string
	// Details are the service error's extra modelled members (e.g.
	// reasonCode), printed under "Additional error details:".
	Details [][2]string
	// Info, when set, is the error information that --cli-error-format
	// json|yaml|text|table prints, in its order; otherwise it is Code and
	// Message. For a service error it is botocore's response["Error"]
	// (Message, then Code) with the error shape's modelled members
	// (awscli/errorhandler.py ClientErrorHandler._extract_error_response).
	Info []Field
	// Err is the cause, for --debug and errors.Is.
	Err error
}

// Field is one entry of an error's structured information.
type Field struct {
	Key   string
	Value any
}

func (e *Error) Error() string {
	if e.Code != "" {
		return fmt.Sprintf("(%s) %s", e.Code, e.Message)
	}
	return e.Message
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// New returns an error of kind with a formatted message.
func New(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}
