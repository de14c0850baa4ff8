package firehosesink

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/builtin/firehose"
	"github.com/cognate/cognate/internal/builtin/firehose/firehoseapi"
	"github.com/cognate/cognate/internal/builtin/s3"
	"github.com/cognate/cognate/internal/logexport"
	"github.com/cognate/cognate/internal/storage"
	"github.com/cognate/cognate/internal/storage/sqlstore"
)

// TestDeliverToStream: each event becomes one newline-terminated record of
// the stream, flushed to its bucket as JSON lines; a missing stream is
// ErrDestinationMissing.
func TestDeliverToStream(t *testing.T) {
	store, err := sqlstore.Open(sqlstore.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	buckets, _ := s3.Open("")
	if err := buckets.CreateBucket("b"); err != nil {
		t.Fatal(err)
	}
	streams := firehose.New(store, buckets)
	ctx := api.WithCaller(context.Background(), api.Caller{AccountID: "123456789012", Region: "us-west-2"})
	interval := int32(0)
	if _, err := streams.CreateDeliveryStream(ctx, &firehoseapi.CreateDeliveryStreamInput{DeliveryStreamName: ptr("s"),
		ExtendedS3DestinationConfiguration: &firehoseapi.ExtendedS3DestinationConfiguration{BucketARN: ptr("arn:aws:s3:::b"),
			RoleARN: ptr("arn:aws:iam::123456789012:role/r"), BufferingHints: &firehoseapi.BufferingHints{IntervalInSeconds: &interval}}}); err != nil {
		t.Fatal(err)
	}
	sink := New(streams)
	d := logexport.Destination{AccountID: "123456789012", Region: "us-west-2", Type: storage.DestinationFirehose, Stream: "s"}
	now := time.Now()
	if err := sink.Deliver(ctx, d, []logexport.Event{{Time: now, Message: `{"a":1}`}, {Time: now, Message: `{"b":2}`}}); err != nil {
		t.Fatal(err)
	}
	if err := streams.FlushDue(ctx); err != nil {
		t.Fatal(err)
	}
	keys, err := buckets.ListKeys("b")
	if err != nil || len(keys) != 1 {
		t.Fatalf("keys %v %v", keys, err)
	}
	body, _ := buckets.GetObject("b", keys[0])
	if string(body) != "{\"a\":1}\n{\"b\":2}\n" {
		t.Errorf("object %q", body)
	}
	d.Stream = "missing"
	if err := sink.Deliver(ctx, d, []logexport.Event{{Time: now, Message: "x"}}); !errors.Is(err, logexport.ErrDestinationMissing) {
		t.Errorf("missing stream: %v", err)
	}
}

func ptr[T any](v T) *T { return &v }
