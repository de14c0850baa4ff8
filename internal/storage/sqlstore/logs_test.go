package sqlstore

import (
	"strings"
	"testing"
)

// TestLogQueriesUseIndexes keeps the event reads and the listings on their
// indexes: each must SEARCH a key range, never SCAN a table or sort in a
// temporary B-tree (which would make every page cost the whole table).
func TestLogQueriesUseIndexes(t *testing.T) {
	s, err := Open(Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cases := map[string]string{
		"readStream": qReadStream, "readStreamDesc": qReadStreamDesc, "scanGroup": qScanGroup,
		"listStreamsByName": qListStreamsByName, "listStreamsByNameDesc": qListStreamsByNameDesc,
		"listStreamsByTime": qListStreamsByTime, "listStreamsByTimeDesc": qListStreamsByTimeDesc,
		"listGroups": qListGroups, "expireEvents": qExpireEvents, "deleteGroupEvents": qDeleteGroupEvents,
		"streamsInRange": qStreamsInRange,
		// Deleting a stream cascades to its events through an index.
		"deleteStream": `DELETE FROM log_streams WHERE seq = ?`,
	}
	for name, query := range cases {
		// The driver refuses a wrong number of arguments: try counts
		// until it takes them.
		var (
			joined string
			err    error
		)
		for n := 0; n <= 10; n++ {
			args := make([]any, n)
			for i := range args {
				args[i] = i
			}
			if joined, err = queryPlan(t, s, query, args...); err == nil {
				break
			}
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !strings.Contains(joined, "SEARCH") || strings.Contains(joined, "SCAN") || strings.Contains(joined, "TEMP B-TREE") {
			t.Errorf("%s: plan %q", name, joined)
		}
	}
}

// queryPlan returns the steps of SQLite's EXPLAIN QUERY PLAN for query
// with args, joined by "; ", or the error of preparing it.
func queryPlan(t *testing.T, s *Store, query string, args ...any) (string, error) {
	t.Helper()
	rows, err := s.read.Query("EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	return strings.Join(plan, "; "), nil
}
