package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cognate/cognate/internal/storage"
)

var _ storage.FirehoseStore = (*Store)(nil)

// deliveryStreamColumns selects a stream with its buffer (the aggregate of its
// records); the queries using it join firehose_records as r and group by
// the stream.
const deliveryStreamColumns = `s.seq, s.account_id, s.region, s.name, s.created_at, s.version, s.destination, s.tags,
	COUNT(r.seq), COALESCE(SUM(r.size), 0), COALESCE(MIN(r.arrived_at), 0)`

func scanDeliveryStream(row scanner) (*storage.FirehoseStream, error) {
	var (
		st              storage.FirehoseStream
		created, oldest int64
		tags            string
	)
	if err := row.Scan(&st.ID, &st.AccountID, &st.Region, &st.Name, &created, &st.Version, &st.Destination, &tags,
		&st.BufferedRecords, &st.BufferedBytes, &oldest); err != nil {
		return nil, err
	}
	st.CreatedAt = time.UnixMilli(created).UTC()
	if st.BufferedRecords > 0 {
		st.OldestRecord = time.UnixMilli(oldest).UTC()
	}
	if err := json.Unmarshal([]byte(tags), &st.Tags); err != nil {
		return nil, fmt.Errorf("decode tags of delivery stream %s: %w", st.Name, err)
	}
	return &st, nil
}

