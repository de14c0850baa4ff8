package sqlstore

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cognate/cognate/internal/storage"
)

// This file implements storage.UserStore: users (migration 4: users,
// user_aliases) and app clients (app_clients). A user's aliases live in
// their own table so that the (pool, alias) primary key makes them unique
// within a pool; they are returned sorted.

var _ storage.UserStore = (*Store)(nil)

// userQueries are the hot statements of UserStore, prepared on one handle.
type userQueries struct {
	poolSeq, getUser, userBySub, userByAlias, aliasHolder *sql.Stmt
	insertUser, updateUser, deleteUser                    *sql.Stmt
	insertAlias, deleteAliases, scanUsers, countUsers     *sql.Stmt
	getClient, findClient                                 *sql.Stmt
}

// userColumns reads a user with its aliases (a JSON array, sorted by
// scanUser) in one statement, so that a read needs no transaction to be
// consistent.
const userColumns = `u.seq, u.key, u.username, u.sub, u.created_at, u.updated_at, u.data,
	(SELECT json_group_array(alias) FROM user_aliases WHERE user_seq = u.seq)`

const poolOfUser = `JOIN user_pools p ON p.seq = u.pool_seq WHERE p.account_id = ? AND p.region = ? AND p.id = ?`

func prepareUsers(db *sql.DB) (*userQueries, error) {
	q := &userQueries{}
	for _, s := range []struct {
		dst   **sql.Stmt
		query string
	}{
		{&q.poolSeq, `SELECT seq FROM user_pools WHERE account_id = ? AND region = ? AND id = ?`},
		{&q.getUser, `SELECT ` + userColumns + ` FROM users u ` + poolOfUser + ` AND u.key = ?`},
		{&q.userBySub, `SELECT ` + userColumns + ` FROM users u ` + poolOfUser + ` AND u.sub = ?`},
		{&q.userByAlias, `SELECT ` + userColumns + ` FROM users u JOIN user_aliases a ON a.user_seq = u.seq
			JOIN user_pools p ON p.seq = a.pool_seq WHERE p.account_id = ? AND p.region = ? AND p.id = ? AND a.alias = ?`},
		{&q.aliasHolder, `SELECT u.key FROM user_aliases a JOIN users u ON u.seq = a.user_seq WHERE a.pool_seq = ? AND a.alias = ?`},
		{&q.insertUser, `INSERT INTO users (pool_seq, key, username, sub, created_at, updated_at, data) VALUES (?, ?, ?, ?, ?, ?, ?)`},
		{&q.updateUser, `UPDATE users SET username = ?, updated_at = ?, data = ? WHERE seq = ?`},
		{&q.deleteUser, `DELETE FROM users WHERE seq = ?`},
		{&q.insertAlias, `INSERT INTO user_aliases (pool_seq, alias, user_seq) VALUES (?, ?, ?)`},
		{&q.deleteAliases, `DELETE FROM user_aliases WHERE user_seq = ?`},
		{&q.scanUsers, `SELECT ` + userColumns + ` FROM users u WHERE u.pool_seq = ? AND u.key > ? ORDER BY u.key LIMIT ?`},
		{&q.countUsers, `SELECT COUNT(*) FROM users WHERE pool_seq = ?`},
		{&q.getClient, `SELECT ` + clientColumns + ` FROM app_clients c JOIN user_pools p ON p.seq = c.pool_seq
			WHERE c.account_id = ? AND c.region = ? AND c.client_id = ? AND p.id = ?`},
		// A scope without a region reads every client of the account:
		// the unique (account_id, region, client_id) index still serves
		// the account prefix.
		{&q.findClient, `SELECT ` + clientColumns + ` FROM app_clients c JOIN user_pools p ON p.seq = c.pool_seq
			WHERE c.account_id = ? AND (c.region = ? OR ? = '') AND c.client_id = ? ORDER BY c.seq LIMIT 1`},
	} {
		stmt, err := db.Prepare(s.query)
		if err != nil {
			return nil, fmt.Errorf("prepare %q: %w", s.query, err)
		}
		*s.dst = stmt
	}
	return q, nil
}

