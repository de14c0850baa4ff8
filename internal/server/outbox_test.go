package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cognate/cognate/internal/storage"
	"github.com/cognate/cognate/internal/storage/sqlstore"
)

func outboxServer(t *testing.T) (*httptest.Server, *sqlstore.Store) {
	t.Helper()
	store, err := sqlstore.Open(sqlstore.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(Config{AccountID: "123456789012", Region: "us-east-1"}, store))
	t.Cleanup(func() { srv.Close(); store.Close() })
	return srv, store
}

func getOutbox(t *testing.T, url string) (int, OutboxPage, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var raw json.RawMessage
	if err := json.NewDecoder(resp.Body).Decode(&raw); err != nil {
		t.Fatalf("GET %s: body is not JSON: %v", url, err)
	}
	var page OutboxPage
	if resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(raw, &page); err != nil {
			t.Fatal(err)
		}
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	return resp.StatusCode, page, string(raw)
}

func TestOutboxOverHTTP(t *testing.T) {
	srv, store := outboxServer(t)
	at := time.UnixMilli(1764000000123).UTC()
	var msgs []storage.Message
	for i, m := range []struct{ region, pool, to string }{
		{"us-east-1", "us-east-1_AAAAAAAAA", "a@example.com"},
		{"us-east-1", "us-east-1_BBBBBBBBB", "a@example.com"},
		{"us-east-1", "us-east-1_AAAAAAAAA", "+12065550123"},
		{"eu-west-1", "eu-west-1_CCCCCCCCC", "c@example.com"},
		{"us-east-1", "us-east-1_AAAAAAAAA", "a@example.com"},
	} {
		msgs = append(msgs, storage.Message{AccountID: "123456789012", Region: m.region, PoolID: m.pool, Username: "user", Medium: "EMAIL",
			From: "no-reply@verificationemail.com", To: m.to, Subject: "Your verification code", Body: fmt.Sprintf("Your verification code is %06d.", i),
			Purpose: "SignUp", CreatedAt: at, Relayed: i%2 == 0})
	}
	msgs[4].Failure = "550 5.1.1 user unknown"
	if err := store.AppendDeliveries(ctx, storage.Deliveries{Messages: msgs}); err != nil {
		t.Fatal(err)
	}
	base := srv.URL + OutboxPath
	seqs := func(p OutboxPage) string {
		var s []string
		for _, m := range p.Messages {
			s = append(s, fmt.Sprint(m.Seq))
		}
		return strings.Join(s, ",")
	}
	for _, c := range []struct{ query, want string }{
		{"", "1,2,3,5"}, // the server's region
		{"?poolId=us-east-1_AAAAAAAAA", "1,3,5"},
		{"?poolId=us-east-1_AAAAAAAAA&to=a@example.com", "1,5"},
		{"?poolId=us-east-1_AAAAAAAAA&to=%2B12065550123", "3"},
		{"?poolId=eu-west-1_CCCCCCCCC", "4"}, // the region comes from the pool ID
		{"?region=eu-west-1", "4"},
		{"?after=2&limit=1", "3"},
		{"?poolId=us-east-1_NOPENOPE1", ""},
		{"?accountId=999999999999", ""},
	} {
		status, page, raw := getOutbox(t, base+c.query)
		if status != 200 || seqs(page) != c.want {
			t.Errorf("%s: %d %s, want seqs %q", c.query, status, raw, c.want)
		}
	}
	_, page, _ := getOutbox(t, base+"?poolId=us-east-1_AAAAAAAAA&after=1")
	got := page.Messages[1]
	want := OutboxMessage{Seq: 5, AccountID: "123456789012", Region: "us-east-1", PoolID: "us-east-1_AAAAAAAAA", Username: "user", Medium: "EMAIL",
		From: "no-reply@verificationemail.com", To: "a@example.com", Subject: "Your verification code", Body: "Your verification code is 000004.",
		Purpose: "SignUp", CreatedAt: at, Relayed: true, Failure: "550 5.1.1 user unknown"}
	if got != want || page.Next != 5 {
		t.Errorf("message = %+v next %d, want %+v next 5", got, page.Next, want)
	}
	// An empty page keeps the cursor.
	if _, page, raw := getOutbox(t, base+"?after=99"); page.Next != 99 || !strings.Contains(raw, `"messages":[]`) {
		t.Errorf("empty page: %s", raw)
	}
}

func TestOutboxBadParameters(t *testing.T) {
	srv, _ := outboxServer(t)
	for _, q := range []string{"after=-1", "after=x", "limit=0", "limit=1001", "limit=ten"} {
		status, _, raw := getOutbox(t, srv.URL+OutboxPath+"?"+q)
		if status != http.StatusBadRequest || !strings.Contains(raw, `"error"`) {
			t.Errorf("%s: %d %s, want 400 with an error", q, status, raw)
		}
	}
}
