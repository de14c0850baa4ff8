package sqlstore

import (
	"testing"

	"github.com/cognate/cognate/internal/storage"
	"github.com/cognate/cognate/internal/storage/storetest"
)

func TestOutboxConformance(t *testing.T) {
	storetest.RunOutbox(t, func(t *testing.T) storage.Store {
		s, err := Open(Options{Dir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestOutboxConformanceInMemory(t *testing.T) {
	storetest.RunOutbox(t, func(t *testing.T) storage.Store {
		s, err := Open(Options{InMemory: true})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