// scanUser reads userColumns; the caller fills the pool fields.
func scanUser(row scanner, pool storage.PoolKey) (int64, *storage.User, error) {
	var (
		seq              int64
		u                storage.User
		created, updated int64
		aliases          string
	)
	if err := row.Scan(&seq, &u.Key, &u.Username, &u.Sub, &created, &updated, &u.Data, &aliases); err != nil {
		return 0, nil, err
	}
	u.AccountID, u.Region, u.PoolID = pool.AccountID, pool.Region, pool.ID
	u.CreatedAt = time.UnixMilli(created).UTC()
	u.UpdatedAt = time.UnixMilli(updated).UTC()
	// Most users hold no alias: skip the JSON decoder for them (every
	// user write reads the user again on the writer goroutine).
	if aliases != "[]" {
		if err := json.Unmarshal([]byte(aliases), &u.Aliases); err != nil {
			return 0, nil, fmt.Errorf("decode aliases of user %s: %w", u.Key, err)
		}
	}
	if len(u.Aliases) == 0 {
		u.Aliases = nil
	}
	slices.Sort(u.Aliases)
	return seq, &u, nil
}

func queryUser(ctx context.Context, stmt *sql.Stmt, pool storage.PoolKey, arg string) (int64, *storage.User, error) {
	seq, u, err := scanUser(stmt.QueryRowContext(ctx, pool.AccountID, pool.Region, pool.ID, arg), pool)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil, storage.ErrNotFound
	}
	if err != nil {
		return 0, nil, fmt.Errorf("get user: %w", err)
	}
	return seq, u, nil
}

func poolSeq(ctx context.Context, stmt *sql.Stmt, key storage.PoolKey) (int64, error) {
	var seq int64
	err := stmt.QueryRowContext(ctx, key.AccountID, key.Region, key.ID).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, storage.ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("get user pool: %w", err)
	}
	return seq, nil
}

// Statements a write runs on the writer goroutine take ctx without its
// cancellation (context.WithoutCancel): once queued, a write runs to its
// commit whatever happens to the caller (do waits for it), and the driver
// watches a cancellable context with a goroutine per statement, a cost
// paid on the goroutine every write waits for.

// writerPoolSeq is poolSeq for writes, on the writer goroutine: a pool's
// sequence number never changes and is never reused (AUTOINCREMENT), so
// the writer remembers it (Store.seqs) and spares every user write a
// query. DeleteUserPool forgets its pool, and a failed COMMIT forgets all
// (a pool the batch created may not exist after all).
func (s *Store) writerPoolSeq(ctx context.Context, w *write, key storage.PoolKey) (int64, error) {
	if seq, ok := s.seqs[key]; ok {
		return seq, nil
	}
	seq, err := poolSeq(context.WithoutCancel(ctx), w.tx.Stmt(s.userW.poolSeq), key)
	if err != nil {
		return 0, err
	}
	if len(s.seqs) >= maxCachedSeqs {
		clear(s.seqs)
	}
	s.seqs[key] = seq
	return seq, nil
}

// maxCachedSeqs bounds Store.seqs (a few dozen bytes an entry).
const maxCachedSeqs = 8192

// putAliases gives the user exactly aliases, reporting the first one
// another user of the pool holds. A user inserted by this write (fresh)
// has none to remove.
func (s *Store) putAliases(tx *sql.Tx, pool, user int64, aliases []string, fresh bool) error {
	if !fresh {
		if _, err := tx.Stmt(s.userW.deleteAliases).Exec(user); err != nil {
			return fmt.Errorf("replace aliases: %w", err)
		}
	}
	for _, a := range aliases {
		_, err := tx.Stmt(s.userW.insertAlias).Exec(pool, a, user)
		if isConstraint(err) {
			var holder string
			if err := tx.Stmt(s.userW.aliasHolder).QueryRow(pool, a).Scan(&holder); err != nil {
				return fmt.Errorf("find alias holder: %w", err)
			}
			if holder == "" {
				holder = "?"
			}
			return &storage.AliasTakenError{Alias: a, Holder: holder}
		}
		if err != nil {
			return fmt.Errorf("insert alias: %w", err)
		}
	}
	return nil
}

// dedupe returns aliases without repeats: one user holding an alias twice
// is not a conflict.
func dedupe(aliases []string) []string {
	out := slices.Clone(aliases)
	slices.Sort(out)
	return slices.Compact(out)
}

// CreateUser implements storage.UserStore.
func (s *Store) CreateUser(ctx context.Context, u *storage.User, d storage.Deliveries) error {
	aliases := dedupe(u.Aliases)
	return s.do(ctx, func(w *write) error {
		pool, err := s.writerPoolSeq(ctx, w, u.PoolKey())
		if err != nil {
			return err
		}
		res, err := w.tx.Stmt(s.userW.insertUser).Exec(pool, u.Key, u.Username, u.Sub, u.CreatedAt.UnixMilli(), u.UpdatedAt.UnixMilli(), u.Data)
		if isConstraint(err) {
			return storage.ErrAlreadyExists
		}
		if err != nil {
			return fmt.Errorf("insert user: %w", err)
		}
		seq, err := res.LastInsertId()
		if err != nil {
			return fmt.Errorf("insert user: %w", err)
		}
		if err := s.putAliases(w.tx, pool, seq, aliases, true); err != nil {
			return err
		}
		w.touchUser(u.UserKey())
		return s.insertDeliveries(w.tx, d)
	})
}

