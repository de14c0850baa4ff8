package storage

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrPoolHasDomain means the user pool already has a domain of the kind
// being created (a pool has at most one prefix domain and one custom
// domain).
var ErrPoolHasDomain = errors.New("storage: pool already has a domain of this kind")

// ErrLimitExceeded means a create would take a pool past a limit the
// caller gave.
var ErrLimitExceeded = errors.New("storage: limit exceeded")

// ErrResourceServerNotFound means the resource server does not exist. It
// wraps ErrNotFound.
var ErrResourceServerNotFound = fmt.Errorf("%w: resource server", ErrNotFound)

// Domain is a user pool domain: a prefix (Custom false; Name is the prefix
// alone) or a custom domain (Custom true; Name is the fully qualified
// name). Names are unique in a region, whatever the account, as Cognito's
// are.
type Domain struct {
	AccountID string
	Region    string
	PoolID    string
	Name      string
	Custom    bool
	// CertificateARN and CloudFrontDomain are a custom domain's ("" for a
	// prefix).
	CertificateARN      string
	CloudFrontDomain    string
	ManagedLoginVersion int32
	// Version is the domain's app version, changed by updates.
	Version   string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// PoolKey returns the key of the domain's pool.
func (d *Domain) PoolKey() PoolKey {
	return PoolKey{Scope: Scope{AccountID: d.AccountID, Region: d.Region}, ID: d.PoolID}
}

// ResourceServerKey addresses one resource server of a pool; identifiers
// compare exactly.
type ResourceServerKey struct {
	PoolKey
	Identifier string
}

// ResourceServerScope is one custom scope of a resource server.
type ResourceServerScope struct {
	Name        string
	Description string
}

// ResourceServer is an OAuth 2.0 resource server of a user pool.
type ResourceServer struct {
	AccountID  string
	Region     string
	PoolID     string
	Identifier string
	Name       string
	Scopes     []ResourceServerScope
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Key returns the resource server's key.
func (r *ResourceServer) Key() ResourceServerKey {
	return ResourceServerKey{PoolKey: PoolKey{Scope: Scope{AccountID: r.AccountID, Region: r.Region}, ID: r.PoolID}, Identifier: r.Identifier}
}

// OAuthStore keeps the OAuth 2.0 side of user pools: their domains and
// their resource servers. Both go with their pool. Its writes follow the
// Store rules: durable when they return nil, atomic, safe for concurrent
// use.
type OAuthStore interface {
	// CreateDomain stores a new domain. It MUST return ErrNotFound if the
	// pool does not exist, ErrAlreadyExists if a domain of that name
	// exists in the region (in any account), and ErrPoolHasDomain if the
	// pool has a domain of the same kind (prefix or custom).
	CreateDomain(ctx context.Context, d *Domain) error

	// FindDomain returns the domain called name in region; region ""
	// matches every region (the oldest such domain is returned). It MUST
	// return ErrNotFound if there is none. It is on the path of every
	// OAuth request, so it MUST be an indexed read.
	FindDomain(ctx context.Context, region, name string) (*Domain, error)

	// PoolDomains returns the pool's domains, prefix first (none: an
	// empty slice). A pool that does not exist has none.
	PoolDomains(ctx context.Context, pool PoolKey) ([]*Domain, error)

	// UpdateDomain reads the domain called name of pool, calls update
	// with it and stores what update leaves in CertificateARN,
	// CloudFrontDomain, ManagedLoginVersion, Version and UpdatedAt, in one
	// transaction. If update returns an error nothing is stored and that
	// error is returned unchanged. It MUST return ErrNotFound if the pool
	// has no domain of that name.
	UpdateDomain(ctx context.Context, pool PoolKey, name string, update func(*Domain) error) (*Domain, error)

	// DeleteDomain removes the domain called name of pool. It MUST
	// return ErrNotFound if the pool has no domain of that name.
	DeleteDomain(ctx context.Context, pool PoolKey, name string) error

	// CreateResourceServer stores a new resource server. It MUST return
	// ErrNotFound if the pool does not exist, ErrAlreadyExists if the
	// pool has one with that identifier, and ErrLimitExceeded if limit >
	// 0 and the pool has limit resource servers already.
	CreateResourceServer(ctx context.Context, r *ResourceServer, limit int) error

	// GetResourceServer returns a resource server; ErrResourceServerNotFound
	// if there is none (also when the pool does not exist).
	GetResourceServer(ctx context.Context, key ResourceServerKey) (*ResourceServer, error)

	// UpdateResourceServer reads the resource server, calls update with
	// it and stores what update leaves in Name, Scopes and UpdatedAt, in
	// one transaction. If update returns an error nothing is stored and
	// that error is returned unchanged. ErrResourceServerNotFound if it
	// does not exist. It returns the resource server as stored.
	UpdateResourceServer(ctx context.Context, key ResourceServerKey, update func(*ResourceServer) error) (*ResourceServer, error)

	// DeleteResourceServer removes a resource server;
	// ErrResourceServerNotFound if it does not exist.
	DeleteResourceServer(ctx context.Context, key ResourceServerKey) error

	// ListResourceServers returns the pool's resource servers in
	// identifier order (bytewise), at most page.Limit (0: 50) of them, and
	// the cursor of the next page ("" when there are no more).
	// ErrNotFound if the pool does not exist, ErrInvalidCursor for a
	// cursor the store did not make.
	ListResourceServers(ctx context.Context, pool PoolKey, page Page) ([]*ResourceServer, string, error)

	// UseOnce records that the single-use credential id (an authorization
	// code's jti) of pool was used, until expires, and reports whether
	// this was its first use. Of concurrent calls with the same id exactly
	// one MUST report true. It MUST return ErrNotFound if the pool does
	// not exist. Ids share TokenStore's namespace of revoked token
	// families (TokenRevoked reports a used id as revoked).
	UseOnce(ctx context.Context, pool PoolKey, id string, expires time.Time) (bool, error)
}
