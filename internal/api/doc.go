// Package api is the Cognito user-pool API in Go: one struct per structure
// shape of the model, the table of operations (Handlers, Endpoints) and one
// error value per modelled exception. The *_gen.go files are generated from
// internal/model by `go generate ./internal/model`; the rest is the small
// hand-written support they need. It imports only the standard library, so
// both the domain (internal/userpool) and the wire layer can use it.
package api
