package storetest

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cognate/cognate/internal/storage"
)

// runLogs runs the storage.LogStore part of the suite. Run calls it: every
// backend is a storage.Backend (server.New takes one).
func runLogs(t *testing.T, newStore func(t *testing.T) storage.Store) {
	runAll(t, newStore, []test[storage.LogStore]{
		{"CreateGetGroup", testCreateGetGroup},
		{"GroupScoping", testGroupScoping},
		{"UpdateGroup", testUpdateGroup},
		{"DeleteGroupTakesEverything", testDeleteGroup},
		{"ListGroups", testListGroups},
		{"Streams", testStreams},
		{"ListStreamsByName", testListStreamsByName},
		{"ListStreamsByLastEvent", testListStreamsByLastEvent},
		{"PutLogEvents", testPutLogEvents},
		{"PutLogEventsIsOneTransaction", testPutIsAtomic},
		{"ConcurrentPutsToOneStream", testConcurrentPuts},
		{"ReadLogStream", testReadLogStream},
		{"ScanLogEvents", testScanLogEvents},
		{"ExpireLogEvents", testExpire},
		{"ResourcePolicies", testResourcePolicies},
	})
}

var (
	scopeA = storage.Scope{AccountID: "123456789012", Region: "us-west-2"}
	scopeB = storage.Scope{AccountID: "999999999999", Region: "us-west-2"}
	scopeC = storage.Scope{AccountID: "123456789012", Region: "eu-west-1"}
)

const t0 = int64(1764072000000) // 2025-11-25T12:00:00Z

func group(scope storage.Scope, name string) *storage.LogGroup {
	return &storage.LogGroup{
		AccountID: scope.AccountID, Region: scope.Region, Name: name,
		CreationTime: t0, RetentionInDays: 7, KMSKeyID: "arn:aws:kms:us-west-2:123456789012:key/k",
		Class: "STANDARD", DeletionProtection: true, Tags: map[string]string{"team": "a", "empty": ""},
	}
}

func mustGroup(t *testing.T, s storage.LogStore, g *storage.LogGroup) {
	t.Helper()
	if err := s.CreateLogGroup(ctx, g); err != nil {
		t.Fatalf("CreateLogGroup(%s): %v", g.Name, err)
	}
}

func streamKey(scope storage.Scope, g, st string) storage.LogStreamKey {
	return storage.LogStreamKey{LogGroupKey: storage.LogGroupKey{Scope: scope, Name: g}, Stream: st}
}

func mustStream(t *testing.T, s storage.LogStore, key storage.LogStreamKey) *storage.LogStream {
	t.Helper()
	st, err := s.CreateLogStream(ctx, key, t0)
	if err != nil {
		t.Fatalf("CreateLogStream(%s): %v", key.Stream, err)
	}
	return st
}

// events returns n events from timestamp ts on, step ms apart.
func events(n int, ts, step int64, prefix string) []storage.LogEvent {
	out := make([]storage.LogEvent, n)
	for i := range out {
		out[i] = storage.LogEvent{Timestamp: ts + int64(i)*step, IngestionTime: t0 + 1, Message: fmt.Sprintf("%s %d", prefix, i)}
	}
	return out
}

func mustPut(t *testing.T, s storage.LogStore, key storage.LogStreamKey, evs []storage.LogEvent) *storage.LogStream {
	t.Helper()
	st, err := s.PutLogEvents(ctx, key, evs, storage.PutLogEventsOptions{})
	if err != nil {
		t.Fatalf("PutLogEvents(%s): %v", key.Stream, err)
	}
	return st
}

func messages(evs []storage.LogEvent) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Message
	}
	return out
}

func scanAll(t *testing.T, s storage.LogStore, key storage.LogGroupKey, q storage.GroupScan) []storage.LogEvent {
	t.Helper()
	var out []storage.LogEvent
	if err := s.ScanLogEvents(ctx, key, q, func(e storage.LogEvent) bool { out = append(out, e); return true }); err != nil {
		t.Fatal(err)
	}
	return out
}

var everything = storage.GroupScan{Start: math.MinInt64, End: math.MaxInt64}

func wholeStream(limit int) storage.StreamRead {
	return storage.StreamRead{Start: math.MinInt64, End: math.MaxInt64, Limit: limit}
}

func testCreateGetGroup(t *testing.T, s storage.LogStore) {
	want := group(scopeA, "/aws/vendedlogs/cognito")
	mustGroup(t, s, want)
	got, err := s.GetLogGroup(ctx, want.Key())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("GetLogGroup =\n%+v\nwant\n%+v", got, want)
	}
	other := group(scopeA, want.Name)
	other.Class = "INFREQUENT_ACCESS"
	if err := s.CreateLogGroup(ctx, other); !errors.Is(err, storage.ErrAlreadyExists) {
		t.Fatalf("second CreateLogGroup = %v, want ErrAlreadyExists", err)
	}
	if got, _ := s.GetLogGroup(ctx, want.Key()); got.Class != "STANDARD" {
		t.Errorf("the failed create changed the group: %+v", got)
	}
	plain := &storage.LogGroup{AccountID: scopeA.AccountID, Region: scopeA.Region, Name: "plain", CreationTime: t0, Class: "STANDARD"}
	mustGroup(t, s, plain)
	got, err = s.GetLogGroup(ctx, plain.Key())
	if err != nil || got.RetentionInDays != 0 || got.KMSKeyID != "" || got.DeletionProtection || len(got.Tags) != 0 {
		t.Errorf("group without options = %+v, %v", got, err)
	}
}

