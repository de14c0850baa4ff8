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

// This file implements storage.OAuthStore (migration 10:
// user_pool_domains, resource_servers). Domains are read by name on every
// OAuth request (an indexed read); everything else is a cold path, so
// plain statements do.

var _ storage.OAuthStore = (*Store)(nil)

const domainColumns = `p.account_id, p.region, p.id, d.name, d.custom, d.certificate_arn, d.cloudfront_domain, d.login_version, d.version, d.created_at, d.updated_at`

// The statements (TestOAuthQueriesUseIndexes checks their plans).
const (
	qFindDomain = `SELECT ` + domainColumns + ` FROM user_pool_domains d JOIN user_pools p ON p.seq = d.pool_seq
		WHERE d.region = ? AND d.name = ?`
	qFindDomainAnyRegion = `SELECT ` + domainColumns + ` FROM user_pool_domains d JOIN user_pools p ON p.seq = d.pool_seq
		WHERE d.name = ? ORDER BY d.created_at LIMIT 1`
	qPoolDomains = `SELECT ` + domainColumns + ` FROM user_pool_domains d JOIN user_pools p ON p.seq = d.pool_seq
		WHERE p.account_id = ? AND p.region = ? AND p.id = ? ORDER BY d.custom`
	qListResourceServers = `SELECT identifier, name, scopes, created_at, updated_at FROM resource_servers
		WHERE pool_seq = ? AND identifier > ? ORDER BY identifier LIMIT ?`
)

const resourceServerCursorPrefix = "r1:"

func scanDomain(row scanner) (*storage.Domain, error) {
	var (
		d                storage.Domain
		custom           int64
		created, updated int64
	)
	if err := row.Scan(&d.AccountID, &d.Region, &d.PoolID, &d.Name, &custom, &d.CertificateARN, &d.CloudFrontDomain,
		&d.ManagedLoginVersion, &d.Version, &created, &updated); err != nil {
		return nil, err
	}
	d.Custom = custom != 0
	d.CreatedAt = time.UnixMilli(created).UTC()
	d.UpdatedAt = time.UnixMilli(updated).UTC()
	return &d, nil
}

