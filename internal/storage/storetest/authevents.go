package storetest

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/cognate/cognate/internal/storage"
)

// RunAuthEvents runs the storage.AuthEventStore part of the suite;
// newStore returns a fresh, empty store (a storage.Backend: events are
// written as Deliveries).
func RunAuthEvents(t *testing.T, newStore func(t *testing.T) storage.Store) {
	runAll(t, newStore, []test[storage.Backend]{
		{"WrittenWithTheChange", testAuthEventsWritten},
		{"NewestFirstInPages", testAuthEventsPages},
		{"Update", testAuthEventUpdate},
		{"GoWithTheirUser", testAuthEventsCascade},
		{"RiskConfigurations", testRiskConfigurations},
	})
}

func authEvent(user, id string, at time.Time) storage.AuthEvent {
	return storage.AuthEvent{AccountID: userPoolKey.AccountID, Region: userPoolKey.Region, PoolID: userPoolKey.ID,
		UserKey: user, EventID: id, CreatedAt: at, Data: []byte(`{"id":"` + id + `"}`)}
}

func listAll(t *testing.T, s storage.Backend, user string, page int) []string {
	t.Helper()
	var (
		ids   []string
		after *storage.AuthEventCursor
	)
	for {
		events, err := s.ListAuthEvents(ctx, storage.UserKey{PoolKey: userPoolKey, Key: user}, after, page)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range events {
			if string(e.Data) != `{"id":"`+e.EventID+`"}` || e.UserKey != user || e.PoolID != userPoolKey.ID {
				t.Errorf("event %+v", e)
			}
			ids = append(ids, e.EventID)
		}
		if len(events) < page {
			return ids
		}
		last := events[len(events)-1]
		after = &storage.AuthEventCursor{CreatedAt: last.CreatedAt, EventID: last.EventID}
	}
}