// GetUser implements storage.UserStore. Users come from the cache when
// they can (cache.go).
func (s *Store) GetUser(ctx context.Context, key storage.UserKey) (*storage.User, error) {
	if _, u, ok := s.cache.getUser(key); ok {
		return u, nil
	}
	start := s.cache.begin()
	seq, u, err := queryUser(ctx, s.userR.getUser, key.PoolKey, key.Key)
	if err != nil {
		return nil, err
	}
	s.cache.fillUser(start, seq, u)
	return u, nil
}

// writerUser reads a user on the writer goroutine: from the cache, which
// holds the last commit's records, unless a write of this batch has
// changed the user or deleted its pool; otherwise from the transaction.
func (s *Store) writerUser(ctx context.Context, w *write, key storage.UserKey) (int64, *storage.User, error) {
	if !w.batch.users[key] && !w.batch.pools[key.PoolKey] {
		if seq, u, ok := s.cache.getUser(key); ok {
			return seq, u, nil
		}
	}
	return queryUser(context.WithoutCancel(ctx), w.tx.Stmt(s.userW.getUser), key.PoolKey, key.Key)
}

// FindUser implements storage.UserStore.
func (s *Store) FindUser(ctx context.Context, pool storage.PoolKey, alias string) (*storage.User, error) {
	if sub, ok := strings.CutPrefix(alias, "sub:"); ok {
		_, u, err := queryUser(ctx, s.userR.userBySub, pool, sub)
		return u, err
	}
	_, u, err := queryUser(ctx, s.userR.userByAlias, pool, alias)
	return u, err
}

