// Package s3sink delivers exported records to Cognate's built-in S3
// (internal/builtin/s3), in process: each batch becomes one gzip-compressed
// object of newline-separated JSON records, the form of CloudWatch's
// vended-log files [DOC: V1 S3 delivery writes log files under
// AWSLogs/<account-id>/]; or, with External, to any S3-compatible endpoint
// through aws-sdk-go-v2. It imports internal/logexport and
// internal/builtin/s3.
package s3sink

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/cognate/cognate/internal/builtin/s3"
	"github.com/cognate/cognate/internal/logexport"
)

// Buckets is where the sink writes objects: the built-in S3 (Builtin) or
// an external S3 endpoint (External). A missing bucket is an error
// wrapping s3.ErrNoSuchBucket.
type Buckets interface {
	PutObject(ctx context.Context, bucket, key, contentType string, body []byte) error
}

// Builtin is the built-in S3 as Buckets.
type Builtin struct{ *s3.Service }

// PutObject implements Buckets.
func (b Builtin) PutObject(_ context.Context, bucket, key, contentType string, body []byte) error {
	return b.Service.PutObject(bucket, key, contentType, body)
}

// Sink is a logexport.Sink for S3.
type Sink struct{ s3 Buckets }

var _ logexport.Sink = (*Sink)(nil)

// New returns a Sink writing to the built-in S3 store.
func New(store *s3.Service) *Sink { return &Sink{s3: Builtin{store}} }

// NewWith returns a Sink writing to buckets.
func NewWith(buckets Buckets) *Sink { return &Sink{s3: buckets} }

// Key is the object a batch is written to:
//
//	AWSLogs/<account>/cognito/<region>/<userPoolId>/<eventSource>/<yyyy>/<mm>/<dd>/<first event ms>-<digest>.log.gz
//
// AWS documents only the AWSLogs/<account>/ prefix; the rest is Cognate's
// choice (dates in UTC, of the batch's first record). The digest is of
// the batch's records, so a batch delivered again (at least once) lands on
// the same object instead of a copy.
func Key(d logexport.Destination, events []logexport.Event) string {
	h := sha256.New()
	for _, e := range events {
		h.Write([]byte(e.Message))
		h.Write([]byte{'\n'})
	}
	first := events[0].Time.UTC()
	return fmt.Sprintf("AWSLogs/%s/cognito/%s/%s/%s/%s/%d-%s.log.gz", d.AccountID, d.Region, d.PoolID, d.EventSource,
		first.Format("2006/01/02"), first.UnixMilli(), hex.EncodeToString(h.Sum(nil)[:8]))
}

// Deliver writes the batch as one object; a missing bucket is
// logexport.ErrDestinationMissing (the records wait for it).
func (s *Sink) Deliver(ctx context.Context, d logexport.Destination, events []logexport.Event) error {
	if len(events) == 0 {
		return nil
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	for _, e := range events {
		zw.Write([]byte(e.Message)) //nolint:errcheck // a bytes.Buffer does not fail
		zw.Write([]byte{'\n'})      //nolint:errcheck
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("compress records: %w", err)
	}
	err := s.s3.PutObject(ctx, d.Bucket, Key(d, events), "application/gzip", buf.Bytes())
	if errors.Is(err, s3.ErrNoSuchBucket) {
		return fmt.Errorf("bucket %s: %w (%w)", d.Bucket, logexport.ErrDestinationMissing, err)
	}
	return err
}
