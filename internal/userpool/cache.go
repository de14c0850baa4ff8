package userpool

import (
	"bytes"
	"sync"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/storage"
)

// configCache keeps decoded pool settings for reads. Decoding a pool's
// settings (about 3 KB of JSON, most of it the schema) is the largest cost
// of DescribeUserPool; an entry is used only while the stored bytes are
// identical, so the store stays the one source of truth and a change made
// by any writer is seen at once. Callers must not modify what it returns
// beyond the top-level fields of their own copy.
type configCache struct {
	mu      sync.RWMutex
	entries map[storage.PoolKey]cachedConfig
	max     int
}

type cachedConfig struct {
	raw     []byte
	decoded *api.UserPoolType
}

func newConfigCache(max int) *configCache {
	return &configCache{entries: make(map[storage.PoolKey]cachedConfig), max: max}
}

// settings returns a shallow copy of the decoded settings of rec.
func (c *configCache) settings(rec *storage.UserPool) (*api.UserPoolType, error) {
	key := rec.Key()
	c.mu.RLock()
	e, ok := c.entries[key]
	c.mu.RUnlock()
	if !ok || !bytes.Equal(e.raw, rec.Config) {
		decoded, err := decodeConfig(rec)
		if err != nil {
			return nil, err
		}
		e = cachedConfig{raw: rec.Config, decoded: decoded}
		c.mu.Lock()
		if len(c.entries) >= c.max {
			// Bounded: drop an arbitrary entry (map order is random).
			for k := range c.entries {
				delete(c.entries, k)
				break
			}
		}
		c.entries[key] = e
		c.mu.Unlock()
	}
	cp := *e.decoded
	return &cp, nil
}
