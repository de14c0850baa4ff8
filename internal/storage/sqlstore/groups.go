package sqlstore

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cognate/cognate/internal/storage"
)

// This file implements storage.GroupStore (migration 9: user_groups,
// user_group_members). A membership references its group and its user
// with ON DELETE CASCADE, so deleting a user, a group or the pool ends
// the memberships in the same transaction. Group changes do not change
// user rows, so the user cache (cache.go) is not involved.

var _ storage.GroupStore = (*Store)(nil)

const userGroupColumns = `g.seq, g.name, g.description, g.role_arn, g.precedence, g.created_at, g.updated_at`

const userGroupOfPool = `FROM user_groups g JOIN user_pools p ON p.seq = g.pool_seq
	WHERE p.account_id = ? AND p.region = ? AND p.id = ?`

// The listings' statements (TestGroupQueriesUseIndexes checks their plans).
const (
	qGetUserGroup   = `SELECT ` + userGroupColumns + ` ` + userGroupOfPool + ` AND g.name = ?`
	qListUserGroups = `SELECT ` + userGroupColumns + ` FROM user_groups g
		WHERE g.pool_seq = ? AND g.name > ? ORDER BY g.name LIMIT ?`
	// A user's groups are few: sorting them by name is cheap.
	qGroupsOfUser = `SELECT ` + userGroupColumns + ` FROM user_group_members m JOIN user_groups g ON g.seq = m.group_seq
		WHERE m.user_seq = ? AND g.name > ? ORDER BY g.name LIMIT ?`
	qUsersInGroup = `SELECT ` + userColumns + ` FROM user_group_members m JOIN users u ON u.seq = m.user_seq
		WHERE m.group_seq = ? AND m.user_seq > ? ORDER BY m.user_seq LIMIT ?`
)

// Cursors: a group listing goes on after a name, a member listing after
// a user's seq. Both are opaque to callers.
const (
	groupCursorPrefix  = "g1:"
	memberCursorPrefix = "m1:"
)

func scanUserGroup(row scanner, pool storage.PoolKey) (int64, *storage.Group, error) {
	var (
		seq              int64
		g                storage.Group
		prec             sql.NullInt64
		created, updated int64
	)
	if err := row.Scan(&seq, &g.Name, &g.Description, &g.RoleARN, &prec, &created, &updated); err != nil {
		return 0, nil, err
	}
	g.AccountID, g.Region, g.PoolID = pool.AccountID, pool.Region, pool.ID
	if prec.Valid {
		v := int32(prec.Int64)
		g.Precedence = &v
	}
	g.CreatedAt = time.UnixMilli(created).UTC()
	g.UpdatedAt = time.UnixMilli(updated).UTC()
	return seq, &g, nil
}

func precedenceArg(p *int32) any {
	if p == nil {
		return nil
	}
	return int64(*p)
}

// queryUserGroup reads a group on q (the read handle or a write's tx).
func queryUserGroup(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, key storage.GroupKey) (int64, *storage.Group, error) {
	seq, g, err := scanUserGroup(q.QueryRowContext(ctx, qGetUserGroup,
		key.AccountID, key.Region, key.ID, key.Name), key.PoolKey)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil, storage.ErrGroupNotFound
	}
	if err != nil {
		return 0, nil, fmt.Errorf("get group: %w", err)
	}
	return seq, g, nil
}

// txUserSeq returns the seq of a user inside a write.
func txUserSeq(ctx context.Context, tx *sql.Tx, key storage.UserKey) (int64, error) {
	var seq int64
	err := tx.QueryRowContext(ctx, `SELECT u.seq FROM users u `+poolOfUser+` AND u.key = ?`,
		key.AccountID, key.Region, key.ID, key.Key).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, storage.ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("get user: %w", err)
	}
	return seq, nil
}

func decodeCursor(cursor, prefix string) (string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || !strings.HasPrefix(string(raw), prefix) {
		return "", storage.ErrInvalidCursor
	}
	return strings.TrimPrefix(string(raw), prefix), nil
}

func encodeCursor(prefix, after string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(prefix + after))
}

func pageLimit(p storage.Page) int {
	if p.Limit <= 0 {
		return 60
	}
	return p.Limit
}

