package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cognate/cognate/internal/storage"
)

// RunUsers runs the storage.UserStore part of the suite; newStore returns
// a fresh, empty store (which must implement UserStore and OutboxStore:
// writes append Deliveries to the outboxes).
func RunUsers(t *testing.T, newStore func(t *testing.T) storage.Store) {
	runAll(t, newStore, []test[storage.Backend]{
		{"CreateGetFind", testUserCreateGetFind},
		{"CreateConflicts", testUserCreateConflicts},
		{"UpdateUser", testUserUpdate},
		{"UpdateErrorKeepsOnlyDeliveries", testUserUpdateError},
		{"DeleteUser", testUserDelete},
		{"ScanAndCount", testUserScan},
		{"PoolDeleteCascades", testUserPoolCascade},
		{"ConcurrentAliasClaims", testUserConcurrentAliases},
		{"AppClients", testAppClients},
	})
}

var userPoolKey = storage.PoolKey{Scope: storage.Scope{AccountID: "123456789012", Region: "us-east-1"}, ID: "us-east-1_users0001"}

func userFixture(key, sub string, aliases ...string) *storage.User {
	now := time.UnixMilli(1764000000123).UTC()
	return &storage.User{
		AccountID: userPoolKey.AccountID, Region: userPoolKey.Region, PoolID: userPoolKey.ID,
		Key: key, Username: key, Sub: sub, CreatedAt: now, UpdatedAt: now, Aliases: aliases,
		Data: []byte(`{"status":"UNCONFIRMED","` + key + `":1}`),
	}
}

func mustUserPool(t *testing.T, s storage.Backend) {
	t.Helper()
	p := pool(userPoolKey.AccountID, userPoolKey.Region, userPoolKey.ID)
	p.LogConfigurations = nil
	mustCreate(t, s, p)
}

func delivery(to string) storage.Deliveries {
	return storage.Deliveries{Messages: []storage.Message{{
		AccountID: userPoolKey.AccountID, Region: userPoolKey.Region, PoolID: userPoolKey.ID, Username: to,
		Medium: "EMAIL", From: "no-reply@verificationemail.com", To: to, Subject: "s", Body: "b", Purpose: "SignUp",
		CreatedAt: time.UnixMilli(1764000000123).UTC(),
	}}}
}

func messagesTo(t *testing.T, s storage.Backend, to string) int {
	t.Helper()
	ms, err := s.ListMessages(ctx, userPoolKey.Scope, storage.MessageQuery{To: to})
	if err != nil {
		t.Fatal(err)
	}
	return len(ms)
}

func testUserCreateGetFind(t *testing.T, s storage.Backend) {
	u := userFixture("alice", "sub-a", "email:alice@example.com", "phone_number:+15550001")
	if err := s.CreateUser(ctx, u, delivery("alice@example.com")); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("CreateUser without pool = %v, want ErrNotFound", err)
	}
	if n := messagesTo(t, s, "alice@example.com"); n != 0 {
		t.Fatalf("a failed create stored %d messages", n)
	}
	mustUserPool(t, s)
	if err := s.CreateUser(ctx, u, delivery("alice@example.com")); err != nil {
		t.Fatal(err)
	}
	if n := messagesTo(t, s, "alice@example.com"); n != 1 {
		t.Fatalf("create stored %d messages, want 1", n)
	}
	got, err := s.GetUser(ctx, u.UserKey())
	if err != nil {
		t.Fatal(err)
	}
	want := *u
	want.Aliases = slices.Sorted(slices.Values(u.Aliases))
	if !reflect.DeepEqual(got, &want) {
		t.Errorf("GetUser = %+v\nwant %+v", got, &want)
	}
	for _, alias := range []string{"email:alice@example.com", "phone_number:+15550001", "sub:sub-a"} {
		f, err := s.FindUser(ctx, userPoolKey, alias)
		if err != nil || f.Key != "alice" {
			t.Errorf("FindUser(%s) = %v, %v", alias, f, err)
		}
	}
	if _, err := s.FindUser(ctx, userPoolKey, "email:bob@example.com"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("FindUser(unknown) = %v", err)
	}
	if _, err := s.GetUser(ctx, storage.UserKey{PoolKey: userPoolKey, Key: "bob"}); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("GetUser(unknown) = %v", err)
	}
	other := userPoolKey
	other.Region = "eu-west-1"
	if _, err := s.GetUser(ctx, storage.UserKey{PoolKey: other, Key: "alice"}); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("GetUser in another region = %v", err)
	}
}

