package api

import (
	"context"
	"encoding/json"
)

// Empty is the response of the operations whose model has no output shape;
// it is sent as {}.
type Empty struct{}

// Document is a model document value: any JSON, kept as it was sent.
type Document = json.RawMessage

// Endpoint is one operation bound to its handler.
type Endpoint struct {
	Operation string
	// NewInput returns a pointer to a new zero input struct to decode into.
	NewInput func() any
	// Call runs the handler with the value NewInput returned; it is nil when
	// the operation is not built yet.
	Call func(ctx context.Context, input any) (any, error)
}

func Bind[In, Out any](name string, handler func(context.Context, *In) (*Out, error)) Endpoint {
	e := Endpoint{Operation: name, NewInput: func() any { return new(In) }}
	if handler != nil {
		e.Call = func(ctx context.Context, input any) (any, error) {
			out, err := handler(ctx, input.(*In))
			if err != nil {
				return nil, err
			}
			if out == nil {
				return new(Out), nil
			}
			return out, nil
		}
	}
	return e
}