func scanDeliveryStreams(rows *sql.Rows) ([]*storage.FirehoseStream, error) {
	defer rows.Close()
	var out []*storage.FirehoseStream
	for rows.Next() {
		st, err := scanDeliveryStream(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// getDeliveryStream reads one stream through q (the readers' pool or a write's
// transaction).
func getDeliveryStream(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, key storage.FirehoseStreamKey) (*storage.FirehoseStream, error) {
	st, err := scanDeliveryStream(q.QueryRowContext(ctx, `SELECT `+deliveryStreamColumns+`
		FROM firehose_streams s LEFT JOIN firehose_records r ON r.stream_seq = s.seq
		WHERE s.account_id = ? AND s.region = ? AND s.name = ? GROUP BY s.seq`,
		key.AccountID, key.Region, key.Name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, storage.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get delivery stream: %w", err)
	}
	return st, nil
}

// CreateFirehoseStream implements storage.FirehoseStore.
func (s *Store) CreateFirehoseStream(ctx context.Context, st *storage.FirehoseStream) error {
	tags, err := encodeTags(st.Tags)
	if err != nil {
		return fmt.Errorf("encode tags: %w", err)
	}
	return s.do(ctx, func(w *write) error {
		res, err := w.tx.Exec(`INSERT INTO firehose_streams (account_id, region, name, created_at, version, destination, tags)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, st.AccountID, st.Region, st.Name, st.CreatedAt.UnixMilli(), st.Version, st.Destination, tags)
		if isConstraint(err) {
			return storage.ErrAlreadyExists
		}
		if err != nil {
			return fmt.Errorf("insert delivery stream: %w", err)
		}
		if st.ID, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("insert delivery stream: %w", err)
		}
		return nil
	})
}

// GetFirehoseStream implements storage.FirehoseStore.
func (s *Store) GetFirehoseStream(ctx context.Context, key storage.FirehoseStreamKey) (*storage.FirehoseStream, error) {
	return getDeliveryStream(ctx, s.read, key)
}

// ListFirehoseStreams implements storage.FirehoseStore.
func (s *Store) ListFirehoseStreams(ctx context.Context, scope storage.Scope, after string, limit int) ([]*storage.FirehoseStream, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+deliveryStreamColumns+`
		FROM firehose_streams s LEFT JOIN firehose_records r ON r.stream_seq = s.seq
		WHERE s.account_id = ? AND s.region = ? AND s.name > ? GROUP BY s.seq ORDER BY s.name LIMIT ?`,
		scope.AccountID, scope.Region, after, limit)
	if err != nil {
		return nil, fmt.Errorf("list delivery streams: %w", err)
	}
	out, err := scanDeliveryStreams(rows)
	if err != nil {
		return nil, fmt.Errorf("list delivery streams: %w", err)
	}
	return out, nil
}

// BufferedFirehoseStreams implements storage.FirehoseStore.
func (s *Store) BufferedFirehoseStreams(ctx context.Context) ([]*storage.FirehoseStream, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+deliveryStreamColumns+`
		FROM firehose_streams s JOIN firehose_records r ON r.stream_seq = s.seq
		GROUP BY s.seq ORDER BY s.seq`)
	if err != nil {
		return nil, fmt.Errorf("list buffered delivery streams: %w", err)
	}
	out, err := scanDeliveryStreams(rows)
	if err != nil {
		return nil, fmt.Errorf("list buffered delivery streams: %w", err)
	}
	return out, nil
}

// UpdateFirehoseStreamTags implements storage.FirehoseStore.
func (s *Store) UpdateFirehoseStreamTags(ctx context.Context, key storage.FirehoseStreamKey, update func(map[string]string) (map[string]string, error)) (*storage.FirehoseStream, error) {
	var stored *storage.FirehoseStream
	err := s.do(ctx, func(w *write) error {
		st, err := getDeliveryStream(ctx, w.tx, key)
		if err != nil {
			return err
		}
		tags, err := update(st.Tags)
		if err != nil {
			return err
		}
		enc, err := encodeTags(tags)
		if err != nil {
			return fmt.Errorf("encode tags: %w", err)
		}
		if _, err := w.tx.Exec(`UPDATE firehose_streams SET tags = ? WHERE seq = ?`, enc, st.ID); err != nil {
			return fmt.Errorf("update delivery stream: %w", err)
		}
		st.Tags = tags
		stored = st
		return nil
	})
	if err != nil {
		return nil, err
	}
	return stored, nil
}

// DeleteFirehoseStream implements storage.FirehoseStore; the records go
// with the stream (ON DELETE CASCADE).
func (s *Store) DeleteFirehoseStream(ctx context.Context, key storage.FirehoseStreamKey) error {
	return s.do(ctx, func(w *write) error {
		res, err := w.tx.Exec(`DELETE FROM firehose_streams WHERE account_id = ? AND region = ? AND name = ?`, key.AccountID, key.Region, key.Name)
		if err != nil {
			return fmt.Errorf("delete delivery stream: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("delete delivery stream: %w", err)
		} else if n == 0 {
			return storage.ErrNotFound
		}
		return nil
	})
}

// PutFirehoseRecords implements storage.FirehoseStore.
func (s *Store) PutFirehoseRecords(ctx context.Context, key storage.FirehoseStreamKey, records []storage.FirehoseRecord) error {
	return s.do(ctx, func(w *write) error {
		var id int64
		err := w.tx.QueryRow(`SELECT seq FROM firehose_streams WHERE account_id = ? AND region = ? AND name = ?`,
			key.AccountID, key.Region, key.Name).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return storage.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("put delivery stream records: %w", err)
		}
		stmt, err := w.tx.Prepare(`INSERT INTO firehose_records (stream_seq, record_id, arrived_at, size, data) VALUES (?, ?, ?, ?, ?)`)
		if err != nil {
			return fmt.Errorf("put delivery stream records: %w", err)
		}
		defer stmt.Close()
		for i := range records {
			r := &records[i]
			data := r.Data
			if data == nil {
				data = []byte{} // NOT NULL: an empty record is a zero-length blob
			}
			res, err := stmt.Exec(id, r.RecordID, r.ArrivedAt.UnixMilli(), len(data), data)
			if err != nil {
				return fmt.Errorf("put delivery stream records: %w", err)
			}
			if r.Seq, err = res.LastInsertId(); err != nil {
				return fmt.Errorf("put delivery stream records: %w", err)
			}
		}
		return nil
	})
}

// FirehoseRecords implements storage.FirehoseStore.
func (s *Store) FirehoseRecords(ctx context.Context, streamID int64, maxBytes int64) ([]*storage.FirehoseRecord, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT seq, record_id, arrived_at, size, data FROM firehose_records
		WHERE stream_seq = ? ORDER BY seq`, streamID)
	if err != nil {
		return nil, fmt.Errorf("read delivery stream records: %w", err)
	}
	defer rows.Close()
	var (
		out   []*storage.FirehoseRecord
		total int64
	)
	for rows.Next() {
		var (
			r       storage.FirehoseRecord
			arrived int64
			size    int64
		)
		if err := rows.Scan(&r.Seq, &r.RecordID, &arrived, &size, &r.Data); err != nil {
			return nil, fmt.Errorf("read delivery stream records: %w", err)
		}
		if len(out) > 0 && total+size > maxBytes {
			break
		}
		r.ArrivedAt = time.UnixMilli(arrived).UTC()
		total += size
		out = append(out, &r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read delivery stream records: %w", err)
	}
	return out, nil
}

// AckFirehoseRecords implements storage.FirehoseStore.
func (s *Store) AckFirehoseRecords(ctx context.Context, streamID int64, through int64) error {
	return s.do(ctx, func(w *write) error {
		if _, err := w.tx.Exec(`DELETE FROM firehose_records WHERE stream_seq = ? AND seq <= ?`, streamID, through); err != nil {
			return fmt.Errorf("acknowledge delivery stream records: %w", err)
		}
		return nil
	})
}
