package e2e

import (
	"encoding/json"
	"regexp"
	"testing"
)

// TestAWSCLIUserAuthEmailOTP: with the AWS CLI v1, a pool whose first
// factors include EMAIL_OTP and a client with ALLOW_USER_AUTH;
// initiate-auth USER_AUTH with PREFERRED_CHALLENGE EMAIL_OTP answers
// EMAIL_OTP with the masked address, `cognate outbox` shows the code, a
// wrong code is CodeMismatchException and respond-to-auth-challenge with
// the right EMAIL_OTP_CODE issues tokens.
func TestAWSCLIUserAuthEmailOTP(t *testing.T) {
	c := start(t, "--in-memory")
	mustAWS := func(args ...string) string { t.Helper(); return mustAWSCLI(t, c, args...) }
	var pool struct{ UserPool struct{ Id string } }
	if err := json.Unmarshal([]byte(mustAWS("cognito-idp", "create-user-pool", "--pool-name", "otp",
		"--policies", `{"SignInPolicy":{"AllowedFirstAuthFactors":["PASSWORD","EMAIL_OTP"]}}`)), &pool); err != nil {
		t.Fatal(err)
	}
	id := pool.UserPool.Id
	client := clientCLI(t, c, id, "ALLOW_USER_AUTH")
	mustAWS("cognito-idp", "admin-create-user", "--user-pool-id", id, "--username", "otto", "--message-action", "SUPPRESS",
		"--user-attributes", "Name=email,Value=otto@example.com", "Name=email_verified,Value=true")

	var ch struct {
		ChallengeName       string
		Session             string
		ChallengeParameters map[string]string
	}
	if err := json.Unmarshal([]byte(mustAWS("cognito-idp", "initiate-auth", "--client-id", client, "--auth-flow", "USER_AUTH",
		"--auth-parameters", "USERNAME=otto,PREFERRED_CHALLENGE=EMAIL_OTP")), &ch); err != nil {
		t.Fatal(err)
	}
	if ch.ChallengeName != "EMAIL_OTP" || ch.ChallengeParameters["CODE_DELIVERY_DELIVERY_MEDIUM"] != "EMAIL" ||
		ch.ChallengeParameters["CODE_DELIVERY_DESTINATION"] != "o***@e***.com" || ch.Session == "" {
		t.Fatalf("initiate-auth = %+v", ch)
	}
	msgs := cognateOutbox(t, c, "--pool-id", id, "--to", "otto@example.com")
	if len(msgs) != 1 {
		t.Fatalf("outbox = %+v", msgs)
	}
	code := regexp.MustCompile(`\b\d{6}\b`).FindString(msgs[0].Body)
	if code == "" {
		t.Fatalf("no code in %q", msgs[0].Body)
	}
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	_, stderr, rc := awsCLI(t, c, "cognito-idp", "respond-to-auth-challenge", "--client-id", client, "--challenge-name", "EMAIL_OTP",
		"--session", ch.Session, "--challenge-responses", "USERNAME=otto,EMAIL_OTP_CODE="+wrong)
	if rc == 0 || !regexp.MustCompile(`CodeMismatchException.*Invalid code or auth state for the user\.`).MatchString(stderr) {
		t.Errorf("wrong code: rc %d, %s", rc, stderr)
	}
	var done struct {
		AuthenticationResult *struct{ AccessToken, IdToken, RefreshToken string }
	}
	if err := json.Unmarshal([]byte(mustAWS("cognito-idp", "respond-to-auth-challenge", "--client-id", client, "--challenge-name", "EMAIL_OTP",
		"--session", ch.Session, "--challenge-responses", "USERNAME=otto,EMAIL_OTP_CODE="+code)), &done); err != nil {
		t.Fatal(err)
	}
	if done.AuthenticationResult == nil || done.AuthenticationResult.AccessToken == "" || done.AuthenticationResult.RefreshToken == "" {
		t.Fatalf("respond-to-auth-challenge = %+v", done)
	}
	mustAWS("cognito-idp", "get-user", "--access-token", done.AuthenticationResult.AccessToken)
}
