package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/cognate/cognate/internal/storage/sqlstore"
)

// benchRequest returns a signed request for op; the server does not verify
// signatures in permissive mode, so one signature serves every iteration.
func benchRequest(b *testing.B, op, body string) *http.Request {
	req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:9229/", bytes.NewReader([]byte(body)))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", target+op)
	sum := sha256.Sum256([]byte(body))
	if err := v4.NewSigner().SignHTTP(ctx, aws.Credentials{AccessKeyID: "AKID", SecretAccessKey: "s"}, req, hex.EncodeToString(sum[:]), "cognito-idp", "us-west-2", time.Now()); err != nil {
		b.Fatal(err)
	}
	return req
}

// benchServer returns the handler on a durable SQLite store in a temp dir.
func benchServer(b *testing.B) http.Handler {
	store, err := sqlstore.Open(sqlstore.Options{Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	return New(Config{AccountID: "123456789012", Region: "us-east-1"}, store)
}

func serve(b *testing.B, h http.Handler, op, body string) []byte {
	req := benchRequest(b, op, body)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != 200 {
		b.Fatalf("%s: %d %s", op, w.Code, w.Body)
	}
	return w.Body.Bytes()
}

// runParallel replays one request from every goroutine.
func runParallel(b *testing.B, h http.Handler, op, body string) {
	signed := benchRequest(b, op, body)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := signed.Clone(ctx)
			req.Body = io.NopCloser(bytes.NewReader([]byte(body)))
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != 200 {
				b.Errorf("%s: %d %s", op, w.Code, w.Body)
				return
			}
		}
	})
}

func BenchmarkDescribeUserPool(b *testing.B) {
	h := benchServer(b)
	serve(b, h, "CreateUserPool", `{"PoolName":"bench"}`)
	runParallel(b, h, "DescribeUserPool", `{"UserPoolId":"`+firstPool(b, h)+`"}`)
}

func BenchmarkGetLogDeliveryConfiguration(b *testing.B) {
	h := benchServer(b)
	serve(b, h, "CreateUserPool", `{"PoolName":"bench"}`)
	runParallel(b, h, "GetLogDeliveryConfiguration", `{"UserPoolId":"`+firstPool(b, h)+`"}`)
}

func BenchmarkCreateUserPool(b *testing.B) {
	h := benchServer(b)
	runParallel(b, h, "CreateUserPool", `{"PoolName":"bench"}`)
}

func BenchmarkSetLogDeliveryConfiguration(b *testing.B) {
	h := benchServer(b)
	serve(b, h, "CreateUserPool", `{"PoolName":"bench"}`)
	createBenchLogGroup(b, h, "bench")
	runParallel(b, h, "SetLogDeliveryConfiguration", `{"UserPoolId":"`+firstPool(b, h)+`","LogConfigurations":[{"LogLevel":"ERROR","EventSource":"userNotification","CloudWatchLogsConfiguration":{"LogGroupArn":"arn:aws:logs:us-west-2:123456789012:log-group:bench"}}]}`)
}

func firstPool(b *testing.B, h http.Handler) string {
	out := serve(b, h, "ListUserPools", `{"MaxResults":1}`)
	i := bytes.Index(out, []byte(`"Id":"`))
	if i < 0 {
		b.Fatalf("no pool: %s", out)
	}
	rest := out[i+6:]
	return string(rest[:bytes.IndexByte(rest, '"')])
}
