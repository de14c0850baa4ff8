package app

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cognate/cognate/internal/server"
	"github.com/cognate/cognate/internal/storage"
	"github.com/cognate/cognate/internal/storage/sqlstore"
)

func outboxTestServer(t *testing.T) (string, *sqlstore.Store) {
	t.Helper()
	store, err := sqlstore.Open(sqlstore.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.New(server.Config{AccountID: "123456789012", Region: "us-east-1"}, store))
	t.Cleanup(func() { srv.Close(); store.Close() })
	return srv.URL, store
}

func sent(pool, to, body string) storage.Message {
	return storage.Message{AccountID: "123456789012", Region: "us-east-1", PoolID: pool, Username: "alice", Medium: "EMAIL",
		From: "no-reply@verificationemail.com", To: to, Subject: "Your verification code", Body: body, Purpose: "SignUp",
		CreatedAt: time.UnixMilli(1764000000000).UTC(), Relayed: false}
}

func runOutbox(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(append([]string{"outbox"}, args...), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestOutboxCommand(t *testing.T) {
	url, store := outboxTestServer(t)
	d := storage.Deliveries{Messages: []storage.Message{
		sent("us-east-1_AAAAAAAAA", "alice@example.com", "Your verification code is 123456."),
		sent("us-east-1_AAAAAAAAA", "bob@example.com", "Your code is\n654321."),
		sent("us-east-1_BBBBBBBBB", "alice@example.com", "Your verification code is 111111."),
	}}
	d.Messages[1].Failure = "550 5.1.1 user unknown"
	if err := store.AppendDeliveries(context.Background(), d); err != nil {
		t.Fatal(err)
	}

	code, out, errOut := runOutbox(t, "--endpoint-url", url, "--pool-id", "us-east-1_AAAAAAAAA", "--to", "alice@example.com", "--output", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var page server.OutboxPage
	if err := json.Unmarshal([]byte(out), &page); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if len(page.Messages) != 1 || page.Messages[0].Body != "Your verification code is 123456." || page.Next != 1 {
		t.Errorf("json page = %+v", page)
	}

	code, out, _ = runOutbox(t, "--endpoint-url", url+"/", "--pool-id", "us-east-1_AAAAAAAAA")
	want := "1\t2025-11-24T16:00:00Z\tEMAIL\talice@example.com\tSignUp\toutbox\tYour verification code\tYour verification code is 123456.\n" +
		"2\t2025-11-24T16:00:00Z\tEMAIL\tbob@example.com\tSignUp\tfailed: 550 5.1.1 user unknown\tYour verification code\tYour code is 654321.\n"
	if code != 0 || out != want {
		t.Errorf("text output (exit %d):\n%q\nwant\n%q", code, out, want)
	}

	code, out, _ = runOutbox(t, "--endpoint-url", url, "--after", "1", "--limit", "1")
	if code != 0 || !strings.HasPrefix(out, "2\t") || strings.Count(out, "\n") != 1 {
		t.Errorf("--after 1 --limit 1: exit %d %q", code, out)
	}
}

// --wait polls until a message arrives.
func TestOutboxCommandWaits(t *testing.T) {
	url, store := outboxTestServer(t)
	go func() {
		time.Sleep(300 * time.Millisecond)
		_ = store.AppendDeliveries(context.Background(), storage.Deliveries{Messages: []storage.Message{sent("us-east-1_AAAAAAAAA", "late@example.com", "code 42")}})
	}()
	code, out, errOut := runOutbox(t, "--endpoint-url", url, "--to", "late@example.com", "--wait", "5s")
	if code != 0 || !strings.Contains(out, "code 42") {
		t.Errorf("exit %d out %q err %q", code, out, errOut)
	}
	// Without a match, --wait gives up and prints nothing.
	began := time.Now()
	code, out, _ = runOutbox(t, "--endpoint-url", url, "--to", "nobody@example.com", "--wait", "200ms")
	if code != 0 || out != "" || time.Since(began) > 3*time.Second {
		t.Errorf("no match: exit %d out %q after %v", code, out, time.Since(began))
	}
}

func TestOutboxCommandErrors(t *testing.T) {
	for _, args := range [][]string{{"--output", "yaml"}, {"--limit", "0"}, {"--after", "-2"}, {"--bogus"}, {"stray"}} {
		if code, _, errOut := runOutbox(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, errOut)
		}
	}
	// Nothing listening: exit 1 with the reason.
	if code, _, errOut := runOutbox(t, "--endpoint-url", "http://127.0.0.1:1"); code != 1 || !strings.Contains(errOut, "cognate outbox:") {
		t.Errorf("unreachable: exit %d %s", code, errOut)
	}
	if code, out, _ := runOutbox(t, "-h"); code != 0 || out != "" {
		t.Errorf("-h: exit %d", code)
	}
}

func TestServeExportSettings(t *testing.T) {
	t.Setenv("COGNATE_SMTP_URL", "smtp://relay.example:25")
	t.Setenv("COGNATE_LOGS_ENDPOINT_URL", "http://127.0.0.1:5000")
	o, err := parseServe(nil, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if o.smtpURL != "smtp://relay.example:25" || o.logsEndpoint != "http://127.0.0.1:5000" {
		t.Errorf("options = %+v", o)
	}
	for _, args := range [][]string{{"--smtp-url", "http://x"}, {"--logs-endpoint-url", "ftp://x"}, {"--logs-endpoint-url", "localhost:5000"}} {
		if _, err := parseServe(args, &bytes.Buffer{}); err == nil {
			t.Errorf("%v: accepted", args)
		}
	}
}
