package e2e

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	be "encoding/binary"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// totpCode is RFC 6238 (HMAC-SHA-1, 30-second steps, 6 digits) for a
// base32 secret at t, computed here, apart from the server.
func totpCode(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	if err != nil {
		t.Fatalf("SecretCode %q: %v", secret, err)
	}
	var msg [8]byte
	be.BigEndian.PutUint64(msg[:], uint64(at.Unix()/30))
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	h := m.Sum(nil)
	o := h[len(h)-1] & 15
	return fmt.Sprintf("%06d", (be.BigEndian.Uint32(h[o:o+4])&0x7fffffff)%1000000)
}

// TestAWSCLIMFA: with the AWS CLI v1, a pool requires TOTP MFA
// (set-user-pool-mfa-config); a user's admin-initiate-auth answers
// MFA_SETUP, associate-software-token and verify-software-token with the
// session set up an authenticator (codes computed here from the secret),
// admin-respond-to-auth-challenge MFA_SETUP issues tokens; the next
// sign-in answers SOFTWARE_TOKEN_MFA, a wrong code is refused with AWS's
// error, the right one gets tokens, and admin-get-user lists the factor.
func TestAWSCLIMFA(t *testing.T) {
	c := start(t, "--in-memory")
	mustAWS := func(args ...string) string { t.Helper(); return mustAWSCLI(t, c, args...) }
	var pool struct{ UserPool struct{ Id string } }
	if err := json.Unmarshal([]byte(mustAWS("cognito-idp", "create-user-pool", "--pool-name", "mfa")), &pool); err != nil {
		t.Fatal(err)
	}
	id := pool.UserPool.Id
	cfg := mustAWS("cognito-idp", "set-user-pool-mfa-config", "--user-pool-id", id, "--mfa-configuration", "ON",
		"--software-token-mfa-configuration", "Enabled=true")
	jsonEqual(t, cfg, `{"SoftwareTokenMfaConfiguration":{"Enabled":true},"MfaConfiguration":"ON"}`)
	client := clientCLI(t, c, id, "ALLOW_ADMIN_USER_PASSWORD_AUTH")
	userCLI(t, c, id, "mia", "Passw0rd!-e2e")

	type challenge struct {
		ChallengeName        string
		Session              string
		ChallengeParameters  map[string]string
		AuthenticationResult *struct{ AccessToken, IdToken, RefreshToken string }
	}
	signIn := func() challenge {
		t.Helper()
		var ch challenge
		if err := json.Unmarshal([]byte(mustAWS("cognito-idp", "admin-initiate-auth", "--user-pool-id", id, "--client-id", client,
			"--auth-flow", "ADMIN_USER_PASSWORD_AUTH", "--auth-parameters", "USERNAME=mia,PASSWORD=Passw0rd!-e2e")), &ch); err != nil {
			t.Fatal(err)
		}
		return ch
	}
	setup := signIn()
	if setup.ChallengeName != "MFA_SETUP" || setup.ChallengeParameters["MFAS_CAN_SETUP"] != `["SOFTWARE_TOKEN_MFA"]` || setup.AuthenticationResult != nil {
		t.Fatalf("admin-initiate-auth = %+v", setup)
	}
	var assoc struct{ SecretCode, Session string }
	if err := json.Unmarshal([]byte(mustAWS("cognito-idp", "associate-software-token", "--session", setup.Session)), &assoc); err != nil {
		t.Fatal(err)
	}
	var verified struct{ Status, Session string }
	if err := json.Unmarshal([]byte(mustAWS("cognito-idp", "verify-software-token", "--session", assoc.Session,
		"--user-code", totpCode(t, assoc.SecretCode, time.Now()), "--friendly-device-name", "phone")), &verified); err != nil {
		t.Fatal(err)
	}
	if verified.Status != "SUCCESS" || verified.Session == "" {
		t.Fatalf("verify-software-token = %+v", verified)
	}
	var done challenge
	if err := json.Unmarshal([]byte(mustAWS("cognito-idp", "admin-respond-to-auth-challenge", "--user-pool-id", id, "--client-id", client,
		"--challenge-name", "MFA_SETUP", "--session", verified.Session, "--challenge-responses", "USERNAME=mia")), &done); err != nil {
		t.Fatal(err)
	}
	if done.AuthenticationResult == nil || done.AuthenticationResult.AccessToken == "" {
		t.Fatalf("MFA_SETUP answer = %+v", done)
	}

	mfa := signIn()
	if mfa.ChallengeName != "SOFTWARE_TOKEN_MFA" || mfa.Session == "" || mfa.AuthenticationResult != nil {
		t.Fatalf("second admin-initiate-auth = %+v", mfa)
	}
	_, stderr, code := awsCLI(t, c, "cognito-idp", "admin-respond-to-auth-challenge", "--user-pool-id", id, "--client-id", client,
		"--challenge-name", "SOFTWARE_TOKEN_MFA", "--session", mfa.Session, "--challenge-responses",
		"USERNAME=mia,SOFTWARE_TOKEN_MFA_CODE="+totpCode(t, assoc.SecretCode, time.Now().Add(-10*time.Minute)))
	if code != 255 || !strings.Contains(stderr, "(CodeMismatchException) when calling the AdminRespondToAuthChallenge operation: Invalid code or auth state for the user.") {
		t.Errorf("wrong code: exit %d, %s", code, stderr)
	}
	// The code of the step after the one verify-software-token used: a
	// code is good once, and the adjacent step is accepted.
	var tokens challenge
	if err := json.Unmarshal([]byte(mustAWS("cognito-idp", "admin-respond-to-auth-challenge", "--user-pool-id", id, "--client-id", client,
		"--challenge-name", "SOFTWARE_TOKEN_MFA", "--session", mfa.Session, "--challenge-responses",
		"USERNAME=mia,SOFTWARE_TOKEN_MFA_CODE="+totpCode(t, assoc.SecretCode, time.Now().Add(30*time.Second)))), &tokens); err != nil {
		t.Fatal(err)
	}
	if tokens.AuthenticationResult == nil || tokens.AuthenticationResult.RefreshToken == "" {
		t.Fatalf("SOFTWARE_TOKEN_MFA answer = %+v", tokens)
	}
	var user struct {
		UserMFASettingList  []string
		PreferredMfaSetting string
	}
	if err := json.Unmarshal([]byte(mustAWS("cognito-idp", "admin-get-user", "--user-pool-id", id, "--username", "mia")), &user); err != nil {
		t.Fatal(err)
	}
	if len(user.UserMFASettingList) != 1 || user.UserMFASettingList[0] != "SOFTWARE_TOKEN_MFA" || user.PreferredMfaSetting != "SOFTWARE_TOKEN_MFA" {
		t.Errorf("admin-get-user = %+v", user)
	}
}

