package e2e

import (
	"encoding/json"
	"strings"
	"testing"
)

// The AWS CLI steps the threat-protection and export tests share.

// plusPoolCLI creates, with the AWS CLI, a PLUS pool with threat
// protection in mode (AUDIT or ENFORCED) and returns its ID.
func plusPoolCLI(t *testing.T, c *cognate, name, mode string) string {
	t.Helper()
	var pool struct{ UserPool struct{ Id string } }
	if err := json.Unmarshal([]byte(mustAWSCLI(t, c, "cognito-idp", "create-user-pool", "--pool-name", name, "--user-pool-tier", "PLUS",
		"--user-pool-add-ons", "AdvancedSecurityMode="+mode)), &pool); err != nil {
		t.Fatal(err)
	}
	return pool.UserPool.Id
}

// clientCLI creates an app client of pool without a secret allowing
// flows (and refresh) and returns its ID.
func clientCLI(t *testing.T, c *cognate, pool string, flows ...string) string {
	t.Helper()
	args := append([]string{"cognito-idp", "create-user-pool-client", "--user-pool-id", pool, "--client-name", "app",
		"--explicit-auth-flows"}, append(flows, "ALLOW_REFRESH_TOKEN_AUTH")...)
	var client struct{ UserPoolClient struct{ ClientId string } }
	if err := json.Unmarshal([]byte(mustAWSCLI(t, c, args...)), &client); err != nil {
		t.Fatal(err)
	}
	return client.UserPoolClient.ClientId
}

// userCLI creates a confirmed user with a permanent password, as an
// administrator does (the password is not checked against any list).
func userCLI(t *testing.T, c *cognate, pool, user, password string) {
	t.Helper()
	mustAWSCLI(t, c, "cognito-idp", "admin-create-user", "--user-pool-id", pool, "--username", user, "--message-action", "SUPPRESS")
	mustAWSCLI(t, c, "cognito-idp", "admin-set-user-password", "--user-pool-id", pool, "--username", user, "--password", password, "--permanent")
}

// signInRightThenWrong is a boto3 script: USER_PASSWORD_AUTH with the
// right password, then with a wrong one (refused), for user argv[3]
// through client argv[2]; its password is argv[4].
const signInRightThenWrong = `
import sys, boto3
c = boto3.client("cognito-idp", endpoint_url=sys.argv[1], region_name="us-west-2")
c.initiate_auth(ClientId=sys.argv[2], AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": sys.argv[3], "PASSWORD": sys.argv[4]})
try:
    c.initiate_auth(ClientId=sys.argv[2], AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": sys.argv[3], "PASSWORD": "Wr0ng!Passw0rd-x"})
    raise SystemExit("wrong password accepted")
except c.exceptions.NotAuthorizedException:
    pass
print("ok")
`

// recordLines decodes newline-separated JSON records (an export object).
func recordLines(t *testing.T, text string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(text), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("record %q: %v", l, err)
		}
		out = append(out, rec)
	}
	return out
}

// checkRightThenWrong checks the userAuthEvents records of
// signInRightThenWrong for user: two SignIn records, in the documented
// shape, one Pass and one Fail.
func checkRightThenWrong(t *testing.T, records []map[string]any, user string) {
	t.Helper()
	if len(records) != 2 {
		t.Fatalf("%d records, want 2: %v", len(records), records)
	}
	responses := map[string]bool{}
	for _, r := range records {
		m, _ := r["message"].(map[string]any)
		if r["eventSource"] != "USER_ACTIVITY" || len(m) != 23 || m["userName"] != user || m["eventType"] != "SignIn" {
			t.Errorf("record %v", r)
		}
		if s, ok := m["eventResponse"].(string); ok {
			responses[s] = true
		}
	}
	if !responses["Pass"] || !responses["Fail"] {
		t.Errorf("event responses %v, want a Pass and a Fail", responses)
	}
}
