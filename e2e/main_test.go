package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// binary is the cognate built once for every test of the package.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "cognate-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "cognate")
	build := exec.Command("go", "build", "-o", binary, "../cmd/cognate")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build cognate:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// cognate is a running cognate process.
type cognate struct {
	cmd      *exec.Cmd
	endpoint string
	stderr   *bytes.Buffer
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// start runs `cognate serve` with args and waits until it answers.
func start(t *testing.T, args ...string) *cognate {
	t.Helper()
	addr := freePort(t)
	c := &cognate{endpoint: "http://" + addr, stderr: &bytes.Buffer{}}
	c.cmd = exec.Command(binary, append([]string{"serve", "--addr", addr}, args...)...)
	c.cmd.Stderr = c.stderr
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.kill() })
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(c.endpoint + "/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return c
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("cognate did not start: %v\n%s", err, c.stderr)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// kill sends SIGKILL and waits for the process to be gone.
func (c *cognate) kill() {
	if c.cmd.ProcessState != nil {
		return
	}
	_ = c.cmd.Process.Signal(syscall.SIGKILL)
	_ = c.cmd.Wait()
}

// call sends one signed cognito-idp request (AWS JSON 1.1) in us-west-2
// and returns status and body.
func (c *cognate) call(ctx context.Context, op, body string) (int, []byte, error) {
	return c.send(ctx, "AWSCognitoIdentityProviderService."+op, "cognito-idp", body)
}

// send sends one AWS JSON 1.1 request with X-Amz-Target target, signed
// for SigV4 service in us-west-2, and returns status and body.
func (c *cognate) send(ctx context.Context, target, service, body string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint+"/", strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", target)
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), service, "us-west-2", time.Now()); err != nil {
		return 0, nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// awsEnv is an environment for the AWS CLI and boto3 that reads no user
// configuration and signs with a throw-away key.
func awsEnv(t *testing.T) []string {
	dir := t.TempDir()
	env := []string{
		"HOME=" + dir,
		"PATH=" + os.Getenv("PATH"),
		"AWS_ACCESS_KEY_ID=AKIDEXAMPLE",
		"AWS_SECRET_ACCESS_KEY=secret",
		"AWS_DEFAULT_REGION=us-west-2",
		"AWS_CONFIG_FILE=" + filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(dir, "credentials"),
		"AWS_PAGER=",
	}
	for _, keep := range []string{"PYENV_ROOT", "PYENV_VERSION", "LANG", "TMPDIR"} {
		if v, ok := os.LookupEnv(keep); ok {
			env = append(env, keep+"="+v)
		}
	}
	// pyenv's shims find their root under HOME unless told; HOME is a
	// temporary directory here.
	if _, ok := os.LookupEnv("PYENV_ROOT"); !ok {
		if home, err := os.UserHomeDir(); err == nil {
			if _, err := os.Stat(filepath.Join(home, ".pyenv")); err == nil {
				env = append(env, "PYENV_ROOT="+filepath.Join(home, ".pyenv"))
			}
		}
	}
	return env
}
