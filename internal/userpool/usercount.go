package userpool

import (
	"context"
	"math"
	"sync"
	"time"

	"github.com/cognate/cognate/internal/storage"
)

// userCounts keeps each pool's number of users for DescribeUserPool's
// EstimatedNumberOfUsers ("A number estimating the size of the user pool"
// [DOC idp model UserPoolType]), so that the cached DescribeUserPool path
// does not count a pool's users on every call. The count is the store's
// (storage.UserStore.CountUsers); an entry is dropped by every user
// creation and deletion of the service (changed), and is used for at most
// countTTL, which bounds how stale it can be if a write path forgets to
// call changed. A count read while a change happened is not kept: each
// change bumps gen, and get keeps a count only if gen did not move while
// it was read.
type userCounts struct {
	mu      sync.Mutex
	gen     uint64
	entries map[storage.PoolKey]userCount
	max     int
}

type userCount struct {
	n  int64
	at time.Time // when it was read (monotonic clock)
}

// countTTL is how long a count is used without a change; Cognate's choice
// (AWS calls the number an estimate [DOC]).
const countTTL = time.Second

func newUserCounts(max int) *userCounts {
	return &userCounts{entries: make(map[storage.PoolKey]userCount), max: max}
}

// get returns the number of users of pool, from the cache or counted in
// store.
func (c *userCounts) get(ctx context.Context, store storage.UserStore, pool storage.PoolKey) (int64, error) {
	c.mu.Lock()
	e, ok := c.entries[pool]
	gen := c.gen
	c.mu.Unlock()
	if ok && time.Since(e.at) < countTTL {
		return e.n, nil
	}
	at := time.Now()
	n, err := store.CountUsers(ctx, pool)
	if err != nil {
		return 0, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return n, nil // a user was created or deleted meanwhile: not kept
	}
	if len(c.entries) >= c.max {
		// Bounded: drop an arbitrary entry (map order is random).
		for k := range c.entries {
			delete(c.entries, k)
			break
		}
	}
	c.entries[pool] = userCount{n: n, at: at}
	return n, nil
}

// changed drops pool's count: a user was (or may have been) created or
// deleted, or the pool itself deleted.
func (c *userCounts) changed(pool storage.PoolKey) {
	c.mu.Lock()
	c.gen++
	delete(c.entries, pool)
	c.mu.Unlock()
}

// estimate is n as EstimatedNumberOfUsers, an Integer [DOC idp model].
func estimate(n int64) int32 {
	return int32(min(n, math.MaxInt32))
}
