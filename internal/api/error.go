package api

import "fmt"

// Error is an error with its AWS identity: the exception's shape name, the
// message AWS sends with it, and whether it is a server fault (HTTP 500). The
// wire layer turns it into `{"__type": Code, "message": Message}`; nothing
// else needs to know the wire form.
type Error struct {
	Code    string
	Message string
	Fault   bool
	// ReasonCode is InvalidParameterException's optional reasonCode member.
	ReasonCode string
	// Err is an underlying cause, kept for logs and errors.Is/As; it is never
	// sent to the client.
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return e.Code + ": " + e.Message
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error with the same code, so that
// errors.Is(err, api.ErrResourceNotFound) works for any message.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Wrap returns a copy of e carrying cause as its underlying error.
func (e *Error) Wrap(cause error) *Error {
	c := *e
	c.Err = cause
	return &c
}

// WithReason returns a copy of e with InvalidParameterException's reasonCode.
func (e *Error) WithReason(reason string) *Error {
	c := *e
	c.ReasonCode = reason
	return &c
}

func NewError(kind *Error, format string, args []any) *Error {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	return &Error{Code: kind.Code, Fault: kind.Fault, Message: msg}
}
