package server

import (
	"encoding/base64"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognate/cognate/internal/messaging"
	"github.com/cognate/cognate/internal/srp"
	"github.com/cognate/cognate/internal/testutil/smtptest"
)

// sesEmail is a DEVELOPER email configuration, which email MFA needs.
var sesEmail = &types.EmailConfigurationType{EmailSendingAccount: "DEVELOPER",
	SourceArn: aws.String("arn:aws:ses:us-east-1:123456789012:identity/noreply@example.com")}

// userAuthPool creates a pool that sends email through SES and SMS, whose
// first factors are factors, and a client allowing USER_AUTH and the
// password flows.
func userAuthPool(t *testing.T, s *userServer, factors ...types.AuthFactorType) (pool, client string) {
	t.Helper()
	c := s.client("us-east-1")
	pool = mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("ua"), SmsConfiguration: smsRole, EmailConfiguration: sesEmail,
		Policies: &types.UserPoolPolicyType{SignInPolicy: &types.SignInPolicyType{AllowedFirstAuthFactors: factors}}})
	out, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("app"),
		ExplicitAuthFlows: append(slices.Clone(authFlows), "ALLOW_USER_AUTH", "ALLOW_USER_SRP_AUTH")})
	if err != nil {
		t.Fatal(err)
	}
	return pool, *out.UserPoolClient.ClientId
}

func userAuth(c *cip.Client, client string, params map[string]string) (*cip.InitiateAuthOutput, error) {
	return c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: aws.String(client), AuthFlow: "USER_AUTH", AuthParameters: params})
}

