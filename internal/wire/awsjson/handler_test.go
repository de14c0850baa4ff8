package awsjson

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/wire/sigv4"
)

type echoInput struct {
	Value *string `json:"Value,omitzero"`
}

// newService is a one-operation service whose handler does what behave says.
func newService(behave func(in *echoInput) (any, error)) *Service {
	return &Service{
		TargetPrefix: "Test",
		SigningName:  "test",
		Validate:     func(_ string, body []byte) ([]byte, error) { return body, nil },
		Operations: map[string]*Operation{
			"Echo": {Name: "Echo", InputShape: "EchoInput", NoAuth: true, Endpoint: api.Endpoint{
				Operation: "Echo",
				NewInput:  func() any { return new(echoInput) },
				Call: func(_ context.Context, in any) (any, error) {
					return behave(in.(*echoInput))
				},
			}},
		},
	}
}

func post(t *testing.T, url, body string) (int, map[string]string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("X-Amz-Target", "Test.Echo")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out map[string]string
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("body %q: %v", b, err)
	}
	return resp.StatusCode, out
}

func TestPanicBecomesInternalError(t *testing.T) {
	h := NewHandler(Config{Auth: &sigv4.Verifier{}, DefaultRegion: "us-east-1"}, newService(func(in *echoInput) (any, error) {
		if *in.Value == "boom" {
			panic("handler bug")
		}
		return map[string]string{"Value": *in.Value}, nil
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	status, body := post(t, srv.URL, `{"Value":"boom"}`)
	// InternalErrorException is the model's fault: HTTP 500 [DOC].
	if status != 500 || body["__type"] != "InternalErrorException" || strings.Contains(body["message"], "handler bug") {
		t.Errorf("panic answered %d %v", status, body)
	}
	// The process, and the server, are still there.
	status, body = post(t, srv.URL, `{"Value":"fine"}`)
	if status != 200 || body["Value"] != "fine" {
		t.Errorf("after the panic: %d %v", status, body)
	}
}

func TestUnknownErrorsAreInternal(t *testing.T) {
	h := NewHandler(Config{Auth: &sigv4.Verifier{}}, newService(func(*echoInput) (any, error) {
		return nil, io.ErrUnexpectedEOF // not an *api.Error: a bug or a storage failure
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	status, body := post(t, srv.URL, `{"Value":"x"}`)
	if status != 500 || body["__type"] != "InternalErrorException" || body["message"] != "Internal server error." {
		t.Errorf("got %d %v", status, body)
	}
}

func TestModelledErrorsKeepTheirIdentity(t *testing.T) {
	h := NewHandler(Config{Auth: &sigv4.Verifier{}}, newService(func(*echoInput) (any, error) {
		return nil, api.InvalidParameter("bad %s", "thing").WithReason("REASON")
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	status, body := post(t, srv.URL, `{"Value":"x"}`)
	if status != 400 || body["__type"] != "InvalidParameterException" || body["message"] != "bad thing" || body["reasonCode"] != "REASON" {
		t.Errorf("got %d %v", status, body)
	}
}
