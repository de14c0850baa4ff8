package firehose

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/builtin/firehose/firehoseapi"
	"github.com/cognate/cognate/internal/builtin/s3"
	"github.com/cognate/cognate/internal/storage"
	"github.com/cognate/cognate/internal/storage/sqlstore"
)

type fixture struct {
	svc     *Service
	store   *sqlstore.Store
	buckets *s3.Service
	now     time.Time
	logs    *bytes.Buffer
	ctx     context.Context
}

func newFixture(t *testing.T, opts ...Option) *fixture {
	t.Helper()
	store, err := sqlstore.Open(sqlstore.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	buckets, _ := s3.Open("")
	f := &fixture{store: store, buckets: buckets, now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), logs: &bytes.Buffer{},
		ctx: api.WithCaller(context.Background(), api.Caller{AccountID: "123456789012", Region: "us-east-1"})}
	opts = append([]Option{WithClock(func() time.Time { return f.now }), WithLogger(slog.New(slog.NewTextHandler(f.logs, nil)))}, opts...)
	f.svc = New(store, buckets, opts...)
	return f
}

func (f *fixture) create(t *testing.T, name, bucket string, interval int32) {
	t.Helper()
	if _, err := f.svc.CreateDeliveryStream(f.ctx, &firehoseapi.CreateDeliveryStreamInput{DeliveryStreamName: ptr(name),
		ExtendedS3DestinationConfiguration: &firehoseapi.ExtendedS3DestinationConfiguration{BucketARN: ptr("arn:aws:s3:::" + bucket),
			RoleARN: ptr("arn:aws:iam::123456789012:role/r"), BufferingHints: &firehoseapi.BufferingHints{IntervalInSeconds: ptr(interval)}}}); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) put(t *testing.T, name, data string) {
	t.Helper()
	if _, err := f.svc.PutRecord(f.ctx, &firehoseapi.PutRecordInput{DeliveryStreamName: ptr(name), Record: &firehoseapi.Record{Data: []byte(data)}}); err != nil {
		t.Fatal(err)
	}
}

// TestMissingBucketKeepsRecords: a stream whose bucket does not exist
// keeps its records, warns at most once a minute, and delivers once the
// bucket exists.
func TestMissingBucketKeepsRecords(t *testing.T) {
	f := newFixture(t)
	f.create(t, "s", "later", 0)
	f.put(t, "s", "a")
	for range 3 {
		if err := f.svc.FlushDue(f.ctx); err != nil {
			t.Fatal(err)
		}
		f.now = f.now.Add(10 * time.Second)
	}
	if n := strings.Count(f.logs.String(), "destination bucket does not exist"); n != 1 {
		t.Errorf("%d warnings in 20 s, want 1:\n%s", n, f.logs)
	}
	f.now = f.now.Add(time.Minute)
	f.svc.FlushDue(f.ctx) //nolint:errcheck
	if n := strings.Count(f.logs.String(), "destination bucket does not exist"); n != 2 {
		t.Errorf("%d warnings after a minute, want 2", n)
	}
	st, _ := f.store.GetFirehoseStream(f.ctx, storage.FirehoseStreamKey{Scope: storage.Scope{AccountID: "123456789012", Region: "us-east-1"}, Name: "s"})
	if st.BufferedRecords != 1 {
		t.Errorf("%d records buffered, want 1", st.BufferedRecords)
	}
	if err := f.buckets.CreateBucket("later"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.FlushDue(f.ctx); err != nil {
		t.Fatal(err)
	}
	if keys, _ := f.buckets.ListKeys("later"); len(keys) != 1 {
		t.Errorf("keys %v", keys)
	}
}

// TestMaxFlushDelay: WithMaxFlushDelay delivers before IntervalInSeconds.
func TestMaxFlushDelay(t *testing.T) {
	f := newFixture(t, WithMaxFlushDelay(time.Second))
	if err := f.buckets.CreateBucket("b"); err != nil {
		t.Fatal(err)
	}
	f.create(t, "s", "b", 900)
	f.put(t, "s", "a")
	f.svc.FlushDue(f.ctx) //nolint:errcheck
	if keys, _ := f.buckets.ListKeys("b"); len(keys) != 0 {
		t.Fatalf("flushed at once: %v", keys)
	}
	f.now = f.now.Add(time.Second)
	f.svc.FlushDue(f.ctx) //nolint:errcheck
	if keys, _ := f.buckets.ListKeys("b"); len(keys) != 1 || !strings.HasPrefix(keys[0], "2026/01/02/03/s-1-2026-01-02-03-04-05-") {
		t.Errorf("keys %v", keys)
	}
}

// TestStartStop: the flusher goroutine delivers and stops.
func TestStartStop(t *testing.T) {
	f := newFixture(t)
	if err := f.buckets.CreateBucket("b"); err != nil {
		t.Fatal(err)
	}
	f.create(t, "s", "b", 0)
	f.put(t, "s", "a")
	f.svc.Start()
	f.svc.Start() // a second start is a no-op
	deadline := time.Now().Add(5 * time.Second)
	for keys, _ := f.buckets.ListKeys("b"); len(keys) == 0; keys, _ = f.buckets.ListKeys("b") {
		if time.Now().After(deadline) {
			t.Fatal("not delivered in 5 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	f.svc.Stop()
	f.svc.Stop()
}

func TestParseARN(t *testing.T) {
	key, ok := ParseARN("arn:aws:firehose:eu-west-1:123456789012:deliverystream/my.stream")
	if !ok || key.Name != "my.stream" || key.Region != "eu-west-1" || key.AccountID != "123456789012" || ARN(key) != "arn:aws:firehose:eu-west-1:123456789012:deliverystream/my.stream" {
		t.Errorf("%+v %v", key, ok)
	}
	for _, bad := range []string{"", "arn:aws:s3:::b", "arn:aws:firehose:eu-west-1:123456789012:stream/x", "arn:aws:firehose:eu-west-1:123456789012:deliverystream/"} {
		if _, ok := ParseARN(bad); ok {
			t.Errorf("%q parsed", bad)
		}
	}
}
