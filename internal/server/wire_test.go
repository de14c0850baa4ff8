package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"github.com/cognate/cognate/internal/model"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/cognate/cognate/internal/wire/sigv4"
)

const target = "AWSCognitoIdentityProviderService."

// rawRequest is one HTTP request to the server, signed unless key is "".
type rawRequest struct {
	method, target, body         string
	key, secret, region, service string
}

func (s *testServer) do(t *testing.T, r rawRequest) (int, http.Header, []byte) {
	t.Helper()
	if r.method == "" {
		r.method = http.MethodPost
	}
	req, err := http.NewRequest(r.method, s.URL+"/", strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	if r.target != "" {
		req.Header.Set("X-Amz-Target", r.target)
	}
	if r.key != "" {
		if r.region == "" {
			r.region = "us-west-2"
		}
		if r.service == "" {
			r.service = "cognito-idp"
		}
		sum := sha256.Sum256([]byte(r.body))
		creds := aws.Credentials{AccessKeyID: r.key, SecretAccessKey: r.secret}
		if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), r.service, r.region, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, body
}

var requestID = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// TestWireErrors pins the wire form of every error class of the JSON layer.
// Each case says why and where the expectation comes from
// (spec/log-delivery.md §1 unless named; "inferred" = Cognate's choice).
func TestWireErrors(t *testing.T) {
	srv := newTestServer(t, func(c *Config) { c.MaxBodyBytes = 4096 })
	signed := func(r rawRequest) rawRequest { r.key, r.secret = "AKIDEXAMPLE", "secret"; return r }
	const big = 5000
	cases := []struct {
		reason string
		req    rawRequest
		status int
		code   string
		// message is compared exactly; "-" means the body has no message.
		message string
	}{
		{"broken JSON: SerializationException without a message [EMU Coral capture]",
			signed(rawRequest{target: target + "DescribeUserPool", body: `{"UserPoolId":`}), 400, "SerializationException", "-"},
		{"wrong JSON type [EMU floci: matches AWS]",
			signed(rawRequest{target: target + "SetLogDeliveryConfiguration", body: `{"UserPoolId":"us-west-2_a","LogConfigurations":"nope"}`}), 400, "SerializationException", "Expected list or null"},
		{"unknown operation: 400, no message [OBS aws-sdk-net#1536]",
			signed(rawRequest{target: target + "NoSuchOperation", body: `{}`}), 400, "UnknownOperationException", "-"},
		{"unknown service prefix (inferred: unknown operation)",
			signed(rawRequest{target: "DynamoDB_20120810.ListTables", body: `{}`}), 400, "UnknownOperationException", "-"},
		{"no X-Amz-Target (inferred: unknown operation)",
			signed(rawRequest{body: `{}`}), 400, "UnknownOperationException", "-"},
		{"GET instead of POST (inferred: unknown operation)",
			rawRequest{method: http.MethodGet, target: target + "ListUserPools"}, 400, "UnknownOperationException", "-"},
		{"body over the configured limit: 413 (inferred; Common Errors lists RequestEntityTooLargeException)",
			signed(rawRequest{target: target + "CreateUserPool", body: `{"PoolName":"` + strings.Repeat("a", big) + `"}`}), 413, "RequestEntityTooLargeException", "Request body is larger than the 4096 bytes this endpoint accepts."},
		{"operation of the model not built yet: a 4xx naming it (never 5xx: SDKs retry those)",
			signed(rawRequest{target: target + "GetCSVHeader", body: `{"UserPoolId":"us-west-2_a"}`}), 400, "NotImplementedException", "Cognate does not implement GetCSVHeader yet."},
		{"validation comes before not-built, as shape errors on AWS come first",
			signed(rawRequest{target: target + "AdminGetUser", body: `{"UserPoolId":"bad","Username":"u"}`}), 400, "InvalidParameterException",
			"1 validation error detected: Value 'bad' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+"},
		{"IAM operation without a signature [OBS aws-sdk-net-extensions-cognito#95]",
			rawRequest{target: target + "DescribeUserPool", body: `{"UserPoolId":"us-west-2_a"}`}, 400, "MissingAuthenticationTokenException", "Missing Authentication Token"},
		{"no-auth operation without a signature is accepted (model smithy.api#noAuth); it then reaches not-built",
			rawRequest{target: target + "ListWebAuthnCredentials", body: `{"AccessToken":"abc"}`}, 400, "NotImplementedException", "Cognate does not implement ListWebAuthnCredentials yet."},
		{"signature scoped to another service [OBS arnemolland/sigv4#15]",
			signed(rawRequest{target: target + "ListUserPools", body: `{"MaxResults":1}`, service: "logs"}), 400, "InvalidSignatureException", "Credential should be scoped to correct service: 'cognito-idp'. "},
		{"malformed Authorization header [OBS cloud9-sync#10 style]",
			rawRequest{target: target + "ListUserPools", body: `{"MaxResults":1}`, key: "", secret: ""}, 400, "MissingAuthenticationTokenException", "Missing Authentication Token"},
		{"control characters in a string fail the model's pattern",
			signed(rawRequest{target: target + "CreateUserPool", body: `{"PoolName":"a\u0001b"}`}), 400, "InvalidParameterException",
			"1 validation error detected: Value 'a\x01b' at 'poolName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+"},
		{"shape errors before the pool lookup [EMU spec §3]",
			signed(rawRequest{target: target + "GetLogDeliveryConfiguration", body: `{"UserPoolId":""}`}), 400, "InvalidParameterException",
			"2 validation errors detected: Value '' at 'userPoolId' failed to satisfy constraint: Member must have length greater than or equal to 1; Value '' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+"},
		{"missing pool [OBS floci#2951]",
			signed(rawRequest{target: target + "DescribeUserPool", body: `{"UserPoolId":"us-west-2_NOSUCHPOO"}`}), 400, "ResourceNotFoundException", "User pool us-west-2_NOSUCHPOO does not exist."},
	}
	for _, tc := range cases {
		t.Run(tc.reason, func(t *testing.T) {
			status, h, body := srv.do(t, tc.req)
			if status != tc.status {
				t.Errorf("status = %d, want %d (%s)", status, tc.status, body)
			}
			var e map[string]string
			if err := json.Unmarshal(body, &e); err != nil {
				t.Fatalf("body %q is not a JSON error: %v", body, err)
			}
			if e["__type"] != tc.code {
				t.Errorf("__type = %q, want %q (%s)", e["__type"], tc.code, body)
			}
			msg, has := e["message"]
			if tc.message == "-" && has {
				t.Errorf("message = %q, want none", msg)
			}
			if tc.message != "-" && msg != tc.message {
				t.Errorf("message = %q\nwant      %q", msg, tc.message)
			}
			// Header forms captured live: ErrorType with a trailing colon [OBS S21].
			if got := h.Get("X-Amzn-Errortype"); got != tc.code+":" {
				t.Errorf("x-amzn-ErrorType = %q", got)
			}
			if !requestID.MatchString(h.Get("X-Amzn-Requestid")) {
				t.Errorf("x-amzn-RequestId = %q", h.Get("X-Amzn-Requestid"))
			}
			if h.Get("Content-Type") != "application/x-amz-json-1.1" {
				t.Errorf("Content-Type = %q", h.Get("Content-Type"))
			}
		})
	}
}

func TestWireSuccess(t *testing.T) {
	srv := newTestServer(t, nil)
	signed := func(target, body string) rawRequest {
		return rawRequest{target: target, body: body, key: "AKIDEXAMPLE", secret: "x"}
	}
	status, h, body := srv.do(t, signed(target+"CreateUserPool", `{"PoolName":"wire"}`))
	if status != 200 || h.Get("Content-Type") != "application/x-amz-json-1.1" || !requestID.MatchString(h.Get("X-Amzn-Requestid")) {
		t.Fatalf("create: %d %v %s", status, h, body)
	}
	// Members on the wire in alphabetical order, timestamps as Java doubles [OBS boto3#2516].
	if !bytes.HasPrefix(body, []byte(`{"UserPool":{"AdminCreateUserConfig":{"AllowAdminCreateUserOnly":false,"UnusedAccountValidityDays":7},"Arn":"arn:aws:cognito-idp:us-west-2:123456789012:userpool/us-west-2_TEST00001","CreationDate":1.`)) {
		t.Errorf("wire form: %s", body)
	}
	// An operation without an output shape answers 200 with an empty body [OBS cloud-custodian].
	status, _, body = srv.do(t, signed(target+"DeleteUserPool", `{"UserPoolId":"us-west-2_TEST00001"}`))
	if status != 200 || len(body) != 0 {
		t.Errorf("delete: %d %q", status, body)
	}
	// Unknown members are ignored; an empty output structure is {}.
	srv.do(t, signed(target+"CreateUserPool", `{"PoolName":"x"}`))
	status, _, body = srv.do(t, signed(target+"UpdateUserPool", `{"UserPoolId":"us-west-2_TEST00002","Bogus":1}`))
	if status != 200 || string(body) != "{}" {
		t.Errorf("update: %d %q", status, body)
	}
	resp, err := http.Get(srv.URL + "/health")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("health: %v %v", resp, err)
	}
	resp.Body.Close()
}

