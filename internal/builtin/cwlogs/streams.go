package cwlogs

import (
	"context"
	"errors"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/builtin/cwlogs/logsapi"
	"github.com/cognate/cognate/internal/storage"
)

// CreateLogStream creates a stream in a group.
func (s *Service) CreateLogStream(ctx context.Context, in *logsapi.CreateLogStreamRequest) (*api.Empty, error) {
	key, err := groupKey(ctx, in.LogGroupName)
	if err != nil {
		return nil, err
	}
	_, err = s.store.CreateLogStream(ctx, storage.LogStreamKey{LogGroupKey: key, Stream: deref(in.LogStreamName)}, s.nowMillis())
	if errors.Is(err, storage.ErrAlreadyExists) {
		return nil, logsapi.ResourceAlreadyExists(textStreamExists)
	}
	if err != nil {
		return nil, storeError(err)
	}
	return &api.Empty{}, nil
}

// DescribeLogStreams lists a group's streams by name or by last event time
// [DOC].
func (s *Service) DescribeLogStreams(ctx context.Context, in *logsapi.DescribeLogStreamsRequest) (*logsapi.DescribeLogStreamsResponse, error) {
	key, err := groupKeyOf(ctx, in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	q := storage.LogStreamQuery{
		NamePrefix: deref(in.LogStreamNamePrefix),
		OrderBy:    deref(in.OrderBy),
		Descending: deref(in.Descending),
		Limit:      limitOf(in.Limit, describeLimit),
	}
	if q.OrderBy == "" {
		q.OrderBy = storage.OrderByName
	}
	if q.OrderBy == storage.OrderByLastEventTime && in.LogStreamNamePrefix != nil {
		// [OBS turbot/steampipe-plugin-aws#1949; moto uses the same text]
		return nil, logsapi.InvalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.")
	}
	// The token carries the order it was made for, so that it is not
	// applied to another.
	order := q.OrderBy
	if q.Descending {
		order += "-"
	}
	if in.NextToken != nil {
		fields, err := decodeToken(*in.NextToken, "ls1", 3)
		if err != nil {
			return nil, err
		}
		at, err := parseInts(fields[2:])
		if err != nil || fields[0] != order {
			return nil, logsapi.InvalidParameter(textInvalidToken)
		}
		q.After = &storage.LogStream{Name: fields[1], LastEventTimestamp: at[0]}
	}
	streams, more, err := s.store.ListLogStreams(ctx, key, q)
	if err != nil {
		return nil, storeError(err)
	}
	out := &logsapi.DescribeLogStreamsResponse{LogStreams: make([]logsapi.LogStream, 0, len(streams))}
	for _, st := range streams {
		out.LogStreams = append(out.LogStreams, describeStream(key, st))
	}
	if more && len(streams) > 0 {
		last := streams[len(streams)-1]
		out.NextToken = new(encodeToken("ls1", order, last.Name, itoa(last.LastEventTimestamp)))
	}
	return out, nil
}

// describeStream is a LogStream as DescribeLogStreams shows it: the event
// times only once the stream has events, storedBytes always 0 (deprecated)
// [DOC; OBS awscli describe-log-streams example]. lastEventTimestamp is
// "eventually consistent" on AWS; Cognate updates it at once.
func describeStream(key storage.LogGroupKey, st *storage.LogStream) logsapi.LogStream {
	out := logsapi.LogStream{
		LogStreamName: new(st.Name),
		CreationTime:  new(st.CreationTime),
		Arn:           new(streamARN(key.Region, key.AccountID, key.Name, st.Name)),
		StoredBytes:   new(int64(0)),
	}
	if st.LastSequence > 0 {
		out.FirstEventTimestamp = new(st.FirstEventTimestamp)
		out.LastEventTimestamp = new(st.LastEventTimestamp)
		out.LastIngestionTime = new(st.LastIngestionTime)
		out.UploadSequenceToken = new(sequenceToken(st.ID, st.LastSequence))
	}
	return out
}