// TestMFAWithAmazonCognitoIdentityJS: the official JS library sets up TOTP
// during sign-in and then signs in with it (e2e/srpjs/mfa.js): USER_SRP_AUTH
// answers mfaSetup, associateSoftwareToken and verifySoftwareToken use the
// challenge's session and finish with MFA_SETUP, the next authenticateUser
// answers totpRequired and sendMFACode gets tokens.
func TestMFAWithAmazonCognitoIdentityJS(t *testing.T) {
	c := start(t, "--in-memory")
	var pool struct{ UserPool struct{ Id string } }
	if err := json.Unmarshal([]byte(mustAWSCLI(t, c, "cognito-idp", "create-user-pool", "--pool-name", "mfajs")), &pool); err != nil {
		t.Fatal(err)
	}
	id := pool.UserPool.Id
	mustAWSCLI(t, c, "cognito-idp", "set-user-pool-mfa-config", "--user-pool-id", id, "--mfa-configuration", "ON",
		"--software-token-mfa-configuration", "Enabled=true")
	client := clientCLI(t, c, id, "ALLOW_USER_SRP_AUTH")
	userCLI(t, c, id, "jo", "Str0ng!Passw0rd-x")

	var got struct {
		OK            bool
		Steps         []string
		Code, Message string
		AccessToken   string
	}
	runJS(t, "mfa.js", &got, c.endpoint, id, client, "jo", "Str0ng!Passw0rd-x")
	want := []string{`MFA_SETUP ["SOFTWARE_TOKEN_MFA"]`, "associated", "verified", "SOFTWARE_TOKEN_MFA", "tokens"}
	if !got.OK || strings.Join(got.Steps, "|") != strings.Join(want, "|") {
		t.Fatalf("amazon-cognito-identity-js MFA: %+v\nwant steps %q", got, want)
	}
	if claims := jwtClaims(t, got.AccessToken); claims["username"] != "jo" || claims["token_use"] != "access" {
		t.Errorf("access token claims %v", claims)
	}
}