func testUserCreateConflicts(t *testing.T, s storage.Backend) {
	mustUserPool(t, s)
	if err := s.CreateUser(ctx, userFixture("alice", "sub-a", "email:a@example.com"), storage.Deliveries{}); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateUser(ctx, userFixture("alice", "sub-x"), delivery("x")); !errors.Is(err, storage.ErrAlreadyExists) {
		t.Errorf("same key = %v, want ErrAlreadyExists", err)
	}
	if err := s.CreateUser(ctx, userFixture("bob", "sub-a"), delivery("x")); !errors.Is(err, storage.ErrAlreadyExists) {
		t.Errorf("same sub = %v, want ErrAlreadyExists", err)
	}
	err := s.CreateUser(ctx, userFixture("carol", "sub-c", "email:a@example.com"), delivery("x"))
	var taken *storage.AliasTakenError
	if !errors.As(err, &taken) || !errors.Is(err, storage.ErrAliasTaken) || taken.Alias != "email:a@example.com" || taken.Holder != "alice" {
		t.Errorf("alias taken = %v", err)
	}
	if n := messagesTo(t, s, "x"); n != 0 {
		t.Errorf("failed creates stored %d messages", n)
	}
	if _, err := s.GetUser(ctx, storage.UserKey{PoolKey: userPoolKey, Key: "carol"}); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("carol was stored: %v", err)
	}
	// The same alias twice on one user is no conflict.
	if err := s.CreateUser(ctx, userFixture("dave", "sub-d", "email:d@example.com", "email:d@example.com"), storage.Deliveries{}); err != nil {
		t.Errorf("duplicate alias on one user: %v", err)
	}
}

func testUserUpdate(t *testing.T, s storage.Backend) {
	mustUserPool(t, s)
	for _, u := range []*storage.User{userFixture("alice", "sub-a", "email:a@example.com"), userFixture("bob", "sub-b", "email:b@example.com")} {
		if err := s.CreateUser(ctx, u, storage.Deliveries{}); err != nil {
			t.Fatal(err)
		}
	}
	later := time.UnixMilli(1764000999000).UTC()
	got, err := s.UpdateUser(ctx, storage.UserKey{PoolKey: userPoolKey, Key: "alice"}, func(u *storage.User) (*storage.Deliveries, error) {
		u.Username, u.UpdatedAt, u.Data = "Alice", later, []byte(`{"v":2}`)
		u.Aliases = []string{"email:new@example.com"}
		u.Key, u.Sub = "changed", "changed" // not the update's to change
		d := delivery("new@example.com")
		return &d, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.Key != "alice" || got.Sub != "sub-a" || got.Username != "Alice" || string(got.Data) != `{"v":2}` || !got.UpdatedAt.Equal(later) {
		t.Errorf("UpdateUser returned %+v", got)
	}
	read, _ := s.GetUser(ctx, got.UserKey())
	if !reflect.DeepEqual(read, got) {
		t.Errorf("GetUser after update = %+v\nwant %+v", read, got)
	}
	if _, err := s.FindUser(ctx, userPoolKey, "email:a@example.com"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("old alias still found: %v", err)
	}
	if f, err := s.FindUser(ctx, userPoolKey, "email:new@example.com"); err != nil || f.Key != "alice" {
		t.Errorf("new alias: %v, %v", f, err)
	}
	if n := messagesTo(t, s, "new@example.com"); n != 1 {
		t.Errorf("update stored %d messages", n)
	}
	// Taking bob's alias fails and changes nothing.
	_, err = s.UpdateUser(ctx, storage.UserKey{PoolKey: userPoolKey, Key: "alice"}, func(u *storage.User) (*storage.Deliveries, error) {
		u.Data = []byte(`{"v":3}`)
		u.Aliases = append(u.Aliases, "email:b@example.com")
		return nil, nil
	})
	var taken *storage.AliasTakenError
	if !errors.As(err, &taken) || taken.Holder != "bob" {
		t.Errorf("alias conflict = %v", err)
	}
	if read, _ := s.GetUser(ctx, got.UserKey()); string(read.Data) != `{"v":2}` {
		t.Errorf("a failed update changed the user: %s", read.Data)
	}
	if _, err := s.UpdateUser(ctx, storage.UserKey{PoolKey: userPoolKey, Key: "nobody"}, func(*storage.User) (*storage.Deliveries, error) { return nil, nil }); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("update unknown = %v", err)
	}
}

func testUserUpdateError(t *testing.T, s storage.Backend) {
	mustUserPool(t, s)
	if err := s.CreateUser(ctx, userFixture("alice", "sub-a"), storage.Deliveries{}); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("wrong code")
	_, err := s.UpdateUser(ctx, storage.UserKey{PoolKey: userPoolKey, Key: "alice"}, func(u *storage.User) (*storage.Deliveries, error) {
		u.Data = []byte(`{"changed":true}`)
		d := delivery("logged@example.com")
		return &d, boom
	})
	if err != boom {
		t.Fatalf("UpdateUser = %v, want the update's error unchanged", err)
	}
	if u, _ := s.GetUser(ctx, storage.UserKey{PoolKey: userPoolKey, Key: "alice"}); string(u.Data) == `{"changed":true}` {
		t.Error("the failed update's change was stored")
	}
	if n := messagesTo(t, s, "logged@example.com"); n != 1 {
		t.Errorf("the failed update's deliveries: %d stored, want 1", n)
	}
}

func testUserDelete(t *testing.T, s storage.Backend) {
	mustUserPool(t, s)
	if err := s.CreateUser(ctx, userFixture("alice", "sub-a", "email:a@example.com"), storage.Deliveries{}); err != nil {
		t.Fatal(err)
	}
	key := storage.UserKey{PoolKey: userPoolKey, Key: "alice"}
	if err := s.DeleteUser(ctx, key, delivery("gone")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetUser(ctx, key); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("GetUser after delete = %v", err)
	}
	if err := s.DeleteUser(ctx, key, storage.Deliveries{}); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("second delete = %v", err)
	}
	// The alias and the sub are free again.
	if err := s.CreateUser(ctx, userFixture("bob", "sub-a", "email:a@example.com"), storage.Deliveries{}); err != nil {
		t.Errorf("reuse after delete: %v", err)
	}
	if n := messagesTo(t, s, "gone"); n != 1 {
		t.Errorf("delete stored %d messages", n)
	}
}

