package sigv4

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/cognate/cognate/internal/api"
)

// The signer in these tests is aws-sdk-go-v2's own (aws/signer/v4), so every
// accepted signature is one a real AWS client produced.

const (
	testAKID    = "AKIDEXAMPLE"
	testSecret  = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	testRegion  = "us-west-2"
	testService = "cognito-idp"
	testAccount = "210987654321"
	testHost    = "cognito-idp.us-west-2.amazonaws.com"
	testTarget  = "AWSCognitoIdentityProviderService.ListUserPools"
	testBody    = `{"MaxResults":10}`

	mismatch = "The request signature we calculated does not match the signature you provided. " +
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)

// testNow is the verifier's clock; requests are signed at it unless a case
// says otherwise.
var testNow = time.Date(2024, 1, 1, 0, 10, 0, 0, time.UTC)

var testCreds = aws.Credentials{AccessKeyID: testAKID, SecretAccessKey: testSecret}

func strictVerifier() *Verifier {
	return &Verifier{
		Keys: map[string]Key{
			testAKID:     {AccessKeyID: testAKID, SecretAccessKey: testSecret, AccountID: testAccount},
			"AKIDNOACCT": {AccessKeyID: "AKIDNOACCT", SecretAccessKey: "other"},
		},
		DefaultAccountID: "111111111111",
		Now:              func() time.Time { return testNow },
	}
}

// newRequest builds a request as a Go server hands it to a handler: the
// request line in RequestURI, Host set, no Content-Length header (the server
// keeps the length in ContentLength).
func newRequest(method, target, body string) *http.Request {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	r.Host = testHost
	if method == http.MethodPost {
		r.Header.Set("Content-Type", "application/x-amz-json-1.1")
		r.Header.Set("X-Amz-Target", testTarget)
	}
	return r
}

// signRequest signs r in place with the SDK's signer.
func signRequest(t testing.TB, r *http.Request, body string, creds aws.Credentials, at time.Time) {
	t.Helper()
	err := v4.NewSigner().SignHTTP(context.Background(), creds, r, hashHex([]byte(body)), testService, testRegion, at)
	if err != nil {
		t.Fatal(err)
	}
	// The signer rewrites the query into canonical order; keep the request
	// line in step, as it would be on the wire.
	r.RequestURI = r.URL.RequestURI()
}

// presign returns a server-side request for a presigned URL made by the SDK.
func presign(t testing.TB, method, target string, expires string, payloadHash string, creds aws.Credentials, at time.Time) *http.Request {
	t.Helper()
	r := httptest.NewRequest(method, target, nil)
	r.Host = testHost
	if expires != "" {
		q := r.URL.Query()
		q.Set("X-Amz-Expires", expires)
		r.URL.RawQuery = q.Encode()
	}
	signed, _, err := v4.NewSigner().PresignHTTP(context.Background(), creds, r, payloadHash, testService, testRegion, at)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(signed)
	if err != nil {
		t.Fatal(err)
	}
	out := httptest.NewRequest(method, u.RequestURI(), nil)
	out.Host = testHost
	return out
}

// replaceAuth edits the signed Authorization header.
func replaceAuth(old, new string) func(*http.Request) {
	return func(r *http.Request) {
		r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), old, new, 1))
	}
}

// wantErr checks err against an AWS code and exact message ("" for success).
func wantErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	var ae *api.Error
	if !errors.As(err, &ae) {
		t.Fatalf("error = %v (%T), want *api.Error %s", err, err, code)
	}
	if ae.Code != code || ae.Message != msg {
		t.Fatalf("error = %s: %q\nwant    %s: %q", ae.Code, ae.Message, code, msg)
	}
	if Status(ae.Code) != http.StatusBadRequest {
		t.Fatalf("Status(%s) = %d", ae.Code, Status(ae.Code))
	}
}

