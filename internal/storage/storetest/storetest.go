// Package storetest is the conformance suite of storage.Backend: Run
// checks Store and LogStore, RunOutbox OutboxStore, RunUsers UserStore and
// RunTokens TokenStore, RunGroups GroupStore. Every backend runs each from a test file of a few
// lines (see sqlstore's). It asserts the contract written on the
// interfaces, not any backend's internals.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/cognate/cognate/internal/storage"
)

// Run runs the suite; newStore returns a fresh, empty store for each test.
func Run(t *testing.T, newStore func(t *testing.T) storage.Store) {
	runAll(t, newStore, []test[storage.Store]{
		{"CreateGet", testCreateGet},
		{"CreateDuplicate", testCreateDuplicate},
		{"Scoping", testScoping},
		{"Update", testUpdate},
		{"UpdateIsAtomic", testUpdateIsAtomic},
		{"ReadsSeeCommittedWrites", testReadsSeeCommittedWrites},
		{"Delete", testDelete},
		{"List", testList},
	})
	t.Run("Logs", func(t *testing.T) { runLogs(t, newStore) })
}

// test is one test of the suite, on a store seen as an S: the part of
// storage.Backend the test checks.
type test[S any] struct {
	name string
	run  func(*testing.T, S)
}

// runAll runs each test on a fresh store from newStore, closed when the
// test ends; a store that is not an S fails the test.
func runAll[S any](t *testing.T, newStore func(t *testing.T) storage.Store, tests []test[S]) {
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			as, ok := s.(S)
			if !ok {
				t.Fatalf("%T does not implement %v", s, reflect.TypeFor[S]())
			}
			tc.run(t, as)
		})
	}
}

var ctx = context.Background()

func pool(account, region, id string) *storage.UserPool {
	now := time.UnixMilli(1726694203495).UTC()
	return &storage.UserPool{
		AccountID: account, Region: region, ID: id, Name: "pool " + id,
		CreatedAt: now, UpdatedAt: now,
		Config: []byte(`{"tier":"PLUS"}`),
		Tags:   map[string]string{"team": "a", "empty": ""},
		LogConfigurations: []storage.LogConfiguration{
			{EventSource: "userNotification", LogLevel: "ERROR", DestinationType: storage.DestinationCloudWatchLogs, DestinationARN: "arn:aws:logs:us-west-2:123456789012:log-group:g"},
			{EventSource: "userAuthEvents", LogLevel: "INFO", DestinationType: storage.DestinationS3, DestinationARN: "arn:aws:s3:::b"},
		},
	}
}

func mustCreate(t *testing.T, s storage.Store, p *storage.UserPool) {
	t.Helper()
	if err := s.CreateUserPool(ctx, p); err != nil {
		t.Fatalf("CreateUserPool(%s): %v", p.ID, err)
	}
}

func testCreateGet(t *testing.T, s storage.Store) {
	want := pool("123456789012", "us-west-2", "us-west-2_aaaaaaaaa")
	mustCreate(t, s, want)
	got, err := s.GetUserPool(ctx, want.Key())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("GetUserPool =\n%+v\nwant\n%+v", got, want)
	}
}

func testCreateDuplicate(t *testing.T, s storage.Store) {
	p := pool("123456789012", "us-west-2", "us-west-2_aaaaaaaaa")
	mustCreate(t, s, p)
	other := pool("123456789012", "us-west-2", "us-west-2_aaaaaaaaa")
	other.Name = "other"
	if err := s.CreateUserPool(ctx, other); !errors.Is(err, storage.ErrAlreadyExists) {
		t.Fatalf("second CreateUserPool = %v, want ErrAlreadyExists", err)
	}
	got, err := s.GetUserPool(ctx, p.Key())
	if err != nil || got.Name != p.Name {
		t.Errorf("the failed create changed the pool: %+v, %v", got, err)
	}
}

