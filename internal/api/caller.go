package api

import "context"

// Caller is who called an operation and where: resources live in one
// account and one region, as on AWS. The wire layer fills it from the
// request's signature (or the server's defaults for unsigned requests).
type Caller struct {
	AccountID string
	Region    string
	// Signed is false for an unsigned call of a no-auth operation.
	Signed bool
	// RequestID is the x-amzn-RequestId the response carries.
	RequestID string
	// SourceIP and UserAgent are the request's, for threat protection's
	// event context when the call carries no context data.
	SourceIP, UserAgent string
}

type callerKey struct{}

// WithCaller returns ctx carrying c.
func WithCaller(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerFrom returns the Caller of ctx and whether there is one.
func CallerFrom(ctx context.Context) (Caller, bool) {
	c, ok := ctx.Value(callerKey{}).(Caller)
	return c, ok
}
