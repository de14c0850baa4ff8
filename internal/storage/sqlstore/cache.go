package sqlstore

import (
	"bytes"
	"maps"
	"slices"
	"sync"

	"github.com/cognate/cognate/internal/storage"
)

// poolCache holds pools as last committed, so that GetUserPool answers
// without SQLite. It is right because this Store is the only writer of its
// database (the data directory is locked): the writer goroutine updates the
// cache after each commit and before it answers the writes, and a reader
// that filled the cache from SQLite may store what it read only if no
// commit happened since it started reading (the epoch check).
//
// It holds app clients by the same rules (SignUp and the other client
// operations read their client first, and a read of SQLite costs more than
// the rest of such a request's reads): they are dropped when a write
// changes or deletes them or deletes their pool, and filled by readers
// under the same epoch check.
//
// And it holds users looked up by their username key (a changed user's
// every operation reads it first, and reading and decoding its row is the
// largest part of a small update such as AdminUpdateUserAttributes): a
// committed update replaces the user, a delete or its pool's delete drops
// it; the writer goroutine reads them too (writerUser), except users a
// write of the running batch has touched.
type poolCache struct {
	mu      sync.RWMutex
	epoch   uint64
	pools   map[storage.PoolKey]*storage.UserPool
	clients map[clientKey]*storage.AppClient
	users   map[storage.UserKey]cachedUser
	// domains are pools' domains (none: an empty slice), for
	// DescribeUserPool, which would otherwise follow every pool read
	// with a query.
	domains  map[storage.PoolKey][]storage.Domain
	max      int
	maxUsers int
}

// cachedUser is a user as last committed, with its row's sequence number.
type cachedUser struct {
	seq  int64
	user *storage.User
}

// clientKey is how clients are found: a client ID is unique in its
// account and region.
type clientKey struct{ AccountID, Region, ClientID string }

func clientKeyOf(c *storage.AppClient) clientKey {
	return clientKey{AccountID: c.AccountID, Region: c.Region, ClientID: c.ClientID}
}

// newPoolCache returns a cache of at most max pools (a pool is a few KB)
// and max app clients, and of at most maxUsers users (a user is about a
// KB).
func newPoolCache(max, maxUsers int) *poolCache {
	return &poolCache{
		pools:    make(map[storage.PoolKey]*storage.UserPool),
		clients:  make(map[clientKey]*storage.AppClient),
		users:    make(map[storage.UserKey]cachedUser),
		domains:  make(map[storage.PoolKey][]storage.Domain),
		max:      max,
		maxUsers: maxUsers,
	}
}

// getUser returns a copy of the cached user and its sequence number.
func (c *poolCache) getUser(key storage.UserKey) (int64, *storage.User, bool) {
	c.mu.RLock()
	e, ok := c.users[key]
	c.mu.RUnlock()
	if !ok {
		return 0, nil, false
	}
	return e.seq, cloneUser(e.user), true
}

// fillUser stores a user a reader read from SQLite, unless a commit came
// since the reader's begin.
func (c *poolCache) fillUser(start uint64, seq int64, u *storage.User) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.epoch == start {
		c.putUser(seq, cloneUser(u))
	}
}

// putUser adds a user, making room by dropping an arbitrary one when full.
func (c *poolCache) putUser(seq int64, u *storage.User) {
	key := u.UserKey()
	if _, ok := c.users[key]; !ok && len(c.users) >= c.maxUsers {
		for k := range c.users {
			delete(c.users, k)
			break
		}
	}
	c.users[key] = cachedUser{seq: seq, user: u}
}

func cloneUser(u *storage.User) *storage.User {
	c := *u
	c.Data = bytes.Clone(u.Data)
	c.Aliases = slices.Clone(u.Aliases)
	return &c
}

// getClient returns a copy of the cached client.
func (c *poolCache) getClient(key clientKey) (*storage.AppClient, bool) {
	c.mu.RLock()
	a, ok := c.clients[key]
	c.mu.RUnlock()
	if !ok {
		return nil, false
	}
	return cloneClient(a), true
}

// fillClient stores a client a reader read from SQLite, unless a commit
// came since the reader's begin.
func (c *poolCache) fillClient(start uint64, a *storage.AppClient) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.epoch != start {
		return
	}
	key := clientKeyOf(a)
	if _, ok := c.clients[key]; !ok && len(c.clients) >= c.max {
		for k := range c.clients {
			delete(c.clients, k)
			break
		}
	}
	c.clients[key] = cloneClient(a)
}

func cloneClient(a *storage.AppClient) *storage.AppClient {
	c := *a
	c.Data = bytes.Clone(a.Data)
	return &c
}