// TestEmailMFA: SetUserPoolMfaConfig with EmailMfaConfiguration and its
// requirements, GetUserPoolMfaConfig, the user's EmailMfaSettings, and
// the EMAIL_OTP challenge after a password (alone and in
// SELECT_MFA_TYPE), its code by email with the pool's message.
func TestEmailMFA(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	emailCfg := &types.EmailMfaConfigType{Message: aws.String("Sign-in code: {####}"), Subject: aws.String("Your code")}

	// Requirements: Cognito's default email and LITE are refused, as is a
	// message without {####}.
	plain := mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("plain")})
	_, err := c.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(plain), MfaConfiguration: "OPTIONAL", EmailMfaConfiguration: emailCfg})
	apiError(t, err, "InvalidParameterException", "")
	lite := mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("lite"), UserPoolTier: "LITE", EmailConfiguration: sesEmail})
	_, err = c.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(lite), MfaConfiguration: "OPTIONAL", EmailMfaConfiguration: emailCfg})
	apiError(t, err, "FeatureUnavailableInTierException", "")

	pool, client := userAuthPool(t, s, "PASSWORD")
	_, err = c.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(pool), MfaConfiguration: "OPTIONAL",
		EmailMfaConfiguration: &types.EmailMfaConfigType{Message: aws.String("no code")}})
	apiError(t, err, "InvalidParameterException", "")
	_, err = c.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(pool), MfaConfiguration: "OFF", EmailMfaConfiguration: emailCfg})
	apiError(t, err, "InvalidParameterException", "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.")
	set, err := c.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(pool), MfaConfiguration: "OPTIONAL",
		EmailMfaConfiguration: emailCfg, SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}})
	if err != nil || set.EmailMfaConfiguration == nil || aws.ToString(set.EmailMfaConfiguration.Message) != "Sign-in code: {####}" {
		t.Fatalf("SetUserPoolMfaConfig = %s, %v", jsonOf(set), err)
	}
	g, err := c.GetUserPoolMfaConfig(ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String(pool)})
	if err != nil || g.EmailMfaConfiguration == nil || aws.ToString(g.EmailMfaConfiguration.Subject) != "Your code" || g.MfaConfiguration != "OPTIONAL" {
		t.Fatalf("GetUserPoolMfaConfig = %s, %v", jsonOf(g), err)
	}

	mustUser(t, c, pool, "ann", "Passw0rd!", "email", "ann@example.com", "email_verified", "true")
	// OPTIONAL and no factor enabled: tokens.
	if out, err := passwordAuth(c, client, "ann", "Passw0rd!"); err != nil || out.AuthenticationResult == nil {
		t.Fatalf("sign-in without MFA = %s, %v", jsonOf(out), err)
	}
	if _, err := c.AdminSetUserMFAPreference(ctx, &cip.AdminSetUserMFAPreferenceInput{UserPoolId: aws.String(pool), Username: aws.String("ann"),
		EmailMfaSettings: &types.EmailMfaSettingsType{Enabled: true, PreferredMfa: true}}); err != nil {
		t.Fatalf("AdminSetUserMFAPreference: %v", err)
	}
	u, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("ann")})
	if err != nil || !slices.Equal(u.UserMFASettingList, []string{"EMAIL_OTP"}) || aws.ToString(u.PreferredMfaSetting) != "EMAIL_OTP" {
		t.Fatalf("AdminGetUser = %s, %v", jsonOf(u), err)
	}

	start, err := passwordAuth(c, client, "ann", "Passw0rd!")
	if err != nil || start.ChallengeName != "EMAIL_OTP" || start.AuthenticationResult != nil {
		t.Fatalf("sign-in = %s, %v", jsonOf(start), err)
	}
	if p := start.ChallengeParameters; p["CODE_DELIVERY_DELIVERY_MEDIUM"] != "EMAIL" || p["CODE_DELIVERY_DESTINATION"] != "a***@e***.com" {
		t.Errorf("challenge parameters = %v", p)
	}
	ms := s.messages(t, "ann@example.com")
	if len(ms) != 1 || ms[0].Subject != "Your code" || !strings.HasPrefix(ms[0].Body, "Sign-in code: ") || ms[0].Medium != "EMAIL" {
		t.Fatalf("outbox = %+v", ms)
	}
	code := s.lastCode(t, "ann@example.com")
	_, err = respond(c, client, "EMAIL_OTP", start.Session, map[string]string{"USERNAME": "ann", "EMAIL_OTP_CODE": wrongCode(code)})
	apiError(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
	out, err := respond(c, client, "EMAIL_OTP", start.Session, map[string]string{"USERNAME": "ann", "EMAIL_OTP_CODE": code})
	if err != nil || out.AuthenticationResult == nil || out.AuthenticationResult.AccessToken == nil {
		t.Fatalf("EMAIL_OTP answer = %s, %v", jsonOf(out), err)
	}
	// A code is good once.
	_, err = respond(c, client, "EMAIL_OTP", start.Session, map[string]string{"USERNAME": "ann", "EMAIL_OTP_CODE": code})
	apiError(t, err, "NotAuthorizedException", "")

	// SetUserMFAPreference with TOTP enabled too and no preference: the
	// choice lists EMAIL_OTP.
	secret := enrolTOTP(t, s, out.AuthenticationResult.AccessToken)
	_ = secret
	if _, err := c.SetUserMFAPreference(ctx, &cip.SetUserMFAPreferenceInput{AccessToken: out.AuthenticationResult.AccessToken,
		EmailMfaSettings:         &types.EmailMfaSettingsType{Enabled: true, PreferredMfa: false},
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true}}); err != nil {
		t.Fatalf("SetUserMFAPreference: %v", err)
	}
	start, err = passwordAuth(c, client, "ann", "Passw0rd!")
	if err != nil || start.ChallengeName != "SELECT_MFA_TYPE" || !strings.Contains(start.ChallengeParameters["MFAS_CAN_CHOOSE"], `"EMAIL_OTP"`) {
		t.Fatalf("sign-in = %s, %v", jsonOf(start), err)
	}
	sel, err := respond(c, client, "SELECT_MFA_TYPE", start.Session, map[string]string{"USERNAME": "ann", "ANSWER": "EMAIL_OTP"})
	if err != nil || sel.ChallengeName != "EMAIL_OTP" {
		t.Fatalf("SELECT_MFA_TYPE EMAIL_OTP = %s, %v", jsonOf(sel), err)
	}
	out, err = respond(c, client, "EMAIL_OTP", sel.Session, map[string]string{"USERNAME": "ann", "EMAIL_OTP_CODE": s.lastCode(t, "ann@example.com")})
	if err != nil || out.AuthenticationResult == nil {
		t.Fatalf("EMAIL_OTP after SELECT_MFA_TYPE = %s, %v", jsonOf(out), err)
	}

	// A user without an email cannot enable it.
	mustUser(t, c, pool, "bob", "Passw0rd!")
	_, err = c.AdminSetUserMFAPreference(ctx, &cip.AdminSetUserMFAPreferenceInput{UserPoolId: aws.String(pool), Username: aws.String("bob"),
		EmailMfaSettings: &types.EmailMfaSettingsType{Enabled: true}})
	apiError(t, err, "InvalidParameterException", "")
}

