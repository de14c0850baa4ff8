package storage

import (
	"context"
	"time"
)

// SigningKey is the RSA key a user pool signs its tokens with. The domain
// owns the encoding of Private (PKCS#8 DER); the store keeps it byte for
// byte.
type SigningKey struct {
	// KeyID is the JWT header's "kid" and the JWKS entry's, unique in the
	// pool.
	KeyID     string
	Private   []byte
	CreatedAt time.Time
}

// TokenStore keeps what makes a pool's tokens verifiable and revocable:
// its signing keys and the token families (origin_jti) that were revoked.
// Its rules are Store's; deleting a pool deletes its keys and revocations.
type TokenStore interface {
	// SigningKeys returns the pool's keys, oldest first (none yet: an
	// empty slice). It MUST return ErrNotFound if the pool does not exist.
	SigningKeys(ctx context.Context, pool PoolKey) ([]SigningKey, error)

	// EnsureSigningKey stores k as the pool's key if the pool has none and
	// returns the pool's oldest key: k, or the key another caller stored
	// first (keys are generated outside the store's transaction, and two
	// first sign-ins may race). It MUST return ErrNotFound if the pool does
	// not exist.
	EnsureSigningKey(ctx context.Context, pool PoolKey, k SigningKey) (SigningKey, error)

	// RevokeToken records that the token family id (an origin_jti) is
	// revoked until expires, after which it may be forgotten. Revoking a
	// revoked family again is not an error. It MUST return ErrNotFound if
	// the pool does not exist.
	RevokeToken(ctx context.Context, pool PoolKey, id string, expires time.Time) error

	// TokenRevoked reports whether the family id was revoked (and its
	// record not yet forgotten). A pool that does not exist has none.
	TokenRevoked(ctx context.Context, pool PoolKey, id string) (bool, error)
}
