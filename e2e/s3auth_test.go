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
// wrong secret with S3's SignatureDoesNotMatch. A presigned URL from
// v2's `aws s3 presign` works without credentials.
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

	// v2's presign: v1 signs presigned URLs with Signature Version 2
	// against a custom endpoint, which Cognate does not take.
	url := strings.TrimSpace(mustCLI(t, c, awsV2(t), "s3", "presign", "s3://guarded/v2.log", "--expires-in", "60"))
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(body) != "one record\n" {
		t.Fatalf("presigned GET: %d %q", resp.StatusCode, body)
	}
}
