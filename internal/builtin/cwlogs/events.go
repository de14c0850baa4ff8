package cwlogs

import (
	"context"
	"math"

	"github.com/cognate/cognate/internal/builtin/cwlogs/logsapi"
	"github.com/cognate/cognate/internal/storage"
)

// PutLogEvents limits [DOC PutLogEvents; issue4-facts §1.7].
const (
	// maxBatchBytes bounds a batch: the UTF-8 lengths of its messages plus
	// eventOverhead bytes per event.
	maxBatchBytes = 1048576
	eventOverhead = 26
	// maxEventBytes bounds one event, counted the same way (inferred: the
	// live text for 256 KB events counted more than the message).
	maxEventBytes = 1048576
	maxBatchSpan  = 24 * millisPerHour
	tooOldAge     = 14 * millisPerDay
	tooNewAhead   = 2 * millisPerHour
)

// maxPageBytes bounds what GetLogEvents and FilterLogEvents return in one
// page: "up to 1 MB of log events" [DOC], counted as a batch is.
const maxPageBytes = 1048576

// maxEventsPerPage is the default and maximum page of GetLogEvents and
// FilterLogEvents [DOC EventsLimit].
const maxEventsPerPage = 10000

// batch is a PutLogEvents batch, checked: which events are stored and
// which were rejected (too old, expired, too new).
type batch struct {
	// tooOldEnd, expiredEnd and tooNewStart split the request's events:
	// [0, tooOldEnd) too old, [tooOldEnd, expiredEnd) past the group's
	// retention, [tooNewStart, n) too new. Events are chronological, so
	// these are a prefix and a suffix.
	tooOldEnd, expiredEnd, tooNewStart int
}

// checkBatch applies the rules that fail a whole PutLogEvents request, in
// this order (inferred): an event too large, the batch too large, events
// out of order, a span over 24 hours among the events that are neither too
// old nor too new.
func checkBatch(in []logsapi.InputLogEvent, now int64) (batch, error) {
	total := 0
	for i := range in {
		size := len(deref(in[i].Message)) + eventOverhead
		if size > maxEventBytes {
			// [OBS cwh#101, aws-for-fluent-bit#68, with the 256 KB limit of
			// the time]
			return batch{}, logsapi.InvalidParameter("Log event too large: %d bytes exceeds limit of %d", size, maxEventBytes)
		}
		total += size
	}
	if total > maxBatchBytes {
		// [OBS nhs-england-tools/terraform-aws-opennext#27, firecamp#82]
		return batch{}, logsapi.InvalidParameter("Upload too large: %d bytes exceeds limit of %d", total, maxBatchBytes)
	}
	for i := 1; i < len(in); i++ {
		if deref(in[i].Timestamp) < deref(in[i-1].Timestamp) {
			// [OBS dibog/cloudwatch-logback-appender#17]
			return batch{}, logsapi.InvalidParameter("Log events in a single PutLogEvents request must be in chronological order.")
		}
	}
	b := batch{tooNewStart: len(in)}
	for b.tooOldEnd < len(in) && deref(in[b.tooOldEnd].Timestamp) < now-tooOldAge {
		b.tooOldEnd++
	}
	for b.tooNewStart > b.tooOldEnd && deref(in[b.tooNewStart-1].Timestamp) > now+tooNewAhead {
		b.tooNewStart--
	}
	b.expiredEnd = b.tooOldEnd
	// "For valid events (within 14 days in the past to 2 hours in future),
	// the time span in a single batch cannot exceed 24 hours" [DOC].
	if b.tooNewStart > b.tooOldEnd && deref(in[b.tooNewStart-1].Timestamp)-deref(in[b.tooOldEnd].Timestamp) > maxBatchSpan {
		// [OBS aws-greengrass-log-manager#59; maxbanton/cwh#96]
		return batch{}, logsapi.InvalidParameter("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.")
	}
	return b, nil
}

// PutLogEvents appends a batch to a stream. Sequence tokens are ignored, as
// AWS ignores them since 2023 [DOC]; events too old, too new or past the
// group's retention are rejected while the others are stored, and
// rejectedLogEventsInfo says which [DOC].
func (s *Service) PutLogEvents(ctx context.Context, in *logsapi.PutLogEventsRequest) (*logsapi.PutLogEventsResponse, error) {
	key, err := groupKey(ctx, in.LogGroupName)
	if err != nil {
		return nil, err
	}
	now := s.nowMillis()
	b, err := checkBatch(in.LogEvents, now)
	if err != nil {
		return nil, err
	}
	g, err := s.getGroup(ctx, key)
	if err != nil {
		return nil, err
	}
	cutoff := s.retentionCutoff(g, now)
	for b.expiredEnd < b.tooNewStart && deref(in.LogEvents[b.expiredEnd].Timestamp) < cutoff {
		b.expiredEnd++
	}
	events := make([]storage.LogEvent, 0, b.tooNewStart-b.expiredEnd)
	for _, e := range in.LogEvents[b.expiredEnd:b.tooNewStart] {
		events = append(events, storage.LogEvent{Timestamp: deref(e.Timestamp), IngestionTime: now, Message: deref(e.Message)})
	}
	st, err := s.store.PutLogEvents(ctx, storage.LogStreamKey{LogGroupKey: key, Stream: deref(in.LogStreamName)}, events,
		storage.PutLogEventsOptions{ExpireBefore: cutoff})
	if err != nil {
		return nil, storeError(err)
	}
	out := &logsapi.PutLogEventsResponse{NextSequenceToken: new(sequenceToken(st.ID, st.LastSequence))}
	if b.tooOldEnd > 0 || b.expiredEnd > b.tooOldEnd || b.tooNewStart < len(in.LogEvents) {
		// Keys only for what was rejected; the end indexes are exclusive
		// ("events [0, n) were too old"), the start index inclusive [DOC;
		// OBS aws/aws-for-fluent-bit#523: one old event at 0 gave 1].
		info := &logsapi.RejectedLogEventsInfo{}
		if b.tooOldEnd > 0 {
			info.TooOldLogEventEndIndex = new(int32(b.tooOldEnd))
		}
		if b.expiredEnd > b.tooOldEnd {
			info.ExpiredLogEventEndIndex = new(int32(b.expiredEnd))
		}
		if b.tooNewStart < len(in.LogEvents) {
			info.TooNewLogEventStartIndex = new(int32(b.tooNewStart))
		}
		out.RejectedLogEventsInfo = info
	}
	return out, nil
}

