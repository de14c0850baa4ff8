package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/cognate/cognate/internal/storage"
)

// RunFirehose checks FirehoseStore.
func RunFirehose(t *testing.T, newStore func(t *testing.T) storage.Store) {
	runAll(t, newStore, []test[storage.FirehoseStore]{
		{"CreateGetDuplicate", testFirehoseCreateGet},
		{"ListInNameOrder", testFirehoseList},
		{"Tags", testFirehoseTags},
		{"RecordsBufferAndAck", testFirehoseRecords},
		{"DeleteTakesRecords", testFirehoseDelete},
	})
}

var fhScope = storage.Scope{AccountID: "123456789012", Region: "us-east-1"}

func fhStream(name string) *storage.FirehoseStream {
	return &storage.FirehoseStream{AccountID: fhScope.AccountID, Region: fhScope.Region, Name: name,
		CreatedAt: time.UnixMilli(1700000000123).UTC(), Version: 1, Destination: []byte(`{"b":"x"}`), Tags: map[string]string{"k": "v"}}
}

func fhKey(name string) storage.FirehoseStreamKey {
	return storage.FirehoseStreamKey{Scope: fhScope, Name: name}
}

func testFirehoseCreateGet(t *testing.T, s storage.FirehoseStore) {
	st := fhStream("a")
	if err := s.CreateFirehoseStream(ctx, st); err != nil {
		t.Fatal(err)
	}
	if st.ID == 0 {
		t.Error("ID not assigned")
	}
	if err := s.CreateFirehoseStream(ctx, fhStream("a")); !errors.Is(err, storage.ErrAlreadyExists) {
		t.Errorf("duplicate: %v, want ErrAlreadyExists", err)
	}
	got, err := s.GetFirehoseStream(ctx, fhKey("a"))
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != st.ID || got.Name != "a" || !got.CreatedAt.Equal(st.CreatedAt) || got.Version != 1 ||
		string(got.Destination) != `{"b":"x"}` || got.Tags["k"] != "v" || got.BufferedRecords != 0 || !got.OldestRecord.IsZero() {
		t.Errorf("got %+v", got)
	}
	other := fhKey("a")
	other.Region = "eu-west-1"
	if _, err := s.GetFirehoseStream(ctx, other); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("other region: %v, want ErrNotFound", err)
	}
}

func testFirehoseList(t *testing.T, s storage.FirehoseStore) {
	for _, n := range []string{"c", "a", "b"} {
		if err := s.CreateFirehoseStream(ctx, fhStream(n)); err != nil {
			t.Fatal(err)
		}
	}
	names := func(after string, limit int) (out []string) {
		l, err := s.ListFirehoseStreams(ctx, fhScope, after, limit)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range l {
			out = append(out, st.Name)
		}
		return out
	}
	if got := names("", 0); len(got) != 3 || got[0] != "a" || got[2] != "c" {
		t.Errorf("all: %v", got)
	}
	if got := names("a", 1); len(got) != 1 || got[0] != "b" {
		t.Errorf("after a, 1: %v", got)
	}
}

func testFirehoseTags(t *testing.T, s storage.FirehoseStore) {
	if err := s.CreateFirehoseStream(ctx, fhStream("a")); err != nil {
		t.Fatal(err)
	}
	st, err := s.UpdateFirehoseStreamTags(ctx, fhKey("a"), func(tags map[string]string) (map[string]string, error) {
		tags["x"] = "y"
		return tags, nil
	})
	if err != nil || st.Tags["x"] != "y" {
		t.Fatalf("update: %v %+v", err, st)
	}
	boom := errors.New("boom")
	if _, err := s.UpdateFirehoseStreamTags(ctx, fhKey("a"), func(map[string]string) (map[string]string, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Errorf("update error: %v", err)
	}
	got, _ := s.GetFirehoseStream(ctx, fhKey("a"))
	if len(got.Tags) != 2 || got.Tags["x"] != "y" {
		t.Errorf("tags %v", got.Tags)
	}
	if _, err := s.UpdateFirehoseStreamTags(ctx, fhKey("nope"), func(m map[string]string) (map[string]string, error) { return m, nil }); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("missing: %v", err)
	}
}

