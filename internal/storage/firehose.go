package storage

import (
	"context"
	"time"
)

// This file is the contract of the built-in Amazon Data Firehose: delivery
// streams and the records buffered in them until the flusher writes them
// to the stream's S3 destination. Like LogStore it is a separate interface
// because it is a separate service: internal/builtin/firehose depends on
// FirehoseStore only.

// FirehoseStreamKey addresses one delivery stream: its name in an account
// and region.
type FirehoseStreamKey struct {
	Scope
	Name string
}

// FirehoseStream is a delivery stream as stored. The domain owns the
// meaning of Destination (its own encoding of the destination
// configuration); the store keeps it as given.
type FirehoseStream struct {
	AccountID string
	Region    string
	Name      string
	// ID identifies the stream in the store; it is never reused, so a
	// stream deleted and created again under the same name gets a new one
	// (and none of the old one's records). Assigned by the store.
	ID        int64
	CreatedAt time.Time
	// Version is the stream's version (1 at creation).
	Version     int64
	Destination []byte
	Tags        map[string]string

	// The buffer, maintained by the store and filled in by its reads:
	// how many records the stream holds, their total size in bytes, and
	// when the oldest of them arrived (zero when there is none).
	BufferedRecords int64
	BufferedBytes   int64
	OldestRecord    time.Time
}

// Key returns the stream's key.
func (s *FirehoseStream) Key() FirehoseStreamKey {
	return FirehoseStreamKey{Scope: Scope{AccountID: s.AccountID, Region: s.Region}, Name: s.Name}
}

// FirehoseRecord is one record buffered in a stream.
type FirehoseRecord struct {
	Seq       int64 // assigned by the store, increasing
	RecordID  string
	ArrivedAt time.Time
	Data      []byte
}

// FirehoseStore keeps delivery streams and their buffered records. Its
// writes follow the Store rules: durable when they return nil, atomic,
// safe for concurrent use.
type FirehoseStore interface {
	// CreateFirehoseStream stores a new stream and assigns its ID; a
	// stream of the same key is ErrAlreadyExists.
	CreateFirehoseStream(ctx context.Context, s *FirehoseStream) error
	// GetFirehoseStream returns a stream, or ErrNotFound.
	GetFirehoseStream(ctx context.Context, key FirehoseStreamKey) (*FirehoseStream, error)
	// ListFirehoseStreams returns the streams of a scope whose names sort
	// after `after` (byte order), in name order, at most limit (0 or less:
	// no limit).
	ListFirehoseStreams(ctx context.Context, scope Scope, after string, limit int) ([]*FirehoseStream, error)
	// BufferedFirehoseStreams returns every stream, of every scope, that
	// holds at least one record.
	BufferedFirehoseStreams(ctx context.Context) ([]*FirehoseStream, error)
	// UpdateFirehoseStreamTags applies update to a stream's tags in one
	// transaction and returns the stream as stored; ErrNotFound if it
	// does not exist. An error from update is returned as is and nothing
	// is written.
	UpdateFirehoseStreamTags(ctx context.Context, key FirehoseStreamKey, update func(tags map[string]string) (map[string]string, error)) (*FirehoseStream, error)
	// DeleteFirehoseStream removes a stream and its records; ErrNotFound
	// if it does not exist.
	DeleteFirehoseStream(ctx context.Context, key FirehoseStreamKey) error
	// PutFirehoseRecords appends records to a stream in one transaction
	// and assigns their Seq; ErrNotFound if the stream does not exist.
	PutFirehoseRecords(ctx context.Context, key FirehoseStreamKey, records []FirehoseRecord) error
	// FirehoseRecords returns the oldest records of the stream with the
	// given ID, in Seq order, as many as fit in maxBytes of data but at
	// least one (none when the stream holds none).
	FirehoseRecords(ctx context.Context, streamID int64, maxBytes int64) ([]*FirehoseRecord, error)
	// AckFirehoseRecords deletes the records of the stream with the given
	// ID whose Seq is at most through. Nothing to delete is not an error.
	AckFirehoseRecords(ctx context.Context, streamID int64, through int64) error
}
