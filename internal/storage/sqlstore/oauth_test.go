package sqlstore

import (
	"strings"
	"testing"

	"github.com/cognate/cognate/internal/storage"
	"github.com/cognate/cognate/internal/storage/storetest"
)

func TestOAuthConformance(t *testing.T) {
	storetest.RunOAuth(t, func(t *testing.T) storage.Store {
		s, err := Open(Options{Dir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestOAuthConformanceInMemory(t *testing.T) {
	storetest.RunOAuth(t, func(t *testing.T) storage.Store {
		s, err := Open(Options{InMemory: true})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// TestOAuthQueriesUseIndexes keeps the domain look-ups, which every OAuth
// request makes, and the resource-server listing off full-table scans.
func TestOAuthQueriesUseIndexes(t *testing.T) {
	s, err := Open(Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for name, q := range map[string]struct {
		query string
		args  []any
	}{
		"FindDomain":          {qFindDomain, []any{"us-east-1", "x"}},
		"FindDomainAnyRegion": {qFindDomainAnyRegion, []any{"x"}},
		"ListResourceServers": {qListResourceServers, []any{1, "", 10}},
		"PoolDomains":         {qPoolDomains, []any{"123456789012", "us-east-1", "us-east-1_x"}},
	} {
		rows, err := s.read.Query("EXPLAIN QUERY PLAN "+q.query, q.args...)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		for _, step := range plan {
			if strings.HasPrefix(step, "SCAN d") || strings.HasPrefix(step, "SCAN user_pool_domains") || strings.HasPrefix(step, "SCAN resource_servers") || strings.Contains(step, "TEMP B-TREE") {
				t.Errorf("%s: plan %q", name, plan)
			}
		}
	}
}