func TestStrictHeaderAuth(t *testing.T) {
	signed := func(method, target, body string, at time.Time, before func(*http.Request)) func(testing.TB) *http.Request {
		return func(t testing.TB) *http.Request {
			r := newRequest(method, target, body)
			if before != nil {
				before(r)
			}
			signRequest(t, r, body, testCreds, at)
			return r
		}
	}
	post := signed(http.MethodPost, "/", testBody, testNow, nil)

	cases := []struct {
		name   string
		reason string
		build  func(testing.TB) *http.Request
		after  func(*http.Request) // tampering after signing
		verify func(*Verifier)
		body   string // the body the server read; default testBody
		code   string
		msg    string
		want   Identity
	}{
		{
			name: "vanilla", reason: "a JSON 1.1 POST as the SDK signs it verifies",
			build: post,
			want:  Identity{Signed: true, AccessKeyID: testAKID, AccountID: testAccount, Region: testRegion, Service: testService},
		},
		{
			name: "query string", reason: "parameters are sorted by name then value and re-encoded (RFC 3986)",
			build: signed(http.MethodPost, "/?b=2&a=1&a=0&sp=x%20y&tilde=~&slash=a%2Fb&empty=&novalue", testBody, testNow, nil),
			want:  Identity{Signed: true, AccessKeyID: testAKID, AccountID: testAccount, Region: testRegion, Service: testService},
		},
		{
			name: "path", reason: "a non-S3 path is URI-encoded a second time (%20 -> %2520)",
			build: signed(http.MethodGet, "/some/path/with%20space/and~tilde/x%2Fy", "", testNow, nil),
			body:  "-",
			want:  Identity{Signed: true, AccessKeyID: testAKID, AccountID: testAccount, Region: testRegion, Service: testService},
		},
		{
			name: "session token", reason: "X-Amz-Security-Token is signed like any header and accepted in strict mode",
			build: func(t testing.TB) *http.Request {
				r := newRequest(http.MethodPost, "/", testBody)
				c := testCreds
				c.SessionToken = "FwoGZXIvYXdzEXAMPLE//token+with/slashes=="
				signRequest(t, r, testBody, c, testNow)
				if r.Header.Get("X-Amz-Security-Token") == "" {
					t.Fatal("signer did not add X-Amz-Security-Token")
				}
				return r
			},
			want: Identity{Signed: true, AccessKeyID: testAKID, AccountID: testAccount, Region: testRegion, Service: testService},
		},
		{
			name: "repeated spaces", reason: "header values are trimmed, runs of spaces collapsed, repeated headers joined with ','",
			build: signed(http.MethodPost, "/", testBody, testNow, func(r *http.Request) {
				r.Header.Set("X-Custom", "  a   b    c  ")
				r.Header.Add("X-Multi", "one")
				r.Header.Add("X-Multi", "two  words")
			}),
			want: Identity{Signed: true, AccessKeyID: testAKID, AccountID: testAccount, Region: testRegion, Service: testService},
		},
		{
			name: "key without account", reason: "a key with no AccountID reports DefaultAccountID",
			build: func(t testing.TB) *http.Request {
				r := newRequest(http.MethodPost, "/", testBody)
				signRequest(t, r, testBody, aws.Credentials{AccessKeyID: "AKIDNOACCT", SecretAccessKey: "other"}, testNow)
				return r
			},
			want: Identity{Signed: true, AccessKeyID: "AKIDNOACCT", AccountID: "111111111111", Region: testRegion, Service: testService},
		},
		{
			name: "within skew", reason: "14 minutes old is inside AWS's 15-minute window",
			build: signed(http.MethodPost, "/", testBody, testNow.Add(-14*time.Minute), nil),
			want:  Identity{Signed: true, AccessKeyID: testAKID, AccountID: testAccount, Region: testRegion, Service: testService},
		},
		{
			name: "content sha256 header", reason: "X-Amz-Content-Sha256 equal to the body's hash is used as the payload hash",
			build: signed(http.MethodPost, "/", testBody, testNow, func(r *http.Request) {
				r.Header.Set("X-Amz-Content-Sha256", hashHex([]byte(testBody)))
			}),
			want: Identity{Signed: true, AccessKeyID: testAKID, AccountID: testAccount, Region: testRegion, Service: testService},
		},
		// Tampering: each signed part changed after signing.
		{
			name: "body tampered", reason: "the payload hash covers the body",
			build: post, body: `{"MaxResults":60}`,
			code: CodeInvalidSignature, msg: mismatch,
		},
		{
			name: "header tampered", reason: "signed headers are covered",
			build: post, after: func(r *http.Request) { r.Header.Set("Content-Type", "application/json") },
			code: CodeInvalidSignature, msg: mismatch,
		},
		{
			name: "target tampered", reason: "X-Amz-Target is signed, so the operation cannot be swapped",
			build: post, after: func(r *http.Request) {
				r.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.DeleteUserPool")
			},
			code: CodeInvalidSignature, msg: mismatch,
		},
		{
			name: "host tampered", reason: "host comes from r.Host and is signed",
			build: post, after: func(r *http.Request) { r.Host = "evil.example" },
			code: CodeInvalidSignature, msg: mismatch,
		},
		{
			name: "query tampered", reason: "the canonical query string is covered",
			build: signed(http.MethodPost, "/?a=1", testBody, testNow, nil),
			after: func(r *http.Request) { r.URL.RawQuery = "a=2"; r.RequestURI = "/?a=2" },
			code:  CodeInvalidSignature, msg: mismatch,
		},
		{
			name: "path tampered", reason: "the canonical URI is covered",
			build: signed(http.MethodGet, "/a", "", testNow, nil),
			after: func(r *http.Request) { r.RequestURI = "/b" },
			body:  "-",
			code:  CodeInvalidSignature, msg: mismatch,
		},
		{
			name: "method tampered", reason: "the method is the first line of the canonical request",
			build: post, after: func(r *http.Request) { r.Method = http.MethodPut },
			code: CodeInvalidSignature, msg: mismatch,
		},
		{
			name: "wrong secret", reason: "a known key signed with another secret",
			build: func(t testing.TB) *http.Request {
				r := newRequest(http.MethodPost, "/", testBody)
				signRequest(t, r, testBody, aws.Credentials{AccessKeyID: testAKID, SecretAccessKey: "not-the-secret"}, testNow)
				return r
			},
			code: CodeInvalidSignature, msg: mismatch,
		},
		{
			name: "signature tampered", reason: "one hex digit changed",
			build: post, after: func(r *http.Request) {
				a := r.Header.Get("Authorization")
				last := a[len(a)-1]
				repl := byte('0')
				if last == '0' {
					repl = '1'
				}
				r.Header.Set("Authorization", a[:len(a)-1]+string(repl))
			},
			code: CodeInvalidSignature, msg: mismatch,
		},
		{
			name: "upper-case signature", reason: "the signature is compared as the lower-case hex AWS computes",
			build: post, after: func(r *http.Request) {
				a := r.Header.Get("Authorization")
				i := strings.Index(a, "Signature=") + len("Signature=")
				r.Header.Set("Authorization", a[:i]+strings.ToUpper(a[i:]))
			},
			code: CodeInvalidSignature, msg: mismatch,
		},
		{
			name: "content sha256 lies", reason: "a hex X-Amz-Content-Sha256 that is not the body's hash cannot vouch for the body",
			build: signed(http.MethodPost, "/", testBody, testNow, func(r *http.Request) {
				r.Header.Set("X-Amz-Content-Sha256", hashHex([]byte("something else")))
			}),
			code: CodeInvalidSignature, msg: mismatch,
		},
		{
			name: "unknown key", reason: "strict mode knows only the configured keys",
			build: func(t testing.TB) *http.Request {
				r := newRequest(http.MethodPost, "/", testBody)
				signRequest(t, r, testBody, aws.Credentials{AccessKeyID: "AKIDUNKNOWN", SecretAccessKey: testSecret}, testNow)
				return r
			},
			code: CodeUnrecognizedClient, msg: "The security token included in the request is invalid.",
		},
		{
			name: "expired", reason: "16 minutes old is past the 15-minute window",
			build: signed(http.MethodPost, "/", testBody, testNow.Add(-16*time.Minute), nil),
			code:  CodeInvalidSignature,
			msg:   "Signature expired: 20231231T235400Z is now earlier than 20231231T235500Z (20240101T001000Z - 15 min.)",
		},
		{
			name: "not yet current", reason: "16 minutes ahead of the clock",
			build: signed(http.MethodPost, "/", testBody, testNow.Add(16*time.Minute), nil),
			code:  CodeInvalidSignature,
			msg:   "Signature not yet current: 20240101T002600Z is still later than 20240101T002500Z (20240101T001000Z + 15 min.)",
		},
		{
			name: "custom skew", reason: "MaxSkew shows in the message",
			build:  signed(http.MethodPost, "/", testBody, testNow.Add(-6*time.Minute), nil),
			verify: func(v *Verifier) { v.MaxSkew = 5 * time.Minute },
			code:   CodeInvalidSignature,
			msg:    "Signature expired: 20240101T000400Z is now earlier than 20240101T000500Z (20240101T001000Z - 5 min.)",
		},
		{
			name: "scope date", reason: "the credential scope's date must be the request's day",
			build: post, after: replaceAuth("/20240101/", "/20240102/"),
			code: CodeInvalidSignature,
			msg:  "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20240102' != '20240101', from '20240101T001000Z'.",
		},
		{
			name: "scope terminator", reason: "the scope must end in aws4_request",
			build: post, after: replaceAuth("/aws4_request", "/aws5_request"),
			code: CodeInvalidSignature,
			msg:  "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. ",
		},
		{
			name: "scope all wrong", reason: "AWS joins every scope complaint into one message, region first",
			build: post, after: replaceAuth("/20240101/us-west-2/cognito-idp/aws4_request", "/2024/US_WEST/cognito-idp/term"),
			code: CodeInvalidSignature,
			msg: "Credential should be scoped to a valid region, not 'US_WEST'. " +
				"Credential should be scoped with a valid terminator: 'aws4_request', not 'term'. " +
				"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '2024' != '20240101', from '20240101T001000Z'.",
		},
		{
			name: "host not signed", reason: "strict mode refuses a signature that does not cover host",
			build: post, after: replaceAuth("SignedHeaders=content-length;content-type;host;", "SignedHeaders=content-length;content-type;"),
			code: CodeInvalidSignature, msg: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
		},
		{
			name: "algorithm", reason: "only AWS4-HMAC-SHA256 is supported (SigV4a is not)",
			build: post, after: replaceAuth("AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256"),
			code: CodeIncompleteSignature, msg: "Unsupported AWS 'algorithm': 'AWS4-ECDSA-P256-SHA256' (only AWS4-HMAC-SHA256 for now). ",
		},
		{
			name: "skew before scope", reason: "AWS checks the time before the credential scope",
			build: signed(http.MethodPost, "/", testBody, testNow.Add(-time.Hour), nil),
			after: replaceAuth("/aws4_request", "/x"),
			code:  CodeInvalidSignature,
			msg:   "Signature expired: 20231231T231000Z is now earlier than 20231231T235500Z (20240101T001000Z - 15 min.)",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Log(tc.reason)
			r := tc.build(t)
			if tc.after != nil {
				tc.after(r)
			}
			v := strictVerifier()
			if tc.verify != nil {
				tc.verify(v)
			}
			body := tc.body
			switch body {
			case "":
				body = testBody
			case "-":
				body = ""
			}
			id, err := v.Authenticate(r, []byte(body))
			wantErr(t, err, tc.code, tc.msg)
			if id != tc.want {
				t.Fatalf("identity = %+v, want %+v", id, tc.want)
			}
		})
	}
}

