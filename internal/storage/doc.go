// Package storage declares what Cognate keeps and the contract every
// backend must honour: the Store interface, its records, and the sentinel
// errors. Backends live in subpackages (sqlstore); storetest is the one
// conformance suite that each of them runs. It imports only the standard
// library; the domain (internal/userpool) imports it, never the reverse.
package storage
