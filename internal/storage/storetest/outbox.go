package storetest

import (
	"bytes"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/cognate/cognate/internal/storage"
)

// RunOutbox runs the storage.OutboxStore part of the suite; newStore
// returns a fresh, empty store (which must implement OutboxStore).
func RunOutbox(t *testing.T, newStore func(t *testing.T) storage.Store) {
	runAll(t, newStore, []test[storage.OutboxStore]{
		{"AppendAssignsIncreasingSeq", testAppendAssignsSeq},
		{"ListMessagesFilters", testListMessagesFilters},
		{"PendingExportsPagesInOrder", testPendingExports},
		{"AckRemovesOnlyNamed", testAckExports},
		{"ConcurrentAppendsKeepCursorSafe", testConcurrentAppends},
	})
}

var (
	obScopeA = storage.Scope{AccountID: "123456789012", Region: "us-east-1"}
	obScopeB = storage.Scope{AccountID: "123456789012", Region: "eu-west-1"}
)

func message(sc storage.Scope, pool, to, body string) storage.Message {
	return storage.Message{
		AccountID: sc.AccountID, Region: sc.Region, PoolID: pool, Username: "u-" + to, Medium: "EMAIL",
		From: "no-reply@verificationemail.com", To: to, Subject: "Your code", Body: body, Purpose: "SignUp",
		CreatedAt: time.UnixMilli(1764000000123).UTC(), Relayed: true, Failure: "",
	}
}

func export(pool, group string, n int) storage.ExportRecord {
	return storage.ExportRecord{
		AccountID: obScopeA.AccountID, Region: obScopeA.Region, PoolID: pool, EventSource: "userNotification",
		DestinationType: storage.DestinationCloudWatchLogs,
		DestinationARN:  "arn:aws:logs:us-east-1:123456789012:log-group:" + group,
		CreatedAt:       time.UnixMilli(1764000000000 + int64(n)).UTC(),
		Payload:         fmt.Appendf(nil, `{"n":%d,"details":"caf\u00e9 \"quoted\""}`, n),
	}
}

func testAppendAssignsSeq(t *testing.T, s storage.OutboxStore) {
	d := storage.Deliveries{
		Messages: []storage.Message{message(obScopeA, "us-east-1_p1", "a@example.com", "code 1"), message(obScopeA, "us-east-1_p1", "b@example.com", "code 2")},
		Exports:  []storage.ExportRecord{export("us-east-1_p1", "g", 1), export("us-east-1_p1", "g", 2)},
	}
	if err := s.AppendDeliveries(ctx, d); err != nil {
		t.Fatal(err)
	}
	if d.Messages[0].Seq <= 0 || d.Messages[1].Seq <= d.Messages[0].Seq {
		t.Errorf("message seqs %d, %d: want positive and increasing", d.Messages[0].Seq, d.Messages[1].Seq)
	}
	if d.Exports[0].Seq <= 0 || d.Exports[1].Seq <= d.Exports[0].Seq {
		t.Errorf("export seqs %d, %d: want positive and increasing", d.Exports[0].Seq, d.Exports[1].Seq)
	}
	// Empty deliveries are a no-op, not an error.
	if err := s.AppendDeliveries(ctx, storage.Deliveries{}); err != nil {
		t.Errorf("empty AppendDeliveries: %v", err)
	}
	got, err := s.ListMessages(ctx, obScopeA, storage.MessageQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !reflect.DeepEqual(*got[0], d.Messages[0]) || !reflect.DeepEqual(*got[1], d.Messages[1]) {
		t.Errorf("ListMessages = %+v, want the two messages as appended %+v", got, d.Messages)
	}
	pending, err := s.PendingExports(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 2 || !reflect.DeepEqual(*pending[0], d.Exports[0]) || !reflect.DeepEqual(*pending[1], d.Exports[1]) {
		t.Errorf("PendingExports = %+v, want %+v", pending, d.Exports)
	}
}

func testListMessagesFilters(t *testing.T, s storage.OutboxStore) {
	var all []storage.Message
	for i := range 6 {
		sc, pool := obScopeA, "us-east-1_p1"
		if i%3 == 1 {
			pool = "us-east-1_p2"
		}
		if i%3 == 2 {
			sc, pool = obScopeB, "eu-west-1_p3"
		}
		all = append(all, message(sc, pool, fmt.Sprintf("u%d@example.com", i%2), fmt.Sprintf("code %d", i)))
	}
	failed := message(obScopeA, "us-east-1_p1", "bounce@simulator.amazonses.com", "code x")
	failed.Relayed, failed.Failure = false, "550 5.1.1 user unknown"
	all = append(all, failed)
	d := storage.Deliveries{Messages: all}
	if err := s.AppendDeliveries(ctx, d); err != nil {
		t.Fatal(err)
	}
	bodies := func(q storage.MessageQuery, sc storage.Scope) []string {
		t.Helper()
		got, err := s.ListMessages(ctx, sc, q)
		if err != nil {
			t.Fatal(err)
		}
		var b []string
		for _, m := range got {
			b = append(b, m.Body)
		}
		return b
	}
	check := func(name string, got []string, want ...string) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %q, want %q", name, got, want)
		}
	}
	check("scope A", bodies(storage.MessageQuery{}, obScopeA), "code 0", "code 1", "code 3", "code 4", "code x")
	check("scope B", bodies(storage.MessageQuery{}, obScopeB), "code 2", "code 5")
	check("pool p1", bodies(storage.MessageQuery{PoolID: "us-east-1_p1"}, obScopeA), "code 0", "code 3", "code x")
	check("pool of another region", bodies(storage.MessageQuery{PoolID: "eu-west-1_p3"}, obScopeA))
	check("to", bodies(storage.MessageQuery{To: "u1@example.com"}, obScopeA), "code 1", "code 3")
	check("pool and to", bodies(storage.MessageQuery{PoolID: "us-east-1_p2", To: "u0@example.com"}, obScopeA), "code 4")
	check("after", bodies(storage.MessageQuery{After: d.Messages[3].Seq}, obScopeA), "code 4", "code x")
	check("limit", bodies(storage.MessageQuery{Limit: 2}, obScopeA), "code 0", "code 1")
	got, err := s.ListMessages(ctx, obScopeA, storage.MessageQuery{To: failed.To})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Relayed || got[0].Failure != failed.Failure {
		t.Errorf("failed message read back as %+v", got)
	}
}

