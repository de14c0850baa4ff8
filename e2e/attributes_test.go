package e2e

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// TestAWSCLIUpdateUserAttributes: with the AWS CLI v1, a signed-in user of
// a pool that keeps the original email until the new one is verified
// (AttributesRequireVerificationBeforeUpdate) runs update-user-attributes:
// the output names where the code went; get-user shows the old email,
// still verified; the code, read from `cognate outbox`, goes to
// verify-user-attribute, after which get-user shows the new email,
// verified. delete-user-attributes of sub is refused with AWS's exit code
// (255, the CLI v1 exit code of a service error) and error
// (docs/research/attributes-facts.md).
func TestAWSCLIUpdateUserAttributes(t *testing.T) {
	c := start(t, "--in-memory")
	mustAWS := func(args ...string) string { t.Helper(); return mustAWSCLI(t, c, args...) }
	var pool struct{ UserPool struct{ Id string } }
	if err := json.Unmarshal([]byte(mustAWS("cognito-idp", "create-user-pool", "--pool-name", "profiles",
		"--alias-attributes", "email", "--auto-verified-attributes", "email",
		"--user-attribute-update-settings", "AttributesRequireVerificationBeforeUpdate=email")), &pool); err != nil {
		t.Fatal(err)
	}
	id := pool.UserPool.Id
	client := clientCLI(t, c, id, "ALLOW_USER_PASSWORD_AUTH")
	userCLI(t, c, id, "zed", "Passw0rd!-e2e")
	mustAWS("cognito-idp", "admin-update-user-attributes", "--user-pool-id", id, "--username", "zed",
		"--user-attributes", "Name=email,Value=zed@example.com", "Name=email_verified,Value=true")
	var auth struct{ AuthenticationResult struct{ AccessToken string } }
	if err := json.Unmarshal([]byte(mustAWS("cognito-idp", "initiate-auth", "--client-id", client, "--auth-flow", "USER_PASSWORD_AUTH",
		"--auth-parameters", "USERNAME=zed@example.com,PASSWORD=Passw0rd!-e2e")), &auth); err != nil {
		t.Fatal(err)
	}
	tok := auth.AuthenticationResult.AccessToken
	getUser := func() map[string]string {
		t.Helper()
		var u struct {
			UserAttributes []struct{ Name, Value string }
		}
		if err := json.Unmarshal([]byte(mustAWS("cognito-idp", "get-user", "--access-token", tok)), &u); err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		for _, a := range u.UserAttributes {
			m[a.Name] = a.Value
		}
		return m
	}

	out := mustAWS("cognito-idp", "update-user-attributes", "--access-token", tok,
		"--user-attributes", "Name=email,Value=zed.new@example.com", "Name=name,Value=Zed", "--client-metadata", "source=e2e")
	jsonEqual(t, out, `{"CodeDeliveryDetailsList":[{"Destination":"z***@e***.com","DeliveryMedium":"EMAIL","AttributeName":"email"}]}`)
	if a := getUser(); a["email"] != "zed@example.com" || a["email_verified"] != "true" || a["name"] != "Zed" {
		t.Errorf("pending: get-user attributes %v", a)
	}
	msgs := cognateOutbox(t, c, "--pool-id", id, "--to", "zed.new@example.com")
	if len(msgs) != 1 || msgs[0].Purpose != "VerifyUserAttribute" {
		t.Fatalf("outbox: %+v", msgs)
	}
	code := regexp.MustCompile(`\b\d{6}\b`).FindString(msgs[0].Body)
	if out := mustAWS("cognito-idp", "verify-user-attribute", "--access-token", tok, "--attribute-name", "email", "--code", code); strings.TrimSpace(out) != "" {
		t.Errorf("verify-user-attribute printed %q", out)
	}
	if a := getUser(); a["email"] != "zed.new@example.com" || a["email_verified"] != "true" {
		t.Errorf("verified: get-user attributes %v", a)
	}

	_, stderr, exit := awsCLI(t, c, "cognito-idp", "delete-user-attributes", "--access-token", tok, "--user-attribute-names", "sub")
	if exit != 255 || !strings.Contains(stderr, "(InvalidParameterException) when calling the DeleteUserAttributes operation: Attributes did not conform to the schema: sub: Attribute cannot be updated.") {
		t.Errorf("delete-user-attributes sub: exit %d\n%s", exit, stderr)
	}
	mustAWS("cognito-idp", "delete-user-attributes", "--access-token", tok, "--user-attribute-names", "name")
	if _, ok := getUser()["name"]; ok {
		t.Error("name not deleted")
	}
}
