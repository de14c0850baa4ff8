package cwlogs

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/cognate/cognate/internal/storage"
)

// The in-process API: what the log exporter and the user-pool domain call
// without HTTP. Errors here are storage errors (errors.Is with
// storage.ErrNotFound), not API errors.

// Event is one record to deliver.
type Event struct {
	// Timestamp is epoch milliseconds, the event's time.
	Timestamp int64
	Message   string
}

// Deliver appends events to a stream of a group in scope, creating the
// stream when it is missing, in one transaction: all of them are stored or
// none. Events are stored in time order (stable for equal timestamps),
// with the current time as their ingestion time; the PutLogEvents rules on
// batch size, span and age do not apply (a delivery is not a client's
// request), but the group's retention does, at read time. A missing group
// is reported as an error that errors.Is storage.ErrNotFound.
func (s *Service) Deliver(ctx context.Context, sc storage.Scope, group, stream string, events []Event) error {
	now := s.nowMillis()
	sorted := slices.Clone(events)
	slices.SortStableFunc(sorted, func(a, b Event) int { return cmp.Compare(a.Timestamp, b.Timestamp) })
	records := make([]storage.LogEvent, len(sorted))
	for i, e := range sorted {
		records[i] = storage.LogEvent{Timestamp: e.Timestamp, IngestionTime: now, Message: e.Message}
	}
	key := storage.LogStreamKey{LogGroupKey: storage.LogGroupKey{Scope: sc, Name: group}, Stream: stream}
	g, err := s.store.GetLogGroup(ctx, key.LogGroupKey)
	if err != nil {
		return fmt.Errorf("deliver to log group %s: %w", group, err)
	}
	_, err = s.store.PutLogEvents(ctx, key, records, storage.PutLogEventsOptions{
		CreateStream: true, CreationTime: now, ExpireBefore: s.retentionCutoff(g, now),
	})
	if err != nil {
		return fmt.Errorf("deliver to log group %s: %w", group, err)
	}
	return nil
}

// GroupExists reports whether a log group exists in scope, and its KMS key
// ("" when it has none), for SetLogDeliveryConfiguration's checks: a
// missing group is an error that errors.Is storage.ErrNotFound.
func (s *Service) GroupExists(ctx context.Context, sc storage.Scope, name string) (kmsKeyID string, err error) {
	g, err := s.store.GetLogGroup(ctx, storage.LogGroupKey{Scope: sc, Name: name})
	if err != nil {
		return "", err
	}
	return g.KMSKeyID, nil
}
