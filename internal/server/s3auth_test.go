package server

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	s3sdk "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/cognate/cognate/internal/wire/sigv4"
)

// s3Client is the official Go SDK's S3 client for the server, path-style.
func (s *testServer) s3Client(key, secret string) *s3sdk.Client {
	return s3sdk.New(s3sdk.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(s.URL),
		UsePathStyle:     true,
		Credentials:      credentials.NewStaticCredentialsProvider(key, secret, ""),
		RetryMaxAttempts: 1,
		HTTPClient:       &http.Client{Transport: plainBodies{http.DefaultTransport}},
	})
}

// s3Error asserts err is an S3 error with code and, when message is not
// empty, that message.
func s3Error(t *testing.T, err error, code, message string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want %s", err, code)
	}
	if ae.ErrorCode() != code || (message != "" && ae.ErrorMessage() != message) {
		t.Fatalf("err = %s %q, want %s %q", ae.ErrorCode(), ae.ErrorMessage(), code, message)
	}
}

func strictServer(t *testing.T, now func() time.Time) *testServer {
	return newTestServer(t, func(c *Config) {
		c.Keys = map[string]sigv4.Key{"AKIDLOGS": {AccessKeyID: "AKIDLOGS", SecretAccessKey: "right-secret"}}
		c.Now = now
	})
}