func TestPresigned(t *testing.T) {
	emptyHash := hashHex(nil)
	ok := Identity{Signed: true, AccessKeyID: testAKID, AccountID: testAccount, Region: testRegion, Service: testService}
	cases := []struct {
		name   string
		reason string
		build  func(testing.TB) *http.Request
		now    time.Time
		strict bool
		code   string
		msg    string
		want   Identity
	}{
		{
			name: "unsigned payload", reason: "the SDK's PresignHTTP with UNSIGNED-PAYLOAD and X-Amz-Expires verifies",
			build: func(t testing.TB) *http.Request {
				return presign(t, "GET", "/?Action=Test", "300", unsignedPayload, testCreds, testNow)
			},
			strict: true, want: ok,
		},
		{
			name: "body hash", reason: "Coral services presign with the body's hash (STS, boto/boto3#756); accepted too",
			build:  func(t testing.TB) *http.Request { return presign(t, "GET", "/", "", emptyHash, testCreds, testNow) },
			strict: true, want: ok,
		},
		{
			name: "session token", reason: "X-Amz-Security-Token is part of the signed query",
			build: func(t testing.TB) *http.Request {
				c := testCreds
				c.SessionToken = "session/token+=="
				return presign(t, "GET", "/x/y", "60", unsignedPayload, c, testNow)
			},
			strict: true, want: ok,
		},
		{
			name: "expired by X-Amz-Expires", reason: "a URL valid 300 s is refused at 301 s",
			build: func(t testing.TB) *http.Request {
				return presign(t, "GET", "/", "300", unsignedPayload, testCreds, testNow)
			},
			now:    testNow.Add(301 * time.Second),
			strict: true, code: CodeInvalidSignature,
			msg: "Signature expired: 20240101T001000Z is now earlier than 20240101T001001Z (20240101T001501Z - 5 min.)",
		},
		{
			name: "X-Amz-Expires beyond skew", reason: "X-Amz-Expires may keep a URL valid longer than the skew window",
			build: func(t testing.TB) *http.Request {
				return presign(t, "GET", "/", "3600", unsignedPayload, testCreds, testNow)
			},
			now:    testNow.Add(59 * time.Minute),
			strict: true, want: ok,
		},
		{
			name: "no X-Amz-Expires", reason: "without X-Amz-Expires the 15-minute window applies, as STS does",
			build: func(t testing.TB) *http.Request {
				return presign(t, "GET", "/", "", unsignedPayload, testCreds, testNow)
			},
			now:    testNow.Add(16 * time.Minute),
			strict: true, code: CodeInvalidSignature,
			msg: "Signature expired: 20240101T001000Z is now earlier than 20240101T001100Z (20240101T002600Z - 15 min.)",
		},
		{
			name: "tampered query", reason: "the query is signed (all but X-Amz-Signature)",
			build: func(t testing.TB) *http.Request {
				r := presign(t, "GET", "/?Action=Test", "300", unsignedPayload, testCreds, testNow)
				r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "Action=Test", "Action=Other", 1)
				return r
			},
			strict: true, code: CodeInvalidSignature, msg: mismatch,
		},
		{
			name: "expires too large", reason: "X-Amz-Expires is at most seven days",
			build: func(t testing.TB) *http.Request {
				return presign(t, "GET", "/", "604801", unsignedPayload, testCreds, testNow)
			},
			strict: false, code: CodeIncompleteSignature,
			msg: "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds",
		},
		{
			name: "expires not a number", reason: "X-Amz-Expires must be an integer",
			build: func(t testing.TB) *http.Request {
				return presign(t, "GET", "/", "soon", unsignedPayload, testCreds, testNow)
			},
			strict: true, code: CodeIncompleteSignature, msg: "X-Amz-Expires should be a number",
		},
		{
			name: "expires negative", reason: "X-Amz-Expires must not be negative",
			build: func(t testing.TB) *http.Request {
				return presign(t, "GET", "/", "-1", unsignedPayload, testCreds, testNow)
			},
			strict: true, code: CodeIncompleteSignature, msg: "X-Amz-Expires must be non-negative",
		},
		{
			name: "missing signature", reason: "AWS lists each missing query parameter",
			build: func(t testing.TB) *http.Request {
				r := httptest.NewRequest("GET", "/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20240101T001000Z", nil)
				return r
			},
			code: CodeIncompleteSignature,
			msg: "AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string parameters must include 'X-Amz-Signature'. " +
				"AWS query-string parameters must include 'X-Amz-SignedHeaders'. Re-examine the query-string parameters.",
		},
		{
			name: "signature only", reason: "an X-Amz-Signature parameter alone is query authentication, and incomplete",
			build: func(t testing.TB) *http.Request { return httptest.NewRequest("GET", "/?X-Amz-Signature=abc", nil) },
			code:  CodeIncompleteSignature,
			msg: "AWS query-string parameters must include 'X-Amz-Algorithm'. AWS query-string parameters must include 'X-Amz-Credential'. " +
				"AWS query-string parameters must include 'X-Amz-SignedHeaders'. AWS query-string parameters must include 'X-Amz-Date'. " +
				"Re-examine the query-string parameters.",
		},
		{
			name: "both header and query", reason: "AWS refuses a request authenticated both ways",
			build: func(t testing.TB) *http.Request {
				r := presign(t, "GET", "/", "300", unsignedPayload, testCreds, testNow)
				r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=x")
				return r
			},
			code: CodeInvalidSignature, msg: "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
		},
		{
			name: "permissive garbage", reason: "permissive mode parses the scope and ignores the signature",
			build: func(t testing.TB) *http.Request {
				return httptest.NewRequest("GET", "/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=anykey%2F20240101%2Feu-west-1%2Flogs%2Faws4_request"+
					"&X-Amz-Date=20240101T001000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=nonsense", nil)
			},
			want: Identity{Signed: true, AccessKeyID: "anykey", AccountID: DefaultAccount, Region: "eu-west-1", Service: "logs"},
		},
		{
			name: "bad date", reason: "X-Amz-Date must be ISO 8601 basic format",
			build: func(t testing.TB) *http.Request {
				return httptest.NewRequest("GET", "/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=k%2F20240101%2Fus-east-1%2Fs3%2Faws4_request"+
					"&X-Amz-Date=2024-01-01T00:10:00Z&X-Amz-SignedHeaders=host&X-Amz-Signature=x", nil)
			},
			code: CodeIncompleteSignature, msg: "Date must be in ISO-8601 'basic format'. Got '2024-01-01T00:10:00Z'. See http://en.wikipedia.org/wiki/ISO_8601",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Log(tc.reason)
			r := tc.build(t)
			v := &Verifier{}
			if tc.strict {
				v = strictVerifier()
				now := tc.now
				if now.IsZero() {
					now = testNow
				}
				v.Now = func() time.Time { return now }
			}
			id, err := v.Authenticate(r, nil)
			wantErr(t, err, tc.code, tc.msg)
			if id != tc.want {
				t.Fatalf("identity = %+v, want %+v", id, tc.want)
			}
		})
	}
}

