package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/cognate/cognate/internal/storage"
)

// insertDeliveries appends d to the outboxes inside tx, the transaction of
// the change that caused them, and assigns their Seq fields. Every write
// that takes storage.Deliveries calls it. It runs on the writer goroutine,
// which every write waits for: its statements are prepared once (outW),
// since parsing an INSERT costs SQLite more than running it.
func (s *Store) insertDeliveries(tx *sql.Tx, d storage.Deliveries) error {
	if len(d.Messages) > 0 {
		stmt := tx.Stmt(s.outW.insertMessage)
		for i := range d.Messages {
			m := &d.Messages[i]
			res, err := stmt.Exec(m.AccountID, m.Region, m.PoolID, m.Username, m.Medium, m.From, m.To, m.Subject, m.Body, m.Purpose,
				m.CreatedAt.UnixMilli(), m.Relayed, m.Failure)
			if err != nil {
				return fmt.Errorf("insert outbox message: %w", err)
			}
			if m.Seq, err = res.LastInsertId(); err != nil {
				return fmt.Errorf("insert outbox message: %w", err)
			}
		}
	}
	for i := range d.AuthEvents {
		e := &d.AuthEvents[i]
		if _, err := tx.Stmt(s.outW.insertAuthEvent).Exec(e.EventID, e.CreatedAt.UnixMilli(), e.Data, e.AccountID, e.Region, e.PoolID, e.UserKey); err != nil {
			if isConstraint(err) {
				return fmt.Errorf("insert auth event %s: %w", e.EventID, storage.ErrAlreadyExists)
			}
			return fmt.Errorf("insert auth event: %w", err)
		}
	}
	if len(d.Exports) > 0 {
		stmt := tx.Stmt(s.outW.insertExport)
		for i := range d.Exports {
			e := &d.Exports[i]
			res, err := stmt.Exec(e.AccountID, e.Region, e.PoolID, e.EventSource, e.DestinationType, e.DestinationARN, e.CreatedAt.UnixMilli(), e.Payload)
			if err != nil {
				return fmt.Errorf("insert export record: %w", err)
			}
			if e.Seq, err = res.LastInsertId(); err != nil {
				return fmt.Errorf("insert export record: %w", err)
			}
		}
	}
	return nil
}

var _ storage.OutboxStore = (*Store)(nil)

// outboxQueries are the exporter's statements, prepared once: it reads
// and acknowledges many times a second under load, and SQLite spends more
// time parsing a statement than running these.
type outboxQueries struct {
	pendingExports, ackExports  *sql.Stmt
	insertMessage, insertExport *sql.Stmt
	insertAuthEvent             *sql.Stmt
}

