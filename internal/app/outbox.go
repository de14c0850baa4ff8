package app

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cognate/cognate/internal/server"
)

// outboxOptions are the settings of `cognate outbox`.
type outboxOptions struct {
	endpoint, poolID, to, region, output string
	after                                int64
	limit                                int
	wait                                 time.Duration
}

func parseOutbox(args []string, stderr io.Writer) (*outboxOptions, error) {
	o := &outboxOptions{}
	fs := flag.NewFlagSet("cognate outbox", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: cognate outbox [options]

Prints the email and SMS messages a running Cognate sent (its message
outbox, GET `+server.OutboxPath+`), oldest first: the codes users
would receive.

Options:
`)
		fs.PrintDefaults()
	}
	fs.StringVar(&o.endpoint, "endpoint-url", env("COGNATE_ENDPOINT_URL", "http://localhost:9229"), "the Cognate server (COGNATE_ENDPOINT_URL)")
	fs.StringVar(&o.poolID, "pool-id", "", "only the messages of this user pool")
	fs.StringVar(&o.to, "to", "", "only the messages to this email address or phone number")
	fs.StringVar(&o.region, "region", "", "the region of the messages (default: the pool ID's, else the server's)")
	fs.Int64Var(&o.after, "after", 0, "only the messages after this sequence number")
	fs.IntVar(&o.limit, "limit", 100, "the most messages to print (1 to 1000)")
	fs.StringVar(&o.output, "output", "text", "json or text")
	fs.DurationVar(&o.wait, "wait", 0, "wait up to this long (e.g. 10s) until at least one message matches")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if o.output != "json" && o.output != "text" {
		return nil, fmt.Errorf("--output must be json or text, not %q", o.output)
	}
	if o.limit < 1 || o.limit > 1000 {
		return nil, fmt.Errorf("--limit must be from 1 to 1000")
	}
	if o.after < 0 {
		return nil, fmt.Errorf("--after must not be negative")
	}
	return o, nil
}

func outbox(args []string, stdout, stderr io.Writer) int {
	o, err := parseOutbox(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "cognate outbox: %v\n", err)
		return 2
	}
	page, err := fetchOutbox(context.Background(), o)
	if err != nil {
		fmt.Fprintf(stderr, "cognate outbox: %v\n", err)
		return 1
	}
	if o.output == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "    ")
		if err := enc.Encode(page); err != nil {
			fmt.Fprintf(stderr, "cognate outbox: %v\n", err)
			return 1
		}
		return 0
	}
	// text: one line per message, tab-separated like the AWS CLI's text
	// output: seq, time, medium, recipient, purpose, status, subject, and
	// the body with its line breaks shown as spaces.
	for _, m := range page.Messages {
		status := "outbox"
		switch {
		case m.Failure != "":
			status = "failed: " + m.Failure
		case m.Relayed:
			status = "relayed"
		}
		body := strings.Join(strings.Fields(m.Body), " ")
		fmt.Fprintf(stdout, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", m.Seq, m.CreatedAt.Format(time.RFC3339Nano), m.Medium, m.To, m.Purpose, status, m.Subject, body)
	}
	return 0
}

// fetchOutbox reads one page, polling every 100 ms while it is empty
// and --wait has not run out.
func fetchOutbox(ctx context.Context, o *outboxOptions) (*server.OutboxPage, error) {
	q := url.Values{}
	for k, v := range map[string]string{"poolId": o.poolID, "to": o.to, "region": o.region} {
		if v != "" {
			q.Set(k, v)
		}
	}
	q.Set("after", strconv.FormatInt(o.after, 10))
	q.Set("limit", strconv.Itoa(o.limit))
	u := strings.TrimRight(o.endpoint, "/") + server.OutboxPath + "?" + q.Encode()
	client := &http.Client{Timeout: 30 * time.Second}
	deadline := time.Now().Add(o.wait)
	for {
		page, err := getOutboxPage(ctx, client, u)
		if err != nil || len(page.Messages) > 0 || time.Now().After(deadline) {
			return page, err
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func getOutboxPage(ctx context.Context, client *http.Client, u string) (*server.OutboxPage, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", u, err)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(body, &e) == nil && e.Error != "" {
			return nil, fmt.Errorf("%s: %s", resp.Status, e.Error)
		}
		return nil, fmt.Errorf("%s from %s", resp.Status, u)
	}
	var page server.OutboxPage
	if err := json.Unmarshal(body, &page); err != nil {
		return nil, fmt.Errorf("decode the outbox from %s: %w", u, err)
	}
	return &page, nil
}
