package server

import (
	"fmt"
	"io"
	"net"
	"net/http/httptest"
	"regexp"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/emersion/go-smtp"

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
	srv := httptest.NewServer(New(cfg, store))
	t.Cleanup(func() {
		srv.Close()
		if err := store.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	return &userServer{testServer: &testServer{URL: srv.URL, cfg: cfg}, store: store, clock: clock}
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

// smtpRelay is a real SMTP server (go-smtp) that keeps what it receives,
// refuses one recipient and can hang.
type smtpRelay struct {
	mu       sync.Mutex
	received []string
	refuse   string
	hang     bool
}

func (r *smtpRelay) NewSession(*smtp.Conn) (smtp.Session, error) { return &relaySession{r: r}, nil }

func (r *smtpRelay) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.received)
}

type relaySession struct {
	r  *smtpRelay
	to string
}

func (s *relaySession) AuthPlain(string, string) error            { return nil }
func (s *relaySession) Mail(string, *smtp.MailOptions) error      { return nil }
func (s *relaySession) Reset()                                    {}
func (s *relaySession) Logout() error                             { return nil }
func (s *relaySession) Rcpt(to string, _ *smtp.RcptOptions) error { return s.rcpt(to) }

func (s *relaySession) rcpt(to string) error {
	if to == s.r.refuse {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "Mailbox unavailable"}
	}
	s.to = to
	return nil
}

func (s *relaySession) Data(r io.Reader) error {
	if s.r.hang {
		time.Sleep(3 * time.Second)
	}
	b, err := io.ReadAll(r)
	s.r.mu.Lock()
	s.r.received = append(s.r.received, s.to+"\n"+string(b))
	s.r.mu.Unlock()
	return err
}

func startSMTPRelay(t *testing.T, r *smtpRelay) string {
	t.Helper()
	srv := smtp.NewServer(r)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })
	return "smtp://" + ln.Addr().String()
}
