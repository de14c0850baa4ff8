package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/cognate/cognate/internal/storage"
)

// Options configure Open.
type Options struct {
	// Dir is the data directory; the database is Dir/cognate.db. Ignored
	// when InMemory is set.
	Dir string
	// InMemory keeps everything in memory: nothing survives Close.
	InMemory bool
	// MaxBatch bounds how many queued writes share one commit.
	MaxBatch int
}

// Store is a storage.Store on SQLite.
type Store struct {
	read  *sql.DB // concurrent readers
	write *sql.DB // exactly one connection, used only by the writer goroutine
	// Statements are prepared once: SQLite spends more time parsing these
	// small queries than running them.
	readQ, writeQ *queries
	logR, logW    *logQueries    // storage.LogStore's (logs.go)
	userR, userW  *userQueries   // storage.UserStore's (users.go)
	outR, outW    *outboxQueries // storage.OutboxStore's (outbox.go)
	writes        chan *writeOp
	quit          chan struct{}
	done          chan struct{}
	once          sync.Once
	batch         int
	lock          *os.File // holds the data directory's lock while open
	cache         *poolCache
	// seqs are pools' sequence numbers as the writer goroutine, and only
	// it, has read them (writerPoolSeq).
	seqs map[storage.PoolKey]int64
}

var _ storage.Store = (*Store)(nil)

// writeOp is one queued write: fn runs inside the batch's transaction.
type writeOp struct {
	fn     func(w *write) error
	result chan error
}

// write is what a writeOp's fn works with: the batch's transaction, and
// the effects on cached pools to apply once the batch has committed.
type write struct {
	tx      *sql.Tx
	effects []effect
	batch   *batch
}

// batch is what the writes of one transaction have touched so far: the
// users whose cached record (the last commit's) they may have made stale,
// and the pools they deleted.
type batch struct {
	users map[storage.UserKey]bool
	pools map[storage.PoolKey]bool
}

func (w *write) put(p *storage.UserPool) {
	w.effects = append(w.effects, effect{key: p.Key(), pool: p})
}

func (w *write) drop(key storage.PoolKey) {
	w.effects = append(w.effects, effect{key: key})
	w.batch.pools[key] = true
}

// touchUser notes that the write changes user key (its row is not the
// cached one until the batch commits).
func (w *write) touchUser(key storage.UserKey) { w.batch.users[key] = true }

// putUser notes the user's new record, for the cache once committed.
func (w *write) putUser(seq int64, u *storage.User) {
	w.touchUser(u.UserKey())
	w.effects = append(w.effects, effect{key: u.PoolKey(), user: &userEffect{key: u.UserKey(), seq: seq, record: u}})
}

// dropUser notes that the write deleted the user.
func (w *write) dropUser(key storage.UserKey) {
	w.touchUser(key)
	w.effects = append(w.effects, effect{key: key.PoolKey, user: &userEffect{key: key}})
}

// dropDomains notes that the write changed the domains of pool key.
func (w *write) dropDomains(key storage.PoolKey) {
	w.effects = append(w.effects, effect{key: key, domains: true})
}

// dropClient notes that the write changed or deleted app client c.
func (w *write) dropClient(c *storage.AppClient) {
	k := clientKeyOf(c)
	pool := storage.PoolKey{Scope: storage.Scope{AccountID: c.AccountID, Region: c.Region}, ID: c.PoolID}
	w.effects = append(w.effects, effect{key: pool, client: &k})
}

