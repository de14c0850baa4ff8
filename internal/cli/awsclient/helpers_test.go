package awsclient

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/cognate/cognate/internal/cli/clierr"
	"github.com/cognate/cognate/internal/model"
)

// envVars are every variable this package (or the SDK's loader) reads.
var envVars = []string{
	"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION",
	"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
	"AWS_ACCOUNT_ID", "AWS_CREDENTIAL_EXPIRATION",
	"AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE",
	"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
	"AWS_CA_BUNDLE", "REQUESTS_CA_BUNDLE", "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE",
	"AWS_USE_FIPS_ENDPOINT", "AWS_USE_DUALSTACK_ENDPOINT",
	"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME",
	"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
	"AWS_EC2_METADATA_SERVICE_ENDPOINT", "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
	"AWS_METADATA_SERVICE_TIMEOUT", "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
	"HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
}

// isolate clears the AWS environment, points HOME at an empty directory,
// disables the instance metadata service and returns the directory.
func isolate(t *testing.T) string {
	t.Helper()
	for _, v := range envVars {
		t.Setenv(v, "")
		os.Unsetenv(v)
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	return home
}

// writeAWSFiles writes ~/.aws/config and ~/.aws/credentials under home.
func writeAWSFiles(t *testing.T, home, config, creds string) {
	t.Helper()
	dir := filepath.Join(home, ".aws")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if config != "" {
		if err := os.WriteFile(filepath.Join(dir, "config"), []byte(config), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if creds != "" {
		if err := os.WriteFile(filepath.Join(dir, "credentials"), []byte(creds), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// fixClock makes a client's time and randomness deterministic and records
// its sleeps instead of sleeping.
func fixClock(c *Client, t time.Time) *[]time.Duration {
	var mu sync.Mutex
	var slept []time.Duration
	c.now = func() time.Time { return t }
	c.random = func() float64 { return 0.5 }
	c.newID = func() string { return "00000000-0000-4000-8000-000000000000" }
	c.sleep = func(_ context.Context, d time.Duration) error {
		mu.Lock()
		defer mu.Unlock()
		slept = append(slept, d)
		return nil
	}
	return &slept
}

func asCLIErr(t *testing.T, err error) *clierr.Error {
	t.Helper()
	var ce *clierr.Error
	if !errors.As(err, &ce) {
		t.Fatalf("error %T %v is not a *clierr.Error", err, err)
	}
	return ce
}

func op(t *testing.T, name string) *model.Operation {
	t.Helper()
	o := model.CognitoIDP().Operation(name)
	if o == nil {
		t.Fatalf("no operation %s", name)
	}
	return o
}

// runPythonStdin runs a python3 script with botocore with stdin and decodes its
// JSON output into out. Without python3 and botocore the test is skipped,
// unless COGNATE_REQUIRE_PYTHON=1.
func runPythonStdin(t *testing.T, script string, stdin []byte, out any) {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err == nil {
		err = exec.Command(py, "-c", "import botocore").Run()
	}
	if err != nil {
		if os.Getenv("COGNATE_REQUIRE_PYTHON") == "1" {
			t.Fatalf("python3 with botocore is required: %v", err)
		}
		t.Skipf("python3 with botocore not available: %v", err)
	}
	cmd := exec.Command(py, "-c", script)
	cmd.Env = append(os.Environ(), "AWS_EC2_METADATA_DISABLED=true")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Stdin = bytes.NewReader(stdin)
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, stderr.String())
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("python output %q: %v", b, err)
	}
}

func intp(n int) *int { return &n }

func strp(s string) *string { return &s }

// writeCertPEM writes a TLS test server's certificate as a CA bundle.
func writeCertPEM(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "ca.pem")
	b := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
