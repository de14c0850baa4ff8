package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/cognate/cognate/internal/storage"
)

// This file implements storage.AuthEventStore (migration 7). Events are
// inserted with the change that caused them (insertDeliveries); here they
// are listed and given feedback.

var _ storage.AuthEventStore = (*Store)(nil)

const authEventsOfUser = `FROM auth_events e JOIN users u ON u.seq = e.user_seq JOIN user_pools p ON p.seq = u.pool_seq
	WHERE p.account_id = ? AND p.region = ? AND p.id = ? AND u.key = ?`

// ListAuthEvents implements storage.AuthEventStore.
func (s *Store) ListAuthEvents(ctx context.Context, key storage.UserKey, after *storage.AuthEventCursor, limit int) ([]*storage.AuthEvent, error) {
	if _, err := s.GetUser(ctx, key); err != nil {
		return nil, err
	}
	args := []any{key.AccountID, key.Region, key.ID, key.Key}
	query := `SELECT e.event_id, e.created_at, e.data ` + authEventsOfUser
	if after != nil {
		ms := after.CreatedAt.UnixMilli()
		query += ` AND (e.created_at < ? OR (e.created_at = ? AND e.event_id < ?))`
		args = append(args, ms, ms, after.EventID)
	}
	query += ` ORDER BY e.created_at DESC, e.event_id DESC LIMIT ?`
	args = append(args, limit)
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list auth events: %w", err)
	}
	defer rows.Close()
	var out []*storage.AuthEvent
	for rows.Next() {
		e := &storage.AuthEvent{AccountID: key.AccountID, Region: key.Region, PoolID: key.ID, UserKey: key.Key}
		var ms int64
		if err := rows.Scan(&e.EventID, &ms, &e.Data); err != nil {
			return nil, fmt.Errorf("list auth events: %w", err)
		}
		e.CreatedAt = time.UnixMilli(ms).UTC()
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list auth events: %w", err)
	}
	return out, nil
}

// UpdateAuthEvent implements storage.AuthEventStore.
func (s *Store) UpdateAuthEvent(ctx context.Context, key storage.UserKey, eventID string, update func(*storage.AuthEvent) error) (*storage.AuthEvent, error) {
	var (
		stored    *storage.AuthEvent
		updateErr error
	)
	err := s.do(ctx, func(w *write) error {
		ctx := context.WithoutCancel(ctx)
		var userSeq, ms int64
		e := &storage.AuthEvent{AccountID: key.AccountID, Region: key.Region, PoolID: key.ID, UserKey: key.Key, EventID: eventID}
		err := w.tx.QueryRowContext(ctx, `SELECT e.user_seq, e.created_at, e.data `+authEventsOfUser+` AND e.event_id = ?`,
			key.AccountID, key.Region, key.ID, key.Key, eventID).Scan(&userSeq, &ms, &e.Data)
		if errors.Is(err, sql.ErrNoRows) {
			return storage.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("get auth event: %w", err)
		}
		e.CreatedAt = time.UnixMilli(ms).UTC()
		if updateErr = update(e); updateErr != nil {
			return nil
		}
		if _, err := w.tx.ExecContext(ctx, `UPDATE auth_events SET data = ? WHERE user_seq = ? AND event_id = ?`, e.Data, userSeq, eventID); err != nil {
			return fmt.Errorf("update auth event: %w", err)
		}
		stored = e
		return nil
	})
	if err != nil {
		return nil, err
	}
	if updateErr != nil {
		return nil, updateErr
	}
	return stored, nil
}

// GetRiskConfiguration implements storage.AuthEventStore.
func (s *Store) GetRiskConfiguration(ctx context.Context, pool storage.PoolKey, clientID string) (*storage.RiskConfiguration, error) {
	c := &storage.RiskConfiguration{AccountID: pool.AccountID, Region: pool.Region, PoolID: pool.ID, ClientID: clientID}
	var ms int64
	err := s.read.QueryRowContext(ctx, `SELECT r.updated_at, r.data FROM risk_configurations r JOIN user_pools p ON p.seq = r.pool_seq
		WHERE p.account_id = ? AND p.region = ? AND p.id = ? AND r.client_id = ?`, pool.AccountID, pool.Region, pool.ID, clientID).Scan(&ms, &c.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, storage.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get risk configuration: %w", err)
	}
	c.UpdatedAt = time.UnixMilli(ms).UTC()
	return c, nil
}

// PutRiskConfiguration implements storage.AuthEventStore.
func (s *Store) PutRiskConfiguration(ctx context.Context, c *storage.RiskConfiguration) error {
	return s.do(ctx, func(w *write) error {
		ctx := context.WithoutCancel(ctx)
		pool, err := s.writerPoolSeq(ctx, w, storage.PoolKey{Scope: storage.Scope{AccountID: c.AccountID, Region: c.Region}, ID: c.PoolID})
		if err != nil {
			return err
		}
		if c.ClientID != "" {
			var one int
			err := w.tx.QueryRowContext(ctx, `SELECT 1 FROM app_clients WHERE pool_seq = ? AND client_id = ?`, pool, c.ClientID).Scan(&one)
			if errors.Is(err, sql.ErrNoRows) {
				return storage.ErrNotFound
			}
			if err != nil {
				return fmt.Errorf("put risk configuration: %w", err)
			}
		}
		_, err = w.tx.ExecContext(ctx, `INSERT INTO risk_configurations (pool_seq, client_id, updated_at, data) VALUES (?, ?, ?, ?)
			ON CONFLICT (pool_seq, client_id) DO UPDATE SET updated_at = excluded.updated_at, data = excluded.data`,
			pool, c.ClientID, c.UpdatedAt.UnixMilli(), c.Data)
		if err != nil {
			return fmt.Errorf("put risk configuration: %w", err)
		}
		return nil
	})
}

// DeleteRiskConfiguration implements storage.AuthEventStore.
func (s *Store) DeleteRiskConfiguration(ctx context.Context, pool storage.PoolKey, clientID string) error {
	return s.do(ctx, func(w *write) error {
		_, err := w.tx.ExecContext(context.WithoutCancel(ctx), `DELETE FROM risk_configurations WHERE client_id = ? AND pool_seq =
			(SELECT seq FROM user_pools WHERE account_id = ? AND region = ? AND id = ?)`, clientID, pool.AccountID, pool.Region, pool.ID)
		if err != nil {
			return fmt.Errorf("delete risk configuration: %w", err)
		}
		return nil
	})
}
