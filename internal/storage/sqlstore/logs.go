package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/cognate/cognate/internal/storage"
)

// This file implements storage.LogStore (schema: migration 3). Writes go
// through the same writer goroutine and group commit as the pools; reads use
// the read-only pool of connections. Statements are prepared once per
// handle, as in sqlite.go.

var _ storage.LogStore = (*Store)(nil)

// logQueries are the LogStore's statements, prepared on one handle.
type logQueries struct {
	getGroup, insertGroup, updateGroup, deleteGroup, deleteGroupEvents, listGroups *sql.Stmt
	groupAndStream, insertStream, updateStream, streamName, streamsInRange         *sql.Stmt
	listStreamsByName, listStreamsByNameDesc                                       *sql.Stmt
	listStreamsByTime, listStreamsByTimeDesc                                       *sql.Stmt
	insertEvent, insertEvents, addStoredBytes, expiredBytes, expireEvents          *sql.Stmt
	readStream, readStreamDesc, scanGroup                                          *sql.Stmt
	listPolicies, deletePolicies, insertPolicy                                     *sql.Stmt
}

const groupColumns = `seq, account_id, region, name, created_at, retention_days, kms_key_id, class, deletion_protection, tags, stored_bytes`

const streamColumns = `seq, name, created_at, last_seq, first_event_at, last_event_at, last_ingestion_at`

// eventsPerInsert is how many rows insertEvents writes in one statement:
// one statement per event costs more in the driver than in SQLite.
const eventsPerInsert = 64

// noBound is greater than every name: names are UTF-8 and no UTF-8 string
// has a 0xFF byte, and SQLite compares TEXT byte for byte.
const noBound = "\xff"

// The statements whose plans TestLogQueriesUseIndexes checks.
const (
	qListGroups = `SELECT ` + groupColumns + ` FROM log_groups
			WHERE account_id = ?1 AND region = ?2 AND name > ?3 AND name >= ?4 AND name < ?5
			AND (?6 = '' OR instr(name, ?6) > 0) AND (?7 = '' OR class = ?7)
			ORDER BY name LIMIT ?8`
	qListStreamsByName = `SELECT ` + streamColumns + ` FROM log_streams
			WHERE group_seq = ?1 AND name >= ?2 AND name < ?3 AND name > ?4 ORDER BY name LIMIT ?5`
	qListStreamsByNameDesc = `SELECT ` + streamColumns + ` FROM log_streams
			WHERE group_seq = ?1 AND name >= ?2 AND name < ?3 AND name < ?4 ORDER BY name DESC LIMIT ?5`
	qListStreamsByTime = `SELECT ` + streamColumns + ` FROM log_streams
			WHERE group_seq = ?1 AND (last_event_at, name) > (?2, ?3) ORDER BY last_event_at, name LIMIT ?4`
	qListStreamsByTimeDesc = `SELECT ` + streamColumns + ` FROM log_streams
			WHERE group_seq = ?1 AND (last_event_at, name) < (?2, ?3) ORDER BY last_event_at DESC, name DESC LIMIT ?4`
	qExpireEvents = `DELETE FROM log_events WHERE group_seq = ? AND timestamp < ?`
	qReadStream   = `SELECT timestamp, seq, ingestion_time, message FROM log_events
			WHERE stream_seq = ?1 AND timestamp >= ?2 AND timestamp < ?3 AND (timestamp, seq) > (?4, ?5) AND (timestamp, seq) < (?6, ?7)
			ORDER BY timestamp, seq LIMIT ?8`
	qReadStreamDesc = `SELECT timestamp, seq, ingestion_time, message FROM log_events
			WHERE stream_seq = ?1 AND timestamp >= ?2 AND timestamp < ?3 AND (timestamp, seq) > (?4, ?5) AND (timestamp, seq) < (?6, ?7)
			ORDER BY timestamp DESC, seq DESC LIMIT ?8`
	qScanGroup = `SELECT timestamp, ingestion_time, stream_seq, seq, message FROM log_events
			WHERE group_seq = ?1 AND timestamp >= ?2 AND timestamp < ?3
			AND (timestamp, ingestion_time, stream_seq, seq) > (?4, ?5, ?6, ?7)
			ORDER BY timestamp, ingestion_time, stream_seq, seq`
	qDeleteGroupEvents = `DELETE FROM log_events WHERE group_seq = ?`
	qStreamsInRange    = `SELECT seq, name FROM log_streams WHERE group_seq = ? AND name >= ? AND name < ?`
)