func testScoping(t *testing.T, s storage.Store) {
	p := pool("123456789012", "us-west-2", "us-west-2_aaaaaaaaa")
	mustCreate(t, s, p)
	for _, key := range []storage.PoolKey{
		{Scope: storage.Scope{AccountID: "999999999999", Region: "us-west-2"}, ID: p.ID},
		{Scope: storage.Scope{AccountID: "123456789012", Region: "eu-west-1"}, ID: p.ID},
		{Scope: p.Key().Scope, ID: "us-west-2_bbbbbbbbb"},
	} {
		if _, err := s.GetUserPool(ctx, key); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("GetUserPool(%+v) = %v, want ErrNotFound", key, err)
		}
		if _, err := s.UpdateUserPool(ctx, key, func(*storage.UserPool) error { return nil }); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("UpdateUserPool(%+v) = %v, want ErrNotFound", key, err)
		}
		if err := s.DeleteUserPool(ctx, key, nil); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("DeleteUserPool(%+v) = %v, want ErrNotFound", key, err)
		}
	}
	// The same ID may exist in another account.
	twin := pool("999999999999", "us-west-2", p.ID)
	twin.Name = "twin"
	mustCreate(t, s, twin)
	got, err := s.GetUserPool(ctx, p.Key())
	if err != nil || got.Name != p.Name {
		t.Errorf("pool of the first account = %+v, %v", got, err)
	}
}

