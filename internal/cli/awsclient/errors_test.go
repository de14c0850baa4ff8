package awsclient

import (
	"context"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/cognate/cognate/internal/cli/clierr"
	"github.com/cognate/cognate/internal/model"
)

func TestParseErrorResponse(t *testing.T) {
	cases := []struct {
		name      string
		status    int
		header    map[string]string
		body      string
		code, msg string
		details   [][2]string
	}{
		{"__type and message", 400, nil, `{"__type":"ResourceNotFoundException","message":"User pool us-west-2_notfound does not exist."}`,
			"ResourceNotFoundException", "User pool us-west-2_notfound does not exist.", nil},
		{"namespaced __type", 400, nil, `{"__type":"com.amazonaws.cognito#NotAuthorizedException","message":"Incorrect username or password."}`,
			"NotAuthorizedException", "Incorrect username or password.", nil},
		{"__type with colon", 400, nil, `{"__type":"InvalidParameterException:http://internal.amazon.com/coral/","message":"m"}`,
			"InvalidParameterException", "m", nil},
		{"Message capitalised", 400, nil, `{"__type":"UserNotFoundException","Message":"User does not exist."}`,
			"UserNotFoundException", "User does not exist.", nil},
		{"message wins over Message", 400, nil, `{"__type":"X","Message":"big","message":"small"}`, "X", "small", nil},
		{"no message", 400, nil, `{"__type":"X"}`, "X", "", nil},
		{"null message", 400, nil, `{"__type":"X","message":null}`, "X", "None", nil},
		{"no __type: status", 404, nil, `{"message":"nope"}`, "404", "nope", nil},
		{"null __type: empty code", 400, nil, `{"__type":null,"message":"m"}`, "", "m", nil},
		{"non-JSON body", 500, nil, "<!doctype html>\n<h1>Internal Server Error</h1>", "500", "<!doctype html>\n<h1>Internal Server Error</h1>", nil},
		{"non-JSON 4xx", 403, nil, "Forbidden", "403", "Forbidden", nil},
		{"generic html 502", 502, nil, "  <html><body>Bad</body></html>", "502", "Bad Gateway", nil},
		{"generic empty 500", 500, nil, "", "500", "Internal Server Error", nil},
		{"empty 400", 400, nil, "", "400", "", nil},
		{"query error header", 400, map[string]string{"x-amzn-query-error": "AWS.SimpleQueueService.NonExistentQueue;Sender"}, `{"__type":"QueueDoesNotExist","message":"m"}`,
			"AWS.SimpleQueueService.NonExistentQueue", "m", nil},
		{"reasonCode detail", 400, nil, `{"__type":"InvalidParameterException","message":"bad","reasonCode":"INVALID_EXTERNAL_ID"}`,
			"InvalidParameterException", "bad", [][2]string{{"reasonCode", "INVALID_EXTERNAL_ID"}}},
		{"unmodelled members dropped", 400, nil, `{"__type":"ResourceNotFoundException","message":"m","extra":"x"}`,
			"ResourceNotFoundException", "m", nil},
	}
	m := model.CognitoIDP()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tc.header {
				h.Set(k, v)
			}
			pe := parseErrorResponse(tc.status, h, []byte(tc.body))
			if pe.crash != "" {
				t.Fatalf("crash %q", pe.crash)
			}
			if pe.code != tc.code || pe.message != tc.msg {
				t.Fatalf("got (%q, %q), want (%q, %q)", pe.code, pe.message, tc.code, tc.msg)
			}
			if d := errorDetails(m, pe.code, pe.body); !reflect.DeepEqual(d, tc.details) {
				t.Fatalf("details %v, want %v", d, tc.details)
			}
		})
	}
}

func TestErrorBodyNotAnObject(t *testing.T) {
	for body, want := range map[string]string{`[1]`: "'list' object has no attribute 'get'", `"x"`: "'str' object has no attribute 'get'", `null`: "'NoneType' object has no attribute 'get'"} {
		if pe := parseErrorResponse(400, http.Header{}, []byte(body)); pe.crash != want {
			t.Errorf("%s: crash %q, want %q", body, pe.crash, want)
		}
	}
}

func TestServiceErrorThroughCall(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("x-amzn-RequestId", "rid-9")
		w.WriteHeader(400)
		w.Write([]byte(`{"__type":"InvalidParameterException","message":"bad","reasonCode":"INVALID_EXTERNAL_ID"}`))
	}))
	defer srv.Close()
	c, _ := testClient(t, srv.URL)
	_, err := c.Call(context.Background(), op(t, "AdminCreateUser"), []byte(`{}`))
	ce := asCLIErr(t, err)
	if ce.Kind.ExitCode() != 254 || ce.Code != "InvalidParameterException" || ce.Message != "bad" || ce.Operation != "AdminCreateUser" ||
		!reflect.DeepEqual(ce.Details, [][2]string{{"reasonCode", "INVALID_EXTERNAL_ID"}}) {
		t.Fatalf("got %+v", ce)
	}
	// --cli-error-format json|yaml|text|table: botocore's
	// response["Error"] (Message, then Code), then the error shape's
	// members in the body, "message" included.
	wantInfo := []clierr.Field{{Key: "Message", Value: "bad"}, {Key: "Code", Value: "InvalidParameterException"},
		{Key: "message", Value: "bad"}, {Key: "reasonCode", Value: "INVALID_EXTERNAL_ID"}}
	if !reflect.DeepEqual(ce.Info, wantInfo) {
		t.Fatalf("info %+v, want %+v", ce.Info, wantInfo)
	}
	if got := ClientErrorText(ce); got != "An error occurred (InvalidParameterException) when calling the AdminCreateUser operation: bad" {
		t.Fatalf("text %q", got)
	}
	if !IsServiceError(err) {
		t.Fatal("IsServiceError")
	}
}

func TestEnhancedValue(t *testing.T) {
	cases := map[string]any{
		"x":               "x",
		"True":            true,
		"None":            nil,
		"3":               int64(3),
		"2.0":             2.0,
		"[a, 1, None]":    []any{"a", int64(1), nil},
		"<complex value>": []any{"a", "b", "c", "d", "e"},
	}
	for want, v := range cases {
		if got := enhancedValue(v); got != want {
			t.Errorf("enhancedValue(%v) = %q, want %q", v, got, want)
		}
	}
}