func prepareLogs(db *sql.DB) (*logQueries, error) {
	q := &logQueries{}
	values := strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?), ", eventsPerInsert), ", ")
	for _, s := range []struct {
		dst   **sql.Stmt
		query string
	}{
		{&q.getGroup, `SELECT ` + groupColumns + ` FROM log_groups WHERE account_id = ? AND region = ? AND name = ?`},
		{&q.insertGroup, `INSERT INTO log_groups (account_id, region, name, created_at, retention_days, kms_key_id, class, deletion_protection, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&q.updateGroup, `UPDATE log_groups SET retention_days = ?, kms_key_id = ?, deletion_protection = ?, tags = ? WHERE seq = ?`},
		{&q.deleteGroup, `DELETE FROM log_groups WHERE seq = ?`},
		{&q.deleteGroupEvents, qDeleteGroupEvents},
		// The prefix is a range of the (account_id, region, name) index, so
		// a page reads only what it returns (and what the pattern skips).
		{&q.listGroups, qListGroups},
		// One statement tells a missing group from a missing stream.
		{&q.groupAndStream, `SELECT g.seq, s.seq, s.name, s.created_at, s.last_seq, s.first_event_at, s.last_event_at, s.last_ingestion_at
			FROM log_groups g LEFT JOIN log_streams s ON s.group_seq = g.seq AND s.name = ?4
			WHERE g.account_id = ?1 AND g.region = ?2 AND g.name = ?3`},
		{&q.insertStream, `INSERT INTO log_streams (group_seq, name, created_at) VALUES (?, ?, ?)`},
		{&q.updateStream, `UPDATE log_streams SET last_seq = ?, first_event_at = ?, last_event_at = ?, last_ingestion_at = ? WHERE seq = ?`},
		{&q.streamName, `SELECT name FROM log_streams WHERE seq = ?`},
		{&q.streamsInRange, qStreamsInRange},
		{&q.listStreamsByName, qListStreamsByName},
		{&q.listStreamsByNameDesc, qListStreamsByNameDesc},
		{&q.listStreamsByTime, qListStreamsByTime},
		{&q.listStreamsByTimeDesc, qListStreamsByTimeDesc},
		{&q.insertEvent, `INSERT INTO log_events (group_seq, timestamp, ingestion_time, stream_seq, seq, message) VALUES (?, ?, ?, ?, ?, ?)`},
		{&q.insertEvents, `INSERT INTO log_events (group_seq, timestamp, ingestion_time, stream_seq, seq, message) VALUES ` + values},
		{&q.addStoredBytes, `UPDATE log_groups SET stored_bytes = stored_bytes + ? WHERE seq = ?`},
		{&q.expiredBytes, `SELECT COALESCE(SUM(length(CAST(message AS BLOB))), 0), COUNT(*) FROM log_events WHERE group_seq = ? AND timestamp < ?`},
		{&q.expireEvents, qExpireEvents},
		{&q.readStream, qReadStream},
		{&q.readStreamDesc, qReadStreamDesc},
		{&q.scanGroup, qScanGroup},
		{&q.listPolicies, `SELECT name, document, updated_at FROM log_resource_policies WHERE account_id = ? AND region = ? ORDER BY name`},
		{&q.deletePolicies, `DELETE FROM log_resource_policies WHERE account_id = ? AND region = ?`},
		{&q.insertPolicy, `INSERT INTO log_resource_policies (account_id, region, name, document, updated_at) VALUES (?, ?, ?, ?, ?)`},
	} {
		stmt, err := db.Prepare(s.query)
		if err != nil {
			return nil, fmt.Errorf("prepare %q: %w", s.query, err)
		}
		*s.dst = stmt
	}
	return q, nil
}

// prefixRange returns the names that start with prefix as [lo, hi).
func prefixRange(prefix string) (lo, hi string) {
	if prefix == "" {
		return "", noBound
	}
	// The successor of a UTF-8 prefix: its last byte plus one. UTF-8 never
	// uses 0xFF, so the last byte is at most 0xFE and does not overflow.
	b := []byte(prefix)
	b[len(b)-1]++
	return prefix, string(b)
}

func scanGroup(row scanner) (int64, *storage.LogGroup, error) {
	var (
		seq  int64
		g    storage.LogGroup
		prot int64
		tags string
	)
	if err := row.Scan(&seq, &g.AccountID, &g.Region, &g.Name, &g.CreationTime, &g.RetentionInDays, &g.KMSKeyID, &g.Class, &prot, &tags, &g.StoredBytes); err != nil {
		return 0, nil, err
	}
	g.DeletionProtection = prot != 0
	if err := json.Unmarshal([]byte(tags), &g.Tags); err != nil {
		return 0, nil, fmt.Errorf("decode tags of log group %s: %w", g.Name, err)
	}
	return seq, &g, nil
}

func scanStream(row scanner) (*storage.LogStream, error) {
	var st storage.LogStream
	if err := row.Scan(&st.ID, &st.Name, &st.CreationTime, &st.LastSequence, &st.FirstEventTimestamp, &st.LastEventTimestamp, &st.LastIngestionTime); err != nil {
		return nil, err
	}
	return &st, nil
}

func getGroup(ctx context.Context, stmt *sql.Stmt, key storage.LogGroupKey) (int64, *storage.LogGroup, error) {
	seq, g, err := scanGroup(stmt.QueryRowContext(ctx, key.AccountID, key.Region, key.Name))
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil, storage.ErrLogGroupNotFound
	}
	if err != nil {
		return 0, nil, fmt.Errorf("get log group: %w", err)
	}
	return seq, g, nil
}

// groupAndStream resolves a stream key: the group's seq and the stream, or
// nil when the group exists without that stream.
func groupAndStream(ctx context.Context, stmt *sql.Stmt, key storage.LogStreamKey) (int64, *storage.LogStream, error) {
	var (
		groupSeq                  int64
		streamSeq, created, last  sql.NullInt64
		first, lastEvent, lastIng sql.NullInt64
		name                      sql.NullString
	)
	err := stmt.QueryRowContext(ctx, key.AccountID, key.Region, key.Name, key.Stream).
		Scan(&groupSeq, &streamSeq, &name, &created, &last, &first, &lastEvent, &lastIng)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil, storage.ErrLogGroupNotFound
	}
	if err != nil {
		return 0, nil, fmt.Errorf("get log stream: %w", err)
	}
	if !streamSeq.Valid {
		return groupSeq, nil, nil
	}
	return groupSeq, &storage.LogStream{
		ID: streamSeq.Int64, Name: name.String, CreationTime: created.Int64, LastSequence: last.Int64,
		FirstEventTimestamp: first.Int64, LastEventTimestamp: lastEvent.Int64, LastIngestionTime: lastIng.Int64,
	}, nil
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// CreateLogGroup implements storage.LogStore.
func (s *Store) CreateLogGroup(ctx context.Context, g *storage.LogGroup) error {
	tags, err := encodeTags(g.Tags)
	if err != nil {
		return fmt.Errorf("encode tags: %w", err)
	}
	return s.do(ctx, func(w *write) error {
		_, err := w.tx.Stmt(s.logW.insertGroup).Exec(g.AccountID, g.Region, g.Name, g.CreationTime, g.RetentionInDays, g.KMSKeyID, g.Class, boolInt(g.DeletionProtection), tags)
		if isConstraint(err) {
			return storage.ErrAlreadyExists
		}
		if err != nil {
			return fmt.Errorf("insert log group: %w", err)
		}
		return nil
	})
}

// GetLogGroup implements storage.LogStore.
func (s *Store) GetLogGroup(ctx context.Context, key storage.LogGroupKey) (*storage.LogGroup, error) {
	_, g, err := getGroup(ctx, s.logR.getGroup, key)
	return g, err
}

// UpdateLogGroup implements storage.LogStore.
func (s *Store) UpdateLogGroup(ctx context.Context, key storage.LogGroupKey, update func(*storage.LogGroup) error) (*storage.LogGroup, error) {
	var stored *storage.LogGroup
	err := s.do(ctx, func(w *write) error {
		seq, g, err := getGroup(ctx, w.tx.Stmt(s.logW.getGroup), key)
		if err != nil {
			return err
		}
		keep := *g
		if err := update(g); err != nil {
			return err
		}
		tags, err := encodeTags(g.Tags)
		if err != nil {
			return fmt.Errorf("encode tags: %w", err)
		}
		if _, err := w.tx.Stmt(s.logW.updateGroup).Exec(g.RetentionInDays, g.KMSKeyID, boolInt(g.DeletionProtection), tags, seq); err != nil {
			return fmt.Errorf("update log group: %w", err)
		}
		// What the update may not change is reported as stored.
		g.AccountID, g.Region, g.Name = keep.AccountID, keep.Region, keep.Name
		g.CreationTime, g.Class, g.StoredBytes = keep.CreationTime, keep.Class, keep.StoredBytes
		stored = g
		return nil
	})
	if err != nil {
		return nil, err
	}
	return stored, nil
}

// DeleteLogGroup implements storage.LogStore.
func (s *Store) DeleteLogGroup(ctx context.Context, key storage.LogGroupKey, check func(*storage.LogGroup) error) error {
	return s.do(ctx, func(w *write) error {
		seq, g, err := getGroup(ctx, w.tx.Stmt(s.logW.getGroup), key)
		if err != nil {
			return err
		}
		if check != nil {
			if err := check(g); err != nil {
				return err
			}
		}
		// The events first, as one range of the table's key; the streams
		// then go with the group (ON DELETE CASCADE) and find no events
		// left to cascade to.
		if _, err := w.tx.Stmt(s.logW.deleteGroupEvents).Exec(seq); err != nil {
			return fmt.Errorf("delete log events: %w", err)
		}
		if _, err := w.tx.Stmt(s.logW.deleteGroup).Exec(seq); err != nil {
			return fmt.Errorf("delete log group: %w", err)
		}
		return nil
	})
}

// ListLogGroups implements storage.LogStore.
func (s *Store) ListLogGroups(ctx context.Context, scope storage.Scope, q storage.LogGroupQuery) ([]*storage.LogGroup, bool, error) {
	limit := max(q.Limit, 1)
	if q.Names != nil {
		return s.listNamedGroups(ctx, scope, q, limit)
	}
	lo, hi := prefixRange(q.NamePrefix)
	rows, err := s.logR.listGroups.QueryContext(ctx, scope.AccountID, scope.Region, q.After, lo, hi, q.NameContains, q.Class, limit+1)
	if err != nil {
		return nil, false, fmt.Errorf("list log groups: %w", err)
	}
	defer rows.Close()
	var groups []*storage.LogGroup
	for rows.Next() {
		_, g, err := scanGroup(rows)
		if err != nil {
			return nil, false, fmt.Errorf("list log groups: %w", err)
		}
		groups = append(groups, g)
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("list log groups: %w", err)
	}
	if len(groups) > limit {
		return groups[:limit], true, nil
	}
	return groups, false, nil
}

// listNamedGroups answers a query with Names: at most a few dozen lookups.
func (s *Store) listNamedGroups(ctx context.Context, scope storage.Scope, q storage.LogGroupQuery, limit int) ([]*storage.LogGroup, bool, error) {
	names := slices.Clone(q.Names)
	slices.Sort(names)
	names = slices.Compact(names)
	var groups []*storage.LogGroup
	for _, name := range names {
		if name <= q.After || !strings.HasPrefix(name, q.NamePrefix) || !strings.Contains(name, q.NameContains) {
			continue
		}
		_, g, err := getGroup(ctx, s.logR.getGroup, storage.LogGroupKey{Scope: scope, Name: name})
		if errors.Is(err, storage.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, false, err
		}
		if q.Class != "" && g.Class != q.Class {
			continue
		}
		if len(groups) == limit {
			return groups, true, nil
		}
		groups = append(groups, g)
	}
	return groups, false, nil
}

// CreateLogStream implements storage.LogStore.
func (s *Store) CreateLogStream(ctx context.Context, key storage.LogStreamKey, creationTime int64) (*storage.LogStream, error) {
	var created *storage.LogStream
	err := s.do(ctx, func(w *write) error {
		groupSeq, st, err := groupAndStream(ctx, w.tx.Stmt(s.logW.groupAndStream), key)
		if err != nil {
			return err
		}
		if st != nil {
			return storage.ErrAlreadyExists
		}
		created, err = s.insertStream(w.tx, groupSeq, key.Stream, creationTime)
		return err
	})
	if err != nil {
		return nil, err
	}
	return created, nil
}

func (s *Store) insertStream(tx *sql.Tx, groupSeq int64, name string, creationTime int64) (*storage.LogStream, error) {
	res, err := tx.Stmt(s.logW.insertStream).Exec(groupSeq, name, creationTime)
	if err != nil {
		return nil, fmt.Errorf("insert log stream: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return nil, fmt.Errorf("insert log stream: %w", err)
	}
	return &storage.LogStream{ID: id, Name: name, CreationTime: creationTime, FirstEventTimestamp: -1, LastEventTimestamp: -1, LastIngestionTime: -1}, nil
}

// GetLogStream implements storage.LogStore.
func (s *Store) GetLogStream(ctx context.Context, key storage.LogStreamKey) (*storage.LogStream, error) {
	_, st, err := groupAndStream(ctx, s.logR.groupAndStream, key)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return nil, storage.ErrLogStreamNotFound
	}
	return st, nil
}

// ListLogStreams implements storage.LogStore.
func (s *Store) ListLogStreams(ctx context.Context, group storage.LogGroupKey, q storage.LogStreamQuery) ([]*storage.LogStream, bool, error) {
	limit := max(q.Limit, 1)
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, false, fmt.Errorf("list log streams: %w", err)
	}
	defer tx.Rollback()
	groupSeq, _, err := getGroup(ctx, tx.Stmt(s.logR.getGroup), group)
	if err != nil {
		return nil, false, err
	}
	var rows *sql.Rows
	switch {
	case q.OrderBy == storage.OrderByLastEventTime && !q.Descending:
		at, name := int64(math.MinInt64), ""
		if q.After != nil {
			at, name = q.After.LastEventTimestamp, q.After.Name
		}
		rows, err = tx.Stmt(s.logR.listStreamsByTime).QueryContext(ctx, groupSeq, at, name, limit+1)
	case q.OrderBy == storage.OrderByLastEventTime:
		at, name := int64(math.MaxInt64), noBound
		if q.After != nil {
			at, name = q.After.LastEventTimestamp, q.After.Name
		}
		rows, err = tx.Stmt(s.logR.listStreamsByTimeDesc).QueryContext(ctx, groupSeq, at, name, limit+1)
	default:
		lo, hi := prefixRange(q.NamePrefix)
		if q.Descending {
			after := noBound
			if q.After != nil {
				after = q.After.Name
			}
			rows, err = tx.Stmt(s.logR.listStreamsByNameDesc).QueryContext(ctx, groupSeq, lo, hi, after, limit+1)
		} else {
			after := ""
			if q.After != nil {
				after = q.After.Name
			}
			rows, err = tx.Stmt(s.logR.listStreamsByName).QueryContext(ctx, groupSeq, lo, hi, after, limit+1)
		}
	}
	if err != nil {
		return nil, false, fmt.Errorf("list log streams: %w", err)
	}
	defer rows.Close()
	var streams []*storage.LogStream
	for rows.Next() {
		st, err := scanStream(rows)
		if err != nil {
			return nil, false, fmt.Errorf("list log streams: %w", err)
		}
		streams = append(streams, st)
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("list log streams: %w", err)
	}
	if len(streams) > limit {
		return streams[:limit], true, nil
	}
	return streams, false, nil
}

// PutLogEvents implements storage.LogStore.
func (s *Store) PutLogEvents(ctx context.Context, key storage.LogStreamKey, events []storage.LogEvent, opts storage.PutLogEventsOptions) (*storage.LogStream, error) {
	var stored *storage.LogStream
	err := s.do(ctx, func(w *write) error {
		tx := w.tx
		groupSeq, st, err := groupAndStream(ctx, tx.Stmt(s.logW.groupAndStream), key)
		if err != nil {
			return err
		}
		if st == nil {
			if !opts.CreateStream {
				return storage.ErrLogStreamNotFound
			}
			if st, err = s.insertStream(tx, groupSeq, key.Stream, opts.CreationTime); err != nil {
				return err
			}
		}
		if err := s.insertEvents(tx, groupSeq, st, events); err != nil {
			return err
		}
		if opts.ExpireBefore > 0 {
			if _, err := s.expire(tx, groupSeq, opts.ExpireBefore); err != nil {
				return err
			}
		}
		stored = st
		return nil
	})
	if err != nil {
		return nil, err
	}
	return stored, nil
}

// insertEvents appends events to st (updating it) and its group's stored
// bytes, inside tx.
func (s *Store) insertEvents(tx *sql.Tx, groupSeq int64, st *storage.LogStream, events []storage.LogEvent) error {
	if len(events) == 0 {
		return nil
	}
	var bytes int64
	seq := st.LastSequence
	many, one := tx.Stmt(s.logW.insertEvents), tx.Stmt(s.logW.insertEvent)
	args := make([]any, 0, 6*eventsPerInsert)
	for start := 0; start < len(events); start += eventsPerInsert {
		chunk := events[start:min(start+eventsPerInsert, len(events))]
		args = args[:0]
		for i := range chunk {
			e := &chunk[i]
			seq++
			bytes += int64(len(e.Message))
			args = append(args, groupSeq, e.Timestamp, e.IngestionTime, st.ID, seq, e.Message)
			if st.FirstEventTimestamp < 0 || e.Timestamp < st.FirstEventTimestamp {
				st.FirstEventTimestamp = e.Timestamp
			}
			st.LastEventTimestamp = max(st.LastEventTimestamp, e.Timestamp)
			st.LastIngestionTime = max(st.LastIngestionTime, e.IngestionTime)
		}
		if len(chunk) == eventsPerInsert {
			if _, err := many.Exec(args...); err != nil {
				return fmt.Errorf("insert log events: %w", err)
			}
			continue
		}
		for j := 0; j < len(args); j += 6 {
			if _, err := one.Exec(args[j : j+6]...); err != nil {
				return fmt.Errorf("insert log events: %w", err)
			}
		}
	}
	st.LastSequence = seq
	if _, err := tx.Stmt(s.logW.updateStream).Exec(st.LastSequence, st.FirstEventTimestamp, st.LastEventTimestamp, st.LastIngestionTime, st.ID); err != nil {
		return fmt.Errorf("update log stream: %w", err)
	}
	if _, err := tx.Stmt(s.logW.addStoredBytes).Exec(bytes, groupSeq); err != nil {
		return fmt.Errorf("update stored bytes: %w", err)
	}
	return nil
}

// expire deletes the events of a group older than before, inside tx.
func (s *Store) expire(tx *sql.Tx, groupSeq, before int64) (int64, error) {
	var bytes, n int64
	if err := tx.Stmt(s.logW.expiredBytes).QueryRow(groupSeq, before).Scan(&bytes, &n); err != nil {
		return 0, fmt.Errorf("expire log events: %w", err)
	}
	if n == 0 {
		return 0, nil
	}
	if _, err := tx.Stmt(s.logW.expireEvents).Exec(groupSeq, before); err != nil {
		return 0, fmt.Errorf("expire log events: %w", err)
	}
	if _, err := tx.Stmt(s.logW.addStoredBytes).Exec(-bytes, groupSeq); err != nil {
		return 0, fmt.Errorf("update stored bytes: %w", err)
	}
	return n, nil
}

// ExpireLogEvents implements storage.LogStore.
func (s *Store) ExpireLogEvents(ctx context.Context, group storage.LogGroupKey, before int64) (int64, error) {
	var n int64
	err := s.do(ctx, func(w *write) error {
		seq, _, err := getGroup(ctx, w.tx.Stmt(s.logW.getGroup), group)
		if err != nil {
			return err
		}
		n, err = s.expire(w.tx, seq, before)
		return err
	})
	return n, err
}

// ReadLogStream implements storage.LogStore.
func (s *Store) ReadLogStream(ctx context.Context, key storage.LogStreamKey, r storage.StreamRead) ([]storage.LogEvent, error) {
	_, st, err := groupAndStream(ctx, s.logR.groupAndStream, key)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return nil, storage.ErrLogStreamNotFound
	}
	after := storage.StreamPosition{Timestamp: math.MinInt64}
	if r.After != nil {
		after = *r.After
	}
	before := storage.StreamPosition{Timestamp: math.MaxInt64, Seq: math.MaxInt64}
	if r.Before != nil {
		before = *r.Before
	}
	stmt := s.logR.readStream
	if r.Backward {
		stmt = s.logR.readStreamDesc
	}
	// The position bounds narrow the timestamp range too, so that the index
	// range starts (or ends) at the cursor: paging through a stream reads
	// each event once rather than skipping over every earlier page.
	start, end := max(r.Start, after.Timestamp), r.End
	if before.Timestamp < math.MaxInt64 {
		end = min(end, before.Timestamp+1)
	}
	rows, err := stmt.QueryContext(ctx, st.ID, start, end, after.Timestamp, after.Seq, before.Timestamp, before.Seq, max(r.Limit, 1))
	if err != nil {
		return nil, fmt.Errorf("read log stream: %w", err)
	}
	defer rows.Close()
	var events []storage.LogEvent
	for rows.Next() {
		e := storage.LogEvent{Stream: st.Name, StreamID: st.ID}
		if err := rows.Scan(&e.Timestamp, &e.Seq, &e.IngestionTime, &e.Message); err != nil {
			return nil, fmt.Errorf("read log stream: %w", err)
		}
		events = append(events, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read log stream: %w", err)
	}
	if r.Backward {
		slices.Reverse(events)
	}
	return events, nil
}

// ScanLogEvents implements storage.LogStore.
func (s *Store) ScanLogEvents(ctx context.Context, group storage.LogGroupKey, q storage.GroupScan, fn func(storage.LogEvent) bool) error {
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("scan log events: %w", err)
	}
	defer tx.Rollback()
	groupSeq, _, err := getGroup(ctx, tx.Stmt(s.logR.getGroup), group)
	if err != nil {
		return err
	}
	// names maps the stream IDs seen (or, with a stream filter, allowed)
	// to their names.
	names := map[int64]string{}
	filtered := q.Streams != nil || q.StreamPrefix != ""
	if filtered {
		if err := s.selectStreams(ctx, tx, groupSeq, q, names); err != nil {
			return err
		}
		if len(names) == 0 {
			return nil
		}
	}
	after := storage.GroupPosition{Timestamp: math.MinInt64}
	if q.After != nil {
		after = *q.After
	}
	// As in ReadLogStream, the cursor narrows the index range.
	start := max(q.Start, after.Timestamp)
	rows, err := tx.Stmt(s.logR.scanGroup).QueryContext(ctx, groupSeq, start, q.End, after.Timestamp, after.IngestionTime, after.StreamID, after.Seq)
	if err != nil {
		return fmt.Errorf("scan log events: %w", err)
	}
	defer rows.Close()
	nameOf := tx.Stmt(s.logR.streamName)
	for rows.Next() {
		var e storage.LogEvent
		if err := rows.Scan(&e.Timestamp, &e.IngestionTime, &e.StreamID, &e.Seq, &e.Message); err != nil {
			return fmt.Errorf("scan log events: %w", err)
		}
		name, ok := names[e.StreamID]
		if !ok {
			if filtered {
				continue
			}
			if err := nameOf.QueryRowContext(ctx, e.StreamID).Scan(&name); err != nil {
				return fmt.Errorf("scan log events: stream %d: %w", e.StreamID, err)
			}
			names[e.StreamID] = name
		}
		e.Stream = name
		if !fn(e) {
			return nil
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("scan log events: %w", err)
	}
	return nil
}

// selectStreams fills names with the streams of a group that a scan's
// stream filter keeps.
func (s *Store) selectStreams(ctx context.Context, tx *sql.Tx, groupSeq int64, q storage.GroupScan, names map[int64]string) error {
	lo, hi := prefixRange(q.StreamPrefix)
	rows, err := tx.Stmt(s.logR.streamsInRange).QueryContext(ctx, groupSeq, lo, hi)
	if err != nil {
		return fmt.Errorf("scan log events: %w", err)
	}
	defer rows.Close()
	var wanted map[string]bool
	if q.Streams != nil {
		wanted = make(map[string]bool, len(q.Streams))
		for _, n := range q.Streams {
			wanted[n] = true
		}
	}
	for rows.Next() {
		var (
			id   int64
			name string
		)
		if err := rows.Scan(&id, &name); err != nil {
			return fmt.Errorf("scan log events: %w", err)
		}
		if wanted == nil || wanted[name] {
			names[id] = name
		}
	}
	return rows.Err()
}

// ResourcePolicies implements storage.LogStore.
func (s *Store) ResourcePolicies(ctx context.Context, scope storage.Scope) ([]*storage.ResourcePolicy, error) {
	return listPolicies(ctx, s.logR.listPolicies, scope)
}

func listPolicies(ctx context.Context, stmt *sql.Stmt, scope storage.Scope) ([]*storage.ResourcePolicy, error) {
	rows, err := stmt.QueryContext(ctx, scope.AccountID, scope.Region)
	if err != nil {
		return nil, fmt.Errorf("list resource policies: %w", err)
	}
	defer rows.Close()
	var policies []*storage.ResourcePolicy
	for rows.Next() {
		var p storage.ResourcePolicy
		if err := rows.Scan(&p.Name, &p.Document, &p.LastUpdatedTime); err != nil {
			return nil, fmt.Errorf("list resource policies: %w", err)
		}
		policies = append(policies, &p)
	}
	return policies, rows.Err()
}

// UpdateResourcePolicies implements storage.LogStore.
func (s *Store) UpdateResourcePolicies(ctx context.Context, scope storage.Scope, update func([]*storage.ResourcePolicy) ([]*storage.ResourcePolicy, error)) error {
	return s.do(ctx, func(w *write) error {
		current, err := listPolicies(ctx, w.tx.Stmt(s.logW.listPolicies), scope)
		if err != nil {
			return err
		}
		next, err := update(current)
		if err != nil {
			return err
		}
		// At most a few policies per scope: replacing them all is simpler
		// than diffing and as fast.
		if _, err := w.tx.Stmt(s.logW.deletePolicies).Exec(scope.AccountID, scope.Region); err != nil {
			return fmt.Errorf("replace resource policies: %w", err)
		}
		insert := w.tx.Stmt(s.logW.insertPolicy)
		for _, p := range next {
			if _, err := insert.Exec(scope.AccountID, scope.Region, p.Name, p.Document, p.LastUpdatedTime); err != nil {
				if isConstraint(err) {
					return fmt.Errorf("replace resource policies: duplicate name %q", p.Name)
				}
				return fmt.Errorf("replace resource policies: %w", err)
			}
		}
		return nil
	})
}