// Events come with the write that carries them: a created user, an
// update, a delivery on its own; an update whose change fails stores its
// deliveries' events too (a failed sign-in is recorded); an event of an
// unknown user is not stored.
func testAuthEventsWritten(t *testing.T, s storage.Backend) {
	mustUserPool(t, s)
	at := time.UnixMilli(1764000000000).UTC()
	if err := s.CreateUser(ctx, userFixture("alice", "sub-a"), storage.Deliveries{AuthEvents: []storage.AuthEvent{authEvent("alice", "e1", at)}}); err != nil {
		t.Fatal(err)
	}
	key := storage.UserKey{PoolKey: userPoolKey, Key: "alice"}
	if _, err := s.UpdateUser(ctx, key, func(u *storage.User) (*storage.Deliveries, error) {
		return &storage.Deliveries{AuthEvents: []storage.AuthEvent{authEvent("alice", "e2", at.Add(time.Second))}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	refused := errors.New("wrong password")
	if _, err := s.UpdateUser(ctx, key, func(u *storage.User) (*storage.Deliveries, error) {
		return &storage.Deliveries{AuthEvents: []storage.AuthEvent{authEvent("alice", "e3", at.Add(2*time.Second))}}, refused
	}); !errors.Is(err, refused) {
		t.Fatalf("UpdateUser: %v", err)
	}
	if err := s.AppendDeliveries(ctx, storage.Deliveries{AuthEvents: []storage.AuthEvent{
		authEvent("alice", "e4", at.Add(3*time.Second)), authEvent("nobody", "e5", at)}}); err != nil {
		t.Fatal(err)
	}
	if got, want := listAll(t, s, "alice", 60), []string{"e4", "e3", "e2", "e1"}; !slices.Equal(got, want) {
		t.Errorf("events %v, want %v", got, want)
	}
	if _, err := s.ListAuthEvents(ctx, storage.UserKey{PoolKey: userPoolKey, Key: "nobody"}, nil, 60); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("events of an unknown user: %v", err)
	}
	// An event ID is unique for its user: a repeat fails the write.
	if err := s.AppendDeliveries(ctx, storage.Deliveries{AuthEvents: []storage.AuthEvent{authEvent("alice", "e1", at)}}); !errors.Is(err, storage.ErrAlreadyExists) {
		t.Errorf("repeated event ID: %v", err)
	}
}

// Pages follow (CreatedAt, EventID) descending, with no event lost or
// repeated, also among events of the same millisecond.
func testAuthEventsPages(t *testing.T, s storage.Backend) {
	mustUserPool(t, s)
	if err := s.CreateUser(ctx, userFixture("bob", "sub-b"), storage.Deliveries{}); err != nil {
		t.Fatal(err)
	}
	at := time.UnixMilli(1764000000000).UTC()
	var d storage.Deliveries
	var want []string
	for i := range 25 {
		id := fmt.Sprintf("ev%02d", i)
		d.AuthEvents = append(d.AuthEvents, authEvent("bob", id, at.Add(time.Duration(i/4)*time.Millisecond)))
		want = append(want, id)
	}
	if err := s.AppendDeliveries(ctx, d); err != nil {
		t.Fatal(err)
	}
	slices.Reverse(want)
	for _, page := range []int{1, 3, 4, 60} {
		if got := listAll(t, s, "bob", page); !slices.Equal(got, want) {
			t.Errorf("page %d: %v, want %v", page, got, want)
		}
	}
}

func testAuthEventUpdate(t *testing.T, s storage.Backend) {
	mustUserPool(t, s)
	at := time.UnixMilli(1764000000000).UTC()
	if err := s.CreateUser(ctx, userFixture("carol", "sub-c"), storage.Deliveries{AuthEvents: []storage.AuthEvent{authEvent("carol", "e1", at)}}); err != nil {
		t.Fatal(err)
	}
	key := storage.UserKey{PoolKey: userPoolKey, Key: "carol"}
	e, err := s.UpdateAuthEvent(ctx, key, "e1", func(e *storage.AuthEvent) error {
		if !e.CreatedAt.Equal(at) || string(e.Data) != `{"id":"e1"}` {
			t.Errorf("read %+v", e)
		}
		e.Data = []byte(`{"id":"e1","feedback":"Valid"}`)
		return nil
	})
	if err != nil || string(e.Data) != `{"id":"e1","feedback":"Valid"}` {
		t.Fatalf("UpdateAuthEvent: %+v, %v", e, err)
	}
	refused := errors.New("no")
	if _, err := s.UpdateAuthEvent(ctx, key, "e1", func(e *storage.AuthEvent) error {
		e.Data = []byte(`lost`)
		return refused
	}); !errors.Is(err, refused) {
		t.Errorf("failing update: %v", err)
	}
	events, err := s.ListAuthEvents(ctx, key, nil, 10)
	if err != nil || len(events) != 1 || string(events[0].Data) != `{"id":"e1","feedback":"Valid"}` {
		t.Errorf("after updates: %v %v", events, err)
	}
	for _, c := range []struct{ user, id string }{{"carol", "absent"}, {"nobody", "e1"}} {
		if _, err := s.UpdateAuthEvent(ctx, storage.UserKey{PoolKey: userPoolKey, Key: c.user}, c.id, func(*storage.AuthEvent) error { return nil }); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("update %s/%s: %v", c.user, c.id, err)
		}
	}
}

// A deleted user's events are gone, also for a new user of the same name;
// a deleted pool's too.
func testAuthEventsCascade(t *testing.T, s storage.Backend) {
	mustUserPool(t, s)
	at := time.UnixMilli(1764000000000).UTC()
	for _, name := range []string{"dan", "erin"} {
		if err := s.CreateUser(ctx, userFixture(name, "sub-"+name), storage.Deliveries{AuthEvents: []storage.AuthEvent{authEvent(name, "e1", at)}}); err != nil {
			t.Fatal(err)
		}
	}
	key := storage.UserKey{PoolKey: userPoolKey, Key: "dan"}
	if err := s.DeleteUser(ctx, key, storage.Deliveries{}); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateUser(ctx, userFixture("dan", "sub-dan2"), storage.Deliveries{}); err != nil {
		t.Fatal(err)
	}
	if got := listAll(t, s, "dan", 10); len(got) != 0 {
		t.Errorf("the new dan has the old one's events %v", got)
	}
	if err := s.DeleteUserPool(ctx, userPoolKey, nil); err != nil {
		t.Fatal(err)
	}
	mustUserPool(t, s)
	if err := s.CreateUser(ctx, userFixture("erin", "sub-erin2"), storage.Deliveries{}); err != nil {
		t.Fatal(err)
	}
	if got := listAll(t, s, "erin", 10); len(got) != 0 {
		t.Errorf("events survived their pool: %v", got)
	}
}

func testRiskConfigurations(t *testing.T, s storage.Backend) {
	mustUserPool(t, s)
	at := time.UnixMilli(1764000000123).UTC()
	client := &storage.AppClient{AccountID: userPoolKey.AccountID, Region: userPoolKey.Region, PoolID: userPoolKey.ID,
		ClientID: "riskclient0000000000000001", Name: "c", CreatedAt: at, UpdatedAt: at, Data: []byte(`{}`)}
	if err := s.CreateAppClient(ctx, client); err != nil {
		t.Fatal(err)
	}
	get := func(clientID string) string {
		t.Helper()
		c, err := s.GetRiskConfiguration(ctx, userPoolKey, clientID)
		if errors.Is(err, storage.ErrNotFound) {
			return "none"
		}
		if err != nil {
			t.Fatal(err)
		}
		if c.ClientID != clientID || c.PoolID != userPoolKey.ID || !c.UpdatedAt.Equal(at) {
			t.Errorf("read %+v", c)
		}
		return string(c.Data)
	}
	put := func(clientID, data string) error {
		return s.PutRiskConfiguration(ctx, &storage.RiskConfiguration{AccountID: userPoolKey.AccountID, Region: userPoolKey.Region,
			PoolID: userPoolKey.ID, ClientID: clientID, UpdatedAt: at, Data: []byte(data)})
	}
	if got := get(""); got != "none" {
		t.Errorf("before any put: %s", got)
	}
	for _, c := range []struct{ client, data string }{{"", "pool1"}, {"", "pool2"}, {client.ClientID, "client1"}} {
		if err := put(c.client, c.data); err != nil {
			t.Fatal(err)
		}
	}
	if got := get(""); got != "pool2" {
		t.Errorf("pool's: %s", got)
	}
	if got := get(client.ClientID); got != "client1" {
		t.Errorf("client's: %s", got)
	}
	if err := put("absentclient", "x"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("put for an unknown client: %v", err)
	}
	if err := s.DeleteRiskConfiguration(ctx, userPoolKey, "absentclient"); err != nil {
		t.Errorf("delete of none: %v", err)
	}
	if err := s.DeleteAppClient(ctx, storage.AppClientKey{PoolKey: userPoolKey, ClientID: client.ClientID}); err != nil {
		t.Fatal(err)
	}
	if got := get(client.ClientID); got != "none" {
		t.Errorf("a deleted client's: %s", got)
	}
	if err := s.DeleteRiskConfiguration(ctx, userPoolKey, ""); err != nil {
		t.Fatal(err)
	}
	if got := get(""); got != "none" {
		t.Errorf("after delete: %s", got)
	}
	if err := put("", "pool3"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteUserPool(ctx, userPoolKey, nil); err != nil {
		t.Fatal(err)
	}
	mustUserPool(t, s)
	if got := get(""); got != "none" {
		t.Errorf("survived its pool: %s", got)
	}
	other := storage.PoolKey{Scope: userPoolKey.Scope, ID: "us-east-1_absent001"}
	if err := s.PutRiskConfiguration(ctx, &storage.RiskConfiguration{AccountID: other.AccountID, Region: other.Region, PoolID: other.ID, UpdatedAt: at, Data: []byte("x")}); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("put for an unknown pool: %v", err)
	}
}
