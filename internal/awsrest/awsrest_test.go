package awsrest

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/credentials"
)

// Requests are signed for the service and region; 5xx answers are tried
// again, 4xx answers are errors with the code of their XML or JSON body.
func TestDo(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		auth := r.Header.Get("Authorization")
		if !strings.Contains(auth, "/us-west-2/s3/aws4_request") || r.Header.Get("X-Amz-Content-Sha256") == "" {
			t.Errorf("request %d not signed for s3 in us-west-2: %q", n, auth)
		}
		switch r.URL.Path {
		case "/flaky":
			if n < 3 {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			w.Write([]byte("done"))
		case "/xml":
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`<?xml version="1.0"?><Error><Code>NoSuchBucket</Code><Message>gone</Message></Error>`))
		case "/json":
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"__type":"com.amazon#ResourceNotFoundException","message":"no stream"}`))
		}
	}))
	defer srv.Close()
	c := &Client{Endpoint: srv.URL, Service: "s3", Region: "us-west-2", Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", "")}
	out, err := c.Do(context.Background(), http.MethodPut, "/flaky", nil, []byte("x"))
	if err != nil || string(out) != "done" || calls.Load() != 3 {
		t.Errorf("flaky: %q %v after %d calls", out, err, calls.Load())
	}
	for path, want := range map[string]Error{"/xml": {Status: 404, Code: "NoSuchBucket", Message: "gone"}, "/json": {Status: 400, Code: "ResourceNotFoundException", Message: "no stream"}} {
		before := calls.Load()
		_, err := c.Do(context.Background(), http.MethodGet, path, nil, nil)
		var apiErr *Error
		if !errors.As(err, &apiErr) || *apiErr != want || calls.Load()-before != 1 {
			t.Errorf("%s: %v (%d calls), want %+v once", path, err, calls.Load()-before, want)
		}
	}
}
