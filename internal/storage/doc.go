// Package storage declares what Cognate keeps and the contract every
// backend must honour: the Store interface (user pools) and the LogStore
// interface (the built-in CloudWatch Logs), their records, and the sentinel
// errors. Backends live in subpackages (sqlstore); storetest is the one
// conformance suite that each of them runs. It imports only the standard
// library; the domains (internal/userpool, internal/builtin/cwlogs) import
// it, never the reverse.
package storage