// GetLogEvents reads one stream: the latest events by default, the
// earliest with startFromHead, then onwards with the `f/…` and `b/…`
// tokens. At either end the token passed in comes back, so that clients
// stop when the token repeats [DOC].
func (s *Service) GetLogEvents(ctx context.Context, in *logsapi.GetLogEventsRequest) (*logsapi.GetLogEventsResponse, error) {
	key, err := groupKeyOf(ctx, in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	g, err := s.getGroup(ctx, key)
	if err != nil {
		return nil, err
	}
	streamKey := storage.LogStreamKey{LogGroupKey: key, Stream: deref(in.LogStreamName)}
	// The stream's ID checks the token.
	st, err := s.stream(ctx, streamKey)
	if err != nil {
		return nil, err
	}
	// startTime is inclusive, endTime exclusive [DOC]; expired events are
	// not shown.
	r := storage.StreamRead{Start: max(deref(in.StartTime), s.retentionCutoff(g, s.nowMillis())), End: math.MaxInt64, Limit: limitOf(in.Limit, maxEventsPerPage)}
	if in.EndTime != nil {
		r.End = *in.EndTime
	}
	r.Backward = !deref(in.StartFromHead)
	var dir byte
	var pos storage.StreamPosition
	if in.NextToken != nil {
		if dir, pos, err = decodeStreamToken(*in.NextToken, st.ID); err != nil {
			return nil, err
		}
		// The token's direction wins over startFromHead.
		if r.Backward = dir == 'b'; r.Backward {
			r.Before = &pos
		} else {
			r.After = &pos
		}
	}
	events, err := s.store.ReadLogStream(ctx, streamKey, r)
	if err != nil {
		return nil, storeError(err)
	}
	events = capPage(events, r.Backward)
	out := &logsapi.GetLogEventsResponse{Events: make([]logsapi.OutputLogEvent, 0, len(events))}
	for i := range events {
		e := &events[i]
		out.Events = append(out.Events, logsapi.OutputLogEvent{Timestamp: new(e.Timestamp), Message: new(e.Message), IngestionTime: new(e.IngestionTime)})
	}
	switch {
	case len(events) > 0:
		out.NextForwardToken = new(encodeStreamToken('f', events[len(events)-1].Position(), st.ID))
		out.NextBackwardToken = new(encodeStreamToken('b', events[0].Position(), st.ID))
	case in.NextToken != nil:
		// The end in that direction: the same token back, and the other
		// direction from the same place [OBS aws/aws-sdk-js-v3#3099].
		other := byte('b')
		if dir == 'b' {
			other = 'f'
		}
		out.NextForwardToken, out.NextBackwardToken = in.NextToken, in.NextToken
		if other == 'f' {
			out.NextForwardToken = new(encodeStreamToken('f', pos, st.ID))
		} else {
			out.NextBackwardToken = new(encodeStreamToken('b', pos, st.ID))
		}
	default:
		// Nothing in range yet: going forward reads from the start, so a
		// client that follows the forward token sees what comes later.
		out.NextForwardToken = new(encodeStreamToken('f', beforeAll, st.ID))
		out.NextBackwardToken = new(encodeStreamToken('b', beforeAll, st.ID))
	}
	return out, nil
}

// stream returns a stream's record, with the API's errors.
func (s *Service) stream(ctx context.Context, key storage.LogStreamKey) (*storage.LogStream, error) {
	st, err := s.store.GetLogStream(ctx, key)
	if err != nil {
		return nil, storeError(err)
	}
	return st, nil
}

// capPage keeps at most maxPageBytes of events: the first ones of a
// forward page, the last ones of a backward page.
func capPage(events []storage.LogEvent, backward bool) []storage.LogEvent {
	total := 0
	if backward {
		for i := len(events) - 1; i >= 0; i-- {
			total += len(events[i].Message) + eventOverhead
			if total > maxPageBytes && i < len(events)-1 {
				return events[i+1:]
			}
		}
		return events
	}
	for i := range events {
		total += len(events[i].Message) + eventOverhead
		if total > maxPageBytes && i > 0 {
			return events[:i]
		}
	}
	return events
}
