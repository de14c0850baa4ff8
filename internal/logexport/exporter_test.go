package logexport_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cognate/cognate/internal/logexport"
	"github.com/cognate/cognate/internal/storage"
	"github.com/cognate/cognate/internal/storage/sqlstore"
)

// fakeSink records what it is given and fails on demand.
type fakeSink struct {
	mu      sync.Mutex
	got     map[string][]string // by stream: messages in delivery order
	calls   map[string]int
	fail    map[string]error // by log group
	maxCall int
}

func newFakeSink() *fakeSink {
	return &fakeSink{got: map[string][]string{}, calls: map[string]int{}, fail: map[string]error{}}
}

func (f *fakeSink) Deliver(ctx context.Context, d logexport.Destination, events []logexport.Event) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.fail[d.LogGroup]; err != nil {
		return err
	}
	for i := 1; i < len(events); i++ {
		if events[i].Time.Before(events[i-1].Time) {
			return fmt.Errorf("events out of chronological order")
		}
	}
	k := d.LogGroup + "|" + d.LogStream
	f.calls[k]++
	f.maxCall = max(f.maxCall, len(events))
	for _, e := range events {
		f.got[k] = append(f.got[k], e.Message)
	}
	return nil
}

func (f *fakeSink) setFail(group string, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail[group] = err
}

func (f *fakeSink) messages(group, stream string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.got[group+"|"+stream]...)
}

