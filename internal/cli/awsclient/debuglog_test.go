package awsclient

import (
	"context"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"
)

var logLineRE = regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} - MainThread - [a-z0-9_.]+ - (DEBUG|INFO|WARNING) - `)

func TestDebugLog(t *testing.T) {
	s := &scripted{answers: []answer{
		{503, nil, ``},
		{200, map[string]string{"x-amzn-RequestId": "rid-1"}, `{"UserPools": []}`},
	}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	var log strings.Builder
	c, _ := testClient(t, srv.URL, func(cfg *Config) { cfg.Debug = &log })
	c.log.now = func() time.Time { return time.Date(2026, 11, 25, 16, 48, 42, 44e6, time.Local) }
	if _, err := c.Call(context.Background(), op(t, "ListUserPools"), []byte(`{"MaxResults": 5}`)); err != nil {
		t.Fatal(err)
	}
	out := log.String()
	first := out[:strings.IndexByte(out, '\n')+1]
	if !logLineRE.MatchString(first) || !strings.HasSuffix(first, " - MainThread - botocore.endpoint - DEBUG - Setting cognito-idp timeout as (60, 60)\n") {
		t.Errorf("first line: %q", first)
	}
	if !strings.Contains(out, "\n2026-11-25 16:48:42,044 - MainThread - botocore.credentials - INFO - Found credentials in environment variables.\n") {
		t.Error("asctime is not the logger's clock in the CLI's format")
	}
	records := 0
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if logLineRE.MatchString(line) {
			records++
		}
	}
	if records < 20 {
		t.Errorf("only %d records:\n%s", records, out)
	}
	for _, want := range []string{
		" - botocore.regions - DEBUG - Calling endpoint provider with parameters: {'Region': 'us-east-1', 'UseDualStack': False, 'UseFIPS': False, 'Endpoint': '" + srv.URL + "'}\n",
		" - botocore.regions - DEBUG - Endpoint provider result: " + srv.URL + "\n",
		" - botocore.credentials - INFO - Found credentials in environment variables.\n",
		" - botocore.endpoint - DEBUG - Making request for OperationModel(name=ListUserPools) with params: {'url_path': '/', ",
		"'body': b'{\"MaxResults\": 5}'",
		" - botocore.auth - DEBUG - Calculating signature using v4 auth.\n",
		" - botocore.auth - DEBUG - CanonicalRequest:\nPOST\n/\n\ncontent-type:application/x-amz-json-1.1\nhost:" + strings.TrimPrefix(srv.URL, "http://") + "\n",
		"\ncontent-type;host;x-amz-date;x-amz-target\n",
		" - botocore.auth - DEBUG - StringToSign:\nAWS4-HMAC-SHA256\n",
		" - botocore.auth - DEBUG - Signature:\n",
		" - botocore.endpoint - DEBUG - Sending http request: <AWSPreparedRequest stream_output=False, method=POST, url=" + srv.URL + "/, headers={'X-Amz-Target': b'AWSCognitoIdentityProviderService.ListUserPools', ",
		"'amz-sdk-request': b'attempt=1', 'Content-Length': '17'}>\n",
		" - botocore.parsers - DEBUG - Response headers: {",
		" - botocore.parsers - DEBUG - Response body:\nb''\n",
		" - botocore.retries.standard - DEBUG - Retry needed, retrying request after delay of: 0.5\n",
		" - botocore.endpoint - DEBUG - Response received to retry, sleeping for 0.5 seconds\n",
		" - botocore.parsers - DEBUG - Response body:\nb'{\"UserPools\": []}'\n",
		" - botocore.retries.standard - DEBUG - Not retrying request.\n",
		" - urllib3.connectionpool - DEBUG - http://127.0.0.1:",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(out)
	}
}

func TestNilLogger(t *testing.T) {
	var l *Logger
	l.Debug("x", "y %d", 1)
	if l.Enabled() || NewLogger(nil) != nil {
		t.Fatal("nil logger enabled")
	}
}