// UpdateUser implements storage.UserStore.
func (s *Store) UpdateUser(ctx context.Context, key storage.UserKey, update func(*storage.User) (*storage.Deliveries, error)) (*storage.User, error) {
	var (
		stored    *storage.User
		updateErr error
	)
	err := s.do(ctx, func(w *write) error {
		seq, u, err := s.writerUser(ctx, w, key)
		if err != nil {
			return err
		}
		orig := *u
		d, err := update(u)
		if err != nil {
			// The change is dropped, but what the update logged is kept
			// (a failed attempt that is reported): commit only that.
			updateErr = err
			if d != nil {
				return s.insertDeliveries(w.tx, *d)
			}
			return nil
		}
		u.AccountID, u.Region, u.PoolID = key.AccountID, key.Region, key.ID
		u.Key, u.Sub, u.CreatedAt = orig.Key, orig.Sub, orig.CreatedAt
		if _, err := w.tx.Stmt(s.userW.updateUser).Exec(u.Username, u.UpdatedAt.UnixMilli(), u.Data, seq); err != nil {
			return fmt.Errorf("update user: %w", err)
		}
		aliases := dedupe(u.Aliases)
		if !slices.Equal(aliases, orig.Aliases) {
			var pool int64
			if pool, err = s.writerPoolSeq(ctx, w, key.PoolKey); err != nil {
				return err
			}
			if err := s.putAliases(w.tx, pool, seq, aliases, false); err != nil {
				return err
			}
		}
		u.Aliases = aliases
		if len(u.Aliases) == 0 {
			u.Aliases = nil
		}
		if d != nil {
			if err := s.insertDeliveries(w.tx, *d); err != nil {
				return err
			}
		}
		stored = u
		// The cache holds what a read of the row returns: times to the
		// millisecond.
		cached := cloneUser(u)
		cached.CreatedAt = time.UnixMilli(u.CreatedAt.UnixMilli()).UTC()
		cached.UpdatedAt = time.UnixMilli(u.UpdatedAt.UnixMilli()).UTC()
		w.putUser(seq, cached)
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

// DeleteUser implements storage.UserStore.
func (s *Store) DeleteUser(ctx context.Context, key storage.UserKey, d storage.Deliveries) error {
	return s.do(ctx, func(w *write) error {
		seq, _, err := s.writerUser(ctx, w, key)
		if err != nil {
			return err
		}
		// Its aliases go with it (ON DELETE CASCADE).
		if _, err := w.tx.Stmt(s.userW.deleteUser).Exec(seq); err != nil {
			return fmt.Errorf("delete user: %w", err)
		}
		w.dropUser(key)
		return s.insertDeliveries(w.tx, d)
	})
}

// scanPage is how many users ScanUsers reads per query.
const scanPage = 200

// ScanUsers implements storage.UserStore. Each page is one statement;
// a scan that spans pages sees each user once, in Key order, even while
// others write.
func (s *Store) ScanUsers(ctx context.Context, pool storage.PoolKey, after string, fn func(*storage.User) bool) error {
	seq, err := poolSeq(ctx, s.userR.poolSeq, pool)
	if err != nil {
		return err
	}
	for {
		rows, err := s.userR.scanUsers.QueryContext(ctx, seq, after, scanPage)
		if err != nil {
			return fmt.Errorf("scan users: %w", err)
		}
		var page []*storage.User
		for rows.Next() {
			_, u, err := scanUser(rows, pool)
			if err != nil {
				rows.Close()
				return fmt.Errorf("scan users: %w", err)
			}
			page = append(page, u)
		}
		if err := rows.Close(); err != nil {
			return fmt.Errorf("scan users: %w", err)
		}
		for _, u := range page {
			if !fn(u) {
				return nil
			}
		}
		if len(page) < scanPage {
			return nil
		}
		after = page[len(page)-1].Key
	}
}

// CountUsers implements storage.UserStore.
func (s *Store) CountUsers(ctx context.Context, pool storage.PoolKey) (int64, error) {
	seq, err := poolSeq(ctx, s.userR.poolSeq, pool)
	if err != nil {
		return 0, err
	}
	var n int64
	if err := s.userR.countUsers.QueryRowContext(ctx, seq).Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

const clientColumns = `c.seq, c.account_id, c.region, p.id, c.client_id, c.name, c.created_at, c.updated_at, c.data`

func scanClient(row scanner) (int64, *storage.AppClient, error) {
	var (
		seq              int64
		c                storage.AppClient
		created, updated int64
	)
	if err := row.Scan(&seq, &c.AccountID, &c.Region, &c.PoolID, &c.ClientID, &c.Name, &created, &updated, &c.Data); err != nil {
		return 0, nil, err
	}
	c.CreatedAt = time.UnixMilli(created).UTC()
	c.UpdatedAt = time.UnixMilli(updated).UTC()
	return seq, &c, nil
}

func getClient(ctx context.Context, stmt *sql.Stmt, key storage.AppClientKey) (int64, *storage.AppClient, error) {
	seq, c, err := scanClient(stmt.QueryRowContext(ctx, key.AccountID, key.Region, key.ClientID, key.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil, storage.ErrNotFound
	}
	if err != nil {
		return 0, nil, fmt.Errorf("get app client: %w", err)
	}
	return seq, c, nil
}

// CreateAppClient implements storage.UserStore.
func (s *Store) CreateAppClient(ctx context.Context, c *storage.AppClient) error {
	key := storage.PoolKey{Scope: storage.Scope{AccountID: c.AccountID, Region: c.Region}, ID: c.PoolID}
	return s.do(ctx, func(w *write) error {
		pool, err := s.writerPoolSeq(ctx, w, key)
		if err != nil {
			return err
		}
		_, err = w.tx.Exec(`INSERT INTO app_clients (pool_seq, account_id, region, client_id, name, created_at, updated_at, data)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, pool, c.AccountID, c.Region, c.ClientID, c.Name, c.CreatedAt.UnixMilli(), c.UpdatedAt.UnixMilli(), c.Data)
		if isConstraint(err) {
			return storage.ErrAlreadyExists
		}
		if err != nil {
			return fmt.Errorf("insert app client: %w", err)
		}
		return nil
	})
}

// GetAppClient implements storage.UserStore. Clients come from the cache
// when they can (cache.go).
func (s *Store) GetAppClient(ctx context.Context, key storage.AppClientKey) (*storage.AppClient, error) {
	if c, ok := s.cache.getClient(clientKey{AccountID: key.AccountID, Region: key.Region, ClientID: key.ClientID}); ok && c.PoolID == key.ID {
		return c, nil
	}
	start := s.cache.begin()
	_, c, err := getClient(ctx, s.userR.getClient, key)
	if err != nil {
		return nil, err
	}
	s.cache.fillClient(start, c)
	return c, nil
}

// FindAppClient implements storage.UserStore. A lookup in one region uses
// the cache (cache.go); one across the account's regions reads SQLite.
func (s *Store) FindAppClient(ctx context.Context, scope storage.Scope, clientID string) (*storage.AppClient, error) {
	if scope.Region != "" {
		if c, ok := s.cache.getClient(clientKey{AccountID: scope.AccountID, Region: scope.Region, ClientID: clientID}); ok {
			return c, nil
		}
	}
	start := s.cache.begin()
	_, c, err := scanClient(s.userR.findClient.QueryRowContext(ctx, scope.AccountID, scope.Region, scope.Region, clientID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, storage.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("find app client: %w", err)
	}
	s.cache.fillClient(start, c)
	return c, nil
}

// UpdateAppClient implements storage.UserStore.
func (s *Store) UpdateAppClient(ctx context.Context, key storage.AppClientKey, update func(*storage.AppClient) error) (*storage.AppClient, error) {
	var stored *storage.AppClient
	err := s.do(ctx, func(w *write) error {
		seq, c, err := getClient(context.WithoutCancel(ctx), w.tx.Stmt(s.userW.getClient), key)
		if err != nil {
			return err
		}
		orig := *c
		if err := update(c); err != nil {
			return err
		}
		c.AccountID, c.Region, c.PoolID, c.ClientID, c.CreatedAt = orig.AccountID, orig.Region, orig.PoolID, orig.ClientID, orig.CreatedAt
		if _, err := w.tx.Exec(`UPDATE app_clients SET name = ?, updated_at = ?, data = ? WHERE seq = ?`, c.Name, c.UpdatedAt.UnixMilli(), c.Data, seq); err != nil {
			return fmt.Errorf("update app client: %w", err)
		}
		w.dropClient(c)
		stored = c
		return nil
	})
	if err != nil {
		return nil, err
	}
	return stored, nil
}

// DeleteAppClient implements storage.UserStore.
func (s *Store) DeleteAppClient(ctx context.Context, key storage.AppClientKey) error {
	return s.do(ctx, func(w *write) error {
		seq, c, err := getClient(context.WithoutCancel(ctx), w.tx.Stmt(s.userW.getClient), key)
		if err != nil {
			return err
		}
		if _, err := w.tx.Exec(`DELETE FROM app_clients WHERE seq = ?`, seq); err != nil {
			return fmt.Errorf("delete app client: %w", err)
		}
		// Its risk configuration goes with it (migration 7).
		if _, err := w.tx.Exec(`DELETE FROM risk_configurations WHERE client_id = ? AND pool_seq =
			(SELECT seq FROM user_pools WHERE account_id = ? AND region = ? AND id = ?)`, key.ClientID, key.AccountID, key.Region, key.ID); err != nil {
			return fmt.Errorf("delete app client: %w", err)
		}
		w.dropClient(c)
		return nil
	})
}

// clientCursorPrefix marks ListAppClients cursors.
const clientCursorPrefix = "c1:"

// ListAppClients implements storage.UserStore.
func (s *Store) ListAppClients(ctx context.Context, pool storage.PoolKey, page storage.Page) ([]*storage.AppClient, string, error) {
	after := int64(0)
	if page.Cursor != "" {
		raw, err := base64.RawURLEncoding.DecodeString(page.Cursor)
		if err != nil || !strings.HasPrefix(string(raw), clientCursorPrefix) {
			return nil, "", storage.ErrInvalidCursor
		}
		after, err = strconv.ParseInt(strings.TrimPrefix(string(raw), clientCursorPrefix), 10, 64)
		if err != nil || after < 0 {
			return nil, "", storage.ErrInvalidCursor
		}
	}
	limit := page.Limit
	if limit <= 0 {
		limit = 60
	}
	seq, err := poolSeq(ctx, s.userR.poolSeq, pool)
	if err != nil {
		return nil, "", err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+clientColumns+` FROM app_clients c JOIN user_pools p ON p.seq = c.pool_seq
		WHERE c.pool_seq = ? AND c.seq > ? ORDER BY c.seq LIMIT ?`, seq, after, limit+1)
	if err != nil {
		return nil, "", fmt.Errorf("list app clients: %w", err)
	}
	defer rows.Close()
	var (
		out  []*storage.AppClient
		seqs []int64
	)
	for rows.Next() {
		cs, c, err := scanClient(rows)
		if err != nil {
			return nil, "", fmt.Errorf("list app clients: %w", err)
		}
		out = append(out, c)
		seqs = append(seqs, cs)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("list app clients: %w", err)
	}
	next := ""
	if len(out) > limit {
		out, seqs = out[:limit], seqs[:limit]
		next = base64.RawURLEncoding.EncodeToString([]byte(clientCursorPrefix + strconv.FormatInt(seqs[len(seqs)-1], 10)))
	}
	return out, next, nil
}