func testFirehoseRecords(t *testing.T, s storage.FirehoseStore) {
	st := fhStream("a")
	if err := s.CreateFirehoseStream(ctx, st); err != nil {
		t.Fatal(err)
	}
	if err := s.PutFirehoseRecords(ctx, fhKey("nope"), []storage.FirehoseRecord{{RecordID: "r", Data: []byte("x")}}); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("missing stream: %v", err)
	}
	t0 := time.UnixMilli(1700000001000).UTC()
	recs := []storage.FirehoseRecord{
		{RecordID: "r1", ArrivedAt: t0, Data: []byte("hello")},
		{RecordID: "r2", ArrivedAt: t0.Add(time.Second), Data: []byte("world!")},
		{RecordID: "r3", ArrivedAt: t0.Add(2 * time.Second), Data: []byte{}},
	}
	if err := s.PutFirehoseRecords(ctx, fhKey("a"), recs); err != nil {
		t.Fatal(err)
	}
	if recs[0].Seq == 0 || recs[1].Seq <= recs[0].Seq || recs[2].Seq <= recs[1].Seq {
		t.Errorf("seqs %d %d %d", recs[0].Seq, recs[1].Seq, recs[2].Seq)
	}
	got, _ := s.GetFirehoseStream(ctx, fhKey("a"))
	if got.BufferedRecords != 3 || got.BufferedBytes != 11 || !got.OldestRecord.Equal(t0) {
		t.Errorf("buffer %d records, %d bytes, oldest %v", got.BufferedRecords, got.BufferedBytes, got.OldestRecord)
	}
	buffered, err := s.BufferedFirehoseStreams(ctx)
	if err != nil || len(buffered) != 1 || buffered[0].ID != st.ID {
		t.Fatalf("buffered: %v %v", err, buffered)
	}
	// maxBytes 1: still the first record; 11: all three.
	if r, err := s.FirehoseRecords(ctx, st.ID, 1); err != nil || len(r) != 1 || string(r[0].Data) != "hello" || r[0].RecordID != "r1" || !r[0].ArrivedAt.Equal(t0) {
		t.Errorf("maxBytes 1: %v %v", err, r)
	}
	if r, err := s.FirehoseRecords(ctx, st.ID, 11); err != nil || len(r) != 3 {
		t.Errorf("maxBytes 11: %v %d", err, len(r))
	}
	if err := s.AckFirehoseRecords(ctx, st.ID, recs[1].Seq); err != nil {
		t.Fatal(err)
	}
	r, _ := s.FirehoseRecords(ctx, st.ID, 1<<20)
	if len(r) != 1 || r[0].RecordID != "r3" || len(r[0].Data) != 0 {
		t.Errorf("after ack: %v", r)
	}
	if err := s.AckFirehoseRecords(ctx, st.ID, recs[2].Seq); err != nil {
		t.Fatal(err)
	}
	if buffered, _ := s.BufferedFirehoseStreams(ctx); len(buffered) != 0 {
		t.Errorf("buffered after ack: %v", buffered)
	}
}

func testFirehoseDelete(t *testing.T, s storage.FirehoseStore) {
	st := fhStream("a")
	if err := s.CreateFirehoseStream(ctx, st); err != nil {
		t.Fatal(err)
	}
	if err := s.PutFirehoseRecords(ctx, fhKey("a"), []storage.FirehoseRecord{{RecordID: "r", Data: []byte("x")}}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteFirehoseStream(ctx, fhKey("a")); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteFirehoseStream(ctx, fhKey("a")); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	again := fhStream("a")
	if err := s.CreateFirehoseStream(ctx, again); err != nil {
		t.Fatal(err)
	}
	if again.ID == st.ID {
		t.Error("ID reused")
	}
	if r, _ := s.FirehoseRecords(ctx, st.ID, 1<<20); len(r) != 0 {
		t.Errorf("records of the deleted stream: %v", r)
	}
	if got, _ := s.GetFirehoseStream(ctx, fhKey("a")); got.BufferedRecords != 0 {
		t.Errorf("new stream inherits %d records", got.BufferedRecords)
	}
}
