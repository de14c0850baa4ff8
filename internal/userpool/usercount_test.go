package userpool

import (
	"context"
	"testing"

	"github.com/cognate/cognate/internal/storage"
)

// countingStore counts CountUsers calls; during, when set, runs inside the
// call (a user created while the count is read).
type countingStore struct {
	storage.UserStore
	n, calls int64
	during   func()
}

func (s *countingStore) CountUsers(context.Context, storage.PoolKey) (int64, error) {
	s.calls++
	if s.during != nil {
		s.during()
	}
	return s.n, nil
}

// TestUserCounts: a count is read once and kept until changed; a count
// read while a change happened is returned but not kept.
func TestUserCounts(t *testing.T) {
	ctx := context.Background()
	pool := storage.PoolKey{Scope: storage.Scope{AccountID: "123456789012", Region: "us-east-1"}, ID: "us-east-1_AAAAAAAAA"}
	c := newUserCounts(2)
	st := &countingStore{n: 3}
	for range 3 {
		if n, err := c.get(ctx, st, pool); n != 3 || err != nil {
			t.Fatalf("get = %d, %v", n, err)
		}
	}
	if st.calls != 1 {
		t.Errorf("%d counts for three reads", st.calls)
	}
	st.n = 4
	c.changed(pool)
	st.during = func() { c.changed(pool) }
	if n, _ := c.get(ctx, st, pool); n != 4 {
		t.Errorf("after a change: %d", n)
	}
	st.during = nil
	if _, _ = c.get(ctx, st, pool); st.calls != 3 {
		t.Errorf("a count read during a change was kept (%d counts)", st.calls)
	}
	if estimate(1<<40) != 1<<31-1 {
		t.Error("estimate does not clamp to an Integer")
	}
}
