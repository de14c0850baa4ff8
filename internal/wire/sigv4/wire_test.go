package sigv4

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go"

	"github.com/cognate/cognate/internal/api"
)

// authServer is a test server that authenticates every request with v and
// answers as the wire layer will: 200 with {"UserPools":[]}, or the error as
// {"__type": Code, "message": Message} with Status(Code).
type authServer struct {
	*httptest.Server
	mu   sync.Mutex
	last Identity
}

func newAuthServer(t *testing.T, v *Verifier) *authServer {
	s := &authServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		id, err := v.Authenticate(r, body)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		if err != nil {
			var ae *api.Error
			if !errors.As(err, &ae) {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			w.WriteHeader(Status(ae.Code))
			json.NewEncoder(w).Encode(map[string]string{"__type": ae.Code, "message": ae.Message})
			return
		}
		s.mu.Lock()
		s.last = id
		s.mu.Unlock()
		io.WriteString(w, `{"UserPools":[]}`)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *authServer) identity() Identity {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

// TestCognitoClient drives the server with the real Cognito client of
// aws-sdk-go-v2, over HTTP: what it signs (content-length, amz-sdk-* headers,
// the JSON 1.1 target) must verify in strict mode, and its error parsing must
// read our errors as AWS's.
func TestCognitoClient(t *testing.T) {
	v := &Verifier{Keys: map[string]Key{testAKID: {AccessKeyID: testAKID, SecretAccessKey: testSecret, AccountID: testAccount}}}
	srv := newAuthServer(t, v)
	client := func(akid, secret, token string) *cip.Client {
		return cip.New(cip.Options{
			Region:           testRegion,
			BaseEndpoint:     aws.String(srv.URL),
			Credentials:      awscreds.NewStaticCredentialsProvider(akid, secret, token),
			HTTPClient:       srv.Client(),
			RetryMaxAttempts: 1,
		})
	}
	ctx := context.Background()
	in := &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)}

	cases := []struct {
		name                string
		reason              string
		akid, secret, token string
		code                string
	}{
		{"valid", "the SDK's own signature verifies", testAKID, testSecret, "", ""},
		{"session token", "session credentials sign X-Amz-Security-Token", testAKID, testSecret, "session-token", ""},
		{"wrong secret", "the client sees InvalidSignatureException", testAKID, "wrong", "", CodeInvalidSignature},
		{"unknown key", "the client sees UnrecognizedClientException", "AKIDUNKNOWN", testSecret, "", CodeUnrecognizedClient},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Log(tc.reason)
			_, err := client(tc.akid, tc.secret, tc.token).ListUserPools(ctx, in)
			if tc.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				want := Identity{Signed: true, AccessKeyID: testAKID, AccountID: testAccount, Region: testRegion, Service: testService}
				if got := srv.identity(); got != want {
					t.Fatalf("identity = %+v, want %+v", got, want)
				}
				return
			}
			var ae smithy.APIError
			if !errors.As(err, &ae) || ae.ErrorCode() != tc.code {
				t.Fatalf("err = %v, want %s", err, tc.code)
			}
		})
	}
}

// TestOverTheWire sends requests signed with the SDK's signer through a real
// Go HTTP client and server: a path, a query, repeated spaces and repeated
// headers must survive the trip unchanged in meaning.
func TestOverTheWire(t *testing.T) {
	v := &Verifier{Keys: map[string]Key{testAKID: {AccessKeyID: testAKID, SecretAccessKey: testSecret}}}
	srv := newAuthServer(t, v)
	cases := []struct {
		name, method, target, body string
		reason                     string
		header                     http.Header
		presign                    bool
	}{
		{name: "post", method: "POST", target: "/", body: testBody, reason: "content-length is signed from the request length"},
		{name: "path and query", method: "GET", target: "/a%20b/c~d/?z=1&a=%2F&a=-&q=x%20y", reason: "escaped path and query arrive as signed"},
		{name: "spaces", method: "POST", target: "/", body: testBody, reason: "spaces inside values are kept by net/http and collapsed by both sides",
			header: http.Header{"X-Spaces": {"a    b   c"}, "X-Twice": {"one", "two"}}},
		{name: "presigned", method: "GET", target: "/?Action=GetCallerIdentity", presign: true, reason: "a presigned URL used by a plain client"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Log(tc.reason)
			req, err := http.NewRequest(tc.method, srv.URL+tc.target, strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			for k, vs := range tc.header {
				for _, v := range vs {
					req.Header.Add(k, v)
				}
			}
			signer := v4.NewSigner()
			if tc.presign {
				u, _, err := signer.PresignHTTP(context.Background(), testCreds, req, unsignedPayload, testService, testRegion, time.Now())
				if err != nil {
					t.Fatal(err)
				}
				req, _ = http.NewRequest(tc.method, u, nil)
			} else if err := signer.SignHTTP(context.Background(), testCreds, req, hashHex([]byte(tc.body)), testService, testRegion, time.Now()); err != nil {
				t.Fatal(err)
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", resp.StatusCode, b)
			}
		})
	}
}
