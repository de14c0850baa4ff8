package e2e

import (
	"encoding/json"
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
