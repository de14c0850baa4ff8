package storage

import (
	"context"
	"fmt"
)

// This file is the contract of the built-in CloudWatch Logs: log groups,
// their streams and events, and account-level resource policies. It is a
// separate interface from Store because it is a separate service with its
// own records and its own hot path (ingesting and scanning events): the
// domain of CloudWatch Logs (internal/builtin/cwlogs) depends on LogStore
// only, the user-pool domain on Store only, and a backend implements both
// (Backend). Every time in these records is epoch milliseconds, the unit of
// the CloudWatch Logs API.

// Errors of LogStore besides ErrNotFound and ErrAlreadyExists.
var (
	// ErrLogStreamNotFound means the log group exists but the stream does
	// not. It wraps ErrNotFound: errors.Is(err, ErrNotFound) holds too.
	ErrLogStreamNotFound = fmt.Errorf("%w: log stream", ErrNotFound)
	// ErrLogGroupNotFound means the log group does not exist. It wraps
	// ErrNotFound.
	ErrLogGroupNotFound = fmt.Errorf("%w: log group", ErrNotFound)
)

// LogGroupKey addresses one log group: its name in an account and region.
type LogGroupKey struct {
	Scope
	Name string
}

// LogStreamKey addresses one log stream of a log group.
type LogStreamKey struct {
	LogGroupKey
	Stream string
}

// LogGroup is a log group as stored. The domain owns the meaning of its
// fields; the store keeps them as given, except StoredBytes, which the store
// maintains.
type LogGroup struct {
	AccountID string
	Region    string
	Name      string
	// CreationTime is epoch milliseconds.
	CreationTime int64
	// RetentionInDays is 0 when events never expire.
	RetentionInDays int32
	// KMSKeyID is the key the group was created with ("" for none), as
	// given.
	KMSKeyID string
	// Class is STANDARD, INFREQUENT_ACCESS or DELIVERY.
	Class              string
	DeletionProtection bool
	Tags               map[string]string
	// StoredBytes is the sum of the UTF-8 lengths of the messages the group
	// holds, maintained by the store: it grows with PutLogEvents and shrinks
	// when events are expired or the group's streams deleted.
	StoredBytes int64
}

// Key returns the group's key.
func (g *LogGroup) Key() LogGroupKey {
	return LogGroupKey{Scope: Scope{AccountID: g.AccountID, Region: g.Region}, Name: g.Name}
}

// LogStream is a log stream as stored.
type LogStream struct {
	Name string
	// ID identifies the stream in the store; it is never reused, so a
	// stream deleted and created again under the same name gets a new one.
	ID int64
	// CreationTime is epoch milliseconds.
	CreationTime int64
	// LastSequence is the per-stream sequence number of the last event put
	// (events are numbered 1, 2, … in the order they were put); 0 when the
	// stream has never had events.
	LastSequence int64
	// The times of the stream's events, -1 while it has never had any.
	FirstEventTimestamp int64 // the earliest event timestamp ever put
	LastEventTimestamp  int64 // the latest event timestamp ever put
	LastIngestionTime   int64 // the latest ingestion time of a put
}

// LogEvent is one event. On writes, Timestamp, IngestionTime and Message
// are the caller's; the store sets Seq (and ignores Stream and StreamID).
// On reads every field is set.
type LogEvent struct {
	Stream        string // the stream's name
	StreamID      int64  // LogStream.ID
	Seq           int64  // the event's per-stream sequence number
	Timestamp     int64
	IngestionTime int64
	Message       string
}

// StreamPosition is a place in one stream's order: events are ordered by
// (Timestamp, Seq).
type StreamPosition struct {
	Timestamp int64
	Seq       int64
}

// Position returns where e is in its stream's order.
func (e *LogEvent) Position() StreamPosition {
	return StreamPosition{Timestamp: e.Timestamp, Seq: e.Seq}
}

// GroupPosition is a place in a group's order: events of all its streams
// are ordered by (Timestamp, IngestionTime, StreamID, Seq), which is a total
// order.
type GroupPosition struct {
	Timestamp     int64
	IngestionTime int64
	StreamID      int64
	Seq           int64
}

// GroupPosition returns where e is in its group's order.
func (e *LogEvent) GroupPosition() GroupPosition {
	return GroupPosition{Timestamp: e.Timestamp, IngestionTime: e.IngestionTime, StreamID: e.StreamID, Seq: e.Seq}
}

