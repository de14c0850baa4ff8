package server

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
)

// logsClient returns the official Go SDK CloudWatch Logs client for a
// region, pointed at the server (the same port as cognito-idp).
func (s *testServer) logsClient(region string) *cwl.Client {
	return cwl.New(cwl.Options{
		Region:           region,
		BaseEndpoint:     aws.String(s.URL),
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		RetryMaxAttempts: 1,
		HTTPClient:       &http.Client{Transport: plainBodies{http.DefaultTransport}},
	})
}

// mustCreateLogGroup creates a log group in the built-in CloudWatch Logs,
// as a log delivery destination must exist before
// SetLogDeliveryConfiguration names it.
func (s *testServer) mustCreateLogGroup(t *testing.T, region, name string) {
	t.Helper()
	if _, err := s.logsClient(region).CreateLogGroup(ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String(name)}); err != nil {
		t.Fatalf("CreateLogGroup %s: %v", name, err)
	}
}

// createBenchLogGroup creates a log group in us-west-2 through h, the
// destination BenchmarkSetLogDeliveryConfiguration names.
func createBenchLogGroup(b *testing.B, h http.Handler, name string) {
	body := `{"logGroupName":"` + name + `"}`
	req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:9229/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "Logs_20140328.CreateLogGroup")
	sum := sha256.Sum256([]byte(body))
	if err := v4.NewSigner().SignHTTP(ctx, aws.Credentials{AccessKeyID: "AKID", SecretAccessKey: "s"}, req, hex.EncodeToString(sum[:]), "logs", "us-west-2", time.Now()); err != nil {
		b.Fatal(err)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != 200 {
		b.Fatalf("CreateLogGroup: %d %s", w.Code, w.Body)
	}
}