// garbage is a well-formed header with a signature that signs nothing.
const garbage = "AWS4-HMAC-SHA256 Credential=AKIDANY/20240101/eu-central-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date, Signature=garbage"

func TestPermissive(t *testing.T) {
	cases := []struct {
		name    string
		reason  string
		headers map[string]string
		verify  Verifier
		code    string
		msg     string
		want    Identity
	}{
		{
			name: "garbage signature", reason: "permissive mode accepts any well-formed header and reads region and service",
			headers: map[string]string{"Authorization": garbage, "X-Amz-Date": "20240101T000000Z"},
			want:    Identity{Signed: true, AccessKeyID: "AKIDANY", AccountID: DefaultAccount, Region: "eu-central-1", Service: "cognito-idp"},
		},
		{
			name: "default account", reason: "DefaultAccountID is every request's account",
			headers: map[string]string{"Authorization": garbage, "X-Amz-Date": "20240101T000000Z"},
			verify:  Verifier{DefaultAccountID: "999999999999"},
			want:    Identity{Signed: true, AccessKeyID: "AKIDANY", AccountID: "999999999999", Region: "eu-central-1", Service: "cognito-idp"},
		},
		{
			name: "no time check", reason: "permissive mode ignores the clock (a year-old request passes)",
			headers: map[string]string{"Authorization": strings.ReplaceAll(garbage, "20240101", "20230101"), "X-Amz-Date": "20230101T000000Z"},
			want:    Identity{Signed: true, AccessKeyID: "AKIDANY", AccountID: DefaultAccount, Region: "eu-central-1", Service: "cognito-idp"},
		},
		{
			name: "date header", reason: "an HTTP Date header is used when X-Amz-Date is absent",
			headers: map[string]string{"Authorization": garbage, "Date": "Mon, 01 Jan 2024 23:59:59 GMT"},
			want:    Identity{Signed: true, AccessKeyID: "AKIDANY", AccountID: DefaultAccount, Region: "eu-central-1", Service: "cognito-idp"},
		},
		{
			name: "date header other day", reason: "the scope date is compared with the Date header's day",
			headers: map[string]string{"Authorization": garbage, "Date": "Tue, 02 Jan 2024 00:00:00 GMT"},
			code:    CodeInvalidSignature,
			msg:     "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20240101' != '20240102', from '20240102T000000Z'.",
		},
		{
			name: "x-amz-date wins", reason: "X-Amz-Date is read before Date",
			headers: map[string]string{"Authorization": garbage, "X-Amz-Date": "20240101T120000Z", "Date": "Tue, 02 Jan 2024 00:00:00 GMT"},
			want:    Identity{Signed: true, AccessKeyID: "AKIDANY", AccountID: DefaultAccount, Region: "eu-central-1", Service: "cognito-idp"},
		},
		{
			name: "no authorization", reason: "an unsigned request is ErrMissingAuth, for the caller to judge",
			headers: map[string]string{"X-Amz-Date": "20240101T000000Z"},
			code:    CodeMissingAuthenticationToken, msg: "Missing Authentication Token",
		},
		{
			name: "bearer token", reason: "a non-SigV4 Authorization header counts as no signature (DynamoDB does the same)",
			headers: map[string]string{"Authorization": "Bearer eyJhbGciOi"},
			code:    CodeMissingAuthenticationToken, msg: "Missing Authentication Token",
		},
		{
			name: "all parameters missing", reason: "AWS lists every missing part, then echoes the header",
			headers: map[string]string{"Authorization": "AWS4-HMAC-SHA256"},
			code:    CodeIncompleteSignature,
			msg: "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
				"Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
				"Authorization=AWS4-HMAC-SHA256",
		},
		{
			name: "signature missing", reason: "a partial list, as amazonka#316 saw from SES",
			headers: map[string]string{"Authorization": "AWS4-HMAC-SHA256 Credential=ABCDEF", "X-Amz-Date": "20240101T000000Z"},
			code:    CodeIncompleteSignature,
			msg: "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. " +
				"Authorization=AWS4-HMAC-SHA256 Credential=ABCDEF",
		},
		{
			name: "date missing", reason: "a header needs X-Amz-Date or Date",
			headers: map[string]string{"Authorization": garbage},
			code:    CodeIncompleteSignature,
			msg:     "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=" + garbage,
		},
		{
			name: "stray space", reason: "a space after 'Credential=' splits off an element without '='",
			headers: map[string]string{"Authorization": "AWS4-HMAC-SHA256 Credential= AKID/20240101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=x", "X-Amz-Date": "20240101T000000Z"},
			code:    CodeIncompleteSignature,
			msg: "'AKID/20240101/us-east-1/cognito-idp/aws4_request' not a valid key=value pair (missing equal-sign) in Authorization header: " +
				"'AWS4-HMAC-SHA256 Credential= AKID/20240101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=x'.",
		},
		{
			name: "bad date", reason: "X-Amz-Date must be ISO 8601 basic format, without fractions",
			headers: map[string]string{"Authorization": garbage, "X-Amz-Date": "20240101T000000.5Z"},
			code:    CodeIncompleteSignature, msg: "Date must be in ISO-8601 'basic format'. Got '20240101T000000.5Z'. See http://en.wikipedia.org/wiki/ISO_8601",
		},
		{
			name: "four elements", reason: "the credential must have five elements",
			headers: map[string]string{"Authorization": "AWS4-HMAC-SHA256 Credential=a/b/c/d, SignedHeaders=host, Signature=x", "X-Amz-Date": "20240101T000000Z"},
			code:    CodeIncompleteSignature, msg: "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'a/b/c/d'",
		},
		{
			name: "trailing slash", reason: "trailing slashes of the credential are ignored",
			headers: map[string]string{"Authorization": strings.Replace(garbage, "aws4_request,", "aws4_request//,", 1), "X-Amz-Date": "20240101T000000Z"},
			want:    Identity{Signed: true, AccessKeyID: "AKIDANY", AccountID: DefaultAccount, Region: "eu-central-1", Service: "cognito-idp"},
		},
		{
			name: "unknown algorithm", reason: "permissive mode still refuses an algorithm it cannot verify",
			headers: map[string]string{"Authorization": strings.Replace(garbage, "SHA256", "SHA512", 1), "X-Amz-Date": "20240101T000000Z"},
			code:    CodeIncompleteSignature, msg: "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). ",
		},
		{
			name: "space in region", reason: "a space splits the credential, leaving an element without '='",
			headers: map[string]string{"Authorization": strings.Replace(garbage, "eu-central-1", "eu central", 1), "X-Amz-Date": "20240101T000000Z"},
			code:    CodeIncompleteSignature,
			msg: "'central/cognito-idp/aws4_request' not a valid key=value pair (missing equal-sign) in Authorization header: '" +
				strings.Replace(garbage, "eu-central-1", "eu central", 1) + "'.",
		},
		{
			name: "upper-case region", reason: "the region must be well-formed (lower case): it goes into pool IDs and ARNs",
			headers: map[string]string{"Authorization": strings.Replace(garbage, "eu-central-1", "EU-CENTRAL-1", 1), "X-Amz-Date": "20240101T000000Z"},
			code:    CodeInvalidSignature, msg: "Credential should be scoped to a valid region, not 'EU-CENTRAL-1'. ",
		},
		{
			name: "too long", reason: "an Authorization header over 8 KiB is refused before parsing",
			headers: map[string]string{"Authorization": garbage + strings.Repeat("x", maxAuthorizationBytes), "X-Amz-Date": "20240101T000000Z"},
			code:    CodeIncompleteSignature, msg: "Authorization header is longer than 8192 bytes.",
		},
		{
			name: "too many signed headers", reason: "more than 64 signed headers are refused",
			headers: map[string]string{
				"Authorization": strings.Replace(garbage, "SignedHeaders=host;x-amz-date", "SignedHeaders=host"+strings.Repeat(";x", 64), 1),
				"X-Amz-Date":    "20240101T000000Z",
			},
			code: CodeIncompleteSignature, msg: "SignedHeaders lists more than 64 headers.",
		},
		{
			name: "64 signed headers", reason: "exactly 64 signed headers are allowed",
			headers: map[string]string{
				"Authorization": strings.Replace(garbage, "SignedHeaders=host;x-amz-date", "SignedHeaders=host"+strings.Repeat(";x", 63), 1),
				"X-Amz-Date":    "20240101T000000Z",
			},
			want: Identity{Signed: true, AccessKeyID: "AKIDANY", AccountID: DefaultAccount, Region: "eu-central-1", Service: "cognito-idp"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Log(tc.reason)
			r := httptest.NewRequest("POST", "/", strings.NewReader(testBody))
			for k, v := range tc.headers {
				r.Header.Set(k, v)
			}
			v := tc.verify
			id, err := v.Authenticate(r, []byte(testBody))
			wantErr(t, err, tc.code, tc.msg)
			if id != tc.want {
				t.Fatalf("identity = %+v, want %+v", id, tc.want)
			}
			if tc.code == CodeMissingAuthenticationToken && !errors.Is(err, ErrMissingAuth) {
				t.Fatal("errors.Is(err, ErrMissingAuth) is false")
			}
		})
	}
}