// CreateGroup implements storage.GroupStore.
func (s *Store) CreateGroup(ctx context.Context, g *storage.Group) error {
	pool := storage.PoolKey{Scope: storage.Scope{AccountID: g.AccountID, Region: g.Region}, ID: g.PoolID}
	return s.do(ctx, func(w *write) error {
		ctx := context.WithoutCancel(ctx)
		seq, err := s.writerPoolSeq(ctx, w, pool)
		if err != nil {
			return err
		}
		res, err := w.tx.ExecContext(ctx, `INSERT INTO user_groups (pool_seq, name, description, role_arn, precedence, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (pool_seq, name) DO NOTHING`,
			seq, g.Name, g.Description, g.RoleARN, precedenceArg(g.Precedence), g.CreatedAt.UnixMilli(), g.UpdatedAt.UnixMilli())
		if err != nil {
			return fmt.Errorf("create group: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("create group: %w", err)
		} else if n == 0 {
			return storage.ErrAlreadyExists
		}
		return nil
	})
}

// GetGroup implements storage.GroupStore.
func (s *Store) GetGroup(ctx context.Context, key storage.GroupKey) (*storage.Group, error) {
	_, g, err := queryUserGroup(ctx, s.read, key)
	return g, err
}

// UpdateGroup implements storage.GroupStore.
func (s *Store) UpdateGroup(ctx context.Context, key storage.GroupKey, update func(*storage.Group) error) (*storage.Group, error) {
	var (
		stored    *storage.Group
		updateErr error
	)
	err := s.do(ctx, func(w *write) error {
		ctx := context.WithoutCancel(ctx)
		seq, g, err := queryUserGroup(ctx, w.tx, key)
		if err != nil {
			return err
		}
		if updateErr = update(g); updateErr != nil {
			return nil
		}
		_, err = w.tx.ExecContext(ctx, `UPDATE user_groups SET description = ?, role_arn = ?, precedence = ?, updated_at = ? WHERE seq = ?`,
			g.Description, g.RoleARN, precedenceArg(g.Precedence), g.UpdatedAt.UnixMilli(), seq)
		if err != nil {
			return fmt.Errorf("update group: %w", err)
		}
		// The key and CreatedAt are the store's, whatever update did.
		g.AccountID, g.Region, g.PoolID, g.Name = key.AccountID, key.Region, key.ID, key.Name
		g.UpdatedAt = time.UnixMilli(g.UpdatedAt.UnixMilli()).UTC()
		stored = g
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

// DeleteGroup implements storage.GroupStore.
func (s *Store) DeleteGroup(ctx context.Context, key storage.GroupKey) error {
	return s.do(ctx, func(w *write) error {
		ctx := context.WithoutCancel(ctx)
		seq, _, err := queryUserGroup(ctx, w.tx, key)
		if err != nil {
			return err
		}
		if _, err := w.tx.ExecContext(ctx, `DELETE FROM user_groups WHERE seq = ?`, seq); err != nil {
			return fmt.Errorf("delete group: %w", err)
		}
		return nil
	})
}

// ListGroups implements storage.GroupStore.
func (s *Store) ListGroups(ctx context.Context, pool storage.PoolKey, page storage.Page) ([]*storage.Group, string, error) {
	after := ""
	if page.Cursor != "" {
		var err error
		if after, err = decodeCursor(page.Cursor, groupCursorPrefix); err != nil {
			return nil, "", err
		}
	}
	seq, err := poolSeq(ctx, s.userR.poolSeq, pool)
	if err != nil {
		return nil, "", err
	}
	limit := pageLimit(page)
	rows, err := s.read.QueryContext(ctx, qListUserGroups, seq, after, limit+1)
	if err != nil {
		return nil, "", fmt.Errorf("list groups: %w", err)
	}
	return userGroupPage(rows, pool, limit)
}

// userGroupPage reads up to limit groups of rows (which asked for limit+1)
// and the cursor after them.
func userGroupPage(rows *sql.Rows, pool storage.PoolKey, limit int) ([]*storage.Group, string, error) {
	defer rows.Close()
	var out []*storage.Group
	for rows.Next() {
		_, g, err := scanUserGroup(rows, pool)
		if err != nil {
			return nil, "", fmt.Errorf("list groups: %w", err)
		}
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("list groups: %w", err)
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = encodeCursor(groupCursorPrefix, out[limit-1].Name)
	}
	return out, next, nil
}

// membership runs fn with the seqs of a group and a user inside a write.
func (s *Store) membership(ctx context.Context, group storage.GroupKey, user string, fn func(tx *sql.Tx, groupSeq, userSeq int64) error) error {
	return s.do(ctx, func(w *write) error {
		ctx := context.WithoutCancel(ctx)
		gseq, _, err := queryUserGroup(ctx, w.tx, group)
		if err != nil {
			return err
		}
		useq, err := txUserSeq(ctx, w.tx, storage.UserKey{PoolKey: group.PoolKey, Key: user})
		if err != nil {
			return err
		}
		return fn(w.tx, gseq, useq)
	})
}

// AddUserToGroup implements storage.GroupStore.
func (s *Store) AddUserToGroup(ctx context.Context, group storage.GroupKey, user string) error {
	return s.membership(ctx, group, user, func(tx *sql.Tx, g, u int64) error {
		_, err := tx.ExecContext(context.WithoutCancel(ctx), `INSERT INTO user_group_members (group_seq, user_seq) VALUES (?, ?)
			ON CONFLICT DO NOTHING`, g, u)
		if err != nil {
			return fmt.Errorf("add user to group: %w", err)
		}
		return nil
	})
}

// RemoveUserFromGroup implements storage.GroupStore.
func (s *Store) RemoveUserFromGroup(ctx context.Context, group storage.GroupKey, user string) error {
	return s.membership(ctx, group, user, func(tx *sql.Tx, g, u int64) error {
		_, err := tx.ExecContext(context.WithoutCancel(ctx), `DELETE FROM user_group_members WHERE group_seq = ? AND user_seq = ?`, g, u)
		if err != nil {
			return fmt.Errorf("remove user from group: %w", err)
		}
		return nil
	})
}

// ListGroupsOfUser implements storage.GroupStore.
func (s *Store) ListGroupsOfUser(ctx context.Context, user storage.UserKey, page storage.Page) ([]*storage.Group, string, error) {
	after := ""
	if page.Cursor != "" {
		var err error
		if after, err = decodeCursor(page.Cursor, groupCursorPrefix); err != nil {
			return nil, "", err
		}
	}
	useq, _, err := queryUser(ctx, s.userR.getUser, user.PoolKey, user.Key)
	if err != nil {
		return nil, "", err
	}
	limit := pageLimit(page)
	rows, err := s.read.QueryContext(ctx, qGroupsOfUser, useq, after, limit+1)
	if err != nil {
		return nil, "", fmt.Errorf("list groups of user: %w", err)
	}
	return userGroupPage(rows, user.PoolKey, limit)
}

// ListUsersInGroup implements storage.GroupStore.
func (s *Store) ListUsersInGroup(ctx context.Context, group storage.GroupKey, page storage.Page) ([]*storage.User, string, error) {
	after := int64(0)
	if page.Cursor != "" {
		raw, err := decodeCursor(page.Cursor, memberCursorPrefix)
		if err != nil {
			return nil, "", err
		}
		if after, err = strconv.ParseInt(raw, 10, 64); err != nil || after < 0 {
			return nil, "", storage.ErrInvalidCursor
		}
	}
	gseq, _, err := queryUserGroup(ctx, s.read, group)
	if err != nil {
		return nil, "", err
	}
	limit := pageLimit(page)
	rows, err := s.read.QueryContext(ctx, qUsersInGroup, gseq, after, limit+1)
	if err != nil {
		return nil, "", fmt.Errorf("list users in group: %w", err)
	}
	defer rows.Close()
	var (
		out  []*storage.User
		seqs []int64
	)
	for rows.Next() {
		seq, u, err := scanUser(rows, group.PoolKey)
		if err != nil {
			return nil, "", fmt.Errorf("list users in group: %w", err)
		}
		out = append(out, u)
		seqs = append(seqs, seq)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("list users in group: %w", err)
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = encodeCursor(memberCursorPrefix, strconv.FormatInt(seqs[limit-1], 10))
	}
	return out, next, nil
}
