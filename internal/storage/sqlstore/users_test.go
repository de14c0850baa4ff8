package sqlstore

import (
	"strings"
	"testing"

	"github.com/cognate/cognate/internal/storage"
	"github.com/cognate/cognate/internal/storage/storetest"
)

func TestUserConformance(t *testing.T) {
	storetest.RunUsers(t, func(t *testing.T) storage.Store {
		s, err := Open(Options{Dir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestUserConformanceInMemory(t *testing.T) {
	storetest.RunUsers(t, func(t *testing.T) storage.Store {
		s, err := Open(Options{InMemory: true})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// TestUserQueriesUseIndexes keeps the user lookups on their indexes: no
// statement may SCAN a table or sort in a temporary B-tree.
func TestUserQueriesUseIndexes(t *testing.T) {
	s, err := Open(Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	pool := `SELECT seq FROM user_pools WHERE account_id = ? AND region = ? AND id = ?`
	cases := map[string]string{
		"poolSeq": pool,
		"getUser": `SELECT ` + userColumns + ` FROM users u ` + poolOfUser + ` AND u.key = ?`,
		"bySub":   `SELECT ` + userColumns + ` FROM users u ` + poolOfUser + ` AND u.sub = ?`,
		"byAlias": `SELECT ` + userColumns + ` FROM users u JOIN user_aliases a ON a.user_seq = u.seq
			JOIN user_pools p ON p.seq = a.pool_seq WHERE p.account_id = ? AND p.region = ? AND p.id = ? AND a.alias = ?`,
		"scan":      `SELECT ` + userColumns + ` FROM users u WHERE u.pool_seq = ? AND u.key > ? ORDER BY u.key LIMIT ?`,
		"holder":    `SELECT u.key FROM user_aliases a JOIN users u ON u.seq = a.user_seq WHERE a.pool_seq = ? AND a.alias = ?`,
		"delete":    `DELETE FROM user_aliases WHERE user_seq = ?`,
		"getClient": `SELECT ` + clientColumns + ` FROM app_clients c JOIN user_pools p ON p.seq = c.pool_seq WHERE c.account_id = ? AND c.region = ? AND c.client_id = ? AND p.id = ?`,
	}
	for name, query := range cases {
		var args []any
		for range strings.Count(query, "?") {
			args = append(args, "x")
		}
		joined, err := queryPlan(t, s, query, args...)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if strings.Contains(joined, "SCAN") || strings.Contains(joined, "TEMP B-TREE") {
			t.Errorf("%s: plan %q", name, joined)
		}
	}
}

func TestAuthEventConformance(t *testing.T) {
	storetest.RunAuthEvents(t, func(t *testing.T) storage.Store {
		s, err := Open(Options{Dir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
