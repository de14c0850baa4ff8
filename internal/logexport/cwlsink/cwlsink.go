// Package cwlsink delivers exported records to an external CloudWatch Logs
// endpoint (AWS itself, or any compatible server) through aws-sdk-go-v2's
// cloudwatchlogs client, and checks the log groups of
// SetLogDeliveryConfiguration there (check.go). It imports
// internal/logexport, the built-in CloudWatch Logs' delivery-policy logic
// and the SDK.
package cwlsink

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/cognate/cognate/internal/logexport"
)

// PutLogEvents limits [DOC CloudWatch Logs API reference]: at most 10,000
// events and 1,048,576 bytes per call, counting 26 bytes of overhead per
// event, and no more than 24 hours between the first and the last event.
const (
	maxEvents     = 10000
	maxBatchBytes = 1048576
	eventOverhead = 26
	maxSpanMillis = 24 * 60 * 60 * 1000
)

// Config configures a Sink.
type Config struct {
	// Endpoint is the CloudWatch Logs URL; empty for AWS's regional ones.
	Endpoint string
	// Credentials sign the calls.
	Credentials aws.CredentialsProvider
	// HTTPClient, when set, sends the calls (tests).
	HTTPClient aws.HTTPClient
	// CheckTimeout bounds each log group check of LogGroupKMSKey and
	// AllowDelivery, retries included (0: 10 s).
	CheckTimeout time.Duration
}

// Sink is a logexport.Sink for CloudWatch Logs.
type Sink struct {
	cfg     Config
	mu      sync.Mutex
	clients map[string]*cloudwatchlogs.Client // by region
}

var _ logexport.Sink = (*Sink)(nil)

// New returns a Sink.
func New(cfg Config) *Sink { return &Sink{cfg: cfg, clients: map[string]*cloudwatchlogs.Client{}} }

func (s *Sink) client(region string) *cloudwatchlogs.Client {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.clients[region]; ok {
		return c
	}
	opts := cloudwatchlogs.Options{Region: region, Credentials: s.cfg.Credentials, RetryMaxAttempts: 3}
	if s.cfg.Endpoint != "" {
		opts.BaseEndpoint = aws.String(s.cfg.Endpoint)
	}
	if s.cfg.HTTPClient != nil {
		opts.HTTPClient = s.cfg.HTTPClient
	}
	c := cloudwatchlogs.New(opts)
	s.clients[region] = c
	return c
}

// Deliver writes events to d.LogGroup / d.LogStream, creating the stream
// when it is missing, in as few PutLogEvents calls as the limits allow.
func (s *Sink) Deliver(ctx context.Context, d logexport.Destination, events []logexport.Event) error {
	c := s.client(d.Region)
	if err := s.ensureStream(ctx, c, d); err != nil {
		return err
	}
	for _, batch := range batches(events) {
		err := put(ctx, c, d, batch)
		var missing *types.ResourceNotFoundException
		if errors.As(err, &missing) {
			// The stream was deleted since: create it again, once.
			if err := s.ensureStream(ctx, c, d); err != nil {
				return err
			}
			err = put(ctx, c, d, batch)
		}
		if err != nil {
			return fmt.Errorf("put log events to %s/%s: %w", d.LogGroup, d.LogStream, err)
		}
	}
	return nil
}

func (s *Sink) ensureStream(ctx context.Context, c *cloudwatchlogs.Client, d logexport.Destination) error {
	_, err := c.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(d.LogGroup), LogStreamName: aws.String(d.LogStream)})
	var exists *types.ResourceAlreadyExistsException
	var missing *types.ResourceNotFoundException
	switch {
	case err == nil, errors.As(err, &exists):
		return nil
	case errors.As(err, &missing):
		return fmt.Errorf("log group %s: %w", d.LogGroup, logexport.ErrDestinationMissing)
	}
	return fmt.Errorf("create log stream %s/%s: %w", d.LogGroup, d.LogStream, err)
}

func put(ctx context.Context, c *cloudwatchlogs.Client, d logexport.Destination, batch []logexport.Event) error {
	in := &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(d.LogGroup), LogStreamName: aws.String(d.LogStream)}
	for _, e := range batch {
		in.LogEvents = append(in.LogEvents, types.InputLogEvent{Timestamp: aws.Int64(e.Time.UnixMilli()), Message: aws.String(e.Message)})
	}
	out, err := c.PutLogEvents(ctx, in)
	if err != nil {
		return err
	}
	if r := out.RejectedLogEventsInfo; r != nil {
		// Records too old or too new for CloudWatch Logs are reported,
		// not retried: sending them again would be refused again.
		return fmt.Errorf("%w: rejected events (too old before %v, too new from %v, expired before %v)",
			ErrRejected, aws.ToInt32(r.TooOldLogEventEndIndex), aws.ToInt32(r.TooNewLogEventStartIndex), aws.ToInt32(r.ExpiredLogEventEndIndex))
	}
	return nil
}

// ErrRejected means CloudWatch Logs accepted the call but refused some
// events (their timestamps were out of its window). It is
// logexport.ErrRejected, which the exporter acknowledges after reporting.
var ErrRejected = logexport.ErrRejected

// batches splits events (in time order) by PutLogEvents' limits.
func batches(events []logexport.Event) [][]logexport.Event {
	var out [][]logexport.Event
	start, size := 0, 0
	for i, e := range events {
		n := len(e.Message) + eventOverhead
		if i > start && (i-start >= maxEvents || size+n > maxBatchBytes ||
			e.Time.UnixMilli()-events[start].Time.UnixMilli() > maxSpanMillis) {
			out = append(out, events[start:i])
			start, size = i, 0
		}
		size += n
	}
	if start < len(events) {
		out = append(out, events[start:])
	}
	return out
}
