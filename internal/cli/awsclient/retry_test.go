package awsclient

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cognate/cognate/internal/cli/clierr"
)

// scripted is an httptest handler answering from a list of canned
// responses, the last one repeating.
type scripted struct {
	mu      sync.Mutex
	answers []answer
	calls   int
	headers []http.Header
	bodies  []string
}

type answer struct {
	status int
	header map[string]string
	body   string
}

func (s *scripted) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	a := s.answers[min(s.calls, len(s.answers)-1)]
	s.calls++
	s.headers = append(s.headers, r.Header.Clone())
	s.bodies = append(s.bodies, string(b))
	s.mu.Unlock()
	for k, v := range a.header {
		w.Header().Set(k, v)
	}
	w.WriteHeader(a.status)
	io.WriteString(w, a.body)
}

func (s *scripted) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

func testClient(t *testing.T, endpoint string, extra ...func(*Config)) (*Client, *[]time.Duration) {
	t.Helper()
	isolate(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	cfg := Config{Region: "us-east-1", EndpointURL: endpoint}
	for _, f := range extra {
		f(&cfg)
	}
	c, _, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	slept := fixClock(c, time.Now())
	return c, slept
}

func TestRetry500Then200(t *testing.T) {
	s := &scripted{answers: []answer{
		{500, nil, `<!doctype html><title>boom</title>`},
		{200, map[string]string{"x-amzn-RequestId": "rid-2"}, `{"UserPools": []}`},
	}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	c, slept := testClient(t, srv.URL)
	r, err := c.Do(context.Background(), op(t, "ListUserPools"), []byte(`{"MaxResults": 5}`))
	if err != nil {
		t.Fatal(err)
	}
	if string(r.Body) != `{"UserPools": []}` || r.RetryAttempts != 1 || r.RequestID != "rid-2" || s.count() != 2 {
		t.Fatalf("got %q retries %d rid %q calls %d", r.Body, r.RetryAttempts, r.RequestID, s.count())
	}
	// First retry: rand() * 2**0 seconds with rand() = 0.5.
	if len(*slept) != 1 || (*slept)[0] != 500*time.Millisecond {
		t.Fatalf("slept %v", *slept)
	}
	if got := s.headers[0]["Amz-Sdk-Request"]; len(got) != 1 || got[0] != "attempt=1" {
		t.Fatalf("first amz-sdk-request %v", got)
	}
	if got := s.headers[1]["Amz-Sdk-Request"]; len(got) != 1 || !strings.HasSuffix(got[0], "attempt=2; max=3") || !strings.HasPrefix(got[0], "ttl=") {
		t.Fatalf("second amz-sdk-request %v", got)
	}
	if s.headers[0].Get("Amz-Sdk-Invocation-Id") != s.headers[1].Get("Amz-Sdk-Invocation-Id") {
		t.Fatal("invocation id changed between attempts")
	}
	if s.headers[0].Get("Authorization") == "" || s.headers[1].Get("X-Amz-Date") == "" {
		t.Fatal("attempts not signed")
	}
}

func TestRetryExhausted500(t *testing.T) {
	html := "<!doctype html>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>"
	s := &scripted{answers: []answer{{500, nil, html}}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	c, slept := testClient(t, srv.URL)
	_, err := c.Call(context.Background(), op(t, "SetLogDeliveryConfiguration"), []byte(`{}`))
	ce := asCLIErr(t, err)
	if ce.Kind != clierr.Service || ce.Code != "500" || ce.Message != html || ce.Operation != "SetLogDeliveryConfiguration" {
		t.Fatalf("got %+v", ce)
	}
	want := "An error occurred (500) when calling the SetLogDeliveryConfiguration operation (reached max retries: 2): " + html
	if got := ClientErrorText(ce); got != want {
		t.Fatalf("text\n got %q\nwant %q", got, want)
	}
	var se *ServiceError
	if !errors.As(err, &se) || se.RetryInfo() != " (reached max retries: 2)" || se.Error() != want {
		t.Fatalf("service error %+v", se)
	}
	if s.count() != 3 || len(*slept) != 2 || (*slept)[1] != time.Second {
		t.Fatalf("calls %d slept %v", s.count(), *slept)
	}
}

func TestRetryDecisions(t *testing.T) {
	cases := []struct {
		name      string
		ans       answer
		attempts  string // AWS_MAX_ATTEMPTS
		calls     int
		code, msg string
		retryInfo string
	}{
		{"400 not retried", answer{400, nil, `{"__type":"ResourceNotFoundException","message":"User pool us-east-1_x does not exist."}`}, "", 1,
			"ResourceNotFoundException", "User pool us-east-1_x does not exist.", ""},
		{"throttle retried", answer{400, nil, `{"__type":"com.amazonaws#TooManyRequestsException","message":"Rate exceeded"}`}, "", 3,
			"TooManyRequestsException", "Rate exceeded", " (reached max retries: 2)"},
		{"LimitExceeded retried", answer{400, nil, `{"__type":"LimitExceededException","message":"x"}`}, "", 3,
			"LimitExceededException", "x", " (reached max retries: 2)"},
		{"503 generic", answer{503, nil, ``}, "", 3, "503", "Service Unavailable", " (reached max retries: 2)"},
		{"501 not retried", answer{501, nil, `<html><body>no</body></html>`}, "", 1, "501", "Not Implemented", ""},
		{"one attempt marks max", answer{400, nil, `{"__type":"NotAuthorizedException","message":"no"}`}, "1", 1,
			"NotAuthorizedException", "no", " (reached max retries: 0)"},
		{"five attempts", answer{500, nil, `oops`}, "5", 5, "500", "oops", " (reached max retries: 4)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := &scripted{answers: []answer{tc.ans}}
			srv := httptest.NewServer(s)
			defer srv.Close()
			isolate(t)
			if tc.attempts != "" {
				t.Setenv("AWS_MAX_ATTEMPTS", tc.attempts)
			}
			t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
			t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
			c, _, err := New(context.Background(), Config{Region: "us-east-1", EndpointURL: srv.URL})
			if err != nil {
				t.Fatal(err)
			}
			fixClock(c, time.Now())
			_, err = c.Call(context.Background(), op(t, "ListUsers"), []byte(`{}`))
			ce := asCLIErr(t, err)
			var se *ServiceError
			errors.As(err, &se)
			if ce.Code != tc.code || ce.Message != tc.msg || s.count() != tc.calls || se == nil || se.RetryInfo() != tc.retryInfo {
				t.Fatalf("got code %q msg %q calls %d info %q", ce.Code, ce.Message, s.count(), se.RetryInfo())
			}
		})
	}
}

func TestConnectionRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c, slept := testClient(t, "http://"+addr+"/x?y=1")
	_, err = c.Call(context.Background(), op(t, "ListUserPools"), []byte(`{}`))
	ce := asCLIErr(t, err)
	want := `Could not connect to the endpoint URL: "http://` + addr + `/x?y=1"`
	if ce.Kind != clierr.Other || ce.Message != want || ce.Code != "" {
		t.Fatalf("got %v %q", ce.Kind, ce.Message)
	}
	if len(*slept) != 2 {
		t.Fatalf("connection errors are retried: slept %v", *slept)
	}
}

func TestReadTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
	}))
	defer srv.Close()
	defer close(release)
	c, _ := testClient(t, srv.URL, func(cfg *Config) { cfg.ReadTimeout = intp(1) })
	c.maxAttempts = 1
	start := time.Now()
	_, err := c.Call(context.Background(), op(t, "ListUserPools"), []byte(`{}`))
	ce := asCLIErr(t, err)
	if ce.Message != `Read timeout on endpoint URL: "`+srv.URL+`/"` {
		t.Fatalf("got %q", ce.Message)
	}
	if d := time.Since(start); d < 900*time.Millisecond || d > 5*time.Second {
		t.Fatalf("took %v", d)
	}
}

