// Package builtinsink delivers exported records to Cognate's built-in
// CloudWatch Logs (internal/builtin/cwlogs), in process: the records land
// in the same store and are readable at once with GetLogEvents and
// FilterLogEvents. It imports internal/logexport, internal/builtin/cwlogs
// and internal/storage.
package builtinsink

import (
	"context"
	"errors"
	"fmt"

	"github.com/cognate/cognate/internal/builtin/cwlogs"
	"github.com/cognate/cognate/internal/logexport"
	"github.com/cognate/cognate/internal/storage"
)

// Logs is what the sink needs of the built-in CloudWatch Logs:
// *cwlogs.Service's in-process delivery, which appends to a stream
// (creating it when missing, so a deleted stream comes back) in one
// transaction and applies the group's retention and stored-bytes
// accounting as PutLogEvents does.
type Logs interface {
	Deliver(ctx context.Context, sc storage.Scope, group, stream string, events []cwlogs.Event) error
}

// Sink is a logexport.Sink for the built-in CloudWatch Logs.
type Sink struct{ logs Logs }

var _ logexport.Sink = (*Sink)(nil)

// New returns a Sink writing through logs.
func New(logs Logs) *Sink { return &Sink{logs: logs} }

// Deliver appends events to d's stream in the group of d's account and
// region. A missing group is logexport.ErrDestinationMissing: the records
// wait until the group exists again.
func (s *Sink) Deliver(ctx context.Context, d logexport.Destination, events []logexport.Event) error {
	in := make([]cwlogs.Event, len(events))
	for i, e := range events {
		in[i] = cwlogs.Event{Timestamp: e.Time.UnixMilli(), Message: e.Message}
	}
	sc := storage.Scope{AccountID: d.AccountID, Region: d.Region}
	err := s.logs.Deliver(ctx, sc, d.LogGroup, d.LogStream, in)
	if errors.Is(err, storage.ErrLogGroupNotFound) || (errors.Is(err, storage.ErrNotFound) && !errors.Is(err, storage.ErrLogStreamNotFound)) {
		return fmt.Errorf("log group %s in %s/%s: %w (%w)", d.LogGroup, d.AccountID, d.Region, logexport.ErrDestinationMissing, err)
	}
	if err != nil {
		return fmt.Errorf("deliver to log group %s: %w", d.LogGroup, err)
	}
	return nil
}