func testGroupScoping(t *testing.T, s storage.LogStore) {
	g := group(scopeA, "g")
	mustGroup(t, s, g)
	mustStream(t, s, streamKey(scopeA, "g", "s"))
	for _, key := range []storage.LogGroupKey{
		{Scope: scopeB, Name: "g"}, {Scope: scopeC, Name: "g"}, {Scope: scopeA, Name: "G"}, {Scope: scopeA, Name: "g2"},
	} {
		if _, err := s.GetLogGroup(ctx, key); !errors.Is(err, storage.ErrLogGroupNotFound) || !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("GetLogGroup(%+v) = %v, want ErrLogGroupNotFound", key, err)
		}
		if _, err := s.UpdateLogGroup(ctx, key, func(*storage.LogGroup) error { return nil }); !errors.Is(err, storage.ErrLogGroupNotFound) {
			t.Errorf("UpdateLogGroup(%+v) = %v", key, err)
		}
		if err := s.DeleteLogGroup(ctx, key, nil); !errors.Is(err, storage.ErrLogGroupNotFound) {
			t.Errorf("DeleteLogGroup(%+v) = %v", key, err)
		}
		sk := storage.LogStreamKey{LogGroupKey: key, Stream: "s"}
		if _, err := s.CreateLogStream(ctx, sk, t0); !errors.Is(err, storage.ErrLogGroupNotFound) {
			t.Errorf("CreateLogStream(%+v) = %v", key, err)
		}
		if _, err := s.PutLogEvents(ctx, sk, events(1, t0, 1, "x"), storage.PutLogEventsOptions{CreateStream: true}); !errors.Is(err, storage.ErrLogGroupNotFound) {
			t.Errorf("PutLogEvents(%+v) = %v", key, err)
		}
		if _, err := s.GetLogStream(ctx, sk); !errors.Is(err, storage.ErrLogGroupNotFound) {
			t.Errorf("GetLogStream(%+v) = %v", key, err)
		}
		if _, err := s.ReadLogStream(ctx, sk, wholeStream(10)); !errors.Is(err, storage.ErrLogGroupNotFound) {
			t.Errorf("ReadLogStream(%+v) = %v", key, err)
		}
		if err := s.ScanLogEvents(ctx, key, everything, func(storage.LogEvent) bool { return true }); !errors.Is(err, storage.ErrLogGroupNotFound) {
			t.Errorf("ScanLogEvents(%+v) = %v", key, err)
		}
		if _, _, err := s.ListLogStreams(ctx, key, storage.LogStreamQuery{Limit: 10}); !errors.Is(err, storage.ErrLogGroupNotFound) {
			t.Errorf("ListLogStreams(%+v) = %v", key, err)
		}
		if _, err := s.ExpireLogEvents(ctx, key, t0); !errors.Is(err, storage.ErrLogGroupNotFound) {
			t.Errorf("ExpireLogEvents(%+v) = %v", key, err)
		}
	}
	// The same name in another account is another group.
	twin := group(scopeB, "g")
	twin.RetentionInDays = 30
	mustGroup(t, s, twin)
	if got, err := s.GetLogGroup(ctx, g.Key()); err != nil || got.RetentionInDays != 7 {
		t.Errorf("group of the first account = %+v, %v", got, err)
	}
	if _, err := s.ReadLogStream(ctx, streamKey(scopeB, "g", "s"), wholeStream(10)); !errors.Is(err, storage.ErrLogStreamNotFound) {
		t.Errorf("the twin sees the first group's stream: %v", err)
	}
}