func TestTLSVerification(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{}`)
	}))
	defer srv.Close()

	c, _ := testClient(t, srv.URL)
	c.maxAttempts = 1
	_, err := c.Call(context.Background(), op(t, "ListUserPools"), []byte(`{}`))
	ce := asCLIErr(t, err)
	if !strings.HasPrefix(ce.Message, "SSL validation failed for "+srv.URL+"/ ") {
		t.Fatalf("got %q", ce.Message)
	}

	c, _ = testClient(t, srv.URL, func(cfg *Config) { cfg.NoVerifySSL = true })
	if _, err := c.Call(context.Background(), op(t, "ListUserPools"), []byte(`{}`)); err != nil {
		t.Fatalf("--no-verify-ssl: %v", err)
	}

	c, _ = testClient(t, srv.URL, func(cfg *Config) { cfg.CABundle = "/nonexistent/ca.pem" })
	c.maxAttempts = 1
	_, err = c.Call(context.Background(), op(t, "ListUserPools"), []byte(`{}`))
	ce = asCLIErr(t, err)
	if ce.Message != "SSL validation failed for "+srv.URL+"/ [Errno 2] No such file or directory" {
		t.Fatalf("got %q", ce.Message)
	}
}

func TestCABundleFromEnvAndProfile(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{}`)
	}))
	defer srv.Close()
	pemPath := writeCertPEM(t, srv)
	for _, how := range []string{"flag", "AWS_CA_BUNDLE", "profile", "REQUESTS_CA_BUNDLE"} {
		t.Run(how, func(t *testing.T) {
			home := isolate(t)
			t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
			t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
			cfg := Config{Region: "us-east-1", EndpointURL: srv.URL}
			switch how {
			case "flag":
				cfg.CABundle = pemPath
			case "profile":
				writeAWSFiles(t, home, "[default]\nca_bundle = "+pemPath+"\n", "")
			default:
				t.Setenv(how, pemPath)
			}
			c, _, err := New(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Call(context.Background(), op(t, "ListUserPools"), []byte(`{}`)); err != nil {
				t.Fatal(err)
			}
		})
	}
}