func TestSeveralAuthorizationHeaders(t *testing.T) {
	// Two Authorization headers are ambiguous: which one was checked?
	r := httptest.NewRequest("POST", "/", nil)
	r.Header.Add("Authorization", garbage)
	r.Header.Add("Authorization", garbage)
	r.Header.Set("X-Amz-Date", "20240101T000000Z")
	_, err := (&Verifier{}).Authenticate(r, nil)
	wantErr(t, err, CodeIncompleteSignature, "Request has more than one 'Authorization' header.")
}

func TestNilRequestParts(t *testing.T) {
	// A hand-made request may lack URL and Header; that is "no signature".
	if _, err := (&Verifier{}).Authenticate(&http.Request{}, nil); !errors.Is(err, ErrMissingAuth) {
		t.Fatalf("err = %v", err)
	}
	if _, err := (&Verifier{}).Authenticate(nil, nil); !errors.Is(err, ErrMissingAuth) {
		t.Fatalf("err = %v", err)
	}
	r := &http.Request{Header: http.Header{"Authorization": {garbage}, "X-Amz-Date": {"20240101T000000Z"}}}
	if _, err := strictVerifier().Authenticate(r, nil); err == nil {
		t.Fatal("strict mode accepted a garbage signature")
	}
}

func TestStatus(t *testing.T) {
	cases := []struct {
		code string
		want int
	}{
		{CodeIncompleteSignature, 400},
		{CodeInvalidSignature, 400},
		{CodeUnrecognizedClient, 400},
		{CodeMissingAuthenticationToken, 400},
		{"ResourceNotFoundException", 0}, // not this package's: the caller's own mapping applies
	}
	for _, tc := range cases {
		if got := Status(tc.code); got != tc.want {
			t.Errorf("Status(%s) = %d, want %d", tc.code, got, tc.want)
		}
	}
}

func TestWrongService(t *testing.T) {
	// Text seen from DynamoDB (arnemolland/sigv4#15), trailing space included.
	wantErr(t, WrongService("cognito-idp"), CodeInvalidSignature, "Credential should be scoped to correct service: 'cognito-idp'. ")
}
