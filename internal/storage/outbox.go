package storage

import (
	"context"
	"time"
)

// Message is an email or SMS a user pool sent, kept in the message outbox
// so that users and tests can read it (the codes in it) whether or not an
// SMTP relay also took it.
type Message struct {
	Seq       int64 // assigned by the store, increasing
	AccountID string
	Region    string
	PoolID    string
	Username  string // the user it was sent for, "" if none
	Medium    string // EMAIL or SMS
	From      string // email only
	To        string // address or E.164 number
	Subject   string // email only
	Body      string
	// Purpose is what the message is for, in Cognito's words: e.g.
	// SignUp, ResendCode, ForgotPassword, AdminCreateUser,
	// VerifyUserAttribute.
	Purpose   string
	CreatedAt time.Time
	// Relayed reports that an SMTP relay accepted the message.
	Relayed bool
	// Failure is the delivery failure, "" if none was seen.
	Failure string
}

// ExportRecord is one log event waiting in the export outbox for delivery
// to its destination. The record is final: Payload is the exact message
// written to the destination.
type ExportRecord struct {
	Seq             int64 // assigned by the store, increasing
	AccountID       string
	Region          string
	PoolID          string
	EventSource     string // userNotification or userAuthEvents
	DestinationType string // one of the Destination* constants
	DestinationARN  string
	CreatedAt       time.Time // the event's time; the record's timestamp
	Payload         []byte
}

// Deliveries are records a change appends to the outboxes, in the same
// transaction as the change: if the change is stored they are too, and if
// it is not they are not.
//
// AuthEvents ride along for the same reason: a threat-protection event is
// stored, with its export records, exactly when the change it reports is.
// An event whose user does not exist (any more) is not stored.
type Deliveries struct {
	Messages   []Message
	Exports    []ExportRecord
	AuthEvents []AuthEvent
}

// Empty reports whether there is nothing to append.
func (d Deliveries) Empty() bool {
	return len(d.Messages) == 0 && len(d.Exports) == 0 && len(d.AuthEvents) == 0
}

// MessageQuery selects outbox messages: those of one pool (PoolID "" for
// every pool of the scope), optionally only to one address or number, with
// Seq greater than After, oldest first, at most Limit.
type MessageQuery struct {
	PoolID string
	To     string
	After  int64
	Limit  int
}

// OutboxStore keeps the two outboxes: messages sent, and log records
// waiting for export. Its writes follow the Store rules: durable when they
// return nil, atomic, safe for concurrent use.
type OutboxStore interface {
	// AppendDeliveries stores d on its own, for events that change nothing
	// else (a failed send whose API call fails). Seq fields are assigned.
	AppendDeliveries(ctx context.Context, d Deliveries) error

	// ListMessages returns the messages of a scope that q selects.
	ListMessages(ctx context.Context, scope Scope, q MessageQuery) ([]*Message, error)

	// PendingExports returns up to limit export records with Seq greater
	// than after, in Seq order, of every scope.
	PendingExports(ctx context.Context, after int64, limit int) ([]*ExportRecord, error)

	// AckExports removes delivered export records, in one transaction.
	// Unknown sequence numbers are ignored.
	AckExports(ctx context.Context, seqs []int64) error
}