// getDomains returns copies of a pool's cached domains.
func (c *poolCache) getDomains(key storage.PoolKey) ([]*storage.Domain, bool) {
	c.mu.RLock()
	ds, ok := c.domains[key]
	c.mu.RUnlock()
	if !ok {
		return nil, false
	}
	out := make([]*storage.Domain, len(ds))
	for i := range ds {
		d := ds[i]
		out[i] = &d
	}
	return out, true
}

// fillDomains stores a pool's domains a reader read from SQLite, unless a
// commit came since the reader's begin.
func (c *poolCache) fillDomains(start uint64, key storage.PoolKey, ds []*storage.Domain) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.epoch != start {
		return
	}
	if _, ok := c.domains[key]; !ok && len(c.domains) >= c.max {
		for k := range c.domains {
			delete(c.domains, k)
			break
		}
	}
	vals := make([]storage.Domain, len(ds))
	for i, d := range ds {
		vals[i] = *d
	}
	c.domains[key] = vals
}

// get returns a copy of the cached pool.
func (c *poolCache) get(key storage.PoolKey) (*storage.UserPool, bool) {
	c.mu.RLock()
	p, ok := c.pools[key]
	c.mu.RUnlock()
	if !ok {
		return nil, false
	}
	return clonePool(p), true
}

// begin returns the epoch a reader must quote to fill.
func (c *poolCache) begin() uint64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.epoch
}

// fill stores what a reader read from SQLite, unless a commit came since.
func (c *poolCache) fill(start uint64, p *storage.UserPool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.epoch == start {
		c.put(clonePool(p))
	}
}

// effect is what one committed write did to one pool: its new record, or
// none (deleted, or unknown after a failed commit: its clients and users
// are dropped too); or, with client set, to one app client of the pool
// key, which is dropped; or, with user set, to one user of the pool; or,
// with domains set, to the pool's domains, which are dropped.
type effect struct {
	key     storage.PoolKey
	pool    *storage.UserPool // nil: drop
	client  *clientKey
	user    *userEffect
	domains bool
}

// userEffect is a user's new record and sequence number, or, with record
// nil, that the user is to be dropped.
type userEffect struct {
	key    storage.UserKey
	seq    int64
	record *storage.User
}

// unknown is what the cache may believe of e's object after the commit
// that would have made e failed: nothing.
func (e effect) unknown() effect {
	if e.user != nil {
		return effect{key: e.key, user: &userEffect{key: e.user.key}}
	}
	if e.domains {
		return e
	}
	return effect{key: e.key, client: e.client}
}

// apply records the effects of a commit and starts a new epoch. A new
// record replaces a cached one but is not added: the cache holds what is
// read, so that creating many pools does not fill memory.
func (c *poolCache) apply(effects []effect) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range effects {
		if e.client != nil {
			delete(c.clients, *e.client)
			continue
		}
		if e.domains {
			delete(c.domains, e.key)
			continue
		}
		if e.user != nil {
			// An updated user is kept even if it was not cached: it is
			// usually read again soon (the next step of its sign-in or
			// verification), and the map is bounded. The effect's record
			// is the writer's own copy (UpdateUser), so it is kept as is.
			if e.user.record == nil {
				delete(c.users, e.user.key)
			} else {
				c.putUser(e.user.seq, e.user.record)
			}
			continue
		}
		if e.pool == nil {
			// Deleting a pool deletes its clients, users and domains.
			delete(c.domains, e.key)
			for k, a := range c.clients {
				if a.AccountID == e.key.AccountID && a.Region == e.key.Region && a.PoolID == e.key.ID {
					delete(c.clients, k)
				}
			}
			for k := range c.users {
				if k.PoolKey == e.key {
					delete(c.users, k)
				}
			}
		}
		if _, cached := c.pools[e.key]; !cached {
			continue
		}
		if e.pool == nil {
			delete(c.pools, e.key)
		} else {
			c.pools[e.key] = clonePool(e.pool)
		}
	}
	c.epoch++
}

// put adds p, making room by dropping an arbitrary entry when full.
func (c *poolCache) put(p *storage.UserPool) {
	key := p.Key()
	if _, ok := c.pools[key]; !ok && len(c.pools) >= c.max {
		for k := range c.pools {
			delete(c.pools, k)
			break
		}
	}
	c.pools[key] = p
}

func clonePool(p *storage.UserPool) *storage.UserPool {
	c := *p
	c.Config = bytes.Clone(p.Config)
	c.Tags = maps.Clone(p.Tags)
	c.LogConfigurations = slices.Clone(p.LogConfigurations)
	return &c
}
