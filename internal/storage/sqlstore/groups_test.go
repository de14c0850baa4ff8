package sqlstore

import (
	"strings"
	"testing"

	"github.com/cognate/cognate/internal/storage"
	"github.com/cognate/cognate/internal/storage/storetest"
)

func TestGroupConformance(t *testing.T) {
	storetest.RunGroups(t, func(t *testing.T) storage.Store {
		s, err := Open(Options{Dir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestGroupConformanceInMemory(t *testing.T) {
	storetest.RunGroups(t, func(t *testing.T) storage.Store {
		s, err := Open(Options{InMemory: true})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// TestGroupQueriesUseIndexes keeps the group statements off full-table
// scans; only a user's groups, which are few, may be sorted.
func TestGroupQueriesUseIndexes(t *testing.T) {
	s, err := Open(Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cases := map[string]struct {
		query   string
		maySort bool
	}{
		"get":          {qGetUserGroup, false},
		"list":         {qListUserGroups, false},
		"groupsOfUser": {qGroupsOfUser, true},
		"usersInGroup": {qUsersInGroup, false},
	}
	for name, c := range cases {
		var args []any
		for range strings.Count(c.query, "?") {
			args = append(args, "x")
		}
		plan, err := queryPlan(t, s, c.query, args...)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if strings.Contains(plan, "SCAN") || (!c.maySort && strings.Contains(plan, "TEMP B-TREE")) {
			t.Errorf("%s: plan %q", name, plan)
		}
	}
}