func openStore(t *testing.T) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.Open(sqlstore.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var t0 = time.Now().Truncate(time.Millisecond)

func record(pool, group string, n int) storage.ExportRecord {
	return storage.ExportRecord{
		AccountID: "123456789012", Region: "us-east-1", PoolID: pool, EventSource: "userNotification",
		DestinationType: storage.DestinationCloudWatchLogs,
		DestinationARN:  "arn:aws:logs:us-east-1:123456789012:log-group:" + group,
		CreatedAt:       t0.Add(time.Duration(n) * time.Millisecond),
		Payload:         logexport.UserNotification(t0, pool, fmt.Sprintf("failure %d", n)),
	}
}

func appendRecords(t *testing.T, s *sqlstore.Store, recs ...storage.ExportRecord) {
	t.Helper()
	if err := s.AppendDeliveries(context.Background(), storage.Deliveries{Exports: recs}); err != nil {
		t.Fatal(err)
	}
}

func pending(t *testing.T, s *sqlstore.Store) int {
	t.Helper()
	p, err := s.PendingExports(context.Background(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return len(p)
}

func waitFor(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func start(t *testing.T, cfg logexport.Config) *logexport.Exporter {
	t.Helper()
	e := logexport.New(cfg)
	e.Start()
	t.Cleanup(e.Stop)
	return e
}

func want(pool string, from, to int) []string {
	var out []string
	for i := from; i < to; i++ {
		out = append(out, string(logexport.UserNotification(t0, pool, fmt.Sprintf("failure %d", i))))
	}
	return out
}

func equal(a, b []string) bool {
	return strings.Join(a, "\n") == strings.Join(b, "\n")
}

// Records of several destinations, interleaved, arrive complete, in order
// per destination, verbatim, and leave the outbox.
func TestExporterDeliversInOrderPerDestination(t *testing.T) {
	s := openStore(t)
	sink := newFakeSink()
	var recs []storage.ExportRecord
	for i := range 3000 {
		recs = append(recs, record(fmt.Sprintf("us-east-1_pool%d", i%3), fmt.Sprintf("g%d", i%2), i))
	}
	appendRecords(t, s, recs...)
	start(t, logexport.Config{Outbox: s, Sinks: map[string]logexport.Sink{storage.DestinationCloudWatchLogs: sink}, ReadPage: 700})
	waitFor(t, "the outbox to drain", 10*time.Second, func() bool { return pending(t, s) == 0 })
	for p := range 3 {
		for g := range 2 {
			pool := fmt.Sprintf("us-east-1_pool%d", p)
			var w []string
			for i := range 3000 {
				if i%3 == p && i%2 == g {
					w = append(w, want(pool, i, i+1)...)
				}
			}
			got := sink.messages(fmt.Sprintf("g%d", g), pool+"/userNotification")
			if !equal(got, w) {
				t.Errorf("pool %d group %d: %d records, want %d in order", p, g, len(got), len(w))
			}
		}
	}
}

// Kick delivers at once, long before the next poll.
func TestKickDeliversWithoutWaitingForThePoll(t *testing.T) {
	s := openStore(t)
	sink := newFakeSink()
	e := start(t, logexport.Config{Outbox: s, Sinks: map[string]logexport.Sink{storage.DestinationCloudWatchLogs: sink}, PollInterval: time.Hour})
	time.Sleep(20 * time.Millisecond) // the first read has happened
	appendRecords(t, s, record("us-east-1_p", "g", 0))
	began := time.Now()
	e.Kick()
	waitFor(t, "the kicked record", 2*time.Second, func() bool { return len(sink.messages("g", "us-east-1_p/userNotification")) == 1 })
	if d := time.Since(began); d > 500*time.Millisecond {
		t.Errorf("kicked delivery took %v", d)
	}
}

// A destination whose log group is missing keeps its records pending
// while the others are delivered; once the group is back, everything
// arrives in order, nothing lost, nothing twice.
func TestMissingDestinationWaitsAndDoesNotBlockOthers(t *testing.T) {
	s := openStore(t)
	sink := newFakeSink()
	sink.setFail("gone", fmt.Errorf("log group gone: %w", logexport.ErrDestinationMissing))
	var logs strings.Builder
	var logMu sync.Mutex
	logger := newLogger(&logs, &logMu)
	e := start(t, logexport.Config{Outbox: s, Sinks: map[string]logexport.Sink{storage.DestinationCloudWatchLogs: sink},
		MinBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond, MaxQueued: 7, Logger: logger})
	for i := range 40 {
		appendRecords(t, s, record("us-east-1_a", "gone", i), record("us-east-1_b", "ok", i))
		e.Kick()
	}
	waitFor(t, "the healthy destination", 5*time.Second, func() bool { return len(sink.messages("ok", "us-east-1_b/userNotification")) == 40 })
	time.Sleep(200 * time.Millisecond) // several retries of the missing one
	if n := pending(t, s); n != 40 {
		t.Fatalf("%d records pending, want the missing destination's 40", n)
	}
	logMu.Lock()
	if !strings.Contains(logs.String(), "does not exist") {
		t.Errorf("no warning about the missing destination in the log:\n%s", logs.String())
	}
	logMu.Unlock()
	sink.setFail("gone", nil)
	waitFor(t, "the recovered destination", 5*time.Second, func() bool { return pending(t, s) == 0 })
	if got := sink.messages("gone", "us-east-1_a/userNotification"); !equal(got, want("us-east-1_a", 0, 40)) {
		t.Errorf("recovered destination got %d records (%q…), want 40 in order once", len(got), got)
	}
	if got := sink.messages("ok", "us-east-1_b/userNotification"); !equal(got, want("us-east-1_b", 0, 40)) {
		t.Errorf("healthy destination got %d records, want 40 in order once", len(got))
	}
}

// A destination type without a sink (S3, Firehose: issue 5) keeps its
// records pending, with a warning; they are never dropped.
func TestNoSinkKeepsRecordsPending(t *testing.T) {
	s := openStore(t)
	var logs strings.Builder
	var logMu sync.Mutex
	r := record("us-east-1_p", "g", 0)
	r.DestinationType, r.DestinationARN = storage.DestinationS3, "arn:aws:s3:::bucket"
	appendRecords(t, s, r)
	start(t, logexport.Config{Outbox: s, MinBackoff: 5 * time.Millisecond, Logger: newLogger(&logs, &logMu)})
	time.Sleep(100 * time.Millisecond)
	if n := pending(t, s); n != 1 {
		t.Errorf("%d pending, want 1", n)
	}
	logMu.Lock()
	defer logMu.Unlock()
	if !strings.Contains(logs.String(), "not supported yet") {
		t.Errorf("no warning in the log:\n%s", logs.String())
	}
}

// A batch the destination partly rejected (too old) is reported and
// acknowledged: retrying would be refused again.
func TestRejectedEventsAreReportedAndAcknowledged(t *testing.T) {
	s := openStore(t)
	var logs strings.Builder
	var logMu sync.Mutex
	sink := newFakeSink()
	sink.setFail("g", fmt.Errorf("put: %w", logexport.ErrRejected))
	appendRecords(t, s, record("us-east-1_p", "g", 0))
	start(t, logexport.Config{Outbox: s, Sinks: map[string]logexport.Sink{storage.DestinationCloudWatchLogs: sink}, Logger: newLogger(&logs, &logMu)})
	waitFor(t, "the acknowledgement", 2*time.Second, func() bool { return pending(t, s) == 0 })
	logMu.Lock()
	defer logMu.Unlock()
	if !strings.Contains(logs.String(), "refused some records") {
		t.Errorf("no report in the log:\n%s", logs.String())
	}
}

// blockingSink blocks until its context ends.
type blockingSink struct{ started chan struct{} }

func (b *blockingSink) Deliver(ctx context.Context, _ logexport.Destination, _ []logexport.Event) error {
	select {
	case b.started <- struct{}{}:
	default:
	}
	<-ctx.Done()
	return ctx.Err()
}

// Stop cancels a delivery in flight and returns; its records stay pending.
func TestStopCancelsDeliveriesAndKeepsRecords(t *testing.T) {
	s := openStore(t)
	appendRecords(t, s, record("us-east-1_p", "g", 0))
	sink := &blockingSink{started: make(chan struct{}, 1)}
	e := logexport.New(logexport.Config{Outbox: s, Sinks: map[string]logexport.Sink{storage.DestinationCloudWatchLogs: sink}})
	e.Start()
	<-sink.started
	done := make(chan struct{})
	go func() { e.Stop(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Stop did not return")
	}
	if n := pending(t, s); n != 1 {
		t.Errorf("%d pending after Stop, want 1", n)
	}
}

// A record whose ARN names no log group waits, reported, and does not
// stop the exporter.
func TestBadARNWaits(t *testing.T) {
	s := openStore(t)
	r := record("us-east-1_p", "g", 0)
	r.DestinationARN = "arn:aws:logs:us-east-1:123456789012:nope"
	appendRecords(t, s, r, record("us-east-1_q", "g", 1))
	sink := newFakeSink()
	start(t, logexport.Config{Outbox: s, Sinks: map[string]logexport.Sink{storage.DestinationCloudWatchLogs: sink}})
	waitFor(t, "the good record", 2*time.Second, func() bool { return len(sink.messages("g", "us-east-1_q/userNotification")) == 1 })
	if n := pending(t, s); n != 1 {
		t.Errorf("%d pending, want the bad-ARN record", n)
	}
}

func TestBatchesRespectPutLogEventsLimits(t *testing.T) {
	s := openStore(t)
	sink := newFakeSink()
	var recs []storage.ExportRecord
	for i := range 12000 {
		recs = append(recs, record("us-east-1_p", "g", i))
	}
	appendRecords(t, s, recs...)
	start(t, logexport.Config{Outbox: s, Sinks: map[string]logexport.Sink{storage.DestinationCloudWatchLogs: sink}})
	waitFor(t, "the outbox to drain", 20*time.Second, func() bool { return pending(t, s) == 0 })
	sink.mu.Lock()
	defer sink.mu.Unlock()
	if sink.maxCall > logexport.MaxBatchEvents {
		t.Errorf("a batch of %d events", sink.maxCall)
	}
	if !equal(sink.got["g|us-east-1_p/userNotification"], want("us-east-1_p", 0, 12000)) {
		t.Errorf("records not delivered in order once")
	}
}

// lockedWriter serialises log writes for the test to read.
type lockedWriter struct {
	mu *sync.Mutex
	b  *strings.Builder
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func newLogger(b *strings.Builder, mu *sync.Mutex) *slog.Logger {
	return slog.New(slog.NewTextHandler(lockedWriter{mu: mu, b: b}, nil))
}

// A sink that hangs fails the attempt after DeliveryTimeout; the records
// stay pending and the other destinations are served meanwhile.
func TestHangingSinkTimesOut(t *testing.T) {
	s := openStore(t)
	hang := &blockingSink{started: make(chan struct{}, 1)}
	r := record("us-east-1_p", "g", 0)
	r.DestinationType, r.DestinationARN = storage.DestinationS3, "arn:aws:s3:::bucket"
	appendRecords(t, s, r, record("us-east-1_q", "g", 1))
	var logs strings.Builder
	var logMu sync.Mutex
	sink := newFakeSink()
	start(t, logexport.Config{Outbox: s, Sinks: map[string]logexport.Sink{storage.DestinationS3: hang, storage.DestinationCloudWatchLogs: sink},
		DeliveryTimeout: 50 * time.Millisecond, MinBackoff: 10 * time.Millisecond, MaxBackoff: 20 * time.Millisecond, Logger: newLogger(&logs, &logMu)})
	waitFor(t, "the other destination", 2*time.Second, func() bool { return len(sink.messages("g", "us-east-1_q/userNotification")) == 1 })
	waitFor(t, "a timeout warning", 2*time.Second, func() bool {
		logMu.Lock()
		defer logMu.Unlock()
		return strings.Contains(logs.String(), "deadline exceeded")
	})
	if n := pending(t, s); n != 1 {
		t.Errorf("%d pending, want the hanging destination's record", n)
	}
}
