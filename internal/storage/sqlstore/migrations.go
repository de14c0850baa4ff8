package sqlstore

// migrations are applied in order, each once, recorded in
// schema_migrations. Never edit a migration that has shipped: add one.
var migrations = []string{
	// 1: user pools, their tags and their log delivery configuration.
	`CREATE TABLE user_pools (
		seq        INTEGER PRIMARY KEY AUTOINCREMENT,
		account_id TEXT    NOT NULL,
		region     TEXT    NOT NULL,
		id         TEXT    NOT NULL,
		name       TEXT    NOT NULL,
		created_at INTEGER NOT NULL, -- unix milliseconds
		updated_at INTEGER NOT NULL,
		config     BLOB    NOT NULL,
		tags       TEXT    NOT NULL DEFAULT '{}',
		UNIQUE (account_id, region, id)
	);
	CREATE TABLE log_configurations (
		pool_seq         INTEGER NOT NULL REFERENCES user_pools(seq) ON DELETE CASCADE,
		position         INTEGER NOT NULL,
		event_source     TEXT    NOT NULL,
		log_level        TEXT    NOT NULL,
		destination_type TEXT    NOT NULL,
		destination_arn  TEXT    NOT NULL,
		PRIMARY KEY (pool_seq, position)
	);
	CREATE INDEX log_configurations_by_destination ON log_configurations (destination_type, destination_arn);`,

	// 2: ListUserPools pages through a scope in creation order; without
	// this index every page read and sorted the whole scope.
	`CREATE INDEX user_pools_by_scope_seq ON user_pools (account_id, region, seq);`,
}
