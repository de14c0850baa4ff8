package sqlstore

import (
	"context"
	"strings"
	"testing"

	"github.com/cognate/cognate/internal/storage"
	"github.com/cognate/cognate/internal/storage/storetest"
)

func TestSQLiteFile(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storage.Store {
		s, err := Open(Options{Dir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestSQLiteInMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storage.Store {
		s, err := Open(Options{InMemory: true})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestReopenKeepsDataAndLocksTheDirectory(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	p := &storage.UserPool{AccountID: "123456789012", Region: "us-west-2", ID: "us-west-2_a", Name: "n", Config: []byte("{}")}
	if err := s.CreateUserPool(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(Options{Dir: dir}); err == nil || !strings.Contains(err.Error(), "in use by another cognate process") {
		t.Errorf("second Open of a directory in use = %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(Options{Dir: dir}) // migrations run again, as a no-op
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.GetUserPool(context.Background(), p.Key())
	if err != nil || got.Name != "n" {
		t.Errorf("after reopen: %+v, %v", got, err)
	}
}
