// Package storage declares what Cognate keeps and the contract every
// backend must honour, with their records and the sentinel errors: Store
// (user pools), LogStore (the built-in CloudWatch Logs), OutboxStore (the
// message and export outboxes), UserStore (users and app clients),
// TokenStore (signing keys, revocations), AuthEventStore (threat
// protection's auth events and risk configurations) and GroupStore (user
// pool groups and their members); Backend is all of them. Backends
// live in subpackages (sqlstore); storetest is the one conformance suite
// that each of them runs. It imports only the standard library; the
// domains (internal/userpool, internal/builtin/cwlogs, internal/logexport)
// import it, never the reverse.
package storage