// wrongCode is a six-digit code other than code.
func wrongCode(code string) string {
	if code == "000000" {
		return "111111"
	}
	return "000000"
}

// TestUserAuthSelectChallenge: USER_AUTH without a preferred challenge
// answers SELECT_CHALLENGE with the user's available challenges; each is
// then chosen with ANSWER: PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP.
func TestUserAuthSelectChallenge(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool, client := userAuthPool(t, s, "PASSWORD", "EMAIL_OTP", "SMS_OTP")
	mustUser(t, c, pool, "ann", "Passw0rd!", "email", "ann@example.com", "email_verified", "true", "phone_number", "+15555550100", "phone_number_verified", "true")
	mustUser(t, c, pool, "pat", "Passw0rd!") // no email, no phone

	sel := func(user string) *cip.InitiateAuthOutput {
		t.Helper()
		out, err := userAuth(c, client, map[string]string{"USERNAME": user})
		if err != nil || out.ChallengeName != "SELECT_CHALLENGE" || out.Session == nil || out.AuthenticationResult != nil {
			t.Fatalf("USER_AUTH = %s, %v", jsonOf(out), err)
		}
		return out
	}
	if got := sel("ann").AvailableChallenges; !slices.Equal(got, []types.ChallengeNameType{"PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"}) {
		t.Errorf("ann's AvailableChallenges = %v", got)
	}
	if got := sel("pat").AvailableChallenges; !slices.Equal(got, []types.ChallengeNameType{"PASSWORD", "PASSWORD_SRP"}) {
		t.Errorf("pat's AvailableChallenges = %v", got)
	}

	// PASSWORD: a wrong password, then the right one.
	start := sel("ann")
	_, err := respond(c, client, "SELECT_CHALLENGE", start.Session, map[string]string{"USERNAME": "ann", "ANSWER": "PASSWORD", "PASSWORD": "wrong"})
	apiError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	out, err := respond(c, client, "SELECT_CHALLENGE", start.Session, map[string]string{"USERNAME": "ann", "ANSWER": "PASSWORD", "PASSWORD": "Passw0rd!"})
	if err != nil || out.AuthenticationResult == nil {
		t.Fatalf("ANSWER PASSWORD = %s, %v", jsonOf(out), err)
	}

	// PASSWORD_SRP: PASSWORD_VERIFIER follows, answered as in USER_SRP_AUTH.
	start = sel("ann")
	cl := srp.NewClient()
	ch, err := respond(c, client, "SELECT_CHALLENGE", start.Session, map[string]string{"USERNAME": "ann", "ANSWER": "PASSWORD_SRP", "SRP_A": cl.AHex()})
	if err != nil || ch.ChallengeName != "PASSWORD_VERIFIER" {
		t.Fatalf("ANSWER PASSWORD_SRP = %s, %v", jsonOf(ch), err)
	}
	p := ch.ChallengeParameters
	userID := p["USER_ID_FOR_SRP"]
	key, err := cl.Key(srp.PoolName(pool), userID, "Passw0rd!", p["SALT"], p["SRP_B"])
	if err != nil {
		t.Fatal(err)
	}
	block, _ := base64.StdEncoding.DecodeString(p["SECRET_BLOCK"])
	ts := time.Now().UTC().Format(srp.TimestampLayout)
	out, err = respond(c, client, "PASSWORD_VERIFIER", ch.Session, map[string]string{"USERNAME": userID, "PASSWORD_CLAIM_SECRET_BLOCK": p["SECRET_BLOCK"], "TIMESTAMP": ts,
		"PASSWORD_CLAIM_SIGNATURE": base64.StdEncoding.EncodeToString(srp.Signature(key, srp.PoolName(pool), userID, block, ts))})
	if err != nil || out.AuthenticationResult == nil {
		t.Fatalf("PASSWORD_VERIFIER = %s, %v", jsonOf(out), err)
	}

	// EMAIL_OTP and SMS_OTP: the code is sent, and answering it issues tokens.
	for _, f := range []struct{ challenge, to, medium, dest, param string }{
		{"EMAIL_OTP", "ann@example.com", "EMAIL", "a***@e***.com", "EMAIL_OTP_CODE"},
		{"SMS_OTP", "+15555550100", "SMS", "+*******0100", "SMS_OTP_CODE"},
	} {
		start = sel("ann")
		ch, err := respond(c, client, "SELECT_CHALLENGE", start.Session, map[string]string{"USERNAME": "ann", "ANSWER": f.challenge})
		if err != nil || string(ch.ChallengeName) != f.challenge || ch.ChallengeParameters["CODE_DELIVERY_DELIVERY_MEDIUM"] != f.medium ||
			ch.ChallengeParameters["CODE_DELIVERY_DESTINATION"] != f.dest {
			t.Fatalf("ANSWER %s = %s, %v", f.challenge, jsonOf(ch), err)
		}
		out, err := respond(c, client, f.challenge, ch.Session, map[string]string{"USERNAME": "ann", f.param: s.lastCode(t, f.to)})
		if err != nil || out.AuthenticationResult == nil || out.AuthenticationResult.IdToken == nil {
			t.Fatalf("%s answer = %s, %v", f.challenge, jsonOf(out), err)
		}
	}

	// A challenge not offered, passkeys, and a session of another user.
	start = sel("pat")
	_, err = respond(c, client, "SELECT_CHALLENGE", start.Session, map[string]string{"USERNAME": "pat", "ANSWER": "EMAIL_OTP"})
	apiError(t, err, "InvalidParameterException", "")
	_, err = respond(c, client, "SELECT_CHALLENGE", start.Session, map[string]string{"USERNAME": "pat", "ANSWER": "WEB_AUTHN"})
	apiError(t, err, "NotImplementedException", "")
	_, err = respond(c, client, "SELECT_CHALLENGE", start.Session, map[string]string{"USERNAME": "ann", "ANSWER": "PASSWORD", "PASSWORD": "Passw0rd!"})
	apiError(t, err, "NotAuthorizedException", "Invalid session for the user.")
}

