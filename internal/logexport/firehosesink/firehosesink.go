// Package firehosesink delivers exported records to Cognate's built-in
// Amazon Data Firehose (internal/builtin/firehose), in process: each event
// is one record, its message followed by a newline, so that the objects
// the stream writes to S3 (records concatenated with no delimiter [DOC])
// are JSON lines. The records of a batch are stored in one transaction,
// and delivered to the stream's bucket by its flusher. It imports
// internal/logexport, internal/builtin/firehose and internal/storage.
package firehosesink

import (
	"context"
	"errors"
	"fmt"

	"github.com/cognate/cognate/internal/builtin/firehose"
	"github.com/cognate/cognate/internal/logexport"
	"github.com/cognate/cognate/internal/storage"
)

// Streams is what the sink needs of the built-in Firehose:
// *firehose.Service's in-process Put.
type Streams interface {
	Put(ctx context.Context, key storage.FirehoseStreamKey, records [][]byte) error
}

// Sink is a logexport.Sink for the built-in Firehose.
type Sink struct{ streams Streams }

var _ logexport.Sink = (*Sink)(nil)

// New returns a Sink writing through streams.
func New(streams Streams) *Sink { return &Sink{streams: streams} }

// Deliver puts the batch's events into d's stream. A missing stream is
// logexport.ErrDestinationMissing: the records wait until it exists.
func (s *Sink) Deliver(ctx context.Context, d logexport.Destination, events []logexport.Event) error {
	if len(events) == 0 {
		return nil
	}
	records := make([][]byte, len(events))
	for i, e := range events {
		r := make([]byte, 0, len(e.Message)+1)
		records[i] = append(append(r, e.Message...), '\n')
	}
	key := storage.FirehoseStreamKey{Scope: storage.Scope{AccountID: d.AccountID, Region: d.Region}, Name: d.Stream}
	err := s.streams.Put(ctx, key, records)
	if errors.Is(err, firehose.ErrStreamNotFound) {
		return fmt.Errorf("delivery stream %s: %w (%w)", d.Stream, logexport.ErrDestinationMissing, err)
	}
	return err
}
