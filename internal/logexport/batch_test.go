package logexport

import (
	"strings"
	"testing"
	"time"

	"github.com/cognate/cognate/internal/storage"
)

func TestCutBatch(t *testing.T) {
	base := time.UnixMilli(1_764_000_000_000)
	mk := func(n, size int, step time.Duration) []*storage.ExportRecord {
		out := make([]*storage.ExportRecord, n)
		for i := range out {
			out[i] = &storage.ExportRecord{Seq: int64(i + 1), CreatedAt: base.Add(time.Duration(i) * step), Payload: []byte(strings.Repeat("x", size))}
		}
		return out
	}
	cases := []struct {
		name  string
		queue []*storage.ExportRecord
		want  int
	}{
		{"empty", nil, 0},
		{"one", mk(1, 10, 0), 1},
		{"count limit", mk(10001, 10, 0), MaxBatchEvents},
		// (1000+26) * 1022 = 1,048,572 <= 1,048,576; one more is over.
		{"byte limit", mk(2000, 1000, 0), 1022},
		{"span limit", mk(5, 10, 12*time.Hour), 3},
		{"an event over the byte limit goes alone", mk(2, MaxBatchBytes, 0), 1},
	}
	for _, c := range cases {
		if got := cutBatch(c.queue); got != c.want {
			t.Errorf("%s: cutBatch = %d, want %d", c.name, got, c.want)
		}
	}
	// The span counts the earliest and latest, not the first and last.
	q := mk(3, 10, 0)
	q[1].CreatedAt = base.Add(-25 * time.Hour)
	if got := cutBatch(q); got != 1 {
		t.Errorf("out-of-order span: cutBatch = %d, want 1", got)
	}
}

func TestEventsAreChronologicalAndStable(t *testing.T) {
	base := time.UnixMilli(1_764_000_000_000)
	batch := []*storage.ExportRecord{
		{Seq: 1, CreatedAt: base.Add(2 * time.Millisecond), Payload: []byte("a")},
		{Seq: 2, CreatedAt: base, Payload: []byte("b")},
		{Seq: 3, CreatedAt: base.Add(2 * time.Millisecond), Payload: []byte("c")},
		{Seq: 4, CreatedAt: base, Payload: []byte("d")},
	}
	var got []string
	for _, e := range events(batch) {
		got = append(got, e.Message)
	}
	if strings.Join(got, "") != "bdac" {
		t.Errorf("events order %q, want bdac", got)
	}
}