// TestS3StrictModeNeedsAConfiguredKey: with strict keys, the built-in S3
// serves only requests a configured key signed, as the JSON APIs on the
// same port; the logs exported there are not open to anyone who can reach
// the port.
func TestS3StrictModeNeedsAConfiguredKey(t *testing.T) {
	srv := strictServer(t, nil)
	good := srv.s3Client("AKIDLOGS", "right-secret")
	if _, err := good.CreateBucket(ctx, &s3sdk.CreateBucketInput{Bucket: aws.String("logs")}); err != nil {
		t.Fatalf("CreateBucket with a configured key: %v", err)
	}
	body := []byte(`{"eventSource":"userAuthEvents"}` + "\n")
	if _, err := good.PutObject(ctx, &s3sdk.PutObjectInput{Bucket: aws.String("logs"), Key: aws.String("AWSLogs/a.log"), Body: bytes.NewReader(body)}); err != nil {
		t.Fatalf("PutObject with a configured key: %v", err)
	}
	got, err := good.GetObject(ctx, &s3sdk.GetObjectInput{Bucket: aws.String("logs"), Key: aws.String("AWSLogs/a.log")})
	if err != nil {
		t.Fatalf("GetObject with a configured key: %v", err)
	}
	read, _ := io.ReadAll(got.Body)
	got.Body.Close()
	if !bytes.Equal(read, body) {
		t.Fatalf("object = %q, want %q", read, body)
	}

	wrongSecret := srv.s3Client("AKIDLOGS", "wrong-secret")
	_, err = wrongSecret.GetObject(ctx, &s3sdk.GetObjectInput{Bucket: aws.String("logs"), Key: aws.String("AWSLogs/a.log")})
	s3Error(t, err, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.")
	_, err = wrongSecret.DeleteObject(ctx, &s3sdk.DeleteObjectInput{Bucket: aws.String("logs"), Key: aws.String("AWSLogs/a.log")})
	s3Error(t, err, "SignatureDoesNotMatch", "")

	unknown := srv.s3Client("AKIDSTRANGER", "right-secret")
	_, err = unknown.ListObjectsV2(ctx, &s3sdk.ListObjectsV2Input{Bucket: aws.String("logs")})
	s3Error(t, err, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")
	_, err = unknown.PutObject(ctx, &s3sdk.PutObjectInput{Bucket: aws.String("logs"), Key: aws.String("AWSLogs/a.log"), Body: strings.NewReader("forged")})
	s3Error(t, err, "InvalidAccessKeyId", "")

	// The refused calls changed nothing.
	got, err = good.GetObject(ctx, &s3sdk.GetObjectInput{Bucket: aws.String("logs"), Key: aws.String("AWSLogs/a.log")})
	if err != nil {
		t.Fatalf("GetObject after refused calls: %v", err)
	}
	read, _ = io.ReadAll(got.Body)
	got.Body.Close()
	if !bytes.Equal(read, body) {
		t.Fatalf("object after refused calls = %q, want %q", read, body)
	}
}

// TestS3PermissiveModeTakesAnyKey: without keys, any signature is taken,
// as the JSON APIs take it.
func TestS3PermissiveModeTakesAnyKey(t *testing.T) {
	srv := newTestServer(t, nil)
	c := srv.s3Client("ANYKEY", "any-secret")
	if _, err := c.ListObjectsV2(ctx, &s3sdk.ListObjectsV2Input{Bucket: aws.String("amzn-s3-demo-bucket1")}); err != nil {
		t.Fatalf("ListObjectsV2 in permissive mode: %v", err)
	}
}

// TestS3PresignedURLs: a presigned GET works until its X-Amz-Expires ends,
// then S3's "Request has expired".
func TestS3PresignedURLs(t *testing.T) {
	clock := time.Now().UTC()
	srv := strictServer(t, func() time.Time { return clock })
	good := srv.s3Client("AKIDLOGS", "right-secret")
	if _, err := good.PutObject(ctx, &s3sdk.PutObjectInput{Bucket: aws.String("amzn-s3-demo-bucket1"), Key: aws.String("k"), Body: strings.NewReader("v")}); err != nil {
		t.Fatal(err)
	}
	presigned, err := s3sdk.NewPresignClient(good, s3sdk.WithPresignExpires(time.Minute)).PresignGetObject(ctx,
		&s3sdk.GetObjectInput{Bucket: aws.String("amzn-s3-demo-bucket1"), Key: aws.String("k")})
	if err != nil {
		t.Fatal(err)
	}
	status, code, _ := rawS3(t, http.MethodGet, presigned.URL, nil, nil)
	if status != http.StatusOK {
		t.Fatalf("presigned GET: %d %s", status, code)
	}
	clock = clock.Add(2 * time.Minute)
	status, code, msg := rawS3(t, http.MethodGet, presigned.URL, nil, nil)
	if status != http.StatusForbidden || code != "AccessDenied" || msg != "Request has expired" {
		t.Fatalf("expired presigned GET: %d %s %q", status, code, msg)
	}
}

// TestS3BodyMustMatchItsSignedHash: a body whose SHA-256 is not the signed
// x-amz-content-sha256 is refused before it is stored, and a header-signed
// request without that header is refused.
func TestS3BodyMustMatchItsSignedHash(t *testing.T) {
	srv := strictServer(t, nil)
	url := srv.URL + "/amzn-s3-demo-bucket1/tampered"
	// Any signature: the hash check comes first, as on S3.
	hdr := http.Header{
		"Authorization":        {"AWS4-HMAC-SHA256 Credential=AKIDLOGS/20260101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=00"},
		"X-Amz-Date":           {"20260101T000000Z"},
		"X-Amz-Content-Sha256": {strings.Repeat("ab", 32)},
	}
	status, code, _ := rawS3(t, http.MethodPut, url, hdr, []byte("not what was hashed"))
	if status != http.StatusBadRequest || code != "XAmzContentSHA256Mismatch" {
		t.Fatalf("tampered body: %d %s", status, code)
	}
	hdr.Del("X-Amz-Content-Sha256")
	status, code, msg := rawS3(t, http.MethodPut, url, hdr, []byte("x"))
	if status != http.StatusBadRequest || code != "InvalidRequest" || msg != "Missing required header for this request: x-amz-content-sha256" {
		t.Fatalf("no payload hash: %d %s %q", status, code, msg)
	}
	_, err := srv.s3Client("AKIDLOGS", "right-secret").HeadObject(ctx, &s3sdk.HeadObjectInput{Bucket: aws.String("amzn-s3-demo-bucket1"), Key: aws.String("tampered")})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "NotFound" {
		t.Fatalf("HeadObject of the refused object: %v, want NotFound", err)
	}
}

// rawS3 sends one request and returns the status and S3 error code and
// message (empty on success).
func rawS3(t *testing.T, method, url string, hdr http.Header, body []byte) (int, string, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode < 300 {
		return resp.StatusCode, "", ""
	}
	var doc struct {
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("error body %q: %v", data, err)
	}
	return resp.StatusCode, doc.Code, doc.Message
}

// TestS3SignatureVersion2PresignedURLs: the AWS CLI v1's `s3 presign`
// signs with Signature Version 2; such a URL works until Expires, for
// its key only, and only with a configured key.
func TestS3SignatureVersion2PresignedURLs(t *testing.T) {
	clock := time.Now().UTC()
	srv := strictServer(t, func() time.Time { return clock })
	good := srv.s3Client("AKIDLOGS", "right-secret")
	if _, err := good.PutObject(ctx, &s3sdk.PutObjectInput{Bucket: aws.String("amzn-s3-demo-bucket1"), Key: aws.String("k"), Body: strings.NewReader("v")}); err != nil {
		t.Fatal(err)
	}
	// The string to sign of a GET without headers, as RESTAuthentication.html
	// gives it: "GET\n\n\n<Expires>\n<resource>".
	v2URL := func(akid, secret, path string, expires int64) string {
		exp := strconv.FormatInt(expires, 10)
		mac := hmac.New(sha1.New, []byte(secret))
		mac.Write([]byte("GET\n\n\n" + exp + "\n" + path))
		sig := base64.StdEncoding.EncodeToString(mac.Sum(nil))
		return srv.URL + path + "?AWSAccessKeyId=" + akid + "&Signature=" + url.QueryEscape(sig) + "&Expires=" + exp
	}
	in := clock.Add(time.Minute).Unix()
	for _, tc := range []struct {
		name, url string
		status    int
		code, msg string
	}{
		{"good", v2URL("AKIDLOGS", "right-secret", "/amzn-s3-demo-bucket1/k", in), http.StatusOK, "", ""},
		{"another key's path", strings.Replace(v2URL("AKIDLOGS", "right-secret", "/amzn-s3-demo-bucket1/k", in), "/k?", "/j?", 1), http.StatusForbidden, "SignatureDoesNotMatch", ""},
		{"wrong secret", v2URL("AKIDLOGS", "wrong", "/amzn-s3-demo-bucket1/k", in), http.StatusForbidden, "SignatureDoesNotMatch", ""},
		{"unknown key", v2URL("AKIDOTHER", "right-secret", "/amzn-s3-demo-bucket1/k", in), http.StatusForbidden, "InvalidAccessKeyId", ""},
		{"expired", v2URL("AKIDLOGS", "right-secret", "/amzn-s3-demo-bucket1/k", clock.Add(-time.Second).Unix()), http.StatusForbidden, "AccessDenied", "Request has expired"},
	} {
		status, code, msg := rawS3(t, http.MethodGet, tc.url, nil, nil)
		if status != tc.status || code != tc.code || (tc.msg != "" && msg != tc.msg) {
			t.Errorf("%s: %d %s %q, want %d %s %q", tc.name, status, code, msg, tc.status, tc.code, tc.msg)
		}
	}
}

// TestS3BucketsBelongToAnAccount: in strict mode with keys of two
// accounts, a bucket belongs to the account that created it: the other
// account does not list it, cannot read, write or delete it, and cannot
// name it as a user pool's log destination ("the destination must be in
// the same account", spec/log-delivery.md §4).
func TestS3BucketsBelongToAnAccount(t *testing.T) {
	srv := newTestServer(t, func(c *Config) {
		c.Keys = map[string]sigv4.Key{
			"AKIDALICE": {AccessKeyID: "AKIDALICE", SecretAccessKey: "alice-secret", AccountID: "111111111111"},
			"AKIDBOB":   {AccessKeyID: "AKIDBOB", SecretAccessKey: "bob-secret", AccountID: "222222222222"},
		}
	})
	alice, bob := srv.s3Client("AKIDALICE", "alice-secret"), srv.s3Client("AKIDBOB", "bob-secret")
	for _, b := range []struct {
		c    *s3sdk.Client
		name string
	}{{alice, "alice-logs"}, {bob, "bob-logs"}} {
		if _, err := b.c.CreateBucket(ctx, &s3sdk.CreateBucketInput{Bucket: aws.String(b.name)}); err != nil {
			t.Fatalf("CreateBucket %s: %v", b.name, err)
		}
	}
	listed := func(c *s3sdk.Client) []string {
		out, err := c.ListBuckets(ctx, &s3sdk.ListBucketsInput{})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, b := range out.Buckets {
			names = append(names, aws.ToString(b.Name))
		}
		return names
	}
	// The test fixture's bucket was made in process, without an owner.
	if got := strings.Join(listed(alice), ","); got != "alice-logs,amzn-s3-demo-bucket1" {
		t.Errorf("alice lists %s", got)
	}
	if got := strings.Join(listed(bob), ","); got != "amzn-s3-demo-bucket1,bob-logs" {
		t.Errorf("bob lists %s", got)
	}
	_, err := bob.PutObject(ctx, &s3sdk.PutObjectInput{Bucket: aws.String("alice-logs"), Key: aws.String("x"), Body: strings.NewReader("x")})
	s3Error(t, err, "AccessDenied", "Access Denied")
	_, err = bob.ListObjectsV2(ctx, &s3sdk.ListObjectsV2Input{Bucket: aws.String("alice-logs")})
	s3Error(t, err, "AccessDenied", "Access Denied")
	_, err = bob.DeleteBucket(ctx, &s3sdk.DeleteBucketInput{Bucket: aws.String("alice-logs")})
	s3Error(t, err, "AccessDenied", "Access Denied")
	if _, err := alice.PutObject(ctx, &s3sdk.PutObjectInput{Bucket: aws.String("alice-logs"), Key: aws.String("x"), Body: strings.NewReader("x")}); err != nil {
		t.Fatalf("alice writes her bucket: %v", err)
	}

	// Log delivery: only the pool's account's bucket.
	c := srv.clientWithKey("us-west-2", "AKIDALICE", "alice-secret")
	pool := mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("p"), UserPoolTier: types.UserPoolTierTypePlus})
	_, err = c.SetLogDeliveryConfiguration(ctx, &cip.SetLogDeliveryConfigurationInput{UserPoolId: aws.String(pool),
		LogConfigurations: []types.LogConfigurationType{authEventsToS3("arn:aws:s3:::bob-logs")}})
	apiError(t, err, "InvalidParameterException", "The S3 bucket bob-logs does not exist.")
	if _, err := c.SetLogDeliveryConfiguration(ctx, &cip.SetLogDeliveryConfigurationInput{UserPoolId: aws.String(pool),
		LogConfigurations: []types.LogConfigurationType{authEventsToS3("arn:aws:s3:::alice-logs")}}); err != nil {
		t.Fatalf("alice's bucket for alice's pool: %v", err)
	}

	// A deleted bucket's name is free for another account.
	if _, err := alice.DeleteObject(ctx, &s3sdk.DeleteObjectInput{Bucket: aws.String("alice-logs"), Key: aws.String("x")}); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.DeleteBucket(ctx, &s3sdk.DeleteBucketInput{Bucket: aws.String("alice-logs")}); err != nil {
		t.Fatalf("alice deletes her bucket: %v", err)
	}
	if _, err := bob.CreateBucket(ctx, &s3sdk.CreateBucketInput{Bucket: aws.String("alice-logs")}); err != nil {
		t.Fatalf("bob takes the freed name: %v", err)
	}
	_, err = alice.HeadBucket(ctx, &s3sdk.HeadBucketInput{Bucket: aws.String("alice-logs")})
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("alice's HeadBucket of bob's bucket: %v, want refused", err)
	}
}
