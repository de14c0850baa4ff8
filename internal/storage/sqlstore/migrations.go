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

	// 3: the built-in CloudWatch Logs (storage.LogStore): log groups, their
	// streams and events, and account-level resource policies. Events are
	// clustered in their group's order (a WITHOUT ROWID table keyed by it),
	// so that FilterLogEvents reads a time range of a group as one
	// contiguous range of the table; log_events_by_stream serves
	// GetLogEvents, which reads one stream in (timestamp, seq) order.
	`CREATE TABLE log_groups (
		seq                 INTEGER PRIMARY KEY AUTOINCREMENT,
		account_id          TEXT    NOT NULL,
		region              TEXT    NOT NULL,
		name                TEXT    NOT NULL,
		created_at          INTEGER NOT NULL, -- epoch milliseconds
		retention_days      INTEGER NOT NULL DEFAULT 0, -- 0: never expire
		kms_key_id          TEXT    NOT NULL DEFAULT '',
		class               TEXT    NOT NULL,
		deletion_protection INTEGER NOT NULL DEFAULT 0,
		tags                TEXT    NOT NULL DEFAULT '{}',
		stored_bytes        INTEGER NOT NULL DEFAULT 0,
		UNIQUE (account_id, region, name)
	);
	CREATE TABLE log_streams (
		seq               INTEGER PRIMARY KEY AUTOINCREMENT,
		group_seq         INTEGER NOT NULL REFERENCES log_groups(seq) ON DELETE CASCADE,
		name              TEXT    NOT NULL,
		created_at        INTEGER NOT NULL,
		last_seq          INTEGER NOT NULL DEFAULT 0, -- per-stream sequence of the last event
		first_event_at    INTEGER NOT NULL DEFAULT -1, -- -1: no events yet
		last_event_at     INTEGER NOT NULL DEFAULT -1,
		last_ingestion_at INTEGER NOT NULL DEFAULT -1,
		UNIQUE (group_seq, name)
	);
	CREATE INDEX log_streams_by_last_event ON log_streams (group_seq, last_event_at, name);
	CREATE TABLE log_events (
		group_seq      INTEGER NOT NULL,
		timestamp      INTEGER NOT NULL,
		ingestion_time INTEGER NOT NULL,
		stream_seq     INTEGER NOT NULL REFERENCES log_streams(seq) ON DELETE CASCADE,
		seq            INTEGER NOT NULL,
		message        TEXT    NOT NULL,
		PRIMARY KEY (group_seq, timestamp, ingestion_time, stream_seq, seq)
	) WITHOUT ROWID;
	CREATE INDEX log_events_by_stream ON log_events (stream_seq, timestamp, seq);
	CREATE TABLE log_resource_policies (
		account_id TEXT    NOT NULL,
		region     TEXT    NOT NULL,
		name       TEXT    NOT NULL,
		document   TEXT    NOT NULL,
		updated_at INTEGER NOT NULL,
		PRIMARY KEY (account_id, region, name)
	);`,

	// 4: users and app clients of user pools (storage.UserStore). The
	// domain encodes each record's data; the store indexes what it looks
	// users up by: the username key, the sub and the aliases.
	`CREATE TABLE users (
		seq        INTEGER PRIMARY KEY AUTOINCREMENT,
		pool_seq   INTEGER NOT NULL REFERENCES user_pools(seq) ON DELETE CASCADE,
		key        TEXT    NOT NULL,
		username   TEXT    NOT NULL,
		sub        TEXT    NOT NULL,
		created_at INTEGER NOT NULL, -- unix milliseconds
		updated_at INTEGER NOT NULL,
		data       BLOB    NOT NULL,
		UNIQUE (pool_seq, key),
		UNIQUE (pool_seq, sub)
	);
	CREATE TABLE user_aliases (
		pool_seq INTEGER NOT NULL REFERENCES user_pools(seq) ON DELETE CASCADE,
		alias    TEXT    NOT NULL,
		user_seq INTEGER NOT NULL REFERENCES users(seq) ON DELETE CASCADE,
		PRIMARY KEY (pool_seq, alias)
	);
	CREATE INDEX user_aliases_by_user ON user_aliases (user_seq);
	CREATE TABLE app_clients (
		seq        INTEGER PRIMARY KEY AUTOINCREMENT,
		pool_seq   INTEGER NOT NULL REFERENCES user_pools(seq) ON DELETE CASCADE,
		account_id TEXT    NOT NULL,
		region     TEXT    NOT NULL,
		client_id  TEXT    NOT NULL,
		name       TEXT    NOT NULL,
		created_at INTEGER NOT NULL,
		updated_at INTEGER NOT NULL,
		data       BLOB    NOT NULL,
		UNIQUE (account_id, region, client_id)
	);
	CREATE INDEX app_clients_by_pool ON app_clients (pool_seq, seq);`,

	// 5: the outboxes (storage.OutboxStore): messages sent, kept for
	// reading, and log records waiting for export. Rows are written in the
	// transaction of the change that caused them; export rows are deleted
	// once delivered. Neither references user_pools: records of a deleted
	// pool are still delivered, and its messages still readable.
	`CREATE TABLE outbox_messages (
		seq        INTEGER PRIMARY KEY AUTOINCREMENT,
		account_id TEXT    NOT NULL,
		region     TEXT    NOT NULL,
		pool_id    TEXT    NOT NULL,
		username   TEXT    NOT NULL,
		medium     TEXT    NOT NULL,
		sender     TEXT    NOT NULL,
		recipient  TEXT    NOT NULL,
		subject    TEXT    NOT NULL,
		body       TEXT    NOT NULL,
		purpose    TEXT    NOT NULL,
		created_at INTEGER NOT NULL, -- unix milliseconds
		relayed    INTEGER NOT NULL,
		failure    TEXT    NOT NULL
	);
	CREATE INDEX outbox_messages_by_scope ON outbox_messages (account_id, region, seq);
	CREATE TABLE export_outbox (
		seq              INTEGER PRIMARY KEY AUTOINCREMENT,
		account_id       TEXT    NOT NULL,
		region           TEXT    NOT NULL,
		pool_id          TEXT    NOT NULL,
		event_source     TEXT    NOT NULL,
		destination_type TEXT    NOT NULL,
		destination_arn  TEXT    NOT NULL,
		created_at       INTEGER NOT NULL, -- unix milliseconds
		payload          BLOB    NOT NULL
	);`,

	// 6: token signing keys of user pools and revoked token families
	// (storage.TokenStore). A pool's key is made on its first token, not
	// with the pool.
	`CREATE TABLE pool_signing_keys (
		pool_seq   INTEGER NOT NULL REFERENCES user_pools(seq) ON DELETE CASCADE,
		kid        TEXT    NOT NULL,
		private    BLOB    NOT NULL, -- PKCS#8 DER
		created_at INTEGER NOT NULL, -- unix milliseconds
		PRIMARY KEY (pool_seq, kid)
	);
	CREATE TABLE revoked_tokens (
		pool_seq   INTEGER NOT NULL REFERENCES user_pools(seq) ON DELETE CASCADE,
		origin_jti TEXT    NOT NULL,
		expires_at INTEGER NOT NULL, -- unix milliseconds
		PRIMARY KEY (pool_seq, origin_jti)
	);`,

	// 7: threat protection (storage.AuthEventStore): auth events of users,
	// listed newest first, which go with their user; risk configurations
	// of pools and app clients.
	`CREATE TABLE auth_events (
		user_seq   INTEGER NOT NULL REFERENCES users(seq) ON DELETE CASCADE,
		event_id   TEXT    NOT NULL,
		created_at INTEGER NOT NULL, -- unix milliseconds
		data       BLOB    NOT NULL,
		PRIMARY KEY (user_seq, event_id)
	);
	CREATE INDEX auth_events_by_time ON auth_events (user_seq, created_at, event_id);
	CREATE TABLE risk_configurations (
		pool_seq   INTEGER NOT NULL REFERENCES user_pools(seq) ON DELETE CASCADE,
		client_id  TEXT    NOT NULL, -- '' for the pool's own
		updated_at INTEGER NOT NULL, -- unix milliseconds
		data       BLOB    NOT NULL,
		PRIMARY KEY (pool_seq, client_id)
	);`,

	// 8: the built-in Firehose (storage.FirehoseStore): delivery streams
	// and the records buffered in them until they are flushed to S3,
	// which go with their stream.
	`CREATE TABLE firehose_streams (
		seq         INTEGER PRIMARY KEY AUTOINCREMENT,
		account_id  TEXT    NOT NULL,
		region      TEXT    NOT NULL,
		name        TEXT    NOT NULL,
		created_at  INTEGER NOT NULL, -- unix milliseconds
		version     INTEGER NOT NULL,
		destination BLOB    NOT NULL,
		tags        TEXT    NOT NULL, -- JSON object
		UNIQUE (account_id, region, name)
	);
	CREATE TABLE firehose_records (
		seq        INTEGER PRIMARY KEY AUTOINCREMENT,
		stream_seq INTEGER NOT NULL REFERENCES firehose_streams(seq) ON DELETE CASCADE,
		record_id  TEXT    NOT NULL,
		arrived_at INTEGER NOT NULL, -- unix milliseconds
		size       INTEGER NOT NULL, -- length(data), summed without reading data
		data       BLOB    NOT NULL
	);
	CREATE INDEX firehose_records_by_stream ON firehose_records (stream_seq, seq);`,

	// 9: user pool groups and their members (storage.GroupStore). Names
	// compare bytewise (case-sensitively); a membership goes with its
	// group and with its user, a group with its pool.
	`CREATE TABLE user_groups (
		seq         INTEGER PRIMARY KEY AUTOINCREMENT,
		pool_seq    INTEGER NOT NULL REFERENCES user_pools(seq) ON DELETE CASCADE,
		name        TEXT    NOT NULL,
		description TEXT    NOT NULL,
		role_arn    TEXT    NOT NULL,
		precedence  INTEGER, -- NULL: none
		created_at  INTEGER NOT NULL, -- unix milliseconds
		updated_at  INTEGER NOT NULL,
		UNIQUE (pool_seq, name)
	);
	CREATE TABLE user_group_members (
		group_seq INTEGER NOT NULL REFERENCES user_groups(seq) ON DELETE CASCADE,
		user_seq  INTEGER NOT NULL REFERENCES users(seq) ON DELETE CASCADE,
		PRIMARY KEY (group_seq, user_seq)
	) WITHOUT ROWID;
	CREATE INDEX user_group_members_by_user ON user_group_members (user_seq, group_seq);`,
	// 10: the OAuth 2.0 side of user pools (storage.OAuthStore): domains,
	// found by name on every OAuth request (user_pool_domains_by_name),
	// unique in a region; a pool has at most one of each kind (custom 0
	// or 1); and resource servers, listed in identifier order. Both go
	// with their pool.
	`CREATE TABLE user_pool_domains (
		pool_seq          INTEGER NOT NULL REFERENCES user_pools(seq) ON DELETE CASCADE,
		region            TEXT    NOT NULL,
		name              TEXT    NOT NULL,
		custom            INTEGER NOT NULL, -- 0: prefix, 1: custom domain
		certificate_arn   TEXT    NOT NULL,
		cloudfront_domain TEXT    NOT NULL,
		login_version     INTEGER NOT NULL,
		version           TEXT    NOT NULL,
		created_at        INTEGER NOT NULL, -- unix milliseconds
		updated_at        INTEGER NOT NULL,
		PRIMARY KEY (region, name),
		UNIQUE (pool_seq, custom)
	);
	CREATE INDEX user_pool_domains_by_name ON user_pool_domains (name, created_at);
	CREATE TABLE resource_servers (
		pool_seq   INTEGER NOT NULL REFERENCES user_pools(seq) ON DELETE CASCADE,
		identifier TEXT    NOT NULL,
		name       TEXT    NOT NULL,
		scopes     TEXT    NOT NULL, -- JSON array of {"Name","Description"}
		created_at INTEGER NOT NULL, -- unix milliseconds
		updated_at INTEGER NOT NULL,
		PRIMARY KEY (pool_seq, identifier)
	) WITHOUT ROWID;`,
}
