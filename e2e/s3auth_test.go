package e2e

import (
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestS3StrictKeysWithTheAWSCLI: with --keys, the built-in S3 answers the
// AWS CLI (v1 and v2, whose uploads differ: v2 sends aws-chunked bodies
// with a trailing checksum) signed with a configured key, and refuses a
// wrong secret with S3's SignatureDoesNotMatch. Presigned URLs from both
// CLIs' `aws s3 presign` work without credentials, for their object only.
func TestS3StrictKeysWithTheAWSCLI(t *testing.T) {
	c := start(t, "--in-memory", "--keys", "AKIDEXAMPLE,secret")
	local := filepath.Join(t.TempDir(), "record.log")
	if err := os.WriteFile(local, []byte("one record\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	mustAWSCLI(t, c, "s3", "mb", "s3://guarded")
	mustAWSCLI(t, c, "s3", "cp", local, "s3://guarded/v1.log")
	mustCLI(t, c, awsV2(t), "s3", "cp", local, "s3://guarded/v2.log")
	listing := mustCLI(t, c, awsV2(t), "s3", "ls", "s3://guarded/")
	if !strings.Contains(listing, "v1.log") || !strings.Contains(listing, "v2.log") {
		t.Fatalf("listing:\n%s", listing)
	}

	// The same commands with a wrong secret.
	for _, bin := range []string{"aws", awsV2(t)} {
		cmd := exec.Command(bin, "s3", "ls", "s3://guarded/", "--endpoint-url", c.endpoint)
		cmd.Env = append(awsEnv(t), "AWS_SECRET_ACCESS_KEY=not-the-secret")
		out, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(out), "SignatureDoesNotMatch") {
			t.Errorf("%s s3 ls with a wrong secret: %v\n%s", bin, err, out)
		}
	}

	// v1 presigns with Signature Version 2 against a custom endpoint
	// (AWSAccessKeyId, Expires, Signature), v2 with SigV4.
	for _, bin := range []string{"aws", awsV2(t)} {
		url := strings.TrimSpace(mustCLI(t, c, bin, "s3", "presign", "s3://guarded/v2.log", "--expires-in", "60"))
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || string(body) != "one record\n" {
			t.Errorf("%s presigned GET %s: %d %q", bin, url, resp.StatusCode, body)
		}
		// The same URL for another object is refused.
		resp, err = http.Get(strings.Replace(url, "/v2.log?", "/v1.log?", 1))
		if err != nil {
			t.Fatal(err)
		}
		body, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "<Code>SignatureDoesNotMatch</Code>") {
			t.Errorf("%s presigned URL moved to another key: %d %s", bin, resp.StatusCode, body)
		}
	}
}
