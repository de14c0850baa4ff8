package server

import (
	"context"
	"errors"
	"fmt"
	"github.com/cognate/cognate/internal/builtin/s3"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go"

	"github.com/cognate/cognate/internal/storage/sqlstore"
)

// testServer is a Cognate on a loopback port with an in-memory store.
type testServer struct {
	URL string
	cfg Config
}

var ctx = context.Background()

// newTestServer starts a server; configure may change its Config.
func newTestServer(t *testing.T, configure func(*Config)) *testServer {
	t.Helper()
	store, err := sqlstore.Open(sqlstore.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	var seq atomic.Int64
	cfg := Config{
		AccountID: "123456789012",
		Region:    "us-east-1",
		// Deterministic pool IDs: <region>_ + 9 alphanumerics.
		NewPoolID: func(region string) string { return fmt.Sprintf("%s_TEST%05d", region, seq.Add(1)) },
	}
	if configure != nil {
		configure(&cfg)
	}
	if cfg.S3 == nil {
		cfg.S3 = seedS3(t)
	}
	if cfg.Firehose == nil {
		cfg.Firehose = seedFirehose(t, store, cfg.S3)
	}
	return serveStore(t, cfg, store)
}

// seedS3 is a built-in S3 in memory holding the bucket of the
// documentation's example (spec seed), which the example assumes exists.
func seedS3(t *testing.T) *s3.Service {
	t.Helper()
	b, err := s3.Open("")
	if err != nil {
		t.Fatal(err)
	}
	if err := b.CreateBucket("amzn-s3-demo-bucket1"); err != nil {
		t.Fatal(err)
	}
	return b
}

// serveStore serves New(cfg, store) on a loopback port until the test ends,
// then closes the store.
func serveStore(t *testing.T, cfg Config, store *sqlstore.Store) *testServer {
	srv := httptest.NewServer(New(cfg, store))
	t.Cleanup(func() {
		srv.Close()
		if err := store.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	return &testServer{URL: srv.URL, cfg: cfg}
}

// client returns the official Go SDK client for a region, signed with any key.
func (s *testServer) client(region string) *cip.Client {
	return s.clientWithKey(region, "AKIDEXAMPLE", "secret")
}

func (s *testServer) clientWithKey(region, key, secret string) *cip.Client {
	return cip.New(cip.Options{
		Region:           region,
		BaseEndpoint:     aws.String(s.URL),
		Credentials:      credentials.NewStaticCredentialsProvider(key, secret, ""),
		RetryMaxAttempts: 1,
		HTTPClient:       &http.Client{Transport: plainBodies{http.DefaultTransport}},
	})
}

// plainBodies hides the io.WriterTo of request bodies. Under -race, the
// SDK's body wrapper (smithy-go safeWriteToReadCloser) sometimes answers
// net/http's after-body probe with io.EOF as an error, so the transport
// closes a connection whose 200 response is still being read ("use of closed
// network connection"): the close happens in the client transport's
// writeLoop, after the server has answered. With retries on, the SDK would
// resend non-idempotent calls, so the tests avoid the race instead.
type plainBodies struct{ next http.RoundTripper }

func (p plainBodies) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body = struct{ io.ReadCloser }{req.Body}
	}
	return p.next.RoundTrip(req)
}

// apiError asserts err is an AWS error with code and message.
func apiError(t *testing.T, err error, code, message string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want %s", err, code)
	}
	if ae.ErrorCode() != code || (message != "" && ae.ErrorMessage() != message) {
		t.Errorf("error = %s: %q\nwant    %s: %q", ae.ErrorCode(), ae.ErrorMessage(), code, message)
	}
}

func mustCreatePool(t *testing.T, c *cip.Client, in *cip.CreateUserPoolInput) string {
	t.Helper()
	out, err := c.CreateUserPool(ctx, in)
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	return *out.UserPool.Id
}

var fixedNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