func testUpdateGroup(t *testing.T, s storage.LogStore) {
	g := group(scopeA, "g")
	mustGroup(t, s, g)
	mustPut(t, s, mustStreamKey(t, s, scopeA, "g", "s"), events(3, t0, 1, "abc"))
	stored, err := s.UpdateLogGroup(ctx, g.Key(), func(u *storage.LogGroup) error {
		u.RetentionInDays = 0
		u.KMSKeyID = ""
		u.DeletionProtection = false
		u.Tags = map[string]string{"x": "y"}
		u.Name, u.CreationTime, u.Class, u.StoredBytes = "hijacked", 1, "DELIVERY", 1 // MUST NOT change
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.GetLogGroup(ctx, g.Key())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, stored) {
		t.Errorf("UpdateLogGroup returned\n%+v\nbut stored\n%+v", stored, got)
	}
	if got.RetentionInDays != 0 || got.KMSKeyID != "" || got.DeletionProtection || !reflect.DeepEqual(got.Tags, map[string]string{"x": "y"}) ||
		got.Name != "g" || got.CreationTime != t0 || got.Class != "STANDARD" || got.StoredBytes != int64(len("abc 0")*3) {
		t.Errorf("after update: %+v", got)
	}
	sentinel := errors.New("refused")
	if _, err := s.UpdateLogGroup(ctx, g.Key(), func(u *storage.LogGroup) error { u.RetentionInDays = 1; return sentinel }); err != sentinel {
		t.Errorf("UpdateLogGroup error = %v, want the update's own", err)
	}
	if got, _ := s.GetLogGroup(ctx, g.Key()); got.RetentionInDays != 0 {
		t.Errorf("a failed update was stored: %+v", got)
	}
}

func mustStreamKey(t *testing.T, s storage.LogStore, scope storage.Scope, g, st string) storage.LogStreamKey {
	t.Helper()
	key := streamKey(scope, g, st)
	mustStream(t, s, key)
	return key
}

func testDeleteGroup(t *testing.T, s storage.LogStore) {
	g := group(scopeA, "g")
	mustGroup(t, s, g)
	for _, name := range []string{"a", "b"} {
		mustPut(t, s, mustStreamKey(t, s, scopeA, "g", name), events(50, t0, 1, name))
	}
	mustGroup(t, s, group(scopeA, "other"))
	mustPut(t, s, mustStreamKey(t, s, scopeA, "other", "a"), events(5, t0, 1, "keep"))

	sentinel := errors.New("protected")
	if err := s.DeleteLogGroup(ctx, g.Key(), func(*storage.LogGroup) error { return sentinel }); err != sentinel {
		t.Errorf("DeleteLogGroup with a refusing check = %v", err)
	}
	if n := len(scanAll(t, s, g.Key(), everything)); n != 100 {
		t.Fatalf("a refused delete removed events: %d left", n)
	}
	if err := s.DeleteLogGroup(ctx, g.Key(), func(got *storage.LogGroup) error {
		if got.Name != "g" || !got.DeletionProtection {
			return fmt.Errorf("check saw %+v", got)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetLogGroup(ctx, g.Key()); !errors.Is(err, storage.ErrLogGroupNotFound) {
		t.Errorf("GetLogGroup after delete = %v", err)
	}
	if err := s.DeleteLogGroup(ctx, g.Key(), nil); !errors.Is(err, storage.ErrLogGroupNotFound) {
		t.Errorf("second delete = %v", err)
	}
	// A group created again under the name has nothing of the old one.
	mustGroup(t, s, group(scopeA, "g"))
	if streams, _, err := s.ListLogStreams(ctx, g.Key(), storage.LogStreamQuery{Limit: 50}); err != nil || len(streams) != 0 {
		t.Errorf("streams outlived their group: %v %v", streams, err)
	}
	if _, err := s.ReadLogStream(ctx, streamKey(scopeA, "g", "a"), wholeStream(100)); !errors.Is(err, storage.ErrLogStreamNotFound) {
		t.Errorf("a stream outlived its group: %v", err)
	}
	if evs := scanAll(t, s, g.Key(), everything); len(evs) != 0 {
		t.Errorf("events outlived their group: %d", len(evs))
	}
	if got, _ := s.GetLogGroup(ctx, g.Key()); got.StoredBytes != 0 {
		t.Errorf("StoredBytes of the new group = %d", got.StoredBytes)
	}
	// Another group is untouched.
	if evs := scanAll(t, s, storage.LogGroupKey{Scope: scopeA, Name: "other"}, everything); len(evs) != 5 {
		t.Errorf("deleting a group removed another's events: %d left", len(evs))
	}
}

func groupNames(groups []*storage.LogGroup) []string {
	out := make([]string, len(groups))
	for i, g := range groups {
		out[i] = g.Name
	}
	return out
}

func testListGroups(t *testing.T, s storage.LogStore) {
	names := []string{"b", "a/x", "A", "/aws/lambda/f", "a-b", "a.b", "a#b", "a_b", "aws-waf-logs-1", "a", "Z9"}
	for i, n := range names {
		g := group(scopeA, n)
		if i%2 == 1 {
			g.Class = "INFREQUENT_ACCESS"
		}
		mustGroup(t, s, g)
	}
	mustGroup(t, s, group(scopeB, "a"))
	mustGroup(t, s, group(scopeC, "a"))
	sorted := slices.Clone(names)
	slices.Sort(sorted) // byte order: ASCII

	list := func(q storage.LogGroupQuery) []string {
		t.Helper()
		var got []string
		for pages := 0; ; pages++ {
			if pages > 20 {
				t.Fatal("pagination does not end")
			}
			page, more, err := s.ListLogGroups(ctx, scopeA, q)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) > q.Limit {
				t.Fatalf("page of %d > limit %d", len(page), q.Limit)
			}
			got = append(got, groupNames(page)...)
			if !more {
				return got
			}
			if len(page) == 0 {
				t.Fatal("more with an empty page")
			}
			q.After = page[len(page)-1].Name
		}
	}
	if got := list(storage.LogGroupQuery{Limit: 3}); !reflect.DeepEqual(got, sorted) {
		t.Errorf("all groups = %v\nwant %v (byte order, scope only)", got, sorted)
	}
	if got := list(storage.LogGroupQuery{Limit: 50}); !reflect.DeepEqual(got, sorted) {
		t.Errorf("one page = %v", got)
	}
	if got := list(storage.LogGroupQuery{NamePrefix: "a", Limit: 2}); !reflect.DeepEqual(got, []string{"a", "a#b", "a-b", "a.b", "a/x", "a_b", "aws-waf-logs-1"}) {
		t.Errorf("prefix a = %v", got)
	}
	if got := list(storage.LogGroupQuery{NamePrefix: "zzz", Limit: 2}); len(got) != 0 {
		t.Errorf("prefix zzz = %v", got)
	}
	if got := list(storage.LogGroupQuery{NameContains: "b", Limit: 2}); !reflect.DeepEqual(got, []string{"/aws/lambda/f", "a#b", "a-b", "a.b", "a_b", "b"}) {
		t.Errorf("contains b = %v (case-sensitive substring)", got)
	}
	var infrequent []string
	for _, n := range sorted {
		if i := slices.Index(names, n); i%2 == 1 {
			infrequent = append(infrequent, n)
		}
	}
	if got := list(storage.LogGroupQuery{Class: "INFREQUENT_ACCESS", Limit: 2}); !reflect.DeepEqual(got, infrequent) {
		t.Errorf("class = %v, want %v", got, infrequent)
	}
	if got := list(storage.LogGroupQuery{Names: []string{"b", "missing", "A", "b"}, Limit: 1}); !reflect.DeepEqual(got, []string{"A", "b"}) {
		t.Errorf("names = %v", got)
	}
	if got := list(storage.LogGroupQuery{Names: []string{}, Limit: 1}); len(got) != 0 {
		t.Errorf("no names = %v", got)
	}
	page, more, err := s.ListLogGroups(ctx, storage.Scope{AccountID: "000000000000", Region: "us-west-2"}, storage.LogGroupQuery{Limit: 5})
	if err != nil || len(page) != 0 || more {
		t.Errorf("empty scope: %v %v %v", page, more, err)
	}
}

func testStreams(t *testing.T, s storage.LogStore) {
	mustGroup(t, s, group(scopeA, "g"))
	key := streamKey(scopeA, "g", "2026/11/25/[$LATEST]abc")
	st, err := s.CreateLogStream(ctx, key, t0+5)
	if err != nil {
		t.Fatal(err)
	}
	if st.Name != key.Stream || st.CreationTime != t0+5 || st.LastSequence != 0 || st.FirstEventTimestamp != -1 || st.LastEventTimestamp != -1 || st.LastIngestionTime != -1 || st.ID == 0 {
		t.Errorf("new stream = %+v", st)
	}
	if _, err := s.CreateLogStream(ctx, key, t0); !errors.Is(err, storage.ErrAlreadyExists) {
		t.Errorf("duplicate stream = %v", err)
	}
	if got, err := s.GetLogStream(ctx, key); err != nil || !reflect.DeepEqual(got, st) {
		t.Errorf("GetLogStream = %+v, %v; want %+v", got, err, st)
	}
	if _, err := s.GetLogStream(ctx, streamKey(scopeA, "g", "missing")); !errors.Is(err, storage.ErrLogStreamNotFound) {
		t.Errorf("GetLogStream of a missing stream = %v", err)
	}
	other := mustStream(t, s, streamKey(scopeA, "g", "other"))
	if other.ID == st.ID {
		t.Errorf("two streams share ID %d", st.ID)
	}
	if _, err := s.PutLogEvents(ctx, streamKey(scopeA, "g", "missing"), events(1, t0, 1, "x"), storage.PutLogEventsOptions{}); !errors.Is(err, storage.ErrLogStreamNotFound) || !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("put to a missing stream = %v, want ErrLogStreamNotFound", err)
	}
	if _, err := s.ReadLogStream(ctx, streamKey(scopeA, "g", "missing"), wholeStream(1)); !errors.Is(err, storage.ErrLogStreamNotFound) {
		t.Errorf("read of a missing stream = %v", err)
	}
	// CreateStream makes it in the same put.
	created, err := s.PutLogEvents(ctx, streamKey(scopeA, "g", "auto"), events(2, t0, 1, "x"), storage.PutLogEventsOptions{CreateStream: true, CreationTime: t0 + 9})
	if err != nil || created.Name != "auto" || created.CreationTime != t0+9 || created.LastSequence != 2 {
		t.Fatalf("put with CreateStream = %+v, %v", created, err)
	}
	again, err := s.PutLogEvents(ctx, streamKey(scopeA, "g", "auto"), events(1, t0, 1, "y"), storage.PutLogEventsOptions{CreateStream: true, CreationTime: t0 + 99})
	if err != nil || again.ID != created.ID || again.CreationTime != t0+9 || again.LastSequence != 3 {
		t.Errorf("CreateStream on an existing stream = %+v, %v", again, err)
	}
}

func streamNames(streams []*storage.LogStream) []string {
	out := make([]string, len(streams))
	for i, st := range streams {
		out[i] = st.Name
	}
	return out
}

func listStreams(t *testing.T, s storage.LogStore, key storage.LogGroupKey, q storage.LogStreamQuery) []*storage.LogStream {
	t.Helper()
	var got []*storage.LogStream
	for pages := 0; ; pages++ {
		if pages > 50 {
			t.Fatal("pagination does not end")
		}
		page, more, err := s.ListLogStreams(ctx, key, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) > q.Limit {
			t.Fatalf("page of %d > limit %d", len(page), q.Limit)
		}
		got = append(got, page...)
		if !more {
			return got
		}
		q.After = page[len(page)-1]
	}
}

func testListStreamsByName(t *testing.T, s storage.LogStore) {
	mustGroup(t, s, group(scopeA, "g"))
	names := []string{"b", "a", "ab", "a/1", "é", "A", "aa", "abc"}
	for _, n := range names {
		mustStream(t, s, streamKey(scopeA, "g", n))
	}
	mustGroup(t, s, group(scopeA, "h"))
	mustStream(t, s, streamKey(scopeA, "h", "a-of-h"))
	sorted := slices.Clone(names)
	slices.Sort(sorted)
	key := storage.LogGroupKey{Scope: scopeA, Name: "g"}
	if got := streamNames(listStreams(t, s, key, storage.LogStreamQuery{Limit: 3})); !reflect.DeepEqual(got, sorted) {
		t.Errorf("by name = %v, want %v", got, sorted)
	}
	desc := slices.Clone(sorted)
	slices.Reverse(desc)
	if got := streamNames(listStreams(t, s, key, storage.LogStreamQuery{Limit: 3, Descending: true})); !reflect.DeepEqual(got, desc) {
		t.Errorf("by name descending = %v, want %v", got, desc)
	}
	if got := streamNames(listStreams(t, s, key, storage.LogStreamQuery{NamePrefix: "a", Limit: 2})); !reflect.DeepEqual(got, []string{"a", "a/1", "aa", "ab", "abc"}) {
		t.Errorf("prefix a = %v", got)
	}
	if got := streamNames(listStreams(t, s, key, storage.LogStreamQuery{NamePrefix: "ab", Limit: 1, Descending: true})); !reflect.DeepEqual(got, []string{"abc", "ab"}) {
		t.Errorf("prefix ab descending = %v", got)
	}
	if got := streamNames(listStreams(t, s, key, storage.LogStreamQuery{NamePrefix: "é", Limit: 5})); !reflect.DeepEqual(got, []string{"é"}) {
		t.Errorf("prefix é = %v", got)
	}
}

func testListStreamsByLastEvent(t *testing.T, s storage.LogStore) {
	mustGroup(t, s, group(scopeA, "g"))
	key := storage.LogGroupKey{Scope: scopeA, Name: "g"}
	// Last event times: c=30, a=10, d=10, b and e have none.
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		mustStream(t, s, streamKey(scopeA, "g", n))
	}
	mustPut(t, s, streamKey(scopeA, "g", "c"), events(1, t0+30, 1, "c"))
	mustPut(t, s, streamKey(scopeA, "g", "a"), events(2, t0+9, 1, "a"))
	mustPut(t, s, streamKey(scopeA, "g", "d"), events(1, t0+10, 1, "d"))
	want := []string{"b", "e", "a", "d", "c"}
	got := listStreams(t, s, key, storage.LogStreamQuery{OrderBy: storage.OrderByLastEventTime, Limit: 2})
	if !reflect.DeepEqual(streamNames(got), want) {
		t.Errorf("by last event = %v, want %v (without events first, ties by name)", streamNames(got), want)
	}
	slices.Reverse(want)
	got = listStreams(t, s, key, storage.LogStreamQuery{OrderBy: storage.OrderByLastEventTime, Descending: true, Limit: 2})
	if !reflect.DeepEqual(streamNames(got), want) {
		t.Errorf("by last event descending = %v, want %v", streamNames(got), want)
	}
	for _, st := range got {
		switch st.Name {
		case "a":
			if st.FirstEventTimestamp != t0+9 || st.LastEventTimestamp != t0+10 || st.LastSequence != 2 || st.LastIngestionTime != t0+1 {
				t.Errorf("stream a = %+v", st)
			}
		case "b":
			if st.LastSequence != 0 || st.FirstEventTimestamp != -1 || st.LastEventTimestamp != -1 || st.LastIngestionTime != -1 {
				t.Errorf("stream b = %+v", st)
			}
		}
	}
}

func testPutLogEvents(t *testing.T, s storage.LogStore) {
	mustGroup(t, s, group(scopeA, "g"))
	key := mustStreamKey(t, s, scopeA, "g", "s")
	st := mustPut(t, s, key, events(3, t0, 10, "first"))
	if st.LastSequence != 3 || st.FirstEventTimestamp != t0 || st.LastEventTimestamp != t0+20 || st.LastIngestionTime != t0+1 {
		t.Errorf("after the first put: %+v", st)
	}
	if got, err := s.GetLogStream(ctx, key); err != nil || !reflect.DeepEqual(got, st) {
		t.Errorf("GetLogStream after a put = %+v, %v; want %+v", got, err, st)
	}
	// A later put may hold earlier timestamps; sequence numbers go on.
	second := events(2, t0-100, 10, "second")
	second[1].IngestionTime = t0 + 50
	st = mustPut(t, s, key, second)
	if st.LastSequence != 5 || st.FirstEventTimestamp != t0-100 || st.LastEventTimestamp != t0+20 || st.LastIngestionTime != t0+50 {
		t.Errorf("after the second put: %+v", st)
	}
	got, err := s.ReadLogStream(ctx, key, wholeStream(100))
	if err != nil {
		t.Fatal(err)
	}
	wantMsgs := []string{"second 0", "second 1", "first 0", "first 1", "first 2"}
	if !reflect.DeepEqual(messages(got), wantMsgs) {
		t.Errorf("stream order = %v, want %v (timestamp, then sequence)", messages(got), wantMsgs)
	}
	wantSeq := []int64{4, 5, 1, 2, 3}
	for i, e := range got {
		if e.Seq != wantSeq[i] || e.Stream != "s" || e.StreamID != st.ID {
			t.Errorf("event %d = %+v, want seq %d", i, e, wantSeq[i])
		}
	}
	if g, _ := s.GetLogGroup(ctx, key.LogGroupKey); g.StoredBytes != int64(3*len("first 0")+2*len("second 0")) {
		t.Errorf("StoredBytes = %d", g.StoredBytes)
	}
	// Messages are kept byte for byte.
	odd := []storage.LogEvent{{Timestamp: t0, IngestionTime: t0, Message: "é\x00\n\t\"{}\u2028 " + strings.Repeat("x", 300000)}}
	mustPut(t, s, key, odd)
	got, _ = s.ReadLogStream(ctx, key, storage.StreamRead{Start: t0, End: t0 + 1, After: &storage.StreamPosition{Timestamp: t0, Seq: 5}, Limit: 10})
	if len(got) != 1 || got[0].Message != odd[0].Message {
		t.Errorf("message not kept byte for byte (%d events)", len(got))
	}
	// An empty put changes nothing but still needs the stream.
	if st, err := s.PutLogEvents(ctx, key, nil, storage.PutLogEventsOptions{}); err != nil || st.LastSequence != 6 {
		t.Errorf("empty put = %+v, %v", st, err)
	}
}

// testPutIsAtomic: a put of 10,000 events is one transaction, so a reader
// sees none of it or all of it.
func testPutIsAtomic(t *testing.T, s storage.LogStore) {
	mustGroup(t, s, group(scopeA, "g"))
	key := mustStreamKey(t, s, scopeA, "g", "s")
	const n = 10000
	stop := make(chan struct{})
	seen := make(chan int, 1024)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				close(seen)
				return
			default:
			}
			count := 0
			if err := s.ScanLogEvents(ctx, key.LogGroupKey, everything, func(storage.LogEvent) bool { count++; return true }); err != nil {
				t.Error(err)
			}
			select {
			case seen <- count:
			default:
			}
		}
	}()
	st := mustPut(t, s, key, events(n, t0, 1, "e"))
	close(stop)
	wg.Wait()
	for c := range seen {
		if c != 0 && c != n {
			t.Errorf("a reader saw %d of %d events of one put", c, n)
		}
	}
	if st.LastSequence != n {
		t.Errorf("LastSequence = %d", st.LastSequence)
	}
	if got := scanAll(t, s, key.LogGroupKey, everything); len(got) != n || got[n-1].Seq != n {
		t.Errorf("after the put: %d events", len(got))
	}
}