func prepareOutbox(db *sql.DB) (*outboxQueries, error) {
	q := &outboxQueries{}
	for _, s := range []struct {
		dst   **sql.Stmt
		query string
	}{
		{&q.pendingExports, `SELECT seq, account_id, region, pool_id, event_source, destination_type,
			destination_arn, created_at, payload
			FROM export_outbox WHERE seq > ? ORDER BY seq LIMIT ?`},
		// The sequence numbers travel as one JSON array so that a batch of
		// thousands is a single statement.
		{&q.ackExports, `DELETE FROM export_outbox WHERE seq IN (SELECT value FROM json_each(?))`},
		{&q.insertMessage, `INSERT INTO outbox_messages
			(account_id, region, pool_id, username, medium, sender, recipient, subject, body, purpose, created_at, relayed, failure)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&q.insertExport, `INSERT INTO export_outbox
			(account_id, region, pool_id, event_source, destination_type, destination_arn, created_at, payload)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`},
		// An event of a user that does not exist inserts nothing.
		{&q.insertAuthEvent, `INSERT INTO auth_events (user_seq, event_id, created_at, data)
			SELECT u.seq, ?, ?, ? FROM users u JOIN user_pools p ON p.seq = u.pool_seq
			WHERE p.account_id = ? AND p.region = ? AND p.id = ? AND u.key = ?`},
	} {
		stmt, err := db.Prepare(s.query)
		if err != nil {
			return nil, fmt.Errorf("prepare %q: %w", s.query, err)
		}
		*s.dst = stmt
	}
	return q, nil
}

// AppendDeliveries stores d in a transaction of its own.
func (s *Store) AppendDeliveries(ctx context.Context, d storage.Deliveries) error {
	if d.Empty() {
		return nil
	}
	return s.do(ctx, func(w *write) error { return s.insertDeliveries(w.tx, d) })
}

// ListMessages returns the messages of scope that q selects, oldest first.
// A Limit of 0 or less means no limit.
func (s *Store) ListMessages(ctx context.Context, scope storage.Scope, q storage.MessageQuery) ([]*storage.Message, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	// The (account_id, region, seq) index serves the range; the pool and
	// recipient filters are checked on the rows it yields.
	rows, err := s.read.QueryContext(ctx, `SELECT seq, account_id, region, pool_id, username, medium, sender, recipient,
			subject, body, purpose, created_at, relayed, failure
		FROM outbox_messages
		WHERE account_id = ? AND region = ? AND seq > ? AND (? = '' OR pool_id = ?) AND (? = '' OR recipient = ?)
		ORDER BY seq LIMIT ?`,
		scope.AccountID, scope.Region, q.After, q.PoolID, q.PoolID, q.To, q.To, limit)
	if err != nil {
		return nil, fmt.Errorf("list outbox messages: %w", err)
	}
	defer rows.Close()
	var out []*storage.Message
	for rows.Next() {
		var (
			m       storage.Message
			created int64
		)
		if err := rows.Scan(&m.Seq, &m.AccountID, &m.Region, &m.PoolID, &m.Username, &m.Medium, &m.From, &m.To,
			&m.Subject, &m.Body, &m.Purpose, &created, &m.Relayed, &m.Failure); err != nil {
			return nil, fmt.Errorf("list outbox messages: %w", err)
		}
		m.CreatedAt = time.UnixMilli(created).UTC()
		out = append(out, &m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list outbox messages: %w", err)
	}
	return out, nil
}

// PendingExports returns up to limit export records after the given
// sequence number, in Seq order. Rows are committed by the single writer
// in Seq order, so a reader that has seen Seq n will never later find an
// unseen row below n: the exporter can page with a cursor.
func (s *Store) PendingExports(ctx context.Context, after int64, limit int) ([]*storage.ExportRecord, error) {
	if limit <= 0 {
		limit = -1
	}
	rows, err := s.outR.pendingExports.QueryContext(ctx, after, limit)
	if err != nil {
		return nil, fmt.Errorf("read pending exports: %w", err)
	}
	defer rows.Close()
	var out []*storage.ExportRecord
	for rows.Next() {
		var (
			e       storage.ExportRecord
			created int64
		)
		if err := rows.Scan(&e.Seq, &e.AccountID, &e.Region, &e.PoolID, &e.EventSource, &e.DestinationType,
			&e.DestinationARN, &created, &e.Payload); err != nil {
			return nil, fmt.Errorf("read pending exports: %w", err)
		}
		e.CreatedAt = time.UnixMilli(created).UTC()
		out = append(out, &e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read pending exports: %w", err)
	}
	return out, nil
}

// AckExports deletes the delivered records in one transaction.
func (s *Store) AckExports(ctx context.Context, seqs []int64) error {
	if len(seqs) == 0 {
		return nil
	}
	list, err := json.Marshal(seqs)
	if err != nil {
		return fmt.Errorf("ack exports: %w", err)
	}
	return s.do(ctx, func(w *write) error {
		if _, err := w.tx.Stmt(s.outW.ackExports).Exec(string(list)); err != nil {
			return fmt.Errorf("ack exports: %w", err)
		}
		return nil
	})
}
