package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/cognate/cognate/internal/storage"
)

// Users are cached once read or updated (cache.go). Whatever the mix of
// concurrent updates and reads, a read answers what SQLite holds after the
// last acknowledged update, and the writer's read-modify-write never works
// on a stale record: n counters incremented concurrently end at n.
func TestUserCacheFollowsWrites(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	scope := storage.Scope{AccountID: "123456789012", Region: "us-east-1"}
	poolKey := storage.PoolKey{Scope: scope, ID: "us-east-1_ucache001"}
	if err := s.CreateUserPool(ctx, &storage.UserPool{AccountID: scope.AccountID, Region: scope.Region, ID: poolKey.ID, Name: "p",
		CreatedAt: now, UpdatedAt: now, Config: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	newUser := func(name string) storage.UserKey {
		u := &storage.User{AccountID: scope.AccountID, Region: scope.Region, PoolID: poolKey.ID, Key: name, Username: name,
			Sub: "sub-" + name, CreatedAt: now, UpdatedAt: now, Data: []byte("0")}
		if err := s.CreateUser(ctx, u, storage.Deliveries{}); err != nil {
			t.Fatal(err)
		}
		return u.UserKey()
	}
	const users, writers, increments = 4, 8, 60
	keys := make([]storage.UserKey, users)
	for i := range keys {
		keys[i] = newUser(fmt.Sprintf("user%d", i))
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := range writers {
		wg.Go(func() {
			for i := range increments {
				key := keys[(w+i)%users]
				_, err := s.UpdateUser(ctx, key, func(u *storage.User) (*storage.Deliveries, error) {
					n, err := strconv.Atoi(string(u.Data))
					if err != nil {
						return nil, err
					}
					u.Data = []byte(strconv.Itoa(n + 1))
					u.UpdatedAt = time.Now()
					return nil, nil
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	var readers sync.WaitGroup
	for r := range 4 {
		readers.Go(func() {
			last := map[storage.UserKey]int{}
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				key := keys[(r+i)%users]
				u, err := s.GetUser(ctx, key)
				if err != nil {
					t.Error(err)
					return
				}
				n, _ := strconv.Atoi(string(u.Data))
				if n < last[key] { // a read never goes back in time
					t.Errorf("%s: read %d after %d", key.Key, n, last[key])
					return
				}
				last[key] = n
				u.Data[0] = 'X' // the caller's copy, not the cache's
			}
		})
	}
	wg.Wait()
	close(stop)
	readers.Wait()

	total := 0
	cached := map[storage.UserKey]*storage.User{}
	for _, key := range keys {
		u, err := s.GetUser(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		n, err := strconv.Atoi(string(u.Data))
		if err != nil {
			t.Fatalf("%s: %q", key.Key, u.Data)
		}
		total += n
		cached[key] = u
	}
	if total != writers*increments {
		t.Errorf("counters sum to %d, want %d (an update worked on a stale record)", total, writers*increments)
	}

	// What the cache answers is what the database holds, field for field.
	if err := s.DeleteUser(ctx, keys[0], storage.Deliveries{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetUser(ctx, keys[0]); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("GetUser after delete: %v", err)
	}
	if _, err := s.UpdateUser(ctx, keys[0], func(*storage.User) (*storage.Deliveries, error) { return nil, nil }); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("UpdateUser after delete: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, key := range keys[1:] {
		fromDisk, err := s.GetUser(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		c := cached[key]
		if string(c.Data) != string(fromDisk.Data) || !c.UpdatedAt.Equal(fromDisk.UpdatedAt) || c.UpdatedAt.Location() != fromDisk.UpdatedAt.Location() ||
			!c.CreatedAt.Equal(fromDisk.CreatedAt) || c.Sub != fromDisk.Sub || c.Username != fromDisk.Username {
			t.Errorf("%s: cached %+v, on disk %+v", key.Key, c, fromDisk)
		}
	}

	// Deleting the pool drops its cached users.
	if _, err := s.GetUser(ctx, keys[1]); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteUserPool(ctx, poolKey, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetUser(ctx, keys[1]); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("GetUser after the pool's delete: %v", err)
	}
}
