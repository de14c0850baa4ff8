package storage

import (
	"context"
	"errors"
	"time"
)

// Sentinel errors. Backends MUST return these (possibly wrapped with %w) so
// that callers can use errors.Is.
var (
	// ErrNotFound means the addressed record does not exist in the given
	// account and region.
	ErrNotFound = errors.New("storage: not found")
	// ErrAlreadyExists means a record with the same key exists.
	ErrAlreadyExists = errors.New("storage: already exists")
)

// Scope is where a resource lives: resources of one account and region are
// invisible from any other.
type Scope struct {
	AccountID string
	Region    string
}

// PoolKey addresses one user pool.
type PoolKey struct {
	Scope
	ID string
}

// UserPool is a user pool as stored. The domain owns the meaning of Config;
// the store keeps it byte for byte.
type UserPool struct {
	AccountID string
	Region    string
	ID        string
	Name      string
	CreatedAt time.Time
	UpdatedAt time.Time
	// Config is the pool's settings, encoded by the domain.
	Config []byte
	// Tags are the pool's tags (UserPoolTags).
	Tags map[string]string
	// LogConfigurations is the pool's log delivery configuration, in the
	// order it was set. It is stored apart from Config so that the log
	// exporter can read every destination without decoding pools.
	LogConfigurations []LogConfiguration
}

// Key returns the pool's key.
func (p *UserPool) Key() PoolKey {
	return PoolKey{Scope: Scope{AccountID: p.AccountID, Region: p.Region}, ID: p.ID}
}

// Destination types of a log configuration.
const (
	DestinationCloudWatchLogs = "cloudwatchlogs"
	DestinationS3             = "s3"
	DestinationFirehose       = "firehose"
)

// LogConfiguration is one entry of a pool's log delivery configuration: an
// event source with its level and its single destination.
type LogConfiguration struct {
	EventSource     string // userNotification or userAuthEvents
	LogLevel        string // ERROR or INFO
	DestinationType string // one of the Destination* constants
	DestinationARN  string
}

// Page asks for part of a list: the records after Cursor (empty for the
// first page), at most Limit of them.
type Page struct {
	Cursor string
	Limit  int
}

// Store keeps Cognate's state.
//
// Every method that changes state MUST be durable when it returns nil: the
// change survives a crash of the process (SIGKILL) or of the machine that
// happens afterwards. Every method MUST be atomic: it either makes its whole
// change or none of it. Methods MUST be safe for concurrent use.
type Store interface {
	// CreateUserPool stores a new pool with its tags and log
	// configurations. It MUST return ErrAlreadyExists if a pool with the
	// same key exists.
	CreateUserPool(ctx context.Context, p *UserPool) error

	// GetUserPool returns a pool. It MUST return ErrNotFound if there is no
	// pool with that key (a pool of another account or region does not
	// count).
	GetUserPool(ctx context.Context, key PoolKey) (*UserPool, error)

	// UpdateUserPool reads the pool, calls update with it and stores what
	// update leaves in it (Name, UpdatedAt, Config, Tags and
	// LogConfigurations; the key and CreatedAt MUST NOT change), all in one
	// transaction: no other change to the pool may come in between. If
	// update returns an error nothing is stored and UpdateUserPool returns
	// that error unchanged. It MUST return ErrNotFound if the pool does not
	// exist. It returns the pool as stored.
	UpdateUserPool(ctx context.Context, key PoolKey, update func(*UserPool) error) (*UserPool, error)

	// DeleteUserPool removes a pool and everything it owns. It MUST return
	// ErrNotFound if the pool does not exist. If check is not nil it is
	// called with the pool inside the transaction, and a non-nil result
	// aborts the deletion and is returned unchanged.
	DeleteUserPool(ctx context.Context, key PoolKey, check func(*UserPool) error) error

	// ListUserPools returns the pools of a scope in creation order, at most
	// page.Limit of them, and the cursor of the next page ("" when there
	// are no more). A cursor is opaque to callers; a malformed one MUST
	// give ErrInvalidCursor.
	ListUserPools(ctx context.Context, scope Scope, page Page) ([]*UserPool, string, error)

	// Close releases the store's resources.
	Close() error
}

// ErrInvalidCursor means a Page.Cursor was not made by the store.
var ErrInvalidCursor = errors.New("storage: invalid cursor")
