package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/cognate/cognate/internal/storage"
)

// RunGroups runs the storage.GroupStore part of the suite; newStore
// returns a fresh, empty store (a storage.Backend: members are users).
func RunGroups(t *testing.T, newStore func(t *testing.T) storage.Store) {
	runAll(t, newStore, []test[storage.Backend]{
		{"CreateGetUpdateDelete", testGroupLifecycle},
		{"ListPages", testGroupListPages},
		{"Members", testGroupMembers},
		{"MembersPages", testGroupMembersPages},
		{"MembershipsGoWithUserGroupAndPool", testGroupCascade},
	})
}

func userGroupKey(name string) storage.GroupKey {
	return storage.GroupKey{PoolKey: userPoolKey, Name: name}
}

func userGroupFixture(name string, precedence *int32) *storage.Group {
	now := time.UnixMilli(1764000000456).UTC()
	return &storage.Group{AccountID: userPoolKey.AccountID, Region: userPoolKey.Region, PoolID: userPoolKey.ID,
		Name: name, Description: "about " + name, RoleARN: "arn:aws:iam::123456789012:role/" + name,
		Precedence: precedence, CreatedAt: now, UpdatedAt: now}
}

func mustUserGroup(t *testing.T, s storage.Backend, name string) {
	t.Helper()
	if err := s.CreateGroup(ctx, userGroupFixture(name, nil)); err != nil {
		t.Fatalf("CreateGroup %s: %v", name, err)
	}
}

func mustGroupMember(t *testing.T, s storage.Backend, key string) {
	t.Helper()
	if err := s.CreateUser(ctx, userFixture(key, "sub-"+key), storage.Deliveries{}); err != nil {
		t.Fatalf("CreateUser %s: %v", key, err)
	}
}

func testGroupLifecycle(t *testing.T, s storage.Backend) {
	if err := s.CreateGroup(ctx, userGroupFixture("admins", nil)); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("CreateGroup without pool: %v", err)
	}
	mustUserPool(t, s)
	seven := int32(7)
	want := userGroupFixture("admins", &seven)
	if err := s.CreateGroup(ctx, want); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateGroup(ctx, userGroupFixture("admins", nil)); !errors.Is(err, storage.ErrAlreadyExists) {
		t.Fatalf("duplicate: %v", err)
	}
	// Names are case-sensitive: Admins is another group.
	if err := s.CreateGroup(ctx, userGroupFixture("Admins", nil)); err != nil {
		t.Fatalf("Admins: %v", err)
	}
	got, err := s.GetGroup(ctx, userGroupKey("admins"))
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("GetGroup = %+v, %v; want %+v", got, err, want)
	}
	if g, err := s.GetGroup(ctx, userGroupKey("Admins")); err != nil || g.Precedence != nil {
		t.Fatalf("GetGroup Admins = %+v, %v", g, err)
	}
	if _, err := s.GetGroup(ctx, userGroupKey("nobody")); !errors.Is(err, storage.ErrGroupNotFound) {
		t.Fatalf("GetGroup unknown: %v", err)
	}
	other := userGroupKey("admins")
	other.Region = "eu-west-1"
	if _, err := s.GetGroup(ctx, other); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("GetGroup other region: %v", err)
	}

	later := want.UpdatedAt.Add(time.Minute)
	updated, err := s.UpdateGroup(ctx, userGroupKey("admins"), func(g *storage.Group) error {
		g.Description, g.RoleARN, g.Precedence, g.UpdatedAt = "", "arn:aws:iam::123456789012:role/x", nil, later
		return nil
	})
	if err != nil || updated.Description != "" || updated.Precedence != nil || !updated.UpdatedAt.Equal(later) {
		t.Fatalf("UpdateGroup = %+v, %v", updated, err)
	}
	if got, _ := s.GetGroup(ctx, userGroupKey("admins")); !reflect.DeepEqual(got, updated) || !got.CreatedAt.Equal(want.CreatedAt) {
		t.Fatalf("after update %+v, want %+v", got, updated)
	}
	refused := errors.New("refused")
	if _, err := s.UpdateGroup(ctx, userGroupKey("admins"), func(g *storage.Group) error {
		g.Description = "not stored"
		return refused
	}); !errors.Is(err, refused) {
		t.Fatalf("UpdateGroup error: %v", err)
	}
	if got, _ := s.GetGroup(ctx, userGroupKey("admins")); got.Description != "" {
		t.Fatalf("failed update stored %q", got.Description)
	}
	if _, err := s.UpdateGroup(ctx, userGroupKey("nobody"), func(*storage.Group) error { return nil }); !errors.Is(err, storage.ErrGroupNotFound) {
		t.Fatalf("UpdateGroup unknown: %v", err)
	}

	if err := s.DeleteGroup(ctx, userGroupKey("admins")); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteGroup(ctx, userGroupKey("admins")); !errors.Is(err, storage.ErrGroupNotFound) {
		t.Fatalf("DeleteGroup twice: %v", err)
	}
	if _, err := s.GetGroup(ctx, userGroupKey("admins")); !errors.Is(err, storage.ErrGroupNotFound) {
		t.Fatalf("GetGroup deleted: %v", err)
	}
}