func testConcurrentPuts(t *testing.T, s storage.LogStore) {
	mustGroup(t, s, group(scopeA, "g"))
	key := mustStreamKey(t, s, scopeA, "g", "s")
	const writers, per = 8, 25
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.PutLogEvents(ctx, key, events(per, t0, 1, fmt.Sprintf("w%d", w)), storage.PutLogEventsOptions{}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	got, err := s.ReadLogStream(ctx, key, wholeStream(10000))
	if err != nil {
		t.Fatal(err)
	}
	seqs := map[int64]bool{}
	for _, e := range got {
		seqs[e.Seq] = true
	}
	if len(got) != writers*per || len(seqs) != writers*per {
		t.Fatalf("%d events with %d distinct sequence numbers, want %d", len(got), len(seqs), writers*per)
	}
	for i := int64(1); i <= writers*per; i++ {
		if !seqs[i] {
			t.Fatalf("sequence %d missing", i)
		}
	}
}

func testReadLogStream(t *testing.T, s storage.LogStore) {
	mustGroup(t, s, group(scopeA, "g"))
	key := mustStreamKey(t, s, scopeA, "g", "s")
	// Timestamps t0, t0+10, …, t0+90, and a second event at t0+50.
	mustPut(t, s, key, events(10, t0, 10, "e"))
	mustPut(t, s, key, []storage.LogEvent{{Timestamp: t0 + 50, IngestionTime: t0, Message: "e5bis"}})
	read := func(r storage.StreamRead) []string {
		t.Helper()
		got, err := s.ReadLogStream(ctx, key, r)
		if err != nil {
			t.Fatal(err)
		}
		return messages(got)
	}
	all := []string{"e 0", "e 1", "e 2", "e 3", "e 4", "e 5", "e5bis", "e 6", "e 7", "e 8", "e 9"}
	if got := read(wholeStream(100)); !reflect.DeepEqual(got, all) {
		t.Errorf("whole stream = %v", got)
	}
	if got := read(storage.StreamRead{Start: t0 + 20, End: t0 + 50, Limit: 100}); !reflect.DeepEqual(got, []string{"e 2", "e 3", "e 4"}) {
		t.Errorf("[t0+20, t0+50) = %v (start inclusive, end exclusive)", got)
	}
	if got := read(storage.StreamRead{Start: math.MinInt64, End: math.MaxInt64, Limit: 3}); !reflect.DeepEqual(got, all[:3]) {
		t.Errorf("first 3 = %v", got)
	}
	if got := read(storage.StreamRead{Start: math.MinInt64, End: math.MaxInt64, Limit: 3, Backward: true}); !reflect.DeepEqual(got, all[8:]) {
		t.Errorf("last 3 = %v (in stream order)", got)
	}
	// Positions: after e5 (t0+50, seq 6) and before e 8 (t0+80, seq 9).
	after, before := &storage.StreamPosition{Timestamp: t0 + 50, Seq: 6}, &storage.StreamPosition{Timestamp: t0 + 80, Seq: 9}
	if got := read(storage.StreamRead{Start: math.MinInt64, End: math.MaxInt64, After: after, Limit: 100}); !reflect.DeepEqual(got, all[6:]) {
		t.Errorf("after e 5 = %v", got)
	}
	if got := read(storage.StreamRead{Start: math.MinInt64, End: math.MaxInt64, After: after, Before: before, Limit: 100}); !reflect.DeepEqual(got, []string{"e5bis", "e 6", "e 7"}) {
		t.Errorf("between e 5 and e 8 = %v", got)
	}
	if got := read(storage.StreamRead{Start: math.MinInt64, End: math.MaxInt64, Before: before, Limit: 2, Backward: true}); !reflect.DeepEqual(got, []string{"e 6", "e 7"}) {
		t.Errorf("2 before e 8 = %v", got)
	}
	if got := read(storage.StreamRead{Start: t0 + 100, End: math.MaxInt64, Limit: 10}); len(got) != 0 {
		t.Errorf("after the last = %v", got)
	}
	// Paging forward one event at a time visits every event once.
	var paged []string
	r := storage.StreamRead{Start: math.MinInt64, End: math.MaxInt64, Limit: 1}
	for i := 0; i < 20; i++ {
		got, err := s.ReadLogStream(ctx, key, r)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 {
			break
		}
		paged = append(paged, got[0].Message)
		p := got[0].Position()
		r.After = &p
	}
	if !reflect.DeepEqual(paged, all) {
		t.Errorf("paged = %v", paged)
	}
}

func testScanLogEvents(t *testing.T, s storage.LogStore) {
	mustGroup(t, s, group(scopeA, "g"))
	a := mustStreamKey(t, s, scopeA, "g", "app/a")
	b := mustStreamKey(t, s, scopeA, "g", "app/b")
	c := mustStreamKey(t, s, scopeA, "g", "web")
	mustPut(t, s, a, []storage.LogEvent{{Timestamp: t0 + 10, IngestionTime: t0 + 100, Message: "a10"}, {Timestamp: t0 + 30, IngestionTime: t0 + 100, Message: "a30"}})
	mustPut(t, s, b, []storage.LogEvent{{Timestamp: t0 + 10, IngestionTime: t0 + 50, Message: "b10"}, {Timestamp: t0 + 20, IngestionTime: t0 + 50, Message: "b20"}})
	mustPut(t, s, c, []storage.LogEvent{{Timestamp: t0, IngestionTime: t0 + 200, Message: "c0"}, {Timestamp: t0 + 30, IngestionTime: t0 + 100, Message: "c30"}})
	mustGroup(t, s, group(scopeA, "h"))
	mustPut(t, s, mustStreamKey(t, s, scopeA, "h", "app/a"), events(3, t0, 1, "h"))

	g := a.LogGroupKey
	// Order: timestamp, ingestion time, stream, sequence.
	all := scanAll(t, s, g, everything)
	want := []string{"c0", "b10", "a10", "b20", "a30", "c30"}
	if !reflect.DeepEqual(messages(all), want) {
		t.Errorf("group order = %v, want %v", messages(all), want)
	}
	for i := 1; i < len(all); i++ {
		if !all[i-1].GroupPosition().Less(all[i].GroupPosition()) {
			t.Errorf("events %d and %d out of GroupPosition order", i-1, i)
		}
	}
	for _, e := range all {
		if !strings.HasPrefix(e.Message, map[string]string{"app/a": "a", "app/b": "b", "web": "c"}[e.Stream]) || e.StreamID == 0 || e.Seq == 0 {
			t.Errorf("event %+v has the wrong stream or no position", e)
		}
	}
	if got := messages(scanAll(t, s, g, storage.GroupScan{Start: t0 + 10, End: t0 + 30})); !reflect.DeepEqual(got, []string{"b10", "a10", "b20"}) {
		t.Errorf("[t0+10, t0+30) = %v", got)
	}
	if got := messages(scanAll(t, s, g, storage.GroupScan{Start: math.MinInt64, End: math.MaxInt64, StreamPrefix: "app/"})); !reflect.DeepEqual(got, []string{"b10", "a10", "b20", "a30"}) {
		t.Errorf("prefix app/ = %v", got)
	}
	if got := messages(scanAll(t, s, g, storage.GroupScan{Start: math.MinInt64, End: math.MaxInt64, Streams: []string{"web", "app/a", "nope"}})); !reflect.DeepEqual(got, []string{"c0", "a10", "a30", "c30"}) {
		t.Errorf("streams web, app/a = %v", got)
	}
	if got := scanAll(t, s, g, storage.GroupScan{Start: math.MinInt64, End: math.MaxInt64, Streams: []string{"nope"}}); len(got) != 0 {
		t.Errorf("unknown stream = %v", got)
	}
	if got := scanAll(t, s, g, storage.GroupScan{Start: math.MinInt64, End: math.MaxInt64, StreamPrefix: "x"}); len(got) != 0 {
		t.Errorf("prefix x = %v", got)
	}
	// A cursor resumes after an event; fn stops the scan.
	after := all[2].GroupPosition()
	if got := messages(scanAll(t, s, g, storage.GroupScan{Start: math.MinInt64, End: math.MaxInt64, After: &after})); !reflect.DeepEqual(got, want[3:]) {
		t.Errorf("after %s = %v", all[2].Message, got)
	}
	n := 0
	if err := s.ScanLogEvents(ctx, g, everything, func(storage.LogEvent) bool { n++; return n < 2 }); err != nil || n != 2 {
		t.Errorf("fn returned false at 2 but was called %d times (%v)", n, err)
	}
}

func testExpire(t *testing.T, s storage.LogStore) {
	mustGroup(t, s, group(scopeA, "g"))
	key := mustStreamKey(t, s, scopeA, "g", "s")
	mustPut(t, s, key, events(10, t0, 10, "m")) // t0 … t0+90, 3 bytes each
	n, err := s.ExpireLogEvents(ctx, key.LogGroupKey, t0+30)
	if err != nil || n != 3 {
		t.Fatalf("ExpireLogEvents = %d, %v; want 3", n, err)
	}
	if got := messages(scanAll(t, s, key.LogGroupKey, everything)); !reflect.DeepEqual(got, []string{"m 3", "m 4", "m 5", "m 6", "m 7", "m 8", "m 9"}) {
		t.Errorf("after expiring: %v", got)
	}
	if g, _ := s.GetLogGroup(ctx, key.LogGroupKey); g.StoredBytes != 7*3 {
		t.Errorf("StoredBytes = %d, want 21", g.StoredBytes)
	}
	if n, err := s.ExpireLogEvents(ctx, key.LogGroupKey, t0+30); err != nil || n != 0 {
		t.Errorf("expiring again = %d, %v", n, err)
	}
	// A put can expire the group's old events in the same transaction.
	other := mustStreamKey(t, s, scopeA, "g", "other")
	if _, err := s.PutLogEvents(ctx, other, events(1, t0+100, 1, "new"), storage.PutLogEventsOptions{ExpireBefore: t0 + 60}); err != nil {
		t.Fatal(err)
	}
	if got := messages(scanAll(t, s, key.LogGroupKey, everything)); !reflect.DeepEqual(got, []string{"m 6", "m 7", "m 8", "m 9", "new 0"}) {
		t.Errorf("after a put with ExpireBefore: %v", got)
	}
	if g, _ := s.GetLogGroup(ctx, key.LogGroupKey); g.StoredBytes != 4*3+5 {
		t.Errorf("StoredBytes = %d, want 17", g.StoredBytes)
	}
}

func testResourcePolicies(t *testing.T, s storage.LogStore) {
	if got, err := s.ResourcePolicies(ctx, scopeA); err != nil || len(got) != 0 {
		t.Fatalf("no policies yet: %v %v", got, err)
	}
	put := func(scope storage.Scope, ps ...*storage.ResourcePolicy) {
		t.Helper()
		err := s.UpdateResourcePolicies(ctx, scope, func(current []*storage.ResourcePolicy) ([]*storage.ResourcePolicy, error) {
			return append(current, ps...), nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	put(scopeA, &storage.ResourcePolicy{Name: "b", Document: `{"b":1}`, LastUpdatedTime: t0}, &storage.ResourcePolicy{Name: "a", Document: `{"a":1}`, LastUpdatedTime: t0 + 1})
	put(scopeB, &storage.ResourcePolicy{Name: "a", Document: `{"other":1}`, LastUpdatedTime: t0})
	got, err := s.ResourcePolicies(ctx, scopeA)
	want := []*storage.ResourcePolicy{{Name: "a", Document: `{"a":1}`, LastUpdatedTime: t0 + 1}, {Name: "b", Document: `{"b":1}`, LastUpdatedTime: t0}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("policies = %+v, %v; want name order", got, err)
	}
	// update sees the current policies; replacing and removing.
	err = s.UpdateResourcePolicies(ctx, scopeA, func(current []*storage.ResourcePolicy) ([]*storage.ResourcePolicy, error) {
		if len(current) != 2 || current[0].Name != "a" {
			return nil, fmt.Errorf("update saw %+v", current)
		}
		current[0].Document = `{"a":2}`
		return current[:1], nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := s.ResourcePolicies(ctx, scopeA); len(got) != 1 || got[0].Document != `{"a":2}` {
		t.Errorf("after replacing: %+v", got)
	}
	sentinel := errors.New("limit")
	if err := s.UpdateResourcePolicies(ctx, scopeA, func([]*storage.ResourcePolicy) ([]*storage.ResourcePolicy, error) { return nil, sentinel }); err != sentinel {
		t.Errorf("failing update = %v", err)
	}
	if got, _ := s.ResourcePolicies(ctx, scopeA); len(got) != 1 {
		t.Errorf("a failed update changed the policies: %+v", got)
	}
	if got, _ := s.ResourcePolicies(ctx, scopeB); len(got) != 1 || got[0].Document != `{"other":1}` {
		t.Errorf("another scope's policies = %+v", got)
	}
}
