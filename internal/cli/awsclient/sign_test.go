package awsclient

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// captureTransport answers every request with 200 {} and keeps it.
type captureTransport struct {
	mu   sync.Mutex
	reqs []*http.Request
	body []string
}

func (ct *captureTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	b, _ := io.ReadAll(r.Body)
	ct.mu.Lock()
	ct.reqs = append(ct.reqs, r)
	ct.body = append(ct.body, string(b))
	ct.mu.Unlock()
	return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("{}")), Request: r}, nil
}

// signCase is one request signed with fixed credentials at a fixed time.
type signCase struct {
	Region   string         `json:"region"`
	Endpoint string         `json:"endpoint,omitempty"`
	AK       string         `json:"ak"`
	SK       string         `json:"sk"`
	Token    string         `json:"token,omitempty"`
	Op       string         `json:"op"`
	Method   string         `json:"method"`
	Params   map[string]any `json:"params"`
	body     string
	// The values botocore 1.43.11 computes (pinned).
	wantURL, wantDate, wantAuth string
}

var signTime = time.Date(2026, 11, 25, 16, 48, 42, 0, time.UTC)

var signCases = []signCase{
	{Region: "us-east-1", AK: "AKIDEXAMPLE", SK: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", Op: "ListUserPools", Method: "list_user_pools",
		Params: map[string]any{"MaxResults": 5}, body: `{"MaxResults": 5}`,
		wantURL: "https://cognito-idp.us-east-1.amazonaws.com/", wantDate: "20261125T164842Z",
		wantAuth: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/us-east-1/cognito-idp/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=932db8db259e9cee7d04ef050a92f2444543d4352a3149d497b26fda01db30f6"},
	{Region: "cn-north-1", AK: "AKIDEXAMPLE", SK: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", Token: "SESSIONTOKEN", Op: "ListUserPools", Method: "list_user_pools",
		Params: map[string]any{"MaxResults": 5}, body: `{"MaxResults": 5}`,
		wantURL: "https://cognito-idp.cn-north-1.amazonaws.com.cn/", wantDate: "20261125T164842Z",
		wantAuth: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/cn-north-1/cognito-idp/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=7b8e63f390927a4a7a8770ac6490b503791d43d125cb4d09a9fb61766671db4e"},
	{Region: "eu-west-1", Endpoint: "http://127.0.0.1:9229", AK: "AKIDEXAMPLE", SK: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", Op: "ListUserPools", Method: "list_user_pools",
		Params: map[string]any{"MaxResults": 5}, body: `{"MaxResults": 5}`,
		wantURL: "http://127.0.0.1:9229/", wantDate: "20261125T164842Z",
		wantAuth: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/eu-west-1/cognito-idp/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=cee2aaac8e98ee27195bf8e634c4aab6944091b29e4f8f4aecad0d3eb75c6760"},
	{Region: "us-east-1", AK: "AKIDEXAMPLE", SK: "x", Op: "InitiateAuth", Method: "initiate_auth",
		Params: map[string]any{"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": "c"}, body: `{"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": "c"}`,
		wantURL: "https://cognito-idp.us-east-1.amazonaws.com/"},
}

// botocoreSignScript runs each case through a real botocore client with
// its clock fixed and a before-send hook that keeps the prepared request.
const botocoreSignScript = `
import json, datetime, sys
import botocore.session, botocore.auth, botocore.awsrequest
botocore.auth.get_current_datetime = lambda remove_tzinfo=True: datetime.datetime(2026, 11, 25, 16, 48, 42)
class Raw:
    def __init__(self, b): self.b = b
    def stream(self, **kw): yield self.b
out = []
s = botocore.session.get_session()
for case in json.loads(sys.stdin.read()):
    kw = dict(region_name=case['region'], aws_access_key_id=case['ak'], aws_secret_access_key=case['sk'])
    if case.get('token'): kw['aws_session_token'] = case['token']
    if case.get('endpoint'): kw['endpoint_url'] = case['endpoint']
    c = s.create_client('cognito-idp', **kw)
    cap = {}
    def before_send(request, **k):
        cap['url'] = request.url
        cap['headers'] = {k2: (v.decode() if isinstance(v, bytes) else v) for k2, v in request.headers.items()}
        cap['body'] = request.body.decode() if isinstance(request.body, bytes) else request.body
        return botocore.awsrequest.AWSResponse(request.url, 200, {}, Raw(b'{}'))
    c.meta.events.register('before-send.cognito-identity-provider.' + case['op'], before_send)
    getattr(c, case['method'])(**case['params'])
    out.append(cap)
print(json.dumps(out))
`

type botoRequest struct {
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
}

// signWithCognate sends each case through Client.Do with a capturing
// transport.
func signWithCognate(t *testing.T, tc signCase) (*http.Request, string) {
	t.Helper()
	isolate(t)
	t.Setenv("AWS_ACCESS_KEY_ID", tc.AK)
	t.Setenv("AWS_SECRET_ACCESS_KEY", tc.SK)
	if tc.Token != "" {
		t.Setenv("AWS_SESSION_TOKEN", tc.Token)
	}
	c, _, err := New(context.Background(), Config{Region: tc.Region, EndpointURL: tc.Endpoint})
	if err != nil {
		t.Fatal(err)
	}
	fixClock(c, signTime)
	ct := &captureTransport{}
	c.httpClient.Transport = ct
	if _, err := c.Call(context.Background(), op(t, tc.Op), []byte(tc.body)); err != nil {
		t.Fatal(err)
	}
	return ct.reqs[0], ct.body[0]
}

func TestSignatureMatchesPinnedBotocore(t *testing.T) {
	for _, tc := range signCases {
		t.Run(tc.Region+"/"+tc.Op, func(t *testing.T) {
			req, body := signWithCognate(t, tc)
			if req.URL.String() != tc.wantURL {
				t.Errorf("url %q, want %q", req.URL, tc.wantURL)
			}
			if got := req.Header.Get("X-Amz-Date"); got != tc.wantDate {
				t.Errorf("X-Amz-Date %q, want %q", got, tc.wantDate)
			}
			if got := req.Header.Get("Authorization"); got != tc.wantAuth {
				t.Errorf("Authorization\n got %q\nwant %q", got, tc.wantAuth)
			}
			if body != tc.body {
				t.Errorf("body %q", body)
			}
		})
	}
}

func TestSignatureMatchesBotocore(t *testing.T) {
	isolate(t)
	in, _ := json.Marshal(signCases)
	var boto []botoRequest
	runPythonStdin(t, botocoreSignScript, in, &boto)
	if len(boto) != len(signCases) {
		t.Fatalf("python returned %d requests", len(boto))
	}
	for i, tc := range signCases {
		t.Run(tc.Region+"/"+tc.Op, func(t *testing.T) {
			b := boto[i]
			if b.URL != tc.wantURL || b.Headers["X-Amz-Date"] != tc.wantDate || b.Headers["Authorization"] != tc.wantAuth || b.Body != tc.body {
				t.Errorf("botocore disagrees with the pinned values: %+v", b)
			}
			req, body := signWithCognate(t, tc)
			if req.URL.String() != b.URL {
				t.Errorf("url %q, botocore %q", req.URL, b.URL)
			}
			for _, h := range []string{"X-Amz-Target", "Content-Type", "X-Amz-Date", "X-Amz-Security-Token", "Authorization"} {
				if got := req.Header.Get(h); got != b.Headers[h] {
					t.Errorf("%s %q, botocore %q", h, got, b.Headers[h])
				}
			}
			if got := req.Header.Get("amz-sdk-request"); got != b.Headers["amz-sdk-request"] {
				t.Errorf("amz-sdk-request %q, botocore %q", got, b.Headers["amz-sdk-request"])
			}
			if body != b.Body {
				t.Errorf("body %q, botocore %q", body, b.Body)
			}
		})
	}
}