func userGroupNames(gs []*storage.Group) []string {
	var out []string
	for _, g := range gs {
		out = append(out, g.Name)
	}
	return out
}

func testGroupListPages(t *testing.T, s storage.Backend) {
	if _, _, err := s.ListGroups(ctx, userPoolKey, storage.Page{}); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("ListGroups without pool: %v", err)
	}
	mustUserPool(t, s)
	var want []string
	for i := range 7 {
		name := fmt.Sprintf("g%02d", 6-i)
		mustUserGroup(t, s, name)
		want = append(want, name)
	}
	slices.Sort(want)
	var (
		got    []string
		cursor string
	)
	for pages := 0; ; pages++ {
		gs, next, err := s.ListGroups(ctx, userPoolKey, storage.Page{Cursor: cursor, Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		if len(gs) > 3 || pages > 3 {
			t.Fatalf("page of %d, %d pages", len(gs), pages)
		}
		got = append(got, userGroupNames(gs)...)
		if next == "" {
			break
		}
		cursor = next
	}
	if !slices.Equal(got, want) {
		t.Fatalf("listed %v, want %v", got, want)
	}
	if gs, next, err := s.ListGroups(ctx, userPoolKey, storage.Page{}); err != nil || len(gs) != 7 || next != "" {
		t.Fatalf("default page: %d groups, next %q, %v", len(gs), next, err)
	}
	if _, _, err := s.ListGroups(ctx, userPoolKey, storage.Page{Cursor: "not a cursor!"}); !errors.Is(err, storage.ErrInvalidCursor) {
		t.Fatalf("bad cursor: %v", err)
	}
}

func testGroupMembers(t *testing.T, s storage.Backend) {
	mustUserPool(t, s)
	mustUserGroup(t, s, "b")
	mustUserGroup(t, s, "a")
	mustGroupMember(t, s, "alice")
	mustGroupMember(t, s, "bob")
	for range 2 { // adding twice changes nothing
		for _, g := range []string{"b", "a"} {
			if err := s.AddUserToGroup(ctx, userGroupKey(g), "alice"); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := s.AddUserToGroup(ctx, userGroupKey("a"), "bob"); err != nil {
		t.Fatal(err)
	}
	if err := s.AddUserToGroup(ctx, userGroupKey("nobody"), "alice"); !errors.Is(err, storage.ErrGroupNotFound) {
		t.Fatalf("add to unknown group: %v", err)
	}
	if err := s.AddUserToGroup(ctx, userGroupKey("a"), "nobody"); !errors.Is(err, storage.ErrNotFound) || errors.Is(err, storage.ErrGroupNotFound) {
		t.Fatalf("add unknown user: %v", err)
	}
	alice := storage.UserKey{PoolKey: userPoolKey, Key: "alice"}
	gs, next, err := s.ListGroupsOfUser(ctx, alice, storage.Page{})
	if err != nil || next != "" || !slices.Equal(userGroupNames(gs), []string{"a", "b"}) {
		t.Fatalf("groups of alice = %v, %q, %v", userGroupNames(gs), next, err)
	}
	if gs[0].RoleARN != "arn:aws:iam::123456789012:role/a" || gs[0].PoolID != userPoolKey.ID {
		t.Fatalf("group %+v", gs[0])
	}
	users, _, err := s.ListUsersInGroup(ctx, userGroupKey("a"), storage.Page{})
	if err != nil || len(users) != 2 || users[0].Key != "alice" || users[1].Key != "bob" || users[0].Sub != "sub-alice" {
		t.Fatalf("users in a = %v, %v", users, err)
	}
	if _, _, err := s.ListUsersInGroup(ctx, userGroupKey("nobody"), storage.Page{}); !errors.Is(err, storage.ErrGroupNotFound) {
		t.Fatalf("users of unknown group: %v", err)
	}
	if _, _, err := s.ListGroupsOfUser(ctx, storage.UserKey{PoolKey: userPoolKey, Key: "nobody"}, storage.Page{}); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("groups of unknown user: %v", err)
	}

	for range 2 { // removing a non-member is no error
		if err := s.RemoveUserFromGroup(ctx, userGroupKey("b"), "alice"); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.RemoveUserFromGroup(ctx, userGroupKey("nobody"), "alice"); !errors.Is(err, storage.ErrGroupNotFound) {
		t.Fatalf("remove from unknown group: %v", err)
	}
	if err := s.RemoveUserFromGroup(ctx, userGroupKey("b"), "nobody"); !errors.Is(err, storage.ErrNotFound) || errors.Is(err, storage.ErrGroupNotFound) {
		t.Fatalf("remove unknown user: %v", err)
	}
	if gs, _, _ := s.ListGroupsOfUser(ctx, alice, storage.Page{}); !slices.Equal(userGroupNames(gs), []string{"a"}) {
		t.Fatalf("groups of alice after remove = %v", userGroupNames(gs))
	}
	if users, _, _ := s.ListUsersInGroup(ctx, userGroupKey("b"), storage.Page{}); len(users) != 0 {
		t.Fatalf("users in b = %v", users)
	}
}

func testGroupMembersPages(t *testing.T, s storage.Backend) {
	mustUserPool(t, s)
	var want []string
	for i := range 5 {
		g := fmt.Sprintf("g%d", i)
		mustUserGroup(t, s, g)
		u := fmt.Sprintf("u%d", 4-i)
		mustGroupMember(t, s, u)
		want = append(want, u)
	}
	for _, u := range want {
		for i := range 5 {
			if err := s.AddUserToGroup(ctx, userGroupKey(fmt.Sprintf("g%d", i)), u); err != nil {
				t.Fatal(err)
			}
		}
	}
	var (
		users  []string
		cursor string
	)
	for {
		page, next, err := s.ListUsersInGroup(ctx, userGroupKey("g0"), storage.Page{Cursor: cursor, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range page {
			users = append(users, u.Key)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if !slices.Equal(users, want) { // creation order
		t.Fatalf("members %v, want %v", users, want)
	}
	var groups []string
	cursor = ""
	for {
		page, next, err := s.ListGroupsOfUser(ctx, storage.UserKey{PoolKey: userPoolKey, Key: "u0"}, storage.Page{Cursor: cursor, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		groups = append(groups, userGroupNames(page)...)
		if next == "" {
			break
		}
		cursor = next
	}
	if !slices.Equal(groups, []string{"g0", "g1", "g2", "g3", "g4"}) {
		t.Fatalf("groups of u0 %v", groups)
	}
	if _, _, err := s.ListUsersInGroup(ctx, userGroupKey("g0"), storage.Page{Cursor: "x"}); !errors.Is(err, storage.ErrInvalidCursor) {
		t.Fatalf("bad cursor: %v", err)
	}
}

func testGroupCascade(t *testing.T, s storage.Backend) {
	mustUserPool(t, s)
	mustUserGroup(t, s, "a")
	mustUserGroup(t, s, "b")
	mustGroupMember(t, s, "alice")
	mustGroupMember(t, s, "bob")
	for _, g := range []string{"a", "b"} {
		for _, u := range []string{"alice", "bob"} {
			if err := s.AddUserToGroup(ctx, userGroupKey(g), u); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := s.DeleteUser(ctx, storage.UserKey{PoolKey: userPoolKey, Key: "alice"}, storage.Deliveries{}); err != nil {
		t.Fatal(err)
	}
	// A new alice is in no group.
	mustGroupMember(t, s, "alice")
	if gs, _, err := s.ListGroupsOfUser(ctx, storage.UserKey{PoolKey: userPoolKey, Key: "alice"}, storage.Page{}); err != nil || len(gs) != 0 {
		t.Fatalf("groups of new alice = %v, %v", userGroupNames(gs), err)
	}
	if users, _, _ := s.ListUsersInGroup(ctx, userGroupKey("a"), storage.Page{}); len(users) != 1 || users[0].Key != "bob" {
		t.Fatalf("users in a = %v", users)
	}
	if err := s.DeleteGroup(ctx, userGroupKey("a")); err != nil {
		t.Fatal(err)
	}
	mustUserGroup(t, s, "a")
	if users, _, _ := s.ListUsersInGroup(ctx, userGroupKey("a"), storage.Page{}); len(users) != 0 {
		t.Fatalf("users in new a = %v", users)
	}
	if gs, _, _ := s.ListGroupsOfUser(ctx, storage.UserKey{PoolKey: userPoolKey, Key: "bob"}, storage.Page{}); !slices.Equal(userGroupNames(gs), []string{"b"}) {
		t.Fatalf("groups of bob = %v", userGroupNames(gs))
	}
	if err := s.DeleteUserPool(ctx, userPoolKey, nil); err != nil {
		t.Fatal(err)
	}
	mustUserPool(t, s)
	if _, err := s.GetGroup(ctx, userGroupKey("b")); !errors.Is(err, storage.ErrGroupNotFound) {
		t.Fatalf("group of a deleted pool: %v", err)
	}
}