// Less reports whether p comes before q.
func (p GroupPosition) Less(q GroupPosition) bool {
	switch {
	case p.Timestamp != q.Timestamp:
		return p.Timestamp < q.Timestamp
	case p.IngestionTime != q.IngestionTime:
		return p.IngestionTime < q.IngestionTime
	case p.StreamID != q.StreamID:
		return p.StreamID < q.StreamID
	}
	return p.Seq < q.Seq
}

// LogGroupQuery selects log groups of one scope for ListLogGroups. The
// filters combine with AND.
type LogGroupQuery struct {
	// NamePrefix keeps the groups whose name starts with it.
	NamePrefix string
	// NameContains keeps the groups whose name contains it (case-sensitive).
	NameContains string
	// Class keeps the groups of that class ("" for all).
	Class string
	// Names keeps only the groups with these names (nil for no filter).
	Names []string
	// After is a cursor: only groups whose name sorts after it (byte
	// order). Empty for the first page.
	After string
	// Limit is the most groups to return (at least 1).
	Limit int
}

// Orders of ListLogStreams.
const (
	OrderByName          = "LogStreamName"
	OrderByLastEventTime = "LastEventTime"
)

// LogStreamQuery selects streams of one group for ListLogStreams.
type LogStreamQuery struct {
	// NamePrefix keeps the streams whose name starts with it.
	NamePrefix string
	// OrderBy is OrderByName (the default) or OrderByLastEventTime; streams
	// without events sort before every stream with events, ties by name.
	OrderBy    string
	Descending bool
	// After is the last stream of the previous page (nil for the first
	// page): the page starts with the stream after it in the requested
	// order. Only its Name and LastEventTimestamp are read.
	After *LogStream
	// Limit is the most streams to return (at least 1).
	Limit int
}

// StreamRead selects events of one stream for ReadLogStream.
type StreamRead struct {
	// Start and End bound the timestamps: Start <= Timestamp < End.
	Start, End int64
	// After and Before bound the positions: After < position < Before;
	// nil means no bound.
	After, Before *StreamPosition
	// Backward selects the last Limit events of the range instead of the
	// first. Events are returned in stream order either way.
	Backward bool
	// Limit is the most events to return (at least 1).
	Limit int
}

// GroupScan selects events of one group for ScanLogEvents.
type GroupScan struct {
	// Start and End bound the timestamps: Start <= Timestamp < End.
	Start, End int64
	// After is a cursor: only events after it in the group's order.
	After *GroupPosition
	// Streams keeps only the events of the streams with these names (nil
	// for all streams); names that are not streams of the group are
	// ignored.
	Streams []string
	// StreamPrefix keeps only the events of streams whose name starts with
	// it.
	StreamPrefix string
}

// PutLogEventsOptions modify PutLogEvents.
type PutLogEventsOptions struct {
	// CreateStream creates the stream, with CreationTime, if it does not
	// exist, in the same transaction as the events.
	CreateStream bool
	CreationTime int64
	// ExpireBefore, when positive, deletes in the same transaction every
	// event of the group whose timestamp is before it.
	ExpireBefore int64
}

// ResourcePolicy is an account-level CloudWatch Logs resource policy.
type ResourcePolicy struct {
	Name     string
	Document string
	// LastUpdatedTime is epoch milliseconds.
	LastUpdatedTime int64
}