// Open opens (creating and migrating if needed) the database.
func Open(opts Options) (*Store, error) {
	var (
		dsn  string
		lock *os.File
	)
	// WAL lets readers run beside the writer; synchronous=FULL makes every
	// commit reach the disk before it is acknowledged (a 2xx is durable).
	pragmas := "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)"
	if opts.InMemory {
		// The memdb VFS lets several connections share one in-memory
		// database without SQLite's shared-cache locking.
		dsn = fmt.Sprintf("file:/cognate-%s?vfs=memdb&%s", randomName(), pragmas)
	} else {
		if err := os.MkdirAll(opts.Dir, 0o700); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
		var err error
		if lock, err = lockDir(opts.Dir); err != nil {
			return nil, err
		}
		path := filepath.Join(opts.Dir, "cognate.db")
		dsn = "file:" + path + "?" + pragmas + "&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)"
	}
	release := func() {
		if lock != nil {
			lock.Close()
		}
	}
	write, err := sql.Open("sqlite", dsn)
	if err != nil {
		release()
		return nil, fmt.Errorf("open database: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	if err := migrate(write); err != nil {
		write.Close()
		release()
		return nil, err
	}
	read, err := sql.Open("sqlite", dsn+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		release()
		return nil, fmt.Errorf("open database: %w", err)
	}
	read.SetMaxOpenConns(8)
	read.SetMaxIdleConns(8)
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = 256
	}
	s := &Store{read: read, write: write, writes: make(chan *writeOp, 1024), quit: make(chan struct{}), done: make(chan struct{}), batch: opts.MaxBatch, lock: lock, cache: newPoolCache(2048, 8192), seqs: map[storage.PoolKey]int64{}}
	if s.readQ, err = prepare(read); err == nil {
		s.writeQ, err = prepare(write)
	}
	if err == nil {
		if s.logR, err = prepareLogs(read); err == nil {
			s.logW, err = prepareLogs(write)
		}
	}
	if err == nil {
		if s.userR, err = prepareUsers(read); err == nil {
			s.userW, err = prepareUsers(write)
		}
	}
	if err == nil {
		if s.outR, err = prepareOutbox(read); err == nil {
			s.outW, err = prepareOutbox(write)
		}
	}
	if err != nil {
		read.Close()
		write.Close()
		release()
		return nil, err
	}
	go s.writer()
	return s, nil
}

