package s3sink

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/cognate/cognate/internal/builtin/s3"
	"github.com/cognate/cognate/internal/logexport"
)

// A batch is one object under the documented prefix, the same object when
// the batch comes again; a missing bucket is ErrDestinationMissing; the
// file store keeps objects across a reopen.
func TestDeliver(t *testing.T) {
	dir := t.TempDir()
	store, err := s3.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	sink := New(store)
	d := logexport.Destination{AccountID: "123456789012", Region: "us-east-1", Bucket: "logs", PoolID: "us-east-1_abc", EventSource: "userAuthEvents"}
	at := time.Date(2026, 11, 26, 1, 2, 3, 0, time.UTC)
	events := []logexport.Event{{Time: at, Message: `{"a":1}`}, {Time: at, Message: `{"b":2}`}}
	if err := sink.Deliver(context.Background(), d, events); !errors.Is(err, logexport.ErrDestinationMissing) {
		t.Fatalf("no bucket: %v", err)
	}
	key := Key(d, events)
	if !strings.HasPrefix(key, "AWSLogs/123456789012/cognito/us-east-1/us-east-1_abc/userAuthEvents/2026/11/26/1795654923000-") || key != Key(d, events) {
		t.Errorf("key %s", key)
	}
	if other := Key(d, events[:1]); other == key {
		t.Error("another batch, the same key")
	}
	if err := store.CreateBucket("logs"); err != nil {
		t.Fatal(err)
	}
	for range 2 { // delivered twice (at least once): one object
		if err := sink.Deliver(context.Background(), d, events); err != nil {
			t.Fatal(err)
		}
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	store, err = s3.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	body, err := store.GetObject("logs", key)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	text, _ := io.ReadAll(zr)
	if string(text) != "{\"a\":1}\n{\"b\":2}\n" {
		t.Errorf("object holds %q", text)
	}
}