func testUserScan(t *testing.T, s storage.Backend) {
	if err := s.ScanUsers(ctx, userPoolKey, "", func(*storage.User) bool { return true }); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("ScanUsers without pool = %v", err)
	}
	if _, err := s.CountUsers(ctx, userPoolKey); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("CountUsers without pool = %v", err)
	}
	mustUserPool(t, s)
	const n = 450 // more than one internal page
	var want []string
	for i := range n {
		key := fmt.Sprintf("user%04d", i)
		want = append(want, key)
		if err := s.CreateUser(ctx, userFixture(key, "sub-"+key), storage.Deliveries{}); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	if err := s.ScanUsers(ctx, userPoolKey, "", func(u *storage.User) bool { got = append(got, u.Key); return true }); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("ScanUsers returned %d users, want %d in key order", len(got), len(want))
	}
	got = nil
	_ = s.ScanUsers(ctx, userPoolKey, "user0100", func(u *storage.User) bool { got = append(got, u.Key); return len(got) < 3 })
	if !slices.Equal(got, []string{"user0101", "user0102", "user0103"}) {
		t.Errorf("ScanUsers after user0100, stop at 3 = %v", got)
	}
	if c, err := s.CountUsers(ctx, userPoolKey); err != nil || c != n {
		t.Errorf("CountUsers = %d, %v", c, err)
	}
}

func testUserPoolCascade(t *testing.T, s storage.Backend) {
	mustUserPool(t, s)
	if err := s.CreateUser(ctx, userFixture("alice", "sub-a", "email:a@example.com"), storage.Deliveries{}); err != nil {
		t.Fatal(err)
	}
	c := &storage.AppClient{AccountID: userPoolKey.AccountID, Region: userPoolKey.Region, PoolID: userPoolKey.ID, ClientID: "client1", Name: "c", Data: []byte("{}")}
	if err := s.CreateAppClient(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteUserPool(ctx, userPoolKey, nil); err != nil {
		t.Fatal(err)
	}
	mustUserPool(t, s) // the same ID again: nothing of the old pool remains
	if _, err := s.GetUser(ctx, storage.UserKey{PoolKey: userPoolKey, Key: "alice"}); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("user survived its pool: %v", err)
	}
	if _, err := s.FindUser(ctx, userPoolKey, "email:a@example.com"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("alias survived its pool: %v", err)
	}
	if _, err := s.FindAppClient(ctx, userPoolKey.Scope, "client1"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("client survived its pool: %v", err)
	}
	if n, _ := s.CountUsers(ctx, userPoolKey); n != 0 {
		t.Errorf("CountUsers = %d", n)
	}
}

