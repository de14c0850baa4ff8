package sqlstore

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cognate/cognate/internal/storage"
)

// App clients are cached once read (cache.go): a client read, then
// changed, deleted, or deleted with its pool, must never be answered from
// the cache as it was.
func TestClientCacheFollowsWrites(t *testing.T) {
	ctx := context.Background()
	s, err := Open(Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Now().UTC()
	scope := storage.Scope{AccountID: "123456789012", Region: "us-east-1"}
	poolKey := storage.PoolKey{Scope: scope, ID: "us-east-1_cache0001"}
	if err := s.CreateUserPool(ctx, &storage.UserPool{AccountID: scope.AccountID, Region: scope.Region, ID: poolKey.ID, Name: "p",
		CreatedAt: now, UpdatedAt: now, Config: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	newClient := func(id string) storage.AppClientKey {
		c := &storage.AppClient{AccountID: scope.AccountID, Region: scope.Region, PoolID: poolKey.ID, ClientID: id, Name: "v1",
			CreatedAt: now, UpdatedAt: now, Data: []byte(`{"v":1}`)}
		if err := s.CreateAppClient(ctx, c); err != nil {
			t.Fatal(err)
		}
		return storage.AppClientKey{PoolKey: poolKey, ClientID: id}
	}
	read := func(key storage.AppClientKey) (*storage.AppClient, *storage.AppClient) {
		t.Helper()
		found, err1 := s.FindAppClient(ctx, scope, key.ClientID)
		got, err2 := s.GetAppClient(ctx, key)
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("Find: %v, Get: %v", err1, err2)
		}
		return found, got
	}

	key := newClient("client0000000000000000001")
	for range 2 { // the second read comes from the cache
		if f, g := read(key); f == nil || g == nil || f.Name != "v1" || g.Name != "v1" {
			t.Fatalf("read %+v %+v", f, g)
		}
	}
	f, _ := read(key)
	f.Data[0] = 'X' // a caller's change to its copy is not the cache's
	if _, err := s.UpdateAppClient(ctx, key, func(c *storage.AppClient) error {
		c.Name, c.Data = "v2", []byte(`{"v":2}`)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if f, g := read(key); f.Name != "v2" || g.Name != "v2" || string(f.Data) != `{"v":2}` {
		t.Errorf("after update: %+v %+v", f, g)
	}
	if err := s.DeleteAppClient(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindAppClient(ctx, scope, key.ClientID); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("Find after delete: %v", err)
	}
	if _, err := s.GetAppClient(ctx, key); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("Get after delete: %v", err)
	}

	key = newClient("client0000000000000000002")
	read(key)
	read(key)
	if err := s.DeleteUserPool(ctx, poolKey, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindAppClient(ctx, scope, key.ClientID); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("Find after the pool's deletion: %v", err)
	}
	if _, err := s.GetAppClient(ctx, key); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("Get after the pool's deletion: %v", err)
	}
}

// The writer remembers pools' sequence numbers (writerPoolSeq): a pool
// deleted and created again under the same ID gets a new one, which the
// next user write must use.
func TestWriterForgetsDeletedPools(t *testing.T) {
	ctx := context.Background()
	s, err := Open(Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Now().UTC()
	key := storage.PoolKey{Scope: storage.Scope{AccountID: "123456789012", Region: "us-east-1"}, ID: "us-east-1_again0001"}
	for i, name := range []string{"alice", "bob"} {
		if err := s.CreateUserPool(ctx, &storage.UserPool{AccountID: key.AccountID, Region: key.Region, ID: key.ID, Name: "p",
			CreatedAt: now, UpdatedAt: now, Config: []byte(`{}`)}); err != nil {
			t.Fatal(err)
		}
		u := &storage.User{AccountID: key.AccountID, Region: key.Region, PoolID: key.ID, Key: name, Username: name, Sub: name,
			CreatedAt: now, UpdatedAt: now, Data: []byte(`{}`)}
		if err := s.CreateUser(ctx, u, storage.Deliveries{}); err != nil {
			t.Fatalf("pool #%d: CreateUser: %v", i+1, err)
		}
		if _, err := s.GetUser(ctx, storage.UserKey{PoolKey: key, Key: name}); err != nil {
			t.Fatalf("pool #%d: GetUser: %v", i+1, err)
		}
		if i == 0 {
			if err := s.DeleteUserPool(ctx, key, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
}
