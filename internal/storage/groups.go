package storage

import (
	"context"
	"fmt"
	"time"
)

// ErrGroupNotFound means the user pool group does not exist. It wraps
// ErrNotFound: errors.Is(err, ErrNotFound) holds too. GroupStore methods
// that name both a group and a user return it for the group and plain
// ErrNotFound for the user (or the pool).
var ErrGroupNotFound = fmt.Errorf("%w: group", ErrNotFound)

// GroupKey addresses one group of a user pool. Names compare exactly
// (case-sensitively).
type GroupKey struct {
	PoolKey
	Name string
}

// Group is a user pool group as stored.
type Group struct {
	AccountID   string
	Region      string
	PoolID      string
	Name        string
	Description string // "" for none
	RoleARN     string // "" for none
	// Precedence is nil when the group has none.
	Precedence *int32
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Key returns the group's key.
func (g *Group) Key() GroupKey {
	return GroupKey{PoolKey: PoolKey{Scope: Scope{AccountID: g.AccountID, Region: g.Region}, ID: g.PoolID}, Name: g.Name}
}

// GroupStore keeps the groups of user pools and their members. A group
// goes with its pool, a membership with its group and with its user. Its
// writes follow the Store rules: durable when they return nil, atomic,
// safe for concurrent use.
type GroupStore interface {
	// CreateGroup stores a new group. ErrNotFound if the pool does not
	// exist, ErrAlreadyExists if it has a group of that name.
	CreateGroup(ctx context.Context, g *Group) error

	// GetGroup returns a group; ErrGroupNotFound if there is none (also
	// when the pool does not exist).
	GetGroup(ctx context.Context, key GroupKey) (*Group, error)

	// UpdateGroup reads the group, calls update with it and stores what
	// update leaves in Description, RoleARN, Precedence and UpdatedAt, in
	// one transaction. If update returns an error nothing is stored and
	// that error is returned unchanged. ErrGroupNotFound if the group does
	// not exist. It returns the group as stored.
	UpdateGroup(ctx context.Context, key GroupKey, update func(*Group) error) (*Group, error)

	// DeleteGroup removes a group and its memberships; ErrGroupNotFound
	// if it does not exist.
	DeleteGroup(ctx context.Context, key GroupKey) error

	// ListGroups returns the groups of a pool in name order (bytewise), at
	// most page.Limit (0: 60) of them, and the cursor of the next page
	// ("" when there are no more). ErrNotFound if the pool does not exist,
	// ErrInvalidCursor for a cursor the store did not make.
	ListGroups(ctx context.Context, pool PoolKey, page Page) ([]*Group, string, error)

	// AddUserToGroup makes user a member of group; adding a member again
	// changes nothing. ErrGroupNotFound if the group does not exist,
	// ErrNotFound if the user does not.
	AddUserToGroup(ctx context.Context, group GroupKey, user string) error

	// RemoveUserFromGroup ends user's membership of group, if any.
	// ErrGroupNotFound if the group does not exist, ErrNotFound if the
	// user does not.
	RemoveUserFromGroup(ctx context.Context, group GroupKey, user string) error

	// ListGroupsOfUser returns the groups user is a member of in name
	// order, paged as ListGroups. ErrNotFound if the user does not exist.
	ListGroupsOfUser(ctx context.Context, user UserKey, page Page) ([]*Group, string, error)

	// ListUsersInGroup returns the members of a group in the order they
	// were created (users, not memberships), paged as ListGroups.
	// ErrGroupNotFound if the group does not exist.
	ListUsersInGroup(ctx context.Context, group GroupKey, page Page) ([]*User, string, error)
}
