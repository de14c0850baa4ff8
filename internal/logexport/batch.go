package logexport

import (
	"cmp"
	"slices"

	"github.com/cognate/cognate/internal/storage"
)

// PutLogEvents limits [DOC CloudWatch Logs API reference PutLogEvents;
// docs/research/issue4-facts.md §1.7]: at most 10,000 events and 1,048,576
// bytes per call, counting the UTF-8 length of each message plus 26 bytes,
// and no more than 24 hours between the earliest and the latest event. The
// exporter cuts every batch by them, whatever the sink, so that a batch is
// one PutLogEvents call on an external endpoint.
const (
	MaxBatchEvents = 10000
	MaxBatchBytes  = 1048576
	EventOverhead  = 26
	MaxBatchSpanMs = 24 * 60 * 60 * 1000
)

// cutBatch returns how many records from the head of queue (in Seq order)
// form the next batch: as many as the limits allow, at least one.
func cutBatch(queue []*storage.ExportRecord) int {
	if len(queue) == 0 {
		return 0
	}
	size := len(queue[0].Payload) + EventOverhead
	lo, hi := queue[0].CreatedAt.UnixMilli(), queue[0].CreatedAt.UnixMilli()
	n := 1
	for ; n < len(queue) && n < MaxBatchEvents; n++ {
		r := queue[n]
		size += len(r.Payload) + EventOverhead
		ts := r.CreatedAt.UnixMilli()
		lo, hi = min(lo, ts), max(hi, ts)
		if size > MaxBatchBytes || hi-lo > MaxBatchSpanMs {
			break
		}
	}
	return n
}

// events turns a batch into the events a Sink takes, sorted by time
// (stably, so records of the same millisecond keep their Seq order):
// CloudWatch Logs refuses a PutLogEvents call whose events are not in
// chronological order [OBS issue4-facts §1.7], and records committed by
// concurrent requests can be a millisecond out of order. A reader sees
// events in timestamp order anyway.
func events(batch []*storage.ExportRecord) []Event {
	out := make([]Event, len(batch))
	for i, r := range batch {
		out[i] = Event{Time: r.CreatedAt, Message: string(r.Payload)}
	}
	slices.SortStableFunc(out, func(a, b Event) int { return cmp.Compare(a.Time.UnixMilli(), b.Time.UnixMilli()) })
	return out
}