// TestUserAuthPreferred: PREFERRED_CHALLENGE goes straight to the
// challenge: PASSWORD issues tokens at once, EMAIL_OTP sends a code
// whose wrong entry is CodeMismatchException and whose session expires;
// WEB_AUTHN is not implemented; a client without ALLOW_USER_AUTH and an
// unknown user are refused as the other flows refuse them.
func TestUserAuthPreferred(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool, client := userAuthPool(t, s, "PASSWORD", "EMAIL_OTP")
	mustUser(t, c, pool, "ann", "Passw0rd!", "email", "ann@example.com", "email_verified", "true")

	out, err := userAuth(c, client, map[string]string{"USERNAME": "ann", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": "Passw0rd!"})
	if err != nil || out.AuthenticationResult == nil {
		t.Fatalf("PREFERRED_CHALLENGE PASSWORD = %s, %v", jsonOf(out), err)
	}
	out, err = userAuth(c, client, map[string]string{"USERNAME": "ann", "PREFERRED_CHALLENGE": "EMAIL_OTP"})
	if err != nil || out.ChallengeName != "EMAIL_OTP" || out.ChallengeParameters["CODE_DELIVERY_DELIVERY_MEDIUM"] != "EMAIL" {
		t.Fatalf("PREFERRED_CHALLENGE EMAIL_OTP = %s, %v", jsonOf(out), err)
	}
	code := s.lastCode(t, "ann@example.com")
	_, err = respond(c, client, "EMAIL_OTP", out.Session, map[string]string{"USERNAME": "ann", "EMAIL_OTP_CODE": wrongCode(code)})
	apiError(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
	_, err = respond(c, client, "EMAIL_OTP", out.Session, map[string]string{"USERNAME": "ann"})
	apiError(t, err, "InvalidParameterException", "")
	// The session ends with the client's AuthSessionValidity (3 minutes).
	s.clock.Add(4 * time.Minute)
	_, err = respond(c, client, "EMAIL_OTP", out.Session, map[string]string{"USERNAME": "ann", "EMAIL_OTP_CODE": code})
	apiError(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")

	// Preferred but not available (SMS_OTP is not a first factor here):
	// the choice.
	out, err = userAuth(c, client, map[string]string{"USERNAME": "ann", "PREFERRED_CHALLENGE": "SMS_OTP"})
	if err != nil || out.ChallengeName != "SELECT_CHALLENGE" || slices.Contains(out.AvailableChallenges, "SMS_OTP") {
		t.Fatalf("PREFERRED_CHALLENGE SMS_OTP = %s, %v", jsonOf(out), err)
	}
	_, err = userAuth(c, client, map[string]string{"USERNAME": "ann", "PREFERRED_CHALLENGE": "WEB_AUTHN"})
	apiError(t, err, "NotImplementedException", "")
	_, err = userAuth(c, client, map[string]string{"USERNAME": "nobody"})
	apiError(t, err, "UserNotFoundException", "User does not exist.")

	plain, _ := mustClient(t, c, pool, false)
	_, err = userAuth(c, plain, map[string]string{"USERNAME": "ann"})
	apiError(t, err, "InvalidParameterException", "")

	// AdminInitiateAuth takes the flow too.
	a, err := c.AdminInitiateAuth(ctx, &cip.AdminInitiateAuthInput{UserPoolId: aws.String(pool), ClientId: aws.String(client), AuthFlow: "USER_AUTH",
		AuthParameters: map[string]string{"USERNAME": "ann"}})
	if err != nil || a.ChallengeName != "SELECT_CHALLENGE" || len(a.AvailableChallenges) != 3 {
		t.Fatalf("AdminInitiateAuth USER_AUTH = %s, %v", jsonOf(a), err)
	}
	ch, err := c.AdminRespondToAuthChallenge(ctx, &cip.AdminRespondToAuthChallengeInput{UserPoolId: aws.String(pool), ClientId: aws.String(client),
		ChallengeName: "SELECT_CHALLENGE", Session: a.Session, ChallengeResponses: map[string]string{"USERNAME": "ann", "ANSWER": "EMAIL_OTP"}})
	if err != nil || ch.ChallengeName != "EMAIL_OTP" {
		t.Fatalf("AdminRespondToAuthChallenge = %s, %v", jsonOf(ch), err)
	}
	fin, err := c.AdminRespondToAuthChallenge(ctx, &cip.AdminRespondToAuthChallengeInput{UserPoolId: aws.String(pool), ClientId: aws.String(client),
		ChallengeName: "EMAIL_OTP", Session: ch.Session, ChallengeResponses: map[string]string{"USERNAME": "ann", "EMAIL_OTP_CODE": s.lastCode(t, "ann@example.com")}})
	if err != nil || fin.AuthenticationResult == nil {
		t.Fatalf("EMAIL_OTP = %s, %v", jsonOf(fin), err)
	}
}

// TestUserAuthEmailFailure: a sign-in code email the relay refuses fails
// the call with CodeDeliveryFailureException and logs a userNotification
// record, as every other code message does.
func TestUserAuthEmailFailure(t *testing.T) {
	relay := &smtptest.Relay{Refuse: "refused@example.com"}
	mail, err := messaging.New(messaging.Config{SMTPURL: smtptest.Start(t, relay), Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	s := newUserServer(t, func(cfg *Config) { cfg.Messaging = mail })
	c := s.client("us-east-1")
	pool, client := userAuthPool(t, s, "PASSWORD", "EMAIL_OTP")
	s.mustCreateLogGroup(t, "us-east-1", "/cognito/notifications")
	arn := "arn:aws:logs:us-east-1:123456789012:log-group:/cognito/notifications"
	if err := setNotifications(c, pool, arn); err != nil {
		t.Fatal(err)
	}
	mustUser(t, c, pool, "bad", "Passw0rd!", "email", "refused@example.com", "email_verified", "true")
	_, err = userAuth(c, client, map[string]string{"USERNAME": "bad", "PREFERRED_CHALLENGE": "EMAIL_OTP"})
	apiError(t, err, "CodeDeliveryFailureException", "")
	if !strings.Contains(err.Error(), "Cognito received the following error from Amazon SES when attempting to send email: ") {
		t.Errorf("error text: %v", err)
	}
	if ms := s.messages(t, "refused@example.com"); len(ms) != 1 || ms[0].Failure == "" {
		t.Errorf("outbox = %+v", ms)
	}
	if recs := decodeRecords(t, s.exports(t), pool, arn); len(recs) != 1 || !strings.Contains(recs[0].Message.Details, "550") {
		t.Errorf("records = %+v", recs)
	}
}

// TestUserAuthThreatEvents: with threat protection, a one-time-code
// sign-in records one SignIn auth event, in progress until the code and
// then Pass with its Mfa answer; a password choice records its own as
// USER_PASSWORD_AUTH does.
func TestUserAuthThreatEvents(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool := mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("uat"), UserPoolTier: types.UserPoolTierTypePlus,
		UserPoolAddOns: &types.UserPoolAddOnsType{AdvancedSecurityMode: "AUDIT"},
		Policies:       &types.UserPoolPolicyType{SignInPolicy: &types.SignInPolicyType{AllowedFirstAuthFactors: []types.AuthFactorType{"PASSWORD", "EMAIL_OTP"}}}})
	out, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("app"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{"ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	if err != nil {
		t.Fatal(err)
	}
	client := *out.UserPoolClient.ClientId
	mustUser(t, c, pool, "ann", "Passw0rd!", "email", "ann@example.com", "email_verified", "true")

	ch, err := userAuth(c, client, map[string]string{"USERNAME": "ann", "PREFERRED_CHALLENGE": "EMAIL_OTP"})
	if err != nil || ch.ChallengeName != "EMAIL_OTP" {
		t.Fatalf("USER_AUTH = %s, %v", jsonOf(ch), err)
	}
	ev := listEvents(t, s, pool, "ann")
	if len(ev) != 1 || ev[0].EventType != "SignIn" || ev[0].EventResponse != "InProgress" {
		t.Fatalf("events after the code = %s", jsonOf(ev))
	}
	if _, err := respond(c, client, "EMAIL_OTP", ch.Session, map[string]string{"USERNAME": "ann", "EMAIL_OTP_CODE": s.lastCode(t, "ann@example.com")}); err != nil {
		t.Fatal(err)
	}
	ev = listEvents(t, s, pool, "ann")
	if len(ev) != 1 || ev[0].EventResponse != "Pass" || len(ev[0].ChallengeResponses) != 1 || ev[0].ChallengeResponses[0].ChallengeName != "Mfa" ||
		ev[0].ChallengeResponses[0].ChallengeResponse != "Success" {
		t.Fatalf("events after the answer = %s", jsonOf(ev))
	}
	if res, err := userAuth(c, client, map[string]string{"USERNAME": "ann", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": "Passw0rd!"}); err != nil || res.AuthenticationResult == nil {
		t.Fatalf("PASSWORD = %s, %v", jsonOf(res), err)
	}
	if ev = listEvents(t, s, pool, "ann"); len(ev) != 2 || ev[0].EventResponse != "Pass" || ev[0].ChallengeResponses[0].ChallengeName != "Password" {
		t.Fatalf("events after the password = %s", jsonOf(ev))
	}
}
