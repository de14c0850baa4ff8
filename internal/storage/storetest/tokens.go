package storetest

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/cognate/cognate/internal/storage"
)

// RunTokens runs the storage.TokenStore part of the suite; newStore
// returns a fresh, empty store (which must implement TokenStore).
func RunTokens(t *testing.T, newStore func(t *testing.T) storage.Store) {
	runAll(t, newStore, []test[tokenStore]{
		{"EnsureKeepsFirstKey", testEnsureSigningKey},
		{"ConcurrentEnsureAgrees", testConcurrentEnsure},
		{"Revocations", testRevocations},
		{"PoolDeleteCascades", testTokenPoolCascade},
	})
}

// tokenStore is what the token tests use: pools to hang keys and
// revocations on, and the TokenStore.
type tokenStore interface {
	storage.Store
	storage.TokenStore
}

var tokenPool = storage.PoolKey{Scope: storage.Scope{AccountID: "123456789012", Region: "us-east-1"}, ID: "us-east-1_tokens001"}

func signingKey(kid string) storage.SigningKey {
	return storage.SigningKey{KeyID: kid, Private: []byte("der-" + kid), CreatedAt: time.UnixMilli(1726694203495).UTC()}
}

func testEnsureSigningKey(t *testing.T, s tokenStore) {
	ctx := context.Background()
	if _, err := s.SigningKeys(ctx, tokenPool); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("SigningKeys of a missing pool: %v, want ErrNotFound", err)
	}
	if _, err := s.EnsureSigningKey(ctx, tokenPool, signingKey("a")); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("EnsureSigningKey of a missing pool: %v, want ErrNotFound", err)
	}
	mustCreate(t, s, pool(tokenPool.AccountID, tokenPool.Region, tokenPool.ID))
	keys, err := s.SigningKeys(ctx, tokenPool)
	if err != nil || len(keys) != 0 {
		t.Fatalf("SigningKeys of a new pool = %v, %v; want none", keys, err)
	}
	got, err := s.EnsureSigningKey(ctx, tokenPool, signingKey("a"))
	if err != nil || got.KeyID != "a" || !bytes.Equal(got.Private, []byte("der-a")) {
		t.Fatalf("first EnsureSigningKey = %+v, %v", got, err)
	}
	got, err = s.EnsureSigningKey(ctx, tokenPool, signingKey("b"))
	if err != nil || got.KeyID != "a" {
		t.Fatalf("second EnsureSigningKey = %+v, %v; want the first key", got, err)
	}
	keys, err = s.SigningKeys(ctx, tokenPool)
	if err != nil || len(keys) != 1 || keys[0].KeyID != "a" || !keys[0].CreatedAt.Equal(signingKey("a").CreatedAt) {
		t.Fatalf("SigningKeys = %+v, %v", keys, err)
	}
}

func testConcurrentEnsure(t *testing.T, s tokenStore) {
	mustCreate(t, s, pool(tokenPool.AccountID, tokenPool.Region, tokenPool.ID))
	var wg sync.WaitGroup
	got := make([]string, 8)
	for i := range got {
		wg.Go(func() {
			k, err := s.EnsureSigningKey(context.Background(), tokenPool, signingKey(string(rune('a'+i))))
			if err != nil {
				t.Errorf("EnsureSigningKey: %v", err)
			}
			got[i] = k.KeyID
		})
	}
	wg.Wait()
	for _, kid := range got {
		if kid != got[0] {
			t.Fatalf("racing EnsureSigningKey returned different keys: %v", got)
		}
	}
}

func testRevocations(t *testing.T, s tokenStore) {
	ctx := context.Background()
	exp := time.UnixMilli(1726694203495)
	if err := s.RevokeToken(ctx, tokenPool, "j1", exp); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("RevokeToken in a missing pool: %v, want ErrNotFound", err)
	}
	mustCreate(t, s, pool(tokenPool.AccountID, tokenPool.Region, tokenPool.ID))
	other := tokenPool
	other.Region = "eu-west-1"
	mustCreate(t, s, pool(other.AccountID, other.Region, other.ID))
	for range 2 { // revoking twice is fine
		if err := s.RevokeToken(ctx, tokenPool, "j1", exp); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		pool storage.PoolKey
		id   string
		want bool
	}{{tokenPool, "j1", true}, {tokenPool, "j2", false}, {other, "j1", false}} {
		got, err := s.TokenRevoked(ctx, c.pool, c.id)
		if err != nil || got != c.want {
			t.Errorf("TokenRevoked(%s, %s) = %v, %v; want %v", c.pool.Region, c.id, got, err, c.want)
		}
	}
}

func testTokenPoolCascade(t *testing.T, s tokenStore) {
	ctx := context.Background()
	mustCreate(t, s, pool(tokenPool.AccountID, tokenPool.Region, tokenPool.ID))
	if _, err := s.EnsureSigningKey(ctx, tokenPool, signingKey("a")); err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeToken(ctx, tokenPool, "j1", time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteUserPool(ctx, tokenPool, nil); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, s, pool(tokenPool.AccountID, tokenPool.Region, tokenPool.ID))
	keys, err := s.SigningKeys(ctx, tokenPool)
	if err != nil || len(keys) != 0 {
		t.Fatalf("keys after the pool was recreated = %v, %v; want none", keys, err)
	}
	if revoked, err := s.TokenRevoked(ctx, tokenPool, "j1"); err != nil || revoked {
		t.Fatalf("revocation after the pool was recreated = %v, %v", revoked, err)
	}
}