// testUserConcurrentAliases: many users claim one alias at once; exactly
// one wins, the others get *AliasTakenError naming the winner.
func testUserConcurrentAliases(t *testing.T, s storage.Backend) {
	mustUserPool(t, s)
	const n = 16
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		winner []string
		errs   []error
	)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := fmt.Sprintf("u%02d", i)
			err := s.CreateUser(ctx, userFixture(key, "sub-"+key, "email:shared@example.com"), storage.Deliveries{})
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				winner = append(winner, key)
			} else {
				errs = append(errs, err)
			}
		}()
	}
	wg.Wait()
	if len(winner) != 1 {
		t.Fatalf("%d users got the alias: %v", len(winner), winner)
	}
	for _, err := range errs {
		var taken *storage.AliasTakenError
		if !errors.As(err, &taken) || taken.Holder != winner[0] {
			t.Errorf("loser got %v", err)
		}
	}
}

func testAppClients(t *testing.T, s storage.Backend) {
	now := time.UnixMilli(1764000000123).UTC()
	client := func(id string) *storage.AppClient {
		return &storage.AppClient{AccountID: userPoolKey.AccountID, Region: userPoolKey.Region, PoolID: userPoolKey.ID, ClientID: id, Name: "name " + id, CreatedAt: now, UpdatedAt: now, Data: []byte(`{"id":"` + id + `"}`)}
	}
	if err := s.CreateAppClient(ctx, client("c0")); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("client without pool = %v", err)
	}
	mustUserPool(t, s)
	other := pool(userPoolKey.AccountID, userPoolKey.Region, "us-east-1_other0001")
	mustCreate(t, s, other)
	for i := range 5 {
		if err := s.CreateAppClient(ctx, client(fmt.Sprintf("c%d", i))); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CreateAppClient(ctx, client("c1")); !errors.Is(err, storage.ErrAlreadyExists) {
		t.Errorf("duplicate client = %v", err)
	}
	dup := client("c1")
	dup.PoolID = other.ID
	if err := s.CreateAppClient(ctx, dup); !errors.Is(err, storage.ErrAlreadyExists) {
		t.Errorf("client ID reused in another pool of the scope = %v", err)
	}
	key := storage.AppClientKey{PoolKey: userPoolKey, ClientID: "c1"}
	got, err := s.GetAppClient(ctx, key)
	if err != nil || !reflect.DeepEqual(got, client("c1")) {
		t.Errorf("GetAppClient = %+v, %v", got, err)
	}
	if _, err := s.GetAppClient(ctx, storage.AppClientKey{PoolKey: other.Key(), ClientID: "c1"}); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("client found through another pool: %v", err)
	}
	if f, err := s.FindAppClient(ctx, userPoolKey.Scope, "c1"); err != nil || f.PoolID != userPoolKey.ID {
		t.Errorf("FindAppClient = %+v, %v", f, err)
	}
	anyRegion := storage.Scope{AccountID: userPoolKey.AccountID}
	if f, err := s.FindAppClient(ctx, anyRegion, "c2"); err != nil || f.Region != userPoolKey.Region {
		t.Errorf("FindAppClient in any region = %+v, %v", f, err)
	}
	if _, err := s.FindAppClient(ctx, storage.Scope{AccountID: userPoolKey.AccountID, Region: "eu-west-1"}, "c2"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("FindAppClient in another region = %v", err)
	}
	later := now.Add(time.Hour)
	upd, err := s.UpdateAppClient(ctx, key, func(c *storage.AppClient) error {
		c.Name, c.UpdatedAt, c.Data = "renamed", later, []byte(`{"v":2}`)
		c.ClientID = "hijack"
		return nil
	})
	if err != nil || upd.Name != "renamed" || upd.ClientID != "c1" || !upd.UpdatedAt.Equal(later) {
		t.Errorf("UpdateAppClient = %+v, %v", upd, err)
	}
	if got, _ := s.GetAppClient(ctx, key); !reflect.DeepEqual(got, upd) {
		t.Errorf("after update: %+v", got)
	}
	boom := errors.New("no")
	if _, err := s.UpdateAppClient(ctx, key, func(c *storage.AppClient) error { c.Name = "x"; return boom }); err != boom {
		t.Errorf("update error = %v", err)
	}
	var ids []string
	cursor := ""
	for {
		page, next, err := s.ListAppClients(ctx, userPoolKey, storage.Page{Cursor: cursor, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page {
			ids = append(ids, c.ClientID)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if !slices.Equal(ids, []string{"c0", "c1", "c2", "c3", "c4"}) {
		t.Errorf("ListAppClients = %v", ids)
	}
	if _, _, err := s.ListAppClients(ctx, userPoolKey, storage.Page{Cursor: "garbage!"}); !errors.Is(err, storage.ErrInvalidCursor) {
		t.Errorf("bad cursor = %v", err)
	}
	if err := s.DeleteAppClient(ctx, key); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteAppClient(ctx, key); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("second delete = %v", err)
	}
}
