// Package sqlstore is the SQL backend of storage.Backend (Store, LogStore,
// OutboxStore, UserStore, TokenStore): SQLite through the pure-Go
// modernc.org/sqlite driver, as a file under the data directory or in
// memory. Writes go through one writer goroutine that commits whatever is
// queued in one transaction (group commit), each write in its own
// savepoint, so that every acknowledged write is fsynced without paying
// one fsync per write under load. It imports internal/storage, the
// standard library and the driver only.
package sqlstore
