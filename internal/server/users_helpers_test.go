package server

import (
	"fmt"
	"regexp"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognate/cognate/internal/storage"
	"github.com/cognate/cognate/internal/storage/sqlstore"
)

// userServer is a test server whose store the test can read (the
// outboxes), with a clock the test moves.
type userServer struct {
	*testServer
	store *sqlstore.Store
	clock *testClock
}

type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func newUserServer(t *testing.T, configure func(*Config)) *userServer {
	t.Helper()
	store, err := sqlstore.Open(sqlstore.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	clock := &testClock{now: time.Now().UTC()}
	var seq atomic.Int64
	cfg := Config{
		AccountID: "123456789012",
		Region:    "us-east-1",
		NewPoolID: func(region string) string { return fmt.Sprintf("%s_USER%05d", region, seq.Add(1)) },
		Now:       clock.Now,
	}
	if configure != nil {
		configure(&cfg)
	}
	if cfg.S3 == nil {
		cfg.S3 = seedS3(t)
	}
	return &userServer{testServer: serveStore(t, cfg, store), store: store, clock: clock}
}

// messages returns the outbox messages sent to to.
func (s *userServer) messages(t *testing.T, to string) []*storage.Message {
	t.Helper()
	ms, err := s.store.ListMessages(ctx, storage.Scope{AccountID: "123456789012", Region: "us-east-1"}, storage.MessageQuery{To: to})
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

var sixDigits = regexp.MustCompile(`\b\d{6}\b`)

// lastCode returns the code in the newest message to to.
func (s *userServer) lastCode(t *testing.T, to string) string {
	t.Helper()
	ms := s.messages(t, to)
	if len(ms) == 0 {
		t.Fatalf("no message to %s", to)
	}
	code := sixDigits.FindString(ms[len(ms)-1].Body)
	if code == "" {
		t.Fatalf("no code in %q", ms[len(ms)-1].Body)
	}
	return code
}

// exports returns the export records waiting for delivery.
func (s *userServer) exports(t *testing.T) []*storage.ExportRecord {
	t.Helper()
	recs, err := s.store.PendingExports(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// mustClient creates an app client.
func mustClient(t *testing.T, c *cip.Client, pool string, secret bool) (id, sec string) {
	t.Helper()
	out, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("app"), GenerateSecret: secret})
	if err != nil {
		t.Fatalf("CreateUserPoolClient: %v", err)
	}
	return *out.UserPoolClient.ClientId, aws.ToString(out.UserPoolClient.ClientSecret)
}

func attrs(kv ...string) []types.AttributeType {
	var out []types.AttributeType
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, types.AttributeType{Name: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return out
}

func attrMap(in []types.AttributeType) map[string]string {
	m := map[string]string{}
	for _, a := range in {
		m[aws.ToString(a.Name)] = aws.ToString(a.Value)
	}
	return m
}
