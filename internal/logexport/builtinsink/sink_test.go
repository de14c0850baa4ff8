package builtinsink_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/cognate/cognate/internal/builtin/cwlogs"
	"github.com/cognate/cognate/internal/logexport"
	"github.com/cognate/cognate/internal/logexport/builtinsink"
	"github.com/cognate/cognate/internal/storage"
	"github.com/cognate/cognate/internal/storage/sqlstore"
)

var ctx = context.Background()

func setup(t *testing.T) (*sqlstore.Store, *logexport.Exporter) {
	t.Helper()
	s, err := sqlstore.Open(sqlstore.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	e := logexport.New(logexport.Config{
		Outbox:     s,
		Sinks:      map[string]logexport.Sink{storage.DestinationCloudWatchLogs: builtinsink.New(cwlogs.New(s))},
		MinBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond,
	})
	e.Start()
	t.Cleanup(e.Stop)
	return s, e
}

var group = storage.LogGroupKey{Scope: storage.Scope{AccountID: "123456789012", Region: "us-west-2"}, Name: "cognito-exported"}

const pool = "us-west-2_EXAMPLE12"

func createGroup(t *testing.T, s *sqlstore.Store) {
	t.Helper()
	if err := s.CreateLogGroup(ctx, &storage.LogGroup{AccountID: group.AccountID, Region: group.Region, Name: group.Name, CreationTime: time.Now().UnixMilli(), Class: "STANDARD"}); err != nil {
		t.Fatal(err)
	}
}

func records(from, to int, at time.Time) []storage.ExportRecord {
	var out []storage.ExportRecord
	for i := from; i < to; i++ {
		out = append(out, storage.ExportRecord{
			AccountID: group.AccountID, Region: group.Region, PoolID: pool, EventSource: "userNotification",
			DestinationType: storage.DestinationCloudWatchLogs,
			DestinationARN:  cwlogs.GroupARN(group.Region, group.AccountID, group.Name),
			CreatedAt:       at.Add(time.Duration(i) * time.Millisecond),
			Payload:         logexport.UserNotification(at.Add(time.Duration(i)*time.Millisecond), pool, fmt.Sprintf("Email delivery failed %d", i)),
		})
	}
	return out
}

func readAll(t *testing.T, s *sqlstore.Store) []storage.LogEvent {
	t.Helper()
	ev, err := s.ReadLogStream(ctx, storage.LogStreamKey{LogGroupKey: group, Stream: logexport.StreamName(pool, "userNotification")},
		storage.StreamRead{Start: 0, End: 1 << 62, Limit: 100000})
	if errors.Is(err, storage.ErrNotFound) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func wait(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func pending(t *testing.T, s *sqlstore.Store) int {
	p, err := s.PendingExports(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return len(p)
}

// Records land in the built-in log group verbatim, with their event time
// as timestamp, in the stream StreamName names (created on first use).
func TestDeliversVerbatim(t *testing.T) {
	s, e := setup(t)
	createGroup(t, s)
	at := time.Now().Add(-time.Minute).Truncate(time.Millisecond)
	recs := records(0, 500, at)
	if err := s.AppendDeliveries(ctx, storage.Deliveries{Exports: recs}); err != nil {
		t.Fatal(err)
	}
	e.Kick()
	wait(t, "the records", func() bool { return len(readAll(t, s)) == len(recs) })
	for i, ev := range readAll(t, s) {
		if ev.Message != string(recs[i].Payload) || ev.Timestamp != recs[i].CreatedAt.UnixMilli() {
			t.Fatalf("event %d = %d %s, want %d %s", i, ev.Timestamp, ev.Message, recs[i].CreatedAt.UnixMilli(), recs[i].Payload)
		}
	}
	g, err := s.GetLogGroup(ctx, group)
	if err != nil {
		t.Fatal(err)
	}
	var size int64
	for _, r := range recs {
		size += int64(len(r.Payload))
	}
	if g.StoredBytes != size {
		t.Errorf("StoredBytes = %d, want %d", g.StoredBytes, size)
	}
	if n := pending(t, s); n != 0 {
		t.Errorf("%d records still pending", n)
	}
}

// A log group deleted while records are pending: they wait (nothing is
// dropped, nothing crashes) and arrive once the group exists again.
func TestDeletedGroupKeepsRecordsUntilItReturns(t *testing.T) {
	s, e := setup(t)
	at := time.Now().Truncate(time.Millisecond)
	if err := s.AppendDeliveries(ctx, storage.Deliveries{Exports: records(0, 50, at)}); err != nil {
		t.Fatal(err)
	}
	e.Kick()
	time.Sleep(300 * time.Millisecond) // several attempts against the missing group
	if n := pending(t, s); n != 50 {
		t.Fatalf("%d pending, want 50", n)
	}
	createGroup(t, s)
	wait(t, "the records after the group came back", func() bool { return len(readAll(t, s)) == 50 })
	// The exporter acknowledges a batch after the group took it: the
	// outbox empties a moment after the records are readable.
	wait(t, "the outbox to empty", func() bool { return pending(t, s) == 0 })
	if n := len(readAll(t, s)); n != 50 {
		t.Errorf("%d records in the group, want 50 (no duplicates)", n)
	}
}

// The sink reports a missing group as ErrDestinationMissing.
func TestMissingGroupIsDestinationMissing(t *testing.T) {
	s, err := sqlstore.Open(sqlstore.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sink := builtinsink.New(cwlogs.New(s))
	err = sink.Deliver(ctx, logexport.Destination{AccountID: group.AccountID, Region: group.Region, LogGroup: "absent", LogStream: "x"},
		[]logexport.Event{{Time: time.Now(), Message: "m"}})
	if !errors.Is(err, logexport.ErrDestinationMissing) {
		t.Errorf("err = %v, want ErrDestinationMissing", err)
	}
}
