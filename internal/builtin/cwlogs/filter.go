package cwlogs

import (
	"context"
	"math"

	"github.com/cognate/cognate/internal/builtin/cwlogs/logsapi"
	"github.com/cognate/cognate/internal/storage"
)

// maxScannedPerCall bounds the events one FilterLogEvents call reads: a
// pattern that matches little returns a partial (even empty) page with a
// nextToken rather than reading a whole large group in one request, as AWS
// does ("a returned page might only be partially full, or even empty"
// [DOC]).
const maxScannedPerCall = 250000

// FilterLogEvents searches a group's events, interleaved across its
// streams in time order (timestamp, ingestion time, then the put) [DOC].
// startTime and endTime are both inclusive here [DOC]. nextToken is absent
// when the search is complete, and never the same twice in a row, as
// botocore's paginator and `aws logs tail` require (issue4-facts §1.9,
// §1.13).
func (s *Service) FilterLogEvents(ctx context.Context, in *logsapi.FilterLogEventsRequest) (*logsapi.FilterLogEventsResponse, error) {
	key, err := groupKeyOf(ctx, in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	if in.LogStreamNames != nil && in.LogStreamNamePrefix != nil {
		// "If you specify a value for both logStreamNames and
		// logStreamNamePrefix, the action returns an
		// InvalidParameterException error" [DOC]; the text is inferred.
		return nil, logsapi.InvalidParameter("logStreamNames and logStreamNamePrefix are mutually exclusive. Only one of these parameters can be passed.")
	}
	pattern, err := ParsePattern(deref(in.FilterPattern))
	if err != nil {
		return nil, err
	}
	q := storage.GroupScan{Start: deref(in.StartTime), End: math.MaxInt64, Streams: in.LogStreamNames, StreamPrefix: deref(in.LogStreamNamePrefix)}
	if in.EndTime != nil && *in.EndTime < math.MaxInt64 {
		q.End = *in.EndTime + 1
	}
	if in.NextToken != nil {
		fields, err := decodeToken(*in.NextToken, "fe1", 4)
		if err != nil {
			return nil, err
		}
		v, err := parseInts(fields)
		if err != nil {
			return nil, err
		}
		q.After = &storage.GroupPosition{Timestamp: v[0], IngestionTime: v[1], StreamID: v[2], Seq: v[3]}
	}
	g, err := s.getGroup(ctx, key)
	if err != nil {
		return nil, err
	}
	q.Start = max(q.Start, s.retentionCutoff(g, s.nowMillis()))

	limit := limitOf(in.Limit, maxEventsPerPage)
	out := &logsapi.FilterLogEventsResponse{
		Events: []logsapi.FilteredLogEvent{},
		// An empty list since 2020-05-15 [DOC].
		SearchedLogStreams: []logsapi.SearchedLogStream{},
	}
	var (
		last    storage.GroupPosition
		scanned int
		bytes   int
		more    bool
	)
	err = s.store.ScanLogEvents(ctx, key, q, func(e storage.LogEvent) bool {
		size := len(e.Message) + eventOverhead
		if len(out.Events) == limit || scanned == maxScannedPerCall || (bytes+size > maxPageBytes && len(out.Events) > 0) {
			// e is not consumed: the next page starts with it.
			more = true
			return false
		}
		scanned++
		last = e.GroupPosition()
		if pattern.Match(e.Message) {
			bytes += size
			out.Events = append(out.Events, logsapi.FilteredLogEvent{
				LogStreamName: new(e.Stream), Timestamp: new(e.Timestamp), Message: new(e.Message),
				IngestionTime: new(e.IngestionTime), EventId: new(eventID(&e)),
			})
		}
		return true
	})
	if err != nil {
		return nil, storeError(err)
	}
	if more {
		out.NextToken = new(encodeToken("fe1", itoa(last.Timestamp), itoa(last.IngestionTime), itoa(last.StreamID), itoa(last.Seq)))
	}
	return out, nil
}
