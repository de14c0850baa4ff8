package storage

import (
	"context"
	"time"
)

// AuthEvent is one threat-protection auth event of a user (a sign-in,
// sign-up, password change, forgotten password or resent code, with its
// risk evaluation). The domain owns the meaning of Data; the store keeps
// it byte for byte and orders a user's events by CreatedAt, then EventID.
// Events are written with the change that caused them (Deliveries), and
// go with their user.
type AuthEvent struct {
	AccountID string
	Region    string
	PoolID    string
	UserKey   string // the user's Key
	EventID   string // unique among the user's events
	CreatedAt time.Time
	Data      []byte
}

// AuthEventCursor is where a listing of a user's events, newest first,
// goes on: after the event at (CreatedAt, EventID).
type AuthEventCursor struct {
	CreatedAt time.Time
	EventID   string
}

// RiskConfiguration is a pool's threat-protection settings, or, with
// ClientID set, one app client's, which replace the pool's for that
// client. The domain owns the meaning of Data.
type RiskConfiguration struct {
	AccountID string
	Region    string
	PoolID    string
	ClientID  string // "" for the pool's
	UpdatedAt time.Time
	Data      []byte
}

// AuthEventStore keeps users' auth events and pools' risk configurations. Its writes follow the Store
// rules: durable when they return nil, atomic, safe for concurrent use.
type AuthEventStore interface {
	// ListAuthEvents returns up to limit events of user key, newest first
	// (by CreatedAt, then EventID, both descending), starting after
	// cursor when it is not nil. ErrNotFound if the user does not exist.
	ListAuthEvents(ctx context.Context, key UserKey, after *AuthEventCursor, limit int) ([]*AuthEvent, error)

	// UpdateAuthEvent reads event eventID of user key, calls update with
	// it and stores what update left in Data, in one transaction. It
	// returns ErrNotFound if the user or the event does not exist, and
	// update's error unchanged (storing nothing).
	UpdateAuthEvent(ctx context.Context, key UserKey, eventID string, update func(*AuthEvent) error) (*AuthEvent, error)

	// GetRiskConfiguration returns the configuration of the pool (clientID
	// "") or of one of its clients; ErrNotFound if there is none.
	GetRiskConfiguration(ctx context.Context, pool PoolKey, clientID string) (*RiskConfiguration, error)

	// PutRiskConfiguration stores c, replacing the one of its pool and
	// client. ErrNotFound if the pool, or the client when ClientID is
	// set, does not exist. A client's configuration goes with the client,
	// every configuration with the pool.
	PutRiskConfiguration(ctx context.Context, c *RiskConfiguration) error

	// DeleteRiskConfiguration removes the configuration of the pool or of
	// a client, if there is one.
	DeleteRiskConfiguration(ctx context.Context, pool PoolKey, clientID string) error
}