func testPendingExports(t *testing.T, s storage.OutboxStore) {
	var want []int64
	for i := range 25 {
		d := storage.Deliveries{Exports: []storage.ExportRecord{export("us-east-1_p1", fmt.Sprintf("g%d", i%3), i)}}
		if err := s.AppendDeliveries(ctx, d); err != nil {
			t.Fatal(err)
		}
		want = append(want, d.Exports[0].Seq)
	}
	var got []int64
	after := int64(0)
	for {
		page, err := s.PendingExports(ctx, after, 7)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) > 7 {
			t.Fatalf("page of %d records, limit 7", len(page))
		}
		if len(page) == 0 {
			break
		}
		for _, e := range page {
			got = append(got, e.Seq)
			if !bytes.Contains(e.Payload, []byte(`caf`)) {
				t.Errorf("payload changed: %q", e.Payload)
			}
		}
		after = page[len(page)-1].Seq
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("paged seqs %v, want %v", got, want)
	}
}

func testAckExports(t *testing.T, s storage.OutboxStore) {
	d := storage.Deliveries{}
	for i := range 10 {
		d.Exports = append(d.Exports, export("us-east-1_p1", "g", i))
	}
	if err := s.AppendDeliveries(ctx, d); err != nil {
		t.Fatal(err)
	}
	ack := []int64{d.Exports[1].Seq, d.Exports[4].Seq, d.Exports[9].Seq, 1 << 40}
	if err := s.AckExports(ctx, ack); err != nil {
		t.Fatal(err)
	}
	if err := s.AckExports(ctx, nil); err != nil {
		t.Errorf("AckExports(nil): %v", err)
	}
	page, err := s.PendingExports(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, e := range page {
		got = append(got, e.Seq)
	}
	var want []int64
	for i, e := range d.Exports {
		if i != 1 && i != 4 && i != 9 {
			want = append(want, e.Seq)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("after ack: pending %v, want %v", got, want)
	}
	// Acknowledging again is harmless.
	if err := s.AckExports(ctx, ack); err != nil {
		t.Errorf("second AckExports: %v", err)
	}
	// A large ack is one call.
	var many storage.Deliveries
	for i := range 3000 {
		many.Exports = append(many.Exports, export("us-east-1_p2", "h", i))
	}
	if err := s.AppendDeliveries(ctx, many); err != nil {
		t.Fatal(err)
	}
	seqs := make([]int64, len(many.Exports))
	for i, e := range many.Exports {
		seqs[i] = e.Seq
	}
	if err := s.AckExports(ctx, seqs); err != nil {
		t.Fatal(err)
	}
	if page, err = s.PendingExports(ctx, 0, 10000); err != nil || len(page) != len(want) {
		t.Errorf("after large ack: %d pending (%v), want %d", len(page), err, len(want))
	}
}

// testConcurrentAppends checks what the exporter relies on: a reader that
// pages with a cursor while writers append concurrently sees every record
// exactly once (no record becomes visible below a Seq already read).
func testConcurrentAppends(t *testing.T, s storage.OutboxStore) {
	const writers, each = 8, 50
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				d := storage.Deliveries{Exports: []storage.ExportRecord{export("us-east-1_p1", fmt.Sprintf("g%d", w), i)}}
				if err := s.AppendDeliveries(ctx, d); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	seen := map[int64]bool{}
	after := int64(0)
	for finished := false; ; {
		select {
		case <-done:
			finished = true
		default:
		}
		page, err := s.PendingExports(ctx, after, 13)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page {
			if seen[e.Seq] {
				t.Fatalf("seq %d read twice", e.Seq)
			}
			seen[e.Seq] = true
			after = e.Seq
		}
		if finished && len(page) == 0 {
			break
		}
	}
	if len(seen) != writers*each {
		t.Errorf("read %d records, want %d", len(seen), writers*each)
	}
}
