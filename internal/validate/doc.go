// Package validate checks a request body against the model the way AWS's
// service framework does before an operation runs: JSON syntax and types
// (SerializationException), then every constraint the model states —
// required, length, pattern, enum, range — collected into one
// InvalidParameterException with AWS's "N validation errors detected: …"
// text, camelCase member paths and 1-based list positions. Nothing here is
// written per operation: the model says it all. It imports internal/model
// and internal/api.
package validate