func testUpdate(t *testing.T, s storage.Store) {
	p := pool("123456789012", "us-west-2", "us-west-2_aaaaaaaaa")
	mustCreate(t, s, p)
	later := p.UpdatedAt.Add(time.Hour)
	stored, err := s.UpdateUserPool(ctx, p.Key(), func(u *storage.UserPool) error {
		u.Name = "renamed"
		u.UpdatedAt = later
		u.Config = []byte(`{"tier":"ESSENTIALS"}`)
		u.Tags = map[string]string{"x": "y"}
		u.LogConfigurations = u.LogConfigurations[1:]
		u.ID = "us-west-2_hijacked" // MUST NOT change the key
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.GetUserPool(ctx, p.Key())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, stored) {
		t.Errorf("UpdateUserPool returned\n%+v\nbut stored\n%+v", stored, got)
	}
	if got.Name != "renamed" || !got.UpdatedAt.Equal(later) || string(got.Config) != `{"tier":"ESSENTIALS"}` ||
		!reflect.DeepEqual(got.Tags, map[string]string{"x": "y"}) || len(got.LogConfigurations) != 1 ||
		got.LogConfigurations[0].EventSource != "userAuthEvents" || !got.CreatedAt.Equal(p.CreatedAt) {
		t.Errorf("after update: %+v", got)
	}
	// Clearing the log configuration.
	if _, err := s.UpdateUserPool(ctx, p.Key(), func(u *storage.UserPool) error { u.LogConfigurations = nil; return nil }); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.GetUserPool(ctx, p.Key()); len(got.LogConfigurations) != 0 {
		t.Errorf("log configurations not cleared: %+v", got.LogConfigurations)
	}
	// A failing update stores nothing and returns its error unchanged.
	sentinel := errors.New("refused")
	_, err = s.UpdateUserPool(ctx, p.Key(), func(u *storage.UserPool) error {
		u.Name = "must not be stored"
		return sentinel
	})
	if err != sentinel {
		t.Errorf("UpdateUserPool error = %v, want the update's own error", err)
	}
	if got, _ := s.GetUserPool(ctx, p.Key()); got.Name != "renamed" {
		t.Errorf("a failed update was stored: %q", got.Name)
	}
}

// testUpdateIsAtomic runs concurrent read-modify-write updates; none may be
// lost, as it would be if another update came in between.
func testUpdateIsAtomic(t *testing.T, s storage.Store) {
	p := pool("123456789012", "us-west-2", "us-west-2_aaaaaaaaa")
	p.Config = []byte("0")
	mustCreate(t, s, p)
	const n = 50
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.UpdateUserPool(ctx, p.Key(), func(u *storage.UserPool) error {
				v, err := strconv.Atoi(string(u.Config))
				if err != nil {
					return err
				}
				u.Config = []byte(strconv.Itoa(v + 1))
				return nil
			})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.GetUserPool(ctx, p.Key())
	if err != nil || string(got.Config) != strconv.Itoa(n) {
		t.Errorf("counter = %s, %v; want %d", got.Config, err, n)
	}
}

func testDelete(t *testing.T, s storage.Store) {
	p := pool("123456789012", "us-west-2", "us-west-2_aaaaaaaaa")
	mustCreate(t, s, p)
	sentinel := errors.New("protected")
	if err := s.DeleteUserPool(ctx, p.Key(), func(*storage.UserPool) error { return sentinel }); err != sentinel {
		t.Errorf("DeleteUserPool with a refusing check = %v", err)
	}
	if _, err := s.GetUserPool(ctx, p.Key()); err != nil {
		t.Fatalf("a refused delete removed the pool: %v", err)
	}
	if err := s.DeleteUserPool(ctx, p.Key(), func(got *storage.UserPool) error {
		if got.ID != p.ID || len(got.LogConfigurations) != 2 {
			return fmt.Errorf("check saw %+v", got)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetUserPool(ctx, p.Key()); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("GetUserPool after delete = %v", err)
	}
	if err := s.DeleteUserPool(ctx, p.Key(), nil); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("second delete = %v", err)
	}
	// What the pool owned went with it.
	again := pool("123456789012", "us-west-2", p.ID)
	again.LogConfigurations = nil
	mustCreate(t, s, again)
	if got, _ := s.GetUserPool(ctx, p.Key()); len(got.LogConfigurations) != 0 {
		t.Errorf("log configurations outlived their pool: %+v", got.LogConfigurations)
	}
}

func testList(t *testing.T, s storage.Store) {
	scope := storage.Scope{AccountID: "123456789012", Region: "us-west-2"}
	var ids []string
	for i := 0; i < 7; i++ {
		id := fmt.Sprintf("us-west-2_%09d", 7-i) // IDs not in creation order
		ids = append(ids, id)
		mustCreate(t, s, pool(scope.AccountID, scope.Region, id))
	}
	mustCreate(t, s, pool("123456789012", "eu-west-1", "eu-west-1_x"))
	mustCreate(t, s, pool("999999999999", "us-west-2", "us-west-2_y"))
	if err := s.DeleteUserPool(ctx, storage.PoolKey{Scope: scope, ID: ids[2]}, nil); err != nil {
		t.Fatal(err)
	}
	want := append(append([]string(nil), ids[:2]...), ids[3:]...)

	var got []string
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("pagination does not end")
		}
		page, next, err := s.ListUserPools(ctx, scope, storage.Page{Cursor: cursor, Limit: 4})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) > 4 {
			t.Fatalf("page of %d > limit 4", len(page))
		}
		for _, p := range page {
			got = append(got, p.ID)
			if len(p.LogConfigurations) != 2 || p.Tags["team"] != "a" {
				t.Errorf("listed pool lacks its data: %+v", p)
			}
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("listed %v, want %v (creation order, scope only)", got, want)
	}
	all, next, err := s.ListUserPools(ctx, scope, storage.Page{Limit: 6})
	if err != nil || len(all) != 6 || next != "" {
		t.Errorf("a page that holds everything: %d pools, next %q, %v", len(all), next, err)
	}
	for _, bad := range []string{"garbage", "!!", "cDE6LTU"} {
		if _, _, err := s.ListUserPools(ctx, scope, storage.Page{Cursor: bad, Limit: 4}); !errors.Is(err, storage.ErrInvalidCursor) {
			t.Errorf("cursor %q: %v, want ErrInvalidCursor", bad, err)
		}
	}
	empty, next, err := s.ListUserPools(ctx, storage.Scope{AccountID: "000000000000", Region: "us-west-2"}, storage.Page{Limit: 4})
	if err != nil || len(empty) != 0 || next != "" {
		t.Errorf("empty scope: %v %q %v", empty, next, err)
	}
}

// testReadsSeeCommittedWrites: once a write has returned, every read sees
// it, even while other readers race to read (and a backend may cache) the
// same pool.
func testReadsSeeCommittedWrites(t *testing.T, s storage.Store) {
	p := pool("123456789012", "us-west-2", "us-west-2_aaaaaaaaa")
	p.Config = []byte("0")
	mustCreate(t, s, p)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for r := 0; r < 4; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := s.GetUserPool(ctx, p.Key()); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	for i := 1; i <= 100; i++ {
		want := strconv.Itoa(i)
		if _, err := s.UpdateUserPool(ctx, p.Key(), func(u *storage.UserPool) error { u.Config = []byte(want); return nil }); err != nil {
			t.Fatal(err)
		}
		got, err := s.GetUserPool(ctx, p.Key())
		if err != nil {
			t.Fatal(err)
		}
		if string(got.Config) != want {
			t.Fatalf("read after write %d saw %s", i, got.Config)
		}
		// What a reader gets is its own copy.
		got.Config[0] = 'x'
		got.Tags["mutated"] = "yes"
	}
	close(stop)
	wg.Wait()
	if err := s.DeleteUserPool(ctx, p.Key(), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetUserPool(ctx, p.Key()); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("read after delete = %v", err)
	}
}