// TestStrictSignatures runs the server with configured keys: the signature
// is verified, and the key's account scopes the resources.
func TestStrictSignatures(t *testing.T) {
	keys := filepath.Join(t.TempDir(), "keys.csv")
	if err := os.WriteFile(keys, []byte("# key,secret,account\nAKIDALICE,alice-secret,111111111111\nAKIDBOB,bob-secret,222222222222\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	loaded, err := sigv4.LoadKeys(keys, "123456789012")
	if err != nil {
		t.Fatal(err)
	}
	srv := newTestServer(t, func(c *Config) { c.Keys = loaded })
	body := `{"PoolName":"strict"}`
	status, _, resp := srv.do(t, rawRequest{target: target + "CreateUserPool", body: body, key: "AKIDALICE", secret: "alice-secret"})
	if status != 200 || !strings.Contains(string(resp), ":111111111111:userpool/") {
		t.Fatalf("alice: %d %s", status, resp)
	}
	cases := []struct {
		reason string
		req    rawRequest
		code   string
		msg    string
	}{
		{"unknown key [OBS laravel-aws-cognito-auth#25]", rawRequest{key: "AKIDMALLORY", secret: "x"}, "UnrecognizedClientException", "The security token included in the request is invalid."},
		{"wrong secret [OBS aws-sdk-js#1985]", rawRequest{key: "AKIDALICE", secret: "guess"}, "InvalidSignatureException",
			"The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."},
		{"no signature", rawRequest{}, "MissingAuthenticationTokenException", "Missing Authentication Token"},
	}
	for _, tc := range cases {
		tc.req.target, tc.req.body = target+"ListUserPools", `{"MaxResults":10}`
		status, h, b := srv.do(t, tc.req)
		var e map[string]string
		_ = json.Unmarshal(b, &e)
		if status != 400 || e["__type"] != tc.code || e["message"] != tc.msg || h.Get("X-Amzn-Errortype") != tc.code+":" {
			t.Errorf("%s: %d %s", tc.reason, status, b)
		}
	}
	// Bob's account does not see Alice's pool.
	status, _, resp = srv.do(t, rawRequest{target: target + "ListUserPools", body: `{"MaxResults":10}`, key: "AKIDBOB", secret: "bob-secret"})
	if status != 200 || string(resp) != `{"UserPools":[]}` {
		t.Errorf("bob lists: %d %s", status, resp)
	}
}

// The lazily built services are registered under their models' prefixes.
func TestLazyServicePrefixes(t *testing.T) {
	if p := model.Logs().Metadata.TargetPrefix; p != logsTargetPrefix {
		t.Errorf("logs prefix %q, model says %q", logsTargetPrefix, p)
	}
	if p := model.Firehose().Metadata.TargetPrefix; p != firehoseTargetPrefix {
		t.Errorf("firehose prefix %q, model says %q", firehoseTargetPrefix, p)
	}
}
