package storage

import (
	"context"
	"errors"
	"time"
)

// ErrAliasTaken means another user of the pool holds one of the aliases a
// write would give a user. The error the store returns wraps it in an
// *AliasTakenError naming the alias.
var ErrAliasTaken = errors.New("storage: alias taken")

// AliasTakenError names the alias that another user holds.
type AliasTakenError struct {
	Alias string
	// Holder is the username key of the user who holds it.
	Holder string
}

func (e *AliasTakenError) Error() string {
	return "storage: alias " + e.Alias + " is held by " + e.Holder
}

// Unwrap returns ErrAliasTaken.
func (e *AliasTakenError) Unwrap() error { return ErrAliasTaken }

// UserKey addresses one user: Key is the username as the pool compares
// usernames (the domain lower-cases it in case-insensitive pools).
type UserKey struct {
	PoolKey
	Key string
}

// User is a user as stored. The domain owns the meaning of Data (its
// attributes, status, password hash, pending codes); the store keeps it
// byte for byte and indexes the few fields it must look users up by.
type User struct {
	AccountID string
	Region    string
	PoolID    string
	// Key is the unique lookup form of the username; Username is the
	// username as Cognito returns it.
	Key      string
	Username string
	// Sub is the user's immutable id, unique in the pool.
	Sub       string
	CreatedAt time.Time
	UpdatedAt time.Time
	// Aliases are further unique lookup keys in the pool, chosen by the
	// domain (for example "email:alice@example.com" for a verified email
	// that is an alias or the sign-in attribute). No two users of a pool
	// may share one. Reads return them sorted, without repeats.
	Aliases []string
	Data    []byte
}

// PoolKey returns the key of the user's pool.
func (u *User) PoolKey() PoolKey {
	return PoolKey{Scope: Scope{AccountID: u.AccountID, Region: u.Region}, ID: u.PoolID}
}

// UserKey returns the user's key.
func (u *User) UserKey() UserKey { return UserKey{PoolKey: u.PoolKey(), Key: u.Key} }

// AppClientKey addresses one app client.
type AppClientKey struct {
	PoolKey
	ClientID string
}

// AppClient is an app client as stored; the domain owns Data (its
// settings and secret).
type AppClient struct {
	AccountID string
	Region    string
	PoolID    string
	ClientID  string // unique in the scope, not only in the pool
	Name      string
	CreatedAt time.Time
	UpdatedAt time.Time
	Data      []byte
}

// UserStore keeps the users and app clients of user pools. Its rules are
// Store's: writes are durable when they return nil, atomic, and safe for
// concurrent use; deleting a pool deletes its users and clients. Every
// write takes Deliveries that are appended to the outboxes in the same
// transaction.
type UserStore interface {
	// CreateUser stores a new user. It MUST return ErrNotFound if the pool
	// does not exist, ErrAlreadyExists if the pool has a user with the same
	// Key or Sub, and an *AliasTakenError if another user holds one of its
	// aliases.
	CreateUser(ctx context.Context, u *User, d Deliveries) error

	// GetUser returns a user. It MUST return ErrNotFound if there is none.
	GetUser(ctx context.Context, key UserKey) (*User, error)

	// FindUser returns the user of a pool that holds alias, or whose Sub
	// is sub when alias is "sub:<sub>". It MUST return ErrNotFound if there
	// is none.
	FindUser(ctx context.Context, pool PoolKey, alias string) (*User, error)

	// UpdateUser reads the user, calls update with it and stores what
	// update leaves in Username, UpdatedAt, Aliases and Data (Key, Sub and
	// CreatedAt MUST NOT change) together with the Deliveries update
	// returns, in one transaction. If update returns an error nothing is
	// stored and that error is returned unchanged, except that a non-nil
	// *Deliveries returned with the error is still stored (a failed
	// confirmation attempt that is logged). It MUST return ErrNotFound if
	// the user does not exist and an *AliasTakenError if another user holds
	// one of the new aliases. It returns the user as stored.
	UpdateUser(ctx context.Context, key UserKey, update func(*User) (*Deliveries, error)) (*User, error)

	// DeleteUser removes a user. It MUST return ErrNotFound if the user
	// does not exist.
	DeleteUser(ctx context.Context, key UserKey, d Deliveries) error

	// ScanUsers calls fn with the users of a pool whose Key is greater than
	// after, in Key order, until fn returns false or the users run out. It
	// MUST return ErrNotFound if the pool does not exist.
	ScanUsers(ctx context.Context, pool PoolKey, after string, fn func(*User) bool) error

	// CountUsers returns how many users a pool has (EstimatedNumberOfUsers).
	CountUsers(ctx context.Context, pool PoolKey) (int64, error)

	// CreateAppClient stores a new app client. It MUST return ErrNotFound
	// if the pool does not exist and ErrAlreadyExists if the scope has a
	// client with the same ClientID.
	CreateAppClient(ctx context.Context, c *AppClient) error

	// GetAppClient returns a client of a pool. It MUST return ErrNotFound
	// if there is none (a client of another pool does not count).
	GetAppClient(ctx context.Context, key AppClientKey) (*AppClient, error)

	// FindAppClient returns the client of a scope with that id, whatever
	// its pool (InitiateAuth and SignUp name only the client). A scope
	// without Region matches every region of the account (those calls may
	// come unsigned, naming no region). It MUST return ErrNotFound if there
	// is none.
	FindAppClient(ctx context.Context, scope Scope, clientID string) (*AppClient, error)

	// UpdateAppClient reads the client, calls update and stores what it
	// leaves in Name, UpdatedAt and Data, in one transaction, with Store's
	// error rules. It returns the client as stored.
	UpdateAppClient(ctx context.Context, key AppClientKey, update func(*AppClient) error) (*AppClient, error)

	// DeleteAppClient removes a client. It MUST return ErrNotFound if there
	// is none.
	DeleteAppClient(ctx context.Context, key AppClientKey) error

	// ListAppClients returns the clients of a pool in creation order, as
	// ListUserPools pages. It MUST return ErrNotFound if the pool does not
	// exist.
	ListAppClients(ctx context.Context, pool PoolKey, page Page) ([]*AppClient, string, error)
}