func randomName() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func migrate(db *sql.DB) error {
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var current int
	if err := db.QueryRow(`SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if current > len(migrations) {
		return fmt.Errorf("migrate: database schema version %d is newer than this cognate (%d)", current, len(migrations))
	}
	for v := current + 1; v <= len(migrations); v++ {
		tx, err := db.Begin()
		if err != nil {
			return fmt.Errorf("migrate to %d: %w", v, err)
		}
		if _, err := tx.Exec(migrations[v-1]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate to %d: %w", v, err)
		}
		if _, err := tx.Exec(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, v, time.Now().UnixMilli()); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate to %d: %w", v, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate to %d: %w", v, err)
		}
	}
	return nil
}

// Close waits for queued writes, then closes the database.
func (s *Store) Close() error {
	s.once.Do(func() { close(s.quit) })
	<-s.done
	err := errors.Join(s.read.Close(), s.write.Close())
	if s.lock != nil {
		err = errors.Join(err, s.lock.Close()) // closing releases the lock
	}
	return err
}

// lockDir takes an exclusive lock on dir, so that two processes never
// share a database: the store's read cache in the domain and its write
// ordering assume it is the only writer.
func lockDir(dir string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, "cognate.lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock data directory: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("data directory %s is in use by another cognate process: %w", dir, err)
	}
	return f, nil
}

var errClosed = errors.New("sqlstore: store is closed")

// do queues fn and waits until its batch has committed. It waits even if
// ctx ends, so that the caller never reports failure for a write that was
// made durable.
func (s *Store) do(ctx context.Context, fn func(w *write) error) error {
	op := &writeOp{fn: fn, result: make(chan error, 1)}
	select {
	case s.writes <- op:
	case <-s.quit:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	return <-op.result
}

// writer commits queued writes in batches until Close.
func (s *Store) writer() {
	defer close(s.done)
	for {
		var first *writeOp
		select {
		case first = <-s.writes:
		case <-s.quit:
			// Drain what is queued so that no caller waits forever.
			for {
				select {
				case op := <-s.writes:
					s.commit([]*writeOp{op})
				default:
					return
				}
			}
		}
		ops := []*writeOp{first}
	fill:
		for len(ops) < s.batch {
			select {
			case op := <-s.writes:
				ops = append(ops, op)
			default:
				break fill
			}
		}
		s.commit(ops)
	}
}

// commit runs ops in one transaction, each in a savepoint so that one
// failing op leaves the others intact, and reports to each after COMMIT.
// Writes queued while the batch runs join it (up to the batch limit)
// before COMMIT: they share its fsync instead of waiting for it and then
// paying for their own, which doubles the commits at moderate concurrency
// (one op alone, then the rest that queued behind it).
func (s *Store) commit(ops []*writeOp) {
	tx, err := s.write.Begin()
	if err != nil {
		for _, op := range ops {
			op.result <- fmt.Errorf("begin: %w", err)
		}
		return
	}
	results := make([]error, len(ops), cap(ops))
	writes := make([]*write, len(ops), cap(ops))
	b := &batch{users: map[storage.UserKey]bool{}, pools: map[storage.PoolKey]bool{}}
	for i := 0; i < len(ops); i++ {
		writes[i], results[i] = s.runInSavepoint(tx, ops[i], b)
		if i == len(ops)-1 && len(ops) < s.batch {
			select {
			case next := <-s.writes:
				ops = append(ops, next)
				results = append(results, nil)
				writes = append(writes, nil)
			default:
			}
		}
	}
	var effects []effect
	if err := tx.Commit(); err != nil {
		clear(s.seqs) // a pool this batch created may not exist
		for i := range results {
			if results[i] == nil {
				results[i] = fmt.Errorf("commit: %w", err)
				// Whatever the database holds now, the cache must not
				// claim to know it.
				for _, e := range writes[i].effects {
					effects = append(effects, e.unknown())
				}
			}
		}
	} else {
		for i, w := range writes {
			if results[i] == nil && w != nil {
				effects = append(effects, w.effects...)
			}
		}
	}
	// The cache learns of the commit before any writer is answered.
	s.cache.apply(effects)
	for i, op := range ops {
		op.result <- results[i]
	}
}

// runInSavepoint runs op inside tx in a savepoint of its own, rolled back
// if op fails. The write is nil when no savepoint could be made.
func (s *Store) runInSavepoint(tx *sql.Tx, op *writeOp, b *batch) (*write, error) {
	if _, err := tx.Stmt(s.writeQ.savepoint).Exec(); err != nil {
		return nil, fmt.Errorf("savepoint: %w", err)
	}
	w := &write{tx: tx, batch: b}
	result := runOp(op.fn, w)
	if result != nil {
		if _, err := tx.Stmt(s.writeQ.rollbackToSavepoint).Exec(); err != nil {
			result = errors.Join(result, fmt.Errorf("rollback to savepoint: %w", err))
		}
	}
	if _, err := tx.Stmt(s.writeQ.releaseSavepoint).Exec(); err != nil && result == nil {
		result = fmt.Errorf("release savepoint: %w", err)
	}
	return w, result
}

// runOp runs one write, turning a panic into an error so that the writer
// goroutine, shared by every request, survives it.
func runOp(fn func(*write) error, w *write) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("sqlstore: panic in write: %v", p)
		}
	}()
	return fn(w)
}

// queries are the store's statements, prepared on one database handle.
type queries struct {
	getPool, listPools, listLogs                     *sql.Stmt
	insertPool, updatePool, deletePool               *sql.Stmt
	deleteLogs, insertLog                            *sql.Stmt
	savepoint, rollbackToSavepoint, releaseSavepoint *sql.Stmt
}

const poolColumns = `p.seq, p.account_id, p.region, p.id, p.name, p.created_at, p.updated_at, p.config, p.tags`

func prepare(db *sql.DB) (*queries, error) {
	q := &queries{}
	for _, s := range []struct {
		dst   **sql.Stmt
		query string
	}{
		// One statement reads a pool with its log configurations, so a
		// read needs no transaction to be consistent.
		{&q.getPool, `SELECT ` + poolColumns + `, l.event_source, l.log_level, l.destination_type, l.destination_arn
			FROM user_pools p LEFT JOIN log_configurations l ON l.pool_seq = p.seq
			WHERE p.account_id = ? AND p.region = ? AND p.id = ? ORDER BY l.position`},
		{&q.listPools, `SELECT ` + poolColumns + ` FROM user_pools p WHERE p.account_id = ? AND p.region = ? AND p.seq > ? ORDER BY p.seq LIMIT ?`},
		{&q.listLogs, `SELECT pool_seq, event_source, log_level, destination_type, destination_arn FROM log_configurations WHERE pool_seq BETWEEN ? AND ? ORDER BY pool_seq, position`},
		{&q.insertPool, `INSERT INTO user_pools (account_id, region, id, name, created_at, updated_at, config, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`},
		{&q.updatePool, `UPDATE user_pools SET name = ?, updated_at = ?, config = ?, tags = ? WHERE seq = ?`},
		{&q.deletePool, `DELETE FROM user_pools WHERE seq = ?`},
		{&q.deleteLogs, `DELETE FROM log_configurations WHERE pool_seq = ?`},
		{&q.insertLog, `INSERT INTO log_configurations (pool_seq, position, event_source, log_level, destination_type, destination_arn) VALUES (?, ?, ?, ?, ?, ?)`},
		{&q.savepoint, `SAVEPOINT op`},
		{&q.rollbackToSavepoint, `ROLLBACK TO op`},
		{&q.releaseSavepoint, `RELEASE op`},
	} {
		stmt, err := db.Prepare(s.query)
		if err != nil {
			return nil, fmt.Errorf("prepare %q: %w", s.query, err)
		}
		*s.dst = stmt
	}
	return q, nil
}

type scanner interface{ Scan(dest ...any) error }

// scanPool reads the pool columns, plus any extra destinations after them.
func scanPool(row scanner, extra ...any) (int64, *storage.UserPool, error) {
	var (
		seq              int64
		p                storage.UserPool
		created, updated int64
		tags             string
	)
	dest := append([]any{&seq, &p.AccountID, &p.Region, &p.ID, &p.Name, &created, &updated, &p.Config, &tags}, extra...)
	if err := row.Scan(dest...); err != nil {
		return 0, nil, err
	}
	p.CreatedAt = time.UnixMilli(created).UTC()
	p.UpdatedAt = time.UnixMilli(updated).UTC()
	if err := json.Unmarshal([]byte(tags), &p.Tags); err != nil {
		return 0, nil, fmt.Errorf("decode tags of pool %s: %w", p.ID, err)
	}
	return seq, &p, nil
}

// getPool reads a pool and its log configurations with stmt (q.getPool,
// or its transaction-bound copy).
func getPool(ctx context.Context, stmt *sql.Stmt, key storage.PoolKey) (int64, *storage.UserPool, error) {
	rows, err := stmt.QueryContext(ctx, key.AccountID, key.Region, key.ID)
	if err != nil {
		return 0, nil, fmt.Errorf("get user pool: %w", err)
	}
	defer rows.Close()
	var (
		seq  int64
		pool *storage.UserPool
	)
	for rows.Next() {
		var source, level, destType, destARN sql.NullString
		s, p, err := scanPool(rows, &source, &level, &destType, &destARN)
		if err != nil {
			return 0, nil, fmt.Errorf("get user pool: %w", err)
		}
		if pool == nil {
			seq, pool = s, p
		}
		if source.Valid {
			pool.LogConfigurations = append(pool.LogConfigurations, storage.LogConfiguration{
				EventSource: source.String, LogLevel: level.String, DestinationType: destType.String, DestinationARN: destARN.String,
			})
		}
	}
	if err := rows.Err(); err != nil {
		return 0, nil, fmt.Errorf("get user pool: %w", err)
	}
	if pool == nil {
		return 0, nil, storage.ErrNotFound
	}
	return seq, pool, nil
}

func (s *Store) putLogConfigurations(tx *sql.Tx, seq int64, configs []storage.LogConfiguration) error {
	if _, err := tx.Stmt(s.writeQ.deleteLogs).Exec(seq); err != nil {
		return fmt.Errorf("replace log configurations: %w", err)
	}
	for i, c := range configs {
		if _, err := tx.Stmt(s.writeQ.insertLog).Exec(seq, i, c.EventSource, c.LogLevel, c.DestinationType, c.DestinationARN); err != nil {
			return fmt.Errorf("replace log configurations: %w", err)
		}
	}
	return nil
}

func encodeTags(tags map[string]string) (string, error) {
	if tags == nil {
		tags = map[string]string{}
	}
	b, err := json.Marshal(tags)
	return string(b), err
}

// CreateUserPool implements storage.Store.
func (s *Store) CreateUserPool(ctx context.Context, p *storage.UserPool) error {
	tags, err := encodeTags(p.Tags)
	if err != nil {
		return fmt.Errorf("encode tags: %w", err)
	}
	return s.do(ctx, func(w *write) error {
		tx := w.tx
		res, err := tx.Stmt(s.writeQ.insertPool).Exec(p.AccountID, p.Region, p.ID, p.Name, p.CreatedAt.UnixMilli(), p.UpdatedAt.UnixMilli(), p.Config, tags)
		if isConstraint(err) {
			return storage.ErrAlreadyExists
		}
		if err != nil {
			return fmt.Errorf("insert user pool: %w", err)
		}
		seq, err := res.LastInsertId()
		if err != nil {
			return fmt.Errorf("insert user pool: %w", err)
		}
		if err := s.putLogConfigurations(tx, seq, p.LogConfigurations); err != nil {
			return err
		}
		w.put(p)
		return nil
	})
}

func isConstraint(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_CONSTRAINT
}

// GetUserPool implements storage.Store.
func (s *Store) GetUserPool(ctx context.Context, key storage.PoolKey) (*storage.UserPool, error) {
	if p, ok := s.cache.get(key); ok {
		return p, nil
	}
	start := s.cache.begin()
	_, p, err := getPool(ctx, s.readQ.getPool, key)
	if err != nil {
		return nil, err
	}
	s.cache.fill(start, p)
	return p, nil
}

// UpdateUserPool implements storage.Store.
func (s *Store) UpdateUserPool(ctx context.Context, key storage.PoolKey, update func(*storage.UserPool) error) (*storage.UserPool, error) {
	var stored *storage.UserPool
	err := s.do(ctx, func(w *write) error {
		tx := w.tx
		seq, p, err := getPool(context.WithoutCancel(ctx), tx.Stmt(s.writeQ.getPool), key)
		if err != nil {
			return err
		}
		if err := update(p); err != nil {
			return err
		}
		tags, err := encodeTags(p.Tags)
		if err != nil {
			return fmt.Errorf("encode tags: %w", err)
		}
		if _, err := tx.Stmt(s.writeQ.updatePool).Exec(p.Name, p.UpdatedAt.UnixMilli(), p.Config, tags, seq); err != nil {
			return fmt.Errorf("update user pool: %w", err)
		}
		if err := s.putLogConfigurations(tx, seq, p.LogConfigurations); err != nil {
			return err
		}
		// The key and creation time are not the update's to change.
		p.AccountID, p.Region, p.ID = key.AccountID, key.Region, key.ID
		stored = p
		w.put(p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return stored, nil
}

// DeleteUserPool implements storage.Store.
func (s *Store) DeleteUserPool(ctx context.Context, key storage.PoolKey, check func(*storage.UserPool) error) error {
	return s.do(ctx, func(w *write) error {
		tx := w.tx
		seq, p, err := getPool(context.WithoutCancel(ctx), tx.Stmt(s.writeQ.getPool), key)
		if err != nil {
			return err
		}
		if check != nil {
			if err := check(p); err != nil {
				return err
			}
		}
		// log_configurations go with the pool (ON DELETE CASCADE).
		if _, err := tx.Stmt(s.writeQ.deletePool).Exec(seq); err != nil {
			return fmt.Errorf("delete user pool: %w", err)
		}
		delete(s.seqs, key)
		w.drop(key)
		return nil
	})
}

// cursorPrefix marks cursors this store made, so that a token of another
// kind is refused rather than misread.
const cursorPrefix = "p1:"

// ListUserPools implements storage.Store.
func (s *Store) ListUserPools(ctx context.Context, scope storage.Scope, page storage.Page) ([]*storage.UserPool, string, error) {
	after := int64(0)
	if page.Cursor != "" {
		raw, err := base64.RawURLEncoding.DecodeString(page.Cursor)
		if err != nil || !strings.HasPrefix(string(raw), cursorPrefix) {
			return nil, "", storage.ErrInvalidCursor
		}
		after, err = strconv.ParseInt(strings.TrimPrefix(string(raw), cursorPrefix), 10, 64)
		if err != nil || after < 0 {
			return nil, "", storage.ErrInvalidCursor
		}
	}
	limit := page.Limit
	if limit <= 0 {
		limit = 60
	}
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, "", fmt.Errorf("list user pools: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.Stmt(s.readQ.listPools).QueryContext(ctx, scope.AccountID, scope.Region, after, limit+1)
	if err != nil {
		return nil, "", fmt.Errorf("list user pools: %w", err)
	}
	var pools []*storage.UserPool
	var seqs []int64
	for rows.Next() {
		seq, p, err := scanPool(rows)
		if err != nil {
			rows.Close()
			return nil, "", fmt.Errorf("list user pools: %w", err)
		}
		pools = append(pools, p)
		seqs = append(seqs, seq)
	}
	if err := rows.Close(); err != nil {
		return nil, "", fmt.Errorf("list user pools: %w", err)
	}
	next := ""
	if len(pools) > limit {
		pools, seqs = pools[:limit], seqs[:limit]
		next = base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.FormatInt(seqs[len(seqs)-1], 10)))
	}
	if len(pools) > 0 {
		// One query for the log configurations of the whole page.
		bySeq := make(map[int64]*storage.UserPool, len(pools))
		for i, p := range pools {
			bySeq[seqs[i]] = p
		}
		rows, err := tx.Stmt(s.readQ.listLogs).QueryContext(ctx, seqs[0], seqs[len(seqs)-1])
		if err != nil {
			return nil, "", fmt.Errorf("list user pools: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var seq int64
			var c storage.LogConfiguration
			if err := rows.Scan(&seq, &c.EventSource, &c.LogLevel, &c.DestinationType, &c.DestinationARN); err != nil {
				return nil, "", fmt.Errorf("list user pools: %w", err)
			}
			if p := bySeq[seq]; p != nil {
				p.LogConfigurations = append(p.LogConfigurations, c)
			}
		}
		if err := rows.Err(); err != nil {
			return nil, "", fmt.Errorf("list user pools: %w", err)
		}
	}
	return pools, next, nil
}
