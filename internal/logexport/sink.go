package logexport

import (
	"context"
	"errors"
)

// Destination is where a batch of records goes.
type Destination struct {
	AccountID string
	Region    string
	// Type is one of the storage.Destination* constants: cloudwatchlogs,
	// s3 or firehose.
	Type string
	ARN  string
	// LogGroup and LogStream name the CloudWatch Logs target.
	LogGroup, LogStream string
	// Bucket names the S3 target (its ARN's resource).
	Bucket string
	// Stream names the Firehose delivery stream (its ARN's
	// deliverystream/<name>), in the ARN's account and region.
	Stream string
	// PoolID and EventSource are whose records these are.
	PoolID, EventSource string
}

// ErrDestinationMissing means the destination does not exist (a deleted log
// group): the records wait and delivery is retried; they are not dropped.
var ErrDestinationMissing = errors.New("logexport: destination does not exist")

// ErrRejected means the destination took the batch but refused some of
// its events for good (CloudWatch Logs' rejectedLogEventsInfo: events
// older than 14 days or than the group's retention, or more than 2 hours
// ahead [DOC PutLogEvents]). Sending them again would be refused again, so
// the exporter reports them in its log and acknowledges the batch.
var ErrRejected = errors.New("logexport: the destination rejected events")

// Sink delivers records.
//
// Deliver MUST either deliver every event of the batch, in order, or return
// an error; a batch that failed is delivered again later (at least once:
// the destination may see some records twice). It MUST return an error
// wrapping ErrDestinationMissing when the destination does not exist.
type Sink interface {
	Deliver(ctx context.Context, d Destination, events []Event) error
}

// StreamName is the log stream Cognate writes a pool's records of one
// event source to: `<userPoolId>/<eventSource>` with the configuration's
// name of the source, e.g. `us-east-1_AbCdEf123/userNotification`. AWS does
// not document the stream it uses; this is Cognate's choice (inferred;
// docs/research/issue4-facts.md §3). It holds no ':' or '*', as stream
// names must not.
func StreamName(userPoolID, eventSource string) string {
	return userPoolID + "/" + eventSource
}