// LogStore keeps the built-in CloudWatch Logs' state.
//
// Every method that changes state MUST be durable when it returns nil: the
// change survives a crash of the process or the machine that happens
// afterwards. Every method MUST be atomic: it makes its whole change or none
// of it, and a read sees either all of a write or none of it. Methods MUST
// be safe for concurrent use. Groups, and everything in them, of one account
// and region are invisible from any other. Names are compared byte for byte
// (case-sensitive), and "name order" is byte order, which is ASCII order for
// the names CloudWatch Logs allows.
type LogStore interface {
	// CreateLogGroup stores a new group with no streams. It MUST return
	// ErrAlreadyExists if a group with the same key exists.
	CreateLogGroup(ctx context.Context, g *LogGroup) error

	// GetLogGroup returns a group. It MUST return ErrLogGroupNotFound if
	// there is none with that key.
	GetLogGroup(ctx context.Context, key LogGroupKey) (*LogGroup, error)

	// UpdateLogGroup reads the group, calls update with it and stores what
	// update leaves in RetentionInDays, KMSKeyID, DeletionProtection and
	// Tags (the key, CreationTime, Class and StoredBytes MUST NOT change),
	// in one transaction. If update returns an error nothing is stored and
	// that error is returned unchanged. It MUST return ErrLogGroupNotFound
	// if the group does not exist. It returns the group as stored.
	UpdateLogGroup(ctx context.Context, key LogGroupKey, update func(*LogGroup) error) (*LogGroup, error)

	// DeleteLogGroup removes a group with all its streams and events, in
	// one transaction. If check is not nil it is called with the group
	// inside the transaction, and a non-nil result aborts the deletion and
	// is returned unchanged. It MUST return ErrLogGroupNotFound if the group
	// does not exist.
	DeleteLogGroup(ctx context.Context, key LogGroupKey, check func(*LogGroup) error) error

	// ListLogGroups returns the groups of a scope that q selects, in name
	// order, at most q.Limit of them, and whether more follow.
	ListLogGroups(ctx context.Context, scope Scope, q LogGroupQuery) ([]*LogGroup, bool, error)

	// CreateLogStream stores a new stream without events. It MUST return
	// ErrLogGroupNotFound if the group does not exist, and
	// ErrAlreadyExists if the group has a stream with that name.
	CreateLogStream(ctx context.Context, key LogStreamKey, creationTime int64) (*LogStream, error)

	// GetLogStream returns a stream. It MUST return ErrLogGroupNotFound if
	// the group does not exist and ErrLogStreamNotFound if the group exists
	// but the stream does not.
	GetLogStream(ctx context.Context, key LogStreamKey) (*LogStream, error)

	// ListLogStreams returns streams of a group that q selects, in the
	// requested order, at most q.Limit of them, and whether more follow.
	// It MUST return ErrLogGroupNotFound if the group does not exist.
	ListLogStreams(ctx context.Context, group LogGroupKey, q LogStreamQuery) ([]*LogStream, bool, error)

	// PutLogEvents appends events to a stream in one transaction: all of
	// them or none, however many there are. Events get consecutive
	// per-stream sequence numbers in slice order, after the stream's
	// LastSequence; the stream's LastSequence, first and last event
	// timestamps and last ingestion time (the largest IngestionTime of the
	// events) are updated in the same transaction. It returns the stream as
	// stored. It MUST return ErrLogGroupNotFound if the group does not
	// exist and ErrLogStreamNotFound if the group exists but the stream does
	// not (unless opts.CreateStream). Concurrent puts to one stream MUST
	// NOT lose or renumber events.
	PutLogEvents(ctx context.Context, key LogStreamKey, events []LogEvent, opts PutLogEventsOptions) (*LogStream, error)

	// ReadLogStream returns the events of one stream that r selects, in
	// stream order. It MUST return ErrLogGroupNotFound or
	// ErrLogStreamNotFound as PutLogEvents does.
	ReadLogStream(ctx context.Context, key LogStreamKey, r StreamRead) ([]LogEvent, error)

	// ScanLogEvents calls fn with the events of a group that q selects, in
	// the group's order, until fn returns false or the events run out. The
	// scan reads one consistent snapshot. It MUST return ErrLogGroupNotFound
	// if the group does not exist.
	ScanLogEvents(ctx context.Context, group LogGroupKey, q GroupScan, fn func(LogEvent) bool) error

	// ExpireLogEvents deletes every event of a group whose timestamp is
	// before the given time and returns how many it deleted. It MUST return
	// ErrLogGroupNotFound if the group does not exist.
	ExpireLogEvents(ctx context.Context, group LogGroupKey, before int64) (int64, error)

	// ResourcePolicies returns the account-level resource policies of a
	// scope in name order.
	ResourcePolicies(ctx context.Context, scope Scope) ([]*ResourcePolicy, error)

	// UpdateResourcePolicies reads the resource policies of a scope (in
	// name order), calls update with them and replaces the scope's policies
	// with the ones update returns (names MUST be unique), in one
	// transaction. If update returns an error nothing is stored and that
	// error is returned unchanged.
	UpdateResourcePolicies(ctx context.Context, scope Scope, update func([]*ResourcePolicy) ([]*ResourcePolicy, error)) error
}

// Backend is a store of everything Cognate keeps: the user pools and the
// built-in CloudWatch Logs. sqlstore.Store is one.
type Backend interface {
	Store
	LogStore
	OutboxStore
	UserStore
	TokenStore
	AuthEventStore
	FirehoseStore
	GroupStore
	OAuthStore
}
