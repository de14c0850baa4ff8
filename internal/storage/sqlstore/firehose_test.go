package sqlstore

import (
	"testing"

	"github.com/cognate/cognate/internal/storage"
	"github.com/cognate/cognate/internal/storage/storetest"
)

func TestFirehoseConformance(t *testing.T) {
	storetest.RunFirehose(t, func(t *testing.T) storage.Store {
		s, err := Open(Options{Dir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
