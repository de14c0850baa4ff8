package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/cognate/cognate/internal/storage"
)

// This file implements storage.TokenStore (migration 6: pool_signing_keys,
// revoked_tokens). These are cold paths (a pool's first token, sign-outs,
// and one indexed read per token check), so plain statements do.

var _ storage.TokenStore = (*Store)(nil)

func readKeys(ctx context.Context, db interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}, seq int64) ([]storage.SigningKey, error) {
	rows, err := db.QueryContext(ctx, `SELECT kid, private, created_at FROM pool_signing_keys WHERE pool_seq = ? ORDER BY created_at, kid`, seq)
	if err != nil {
		return nil, fmt.Errorf("read signing keys: %w", err)
	}
	defer rows.Close()
	keys := []storage.SigningKey{}
	for rows.Next() {
		var (
			k       storage.SigningKey
			created int64
		)
		if err := rows.Scan(&k.KeyID, &k.Private, &created); err != nil {
			return nil, fmt.Errorf("read signing keys: %w", err)
		}
		k.CreatedAt = time.UnixMilli(created).UTC()
		keys = append(keys, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read signing keys: %w", err)
	}
	return keys, nil
}

// SigningKeys implements storage.TokenStore.
func (s *Store) SigningKeys(ctx context.Context, pool storage.PoolKey) ([]storage.SigningKey, error) {
	seq, err := poolSeq(ctx, s.userR.poolSeq, pool)
	if err != nil {
		return nil, err
	}
	return readKeys(ctx, s.read, seq)
}

// EnsureSigningKey implements storage.TokenStore.
func (s *Store) EnsureSigningKey(ctx context.Context, pool storage.PoolKey, k storage.SigningKey) (storage.SigningKey, error) {
	var out storage.SigningKey
	err := s.do(ctx, func(w *write) error {
		seq, err := s.writerPoolSeq(ctx, w, pool)
		if err != nil {
			return err
		}
		keys, err := readKeys(ctx, w.tx, seq)
		if err != nil {
			return err
		}
		if len(keys) > 0 {
			out = keys[0]
			return nil
		}
		if _, err := w.tx.ExecContext(ctx, `INSERT INTO pool_signing_keys (pool_seq, kid, private, created_at) VALUES (?, ?, ?, ?)`,
			seq, k.KeyID, k.Private, k.CreatedAt.UnixMilli()); err != nil {
			return fmt.Errorf("insert signing key: %w", err)
		}
		out = k
		return nil
	})
	return out, err
}

// RevokeToken implements storage.TokenStore. Records are kept until the
// pool goes (the store has no clock to forget expired ones by).
func (s *Store) RevokeToken(ctx context.Context, pool storage.PoolKey, id string, expires time.Time) error {
	return s.do(ctx, func(w *write) error {
		seq, err := s.writerPoolSeq(ctx, w, pool)
		if err != nil {
			return err
		}
		if _, err := w.tx.ExecContext(ctx, `INSERT INTO revoked_tokens (pool_seq, origin_jti, expires_at) VALUES (?, ?, ?)
			ON CONFLICT (pool_seq, origin_jti) DO UPDATE SET expires_at = max(expires_at, excluded.expires_at)`,
			seq, id, expires.UnixMilli()); err != nil {
			return fmt.Errorf("revoke token: %w", err)
		}
		return nil
	})
}

// TokenRevoked implements storage.TokenStore.
func (s *Store) TokenRevoked(ctx context.Context, pool storage.PoolKey, id string) (bool, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM revoked_tokens r JOIN user_pools p ON p.seq = r.pool_seq
		WHERE p.account_id = ? AND p.region = ? AND p.id = ? AND r.origin_jti = ?`, pool.AccountID, pool.Region, pool.ID, id).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("read revocation: %w", err)
	}
	return n > 0, nil
}
