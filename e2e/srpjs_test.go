package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// srpjsDir holds signin.js and the npm project that pins
// amazon-cognito-identity-js; its node_modules is not in git.
const srpjsDir = "srpjs"

var (
	srpjsOnce sync.Once
	srpjsErr  error
)

// srpjsInstall runs `npm ci` in srpjsDir when node_modules is missing or
// older than package-lock.json, once per test binary. A lock on the
// directory keeps two test binaries from installing at the same time.
func srpjsInstall() error {
	srpjsOnce.Do(func() { srpjsErr = srpjsInstallLocked() })
	return srpjsErr
}

func srpjsInstallLocked() error {
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			return &installError{"`" + tool + "` is not on PATH; the amazon-cognito-identity-js test needs Node.js 18 or later and npm", nil}
		}
	}
	dir, err := filepath.Abs(srpjsDir)
	if err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := syscall.Flock(int(d.Fd()), syscall.LOCK_EX); err != nil {
		return err
	}
	defer syscall.Flock(int(d.Fd()), syscall.LOCK_UN)
	if srpjsInstalled(dir) {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return &installError{"npm ci in " + dir + " failed: " + err.Error(), out}
	}
	if !srpjsInstalled(dir) {
		return &installError{"npm ci in " + dir + " did not install amazon-cognito-identity-js", out}
	}
	return nil
}

// srpjsInstalled reports whether node_modules holds the library and npm's
// record of the install (node_modules/.package-lock.json) is not older
// than package-lock.json.
func srpjsInstalled(dir string) bool {
	lock, err := os.Stat(filepath.Join(dir, "package-lock.json"))
	if err != nil {
		return false
	}
	hidden, err := os.Stat(filepath.Join(dir, "node_modules", ".package-lock.json"))
	if err != nil || hidden.ModTime().Before(lock.ModTime()) {
		return false
	}
	_, err = os.Stat(filepath.Join(dir, "node_modules", "amazon-cognito-identity-js", "package.json"))
	return err == nil
}

type installError struct {
	msg string
	out []byte
}

func (e *installError) Error() string {
	if len(e.out) == 0 {
		return e.msg
	}
	return e.msg + "\n" + string(e.out)
}

// srpJS signs user in with amazon-cognito-identity-js (USER_SRP_AUTH)
// against endpoint and returns the JSON line signin.js prints:
// {"ok":true,"idToken","accessToken","refreshToken"} or
// {"ok":false,"code","message"}.
func srpJS(t *testing.T, endpoint, pool, client, user, password string) map[string]any {
	t.Helper()
	var result map[string]any
	runJS(t, "signin.js", &result, endpoint, pool, client, user, password)
	return result
}

// runJS runs one of srpjsDir's scripts (npm ci first, when needed) with
// args and decodes the single JSON line it prints into out.
func runJS(t *testing.T, script string, out any, args ...string) {
	t.Helper()
	if err := srpjsInstall(); err != nil {
		t.Fatalf("installing amazon-cognito-identity-js: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", append([]string{script}, args...)...)
	cmd.Dir = srpjsDir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("node %s: %v\nstdout:\n%s\nstderr:\n%s", script, err, stdout.String(), stderr.String())
	}
	line := strings.TrimSpace(stdout.String())
	if strings.Contains(line, "\n") || json.Unmarshal([]byte(line), out) != nil {
		t.Fatalf("node %s printed no single JSON line\nstdout:\n%s\nstderr:\n%s", script, stdout.String(), stderr.String())
	}
}

// jwtClaims decodes the payload of a JWT.
func jwtClaims(t *testing.T, token any) map[string]any {
	t.Helper()
	s, _ := token.(string)
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", s)
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		t.Fatalf("JWT payload is not base64url: %v", err)
	}
	var claims map[string]any
	if err := json.Unmarshal(raw, &claims); err != nil {
		t.Fatalf("JWT payload is not JSON: %v\n%s", err, raw)
	}
	return claims
}

