package s3

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestOwnersSurviveReopen: the account that created a bucket through the
// REST API still owns it after the files are closed and opened again.
func TestOwnersSurviveReopen(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	s.ServeAs(rec, httptest.NewRequest(http.MethodPut, "/owned", nil), "111111111111")
	if rec.Code != http.StatusOK {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	// A failed creation (the name is taken) leaves the owner as it was.
	rec = httptest.NewRecorder()
	s.ServeAs(rec, httptest.NewRequest(http.MethodPut, "/owned", nil), "222222222222")
	if rec.Code == http.StatusOK {
		t.Fatalf("second create of a taken name: %d", rec.Code)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for account, want := range map[string]bool{"111111111111": true, "222222222222": false} {
		if ok, err := s.BucketOwnedBy(account, "owned"); err != nil || ok != want {
			t.Errorf("BucketOwnedBy(%s) = %v, %v; want %v", account, ok, err, want)
		}
	}
	rec = httptest.NewRecorder()
	s.ServeAs(rec, httptest.NewRequest(http.MethodGet, "/owned/k", nil), "222222222222")
	if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "<Code>AccessDenied</Code>") {
		t.Fatalf("another account's GET: %d %s", rec.Code, rec.Body)
	}
	// In-process buckets have no owner: every account may use them.
	if err := s.CreateBucket("shared"); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.BucketOwnedBy("222222222222", "shared"); err != nil || !ok {
		t.Fatalf("BucketOwnedBy(shared) = %v, %v", ok, err)
	}
}