// CreateDomain implements storage.OAuthStore.
func (s *Store) CreateDomain(ctx context.Context, d *storage.Domain) error {
	return s.do(ctx, func(w *write) error {
		ctx := context.WithoutCancel(ctx)
		seq, err := s.writerPoolSeq(ctx, w, d.PoolKey())
		if err != nil {
			return err
		}
		var n int64
		if err := w.tx.QueryRowContext(ctx, `SELECT count(*) FROM user_pool_domains WHERE region = ? AND name = ?`, d.Region, d.Name).Scan(&n); err != nil {
			return fmt.Errorf("create domain: %w", err)
		}
		if n > 0 {
			return storage.ErrAlreadyExists
		}
		if err := w.tx.QueryRowContext(ctx, `SELECT count(*) FROM user_pool_domains WHERE pool_seq = ? AND custom = ?`, seq, boolInt(d.Custom)).Scan(&n); err != nil {
			return fmt.Errorf("create domain: %w", err)
		}
		if n > 0 {
			return storage.ErrPoolHasDomain
		}
		_, err = w.tx.ExecContext(ctx, `INSERT INTO user_pool_domains (pool_seq, region, name, custom, certificate_arn, cloudfront_domain,
			login_version, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			seq, d.Region, d.Name, boolInt(d.Custom), d.CertificateARN, d.CloudFrontDomain, d.ManagedLoginVersion, d.Version,
			d.CreatedAt.UnixMilli(), d.UpdatedAt.UnixMilli())
		if err != nil {
			return fmt.Errorf("create domain: %w", err)
		}
		w.dropDomains(d.PoolKey())
		return nil
	})
}

// FindDomain implements storage.OAuthStore.
func (s *Store) FindDomain(ctx context.Context, region, name string) (*storage.Domain, error) {
	var row *sql.Row
	if region == "" {
		row = s.read.QueryRowContext(ctx, qFindDomainAnyRegion, name)
	} else {
		row = s.read.QueryRowContext(ctx, qFindDomain, region, name)
	}
	d, err := scanDomain(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, storage.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("find domain: %w", err)
	}
	return d, nil
}

// PoolDomains implements storage.OAuthStore. The answer is cached (a
// pool's domains change rarely, and DescribeUserPool asks every time).
func (s *Store) PoolDomains(ctx context.Context, pool storage.PoolKey) ([]*storage.Domain, error) {
	if ds, ok := s.cache.getDomains(pool); ok {
		return ds, nil
	}
	start := s.cache.begin()
	ds, err := s.readPoolDomains(ctx, pool)
	if err != nil {
		return nil, err
	}
	s.cache.fillDomains(start, pool, ds)
	return ds, nil
}

func (s *Store) readPoolDomains(ctx context.Context, pool storage.PoolKey) ([]*storage.Domain, error) {
	rows, err := s.read.QueryContext(ctx, qPoolDomains, pool.AccountID, pool.Region, pool.ID)
	if err != nil {
		return nil, fmt.Errorf("pool domains: %w", err)
	}
	defer rows.Close()
	out := []*storage.Domain{}
	for rows.Next() {
		d, err := scanDomain(rows)
		if err != nil {
			return nil, fmt.Errorf("pool domains: %w", err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pool domains: %w", err)
	}
	return out, nil
}

// txPoolDomain reads a domain of a pool inside a write.
func txPoolDomain(ctx context.Context, tx *sql.Tx, pool storage.PoolKey, name string) (*storage.Domain, error) {
	d, err := scanDomain(tx.QueryRowContext(ctx, qFindDomain+` AND p.account_id = ? AND p.id = ?`, pool.Region, name, pool.AccountID, pool.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, storage.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get domain: %w", err)
	}
	return d, nil
}

// UpdateDomain implements storage.OAuthStore.
func (s *Store) UpdateDomain(ctx context.Context, pool storage.PoolKey, name string, update func(*storage.Domain) error) (*storage.Domain, error) {
	var (
		stored    *storage.Domain
		updateErr error
	)
	err := s.do(ctx, func(w *write) error {
		ctx := context.WithoutCancel(ctx)
		d, err := txPoolDomain(ctx, w.tx, pool, name)
		if err != nil {
			return err
		}
		keep := *d
		if updateErr = update(d); updateErr != nil {
			return nil
		}
		_, err = w.tx.ExecContext(ctx, `UPDATE user_pool_domains SET certificate_arn = ?, cloudfront_domain = ?, login_version = ?,
			version = ?, updated_at = ? WHERE region = ? AND name = ?`,
			d.CertificateARN, d.CloudFrontDomain, d.ManagedLoginVersion, d.Version, d.UpdatedAt.UnixMilli(), pool.Region, name)
		if err != nil {
			return fmt.Errorf("update domain: %w", err)
		}
		// What the store owns stays, whatever update did.
		d.AccountID, d.Region, d.PoolID, d.Name, d.Custom, d.CreatedAt = keep.AccountID, keep.Region, keep.PoolID, keep.Name, keep.Custom, keep.CreatedAt
		d.UpdatedAt = time.UnixMilli(d.UpdatedAt.UnixMilli()).UTC()
		stored = d
		w.dropDomains(pool)
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

// DeleteDomain implements storage.OAuthStore.
func (s *Store) DeleteDomain(ctx context.Context, pool storage.PoolKey, name string) error {
	return s.do(ctx, func(w *write) error {
		ctx := context.WithoutCancel(ctx)
		if _, err := txPoolDomain(ctx, w.tx, pool, name); err != nil {
			return err
		}
		if _, err := w.tx.ExecContext(ctx, `DELETE FROM user_pool_domains WHERE region = ? AND name = ?`, pool.Region, name); err != nil {
			return fmt.Errorf("delete domain: %w", err)
		}
		w.dropDomains(pool)
		return nil
	})
}

func encodeScopes(scopes []storage.ResourceServerScope) string {
	if scopes == nil {
		scopes = []storage.ResourceServerScope{}
	}
	b, _ := json.Marshal(scopes) // strings always marshal
	return string(b)
}

func scanResourceServer(row scanner, pool storage.PoolKey) (*storage.ResourceServer, error) {
	var (
		r                storage.ResourceServer
		scopes           string
		created, updated int64
	)
	if err := row.Scan(&r.Identifier, &r.Name, &scopes, &created, &updated); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(scopes), &r.Scopes); err != nil {
		return nil, fmt.Errorf("decode scopes of %s: %w", r.Identifier, err)
	}
	r.AccountID, r.Region, r.PoolID = pool.AccountID, pool.Region, pool.ID
	r.CreatedAt = time.UnixMilli(created).UTC()
	r.UpdatedAt = time.UnixMilli(updated).UTC()
	return &r, nil
}

func queryResourceServer(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, key storage.ResourceServerKey) (*storage.ResourceServer, error) {
	r, err := scanResourceServer(q.QueryRowContext(ctx, `SELECT r.identifier, r.name, r.scopes, r.created_at, r.updated_at
		FROM resource_servers r JOIN user_pools p ON p.seq = r.pool_seq
		WHERE p.account_id = ? AND p.region = ? AND p.id = ? AND r.identifier = ?`,
		key.AccountID, key.Region, key.ID, key.Identifier), key.PoolKey)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, storage.ErrResourceServerNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get resource server: %w", err)
	}
	return r, nil
}

// CreateResourceServer implements storage.OAuthStore.
func (s *Store) CreateResourceServer(ctx context.Context, r *storage.ResourceServer, limit int) error {
	return s.do(ctx, func(w *write) error {
		ctx := context.WithoutCancel(ctx)
		seq, err := s.writerPoolSeq(ctx, w, r.Key().PoolKey)
		if err != nil {
			return err
		}
		var exists, n int64
		if err := w.tx.QueryRowContext(ctx, `SELECT count(*) FROM resource_servers WHERE pool_seq = ? AND identifier = ?`, seq, r.Identifier).Scan(&exists); err != nil {
			return fmt.Errorf("create resource server: %w", err)
		}
		if exists > 0 {
			return storage.ErrAlreadyExists
		}
		if limit > 0 {
			if err := w.tx.QueryRowContext(ctx, `SELECT count(*) FROM resource_servers WHERE pool_seq = ?`, seq).Scan(&n); err != nil {
				return fmt.Errorf("create resource server: %w", err)
			}
			if n >= int64(limit) {
				return storage.ErrLimitExceeded
			}
		}
		_, err = w.tx.ExecContext(ctx, `INSERT INTO resource_servers (pool_seq, identifier, name, scopes, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)`, seq, r.Identifier, r.Name, encodeScopes(r.Scopes), r.CreatedAt.UnixMilli(), r.UpdatedAt.UnixMilli())
		if err != nil {
			return fmt.Errorf("create resource server: %w", err)
		}
		return nil
	})
}

// GetResourceServer implements storage.OAuthStore.
func (s *Store) GetResourceServer(ctx context.Context, key storage.ResourceServerKey) (*storage.ResourceServer, error) {
	return queryResourceServer(ctx, s.read, key)
}

// UpdateResourceServer implements storage.OAuthStore.
func (s *Store) UpdateResourceServer(ctx context.Context, key storage.ResourceServerKey, update func(*storage.ResourceServer) error) (*storage.ResourceServer, error) {
	var (
		stored    *storage.ResourceServer
		updateErr error
	)
	err := s.do(ctx, func(w *write) error {
		ctx := context.WithoutCancel(ctx)
		seq, err := s.writerPoolSeq(ctx, w, key.PoolKey)
		if errors.Is(err, storage.ErrNotFound) {
			return storage.ErrResourceServerNotFound
		}
		if err != nil {
			return err
		}
		r, err := queryResourceServer(ctx, w.tx, key)
		if err != nil {
			return err
		}
		created := r.CreatedAt
		if updateErr = update(r); updateErr != nil {
			return nil
		}
		_, err = w.tx.ExecContext(ctx, `UPDATE resource_servers SET name = ?, scopes = ?, updated_at = ? WHERE pool_seq = ? AND identifier = ?`,
			r.Name, encodeScopes(r.Scopes), r.UpdatedAt.UnixMilli(), seq, key.Identifier)
		if err != nil {
			return fmt.Errorf("update resource server: %w", err)
		}
		r.AccountID, r.Region, r.PoolID, r.Identifier, r.CreatedAt = key.AccountID, key.Region, key.ID, key.Identifier, created
		r.UpdatedAt = time.UnixMilli(r.UpdatedAt.UnixMilli()).UTC()
		if r.Scopes == nil {
			r.Scopes = []storage.ResourceServerScope{}
		}
		stored = r
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

// DeleteResourceServer implements storage.OAuthStore.
func (s *Store) DeleteResourceServer(ctx context.Context, key storage.ResourceServerKey) error {
	return s.do(ctx, func(w *write) error {
		ctx := context.WithoutCancel(ctx)
		seq, err := s.writerPoolSeq(ctx, w, key.PoolKey)
		if errors.Is(err, storage.ErrNotFound) {
			return storage.ErrResourceServerNotFound
		}
		if err != nil {
			return err
		}
		res, err := w.tx.ExecContext(ctx, `DELETE FROM resource_servers WHERE pool_seq = ? AND identifier = ?`, seq, key.Identifier)
		if err != nil {
			return fmt.Errorf("delete resource server: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("delete resource server: %w", err)
		} else if n == 0 {
			return storage.ErrResourceServerNotFound
		}
		return nil
	})
}

// ListResourceServers implements storage.OAuthStore.
func (s *Store) ListResourceServers(ctx context.Context, pool storage.PoolKey, page storage.Page) ([]*storage.ResourceServer, string, error) {
	after := ""
	if page.Cursor != "" {
		var err error
		if after, err = decodeCursor(page.Cursor, resourceServerCursorPrefix); err != nil {
			return nil, "", err
		}
	}
	seq, err := poolSeq(ctx, s.userR.poolSeq, pool)
	if err != nil {
		return nil, "", err
	}
	limit := page.Limit
	if limit <= 0 {
		limit = 50
	}
	rows, err := s.read.QueryContext(ctx, qListResourceServers, seq, after, limit+1)
	if err != nil {
		return nil, "", fmt.Errorf("list resource servers: %w", err)
	}
	defer rows.Close()
	out := []*storage.ResourceServer{}
	for rows.Next() {
		r, err := scanResourceServer(rows, pool)
		if err != nil {
			return nil, "", fmt.Errorf("list resource servers: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("list resource servers: %w", err)
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = encodeCursor(resourceServerCursorPrefix, out[limit-1].Identifier)
	}
	return out, next, nil
}

// UseOnce implements storage.OAuthStore on revoked_tokens (migration 6):
// the insert of the id succeeds once; the single writer serialises
// concurrent uses.
func (s *Store) UseOnce(ctx context.Context, pool storage.PoolKey, id string, expires time.Time) (bool, error) {
	var first bool
	err := s.do(ctx, func(w *write) error {
		ctx := context.WithoutCancel(ctx)
		seq, err := s.writerPoolSeq(ctx, w, pool)
		if err != nil {
			return err
		}
		res, err := w.tx.ExecContext(ctx, `INSERT INTO revoked_tokens (pool_seq, origin_jti, expires_at) VALUES (?, ?, ?)
			ON CONFLICT (pool_seq, origin_jti) DO NOTHING`, seq, id, expires.UnixMilli())
		if err != nil {
			return fmt.Errorf("use once: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("use once: %w", err)
		}
		first = n == 1
		return nil
	})
	return first, err
}