// TestSRPWithAmazonCognitoIdentityJS: the official JS library
// (amazon-cognito-identity-js, pinned in e2e/srpjs) signs in with
// USER_SRP_AUTH — InitiateAuth with SRP_A, then RespondToAuthChallenge
// answering PASSWORD_VERIFIER — to a pool, client and user the AWS CLI
// made; a wrong password and an unknown user fail as Cognito's do. The
// pool has threat protection (AUDIT) exporting userAuthEvents to a log
// group: both sign-ins are in admin-list-user-auth-events and come back
// from `aws logs filter-log-events` (issue 5 item 5).
func TestSRPWithAmazonCognitoIdentityJS(t *testing.T) {
	c := start(t, "--in-memory")
	mustAWS := func(args ...string) string { t.Helper(); return mustAWSCLI(t, c, args...) }
	const group = "/aws/vendedlogs/cognito/srp"
	mustAWS("logs", "create-log-group", "--log-group-name", group)
	id := plusPoolCLI(t, c, "srp", "AUDIT")
	mustAWS("cognito-idp", "set-log-delivery-configuration", "--user-pool-id", id, "--log-configurations",
		"LogLevel=INFO,EventSource=userAuthEvents,CloudWatchLogsConfiguration={LogGroupArn=arn:aws:logs:us-west-2:123456789012:log-group:"+group+"}")
	clientID := clientCLI(t, c, id, "ALLOW_USER_SRP_AUTH")
	const user, password = "sam", "Str0ng!Passw0rd-x"
	userCLI(t, c, id, user, password)

	fail := func(t *testing.T, what string, got map[string]any) {
		t.Helper()
		b, _ := json.Marshal(got)
		t.Errorf("%s: amazon-cognito-identity-js (USER_SRP_AUTH) got code=%v message=%q\nsignin.js printed: %s", what, got["code"], got["message"], b)
	}

	t.Run("right password", func(t *testing.T) {
		got := srpJS(t, c.endpoint, id, clientID, user, password)
		if got["ok"] != true {
			fail(t, "sign-in with the right password failed", got)
			return
		}
		for _, k := range []string{"idToken", "accessToken", "refreshToken"} {
			if s, _ := got[k].(string); s == "" {
				t.Errorf("no %s in %v", k, got)
			}
		}
		access := jwtClaims(t, got["accessToken"])
		if access["token_use"] != "access" || access["username"] != user {
			t.Errorf("access token claims token_use=%v username=%v, want access and %s\n%v", access["token_use"], access["username"], user, access)
		}
		if idc := jwtClaims(t, got["idToken"]); idc["token_use"] != "id" {
			t.Errorf("ID token token_use=%v, want id", idc["token_use"])
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		got := srpJS(t, c.endpoint, id, clientID, user, "Wr0ng!Passw0rd-x")
		if got["ok"] != false || got["code"] != "NotAuthorizedException" || got["message"] != "Incorrect username or password." {
			fail(t, "want NotAuthorizedException \"Incorrect username or password.\"", got)
		}
	})
	t.Run("unknown user", func(t *testing.T) {
		got := srpJS(t, c.endpoint, id, clientID, "nobody", password)
		if got["ok"] != false || got["code"] != "UserNotFoundException" {
			fail(t, "want UserNotFoundException", got)
		}
	})

	// The two sign-ins of sam, newest first: the wrong password, then the
	// right one; and their exported records.
	var listed struct {
		AuthEvents []struct {
			EventId, EventType, EventResponse string
			ChallengeResponses                []struct{ ChallengeName, ChallengeResponse string }
		}
	}
	if err := json.Unmarshal([]byte(mustAWS("cognito-idp", "admin-list-user-auth-events", "--user-pool-id", id, "--username", user)), &listed); err != nil {
		t.Fatal(err)
	}
	var responses []string
	for _, e := range listed.AuthEvents {
		responses = append(responses, e.EventType+"/"+e.EventResponse)
	}
	if strings.Join(responses, " ") != "SignIn/Fail SignIn/Pass" {
		t.Fatalf("auth events %v, want the failed then the passed SRP sign-in, newest first", responses)
	}
	var records []string
	for deadline := time.Now().Add(10 * time.Second); len(records) < 2; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d records exported after 10 s", len(records))
		}
		var out struct{ Events []struct{ Message string } }
		if err := json.Unmarshal([]byte(mustAWS("logs", "filter-log-events", "--log-group-name", group,
			"--filter-pattern", `{ $.message.userName = "sam" }`)), &out); err != nil {
			t.Fatal(err)
		}
		records = nil
		for _, e := range out.Events {
			records = append(records, e.Message)
		}
	}
	for _, e := range listed.AuthEvents {
		found := false
		for _, r := range records {
			found = found || strings.Contains(r, `"eventId":"`+e.EventId+`"`)
		}
		if !found {
			t.Errorf("event %s is not among the exported records %v", e.EventId, records)
		}
	}
}
