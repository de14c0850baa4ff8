// Package awsjson serves AWS JSON 1.1 APIs over HTTP: `POST /` with an
// `X-Amz-Target: <Prefix>.<Operation>` header. It finds the operation,
// authenticates the request (SigV4, through an Authenticator), validates the
// body against the model, calls the bound handler with the caller in the
// context, and writes the JSON answer — or the error, translated from an
// *api.Error to `{"__type", "message"}` with AWS's headers and status in
// exactly one place (writeError). It imports internal/api, internal/validate
// and internal/wire/sigv4; it knows nothing of storage or the domain.
package awsjson
