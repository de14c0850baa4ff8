package server

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// totpAt computes an RFC 6238 code (HMAC-SHA-1, 30-second steps, 6
// digits) for a base32 secret at t, independently of the server's code.
func totpAt(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	if err != nil {
		t.Fatalf("secret %q is not base32: %v", secret, err)
	}
	return hotp(key, uint64(at.Unix()/30), 6)
}

// hotp is RFC 4226 with digits digits.
func hotp(key []byte, counter uint64, digits int) string {
	var msg [8]byte
	for i := 7; i >= 0; i-- {
		msg[i] = byte(counter)
		counter >>= 8
	}
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	h := m.Sum(nil)
	o := int(h[19] & 15)
	bin := (int(h[o])&0x7f)<<24 | int(h[o+1])<<16 | int(h[o+2])<<8 | int(h[o+3])
	mod := 1
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, bin%mod)
}

// TestTOTPHelper checks the tests' TOTP against RFC 6238's SHA-1 test
// vectors (Appendix B; the key is the ASCII "12345678901234567890").
func TestTOTPHelper(t *testing.T) {
	key := []byte("12345678901234567890")
	for _, v := range []struct {
		unix int64
		want string
	}{{59, "94287082"}, {1111111109, "07081804"}, {1111111111, "14050471"}, {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"}} {
		if got := hotp(key, uint64(v.unix/30), 8); got != v.want {
			t.Errorf("T=%d: %s, want %s", v.unix, got, v.want)
		}
	}
	secret := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(key)
	if got := totpAt(t, secret, time.Unix(59, 0)); got != "287082" {
		t.Errorf("6-digit code at 59 = %s", got)
	}
}

var smsRole = &types.SmsConfigurationType{SnsCallerArn: aws.String("arn:aws:iam::123456789012:role/sns")}

// mfaPool creates a pool with an SMS configuration, sets its MFA mode and
// factors, and a client allowing the password flows and SRP.
func mfaPool(t *testing.T, s *userServer, mode types.UserPoolMfaType, sms, totp bool) (pool, client string) {
	t.Helper()
	c := s.client("us-east-1")
	pool = mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("mfa"), SmsConfiguration: smsRole})
	in := &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(pool), MfaConfiguration: mode}
	if sms {
		in.SmsMfaConfiguration = &types.SmsMfaConfigType{SmsAuthenticationMessage: aws.String("Your sign-in code is {####}.")}
	}
	if totp {
		in.SoftwareTokenMfaConfiguration = &types.SoftwareTokenMfaConfigType{Enabled: true}
	}
	if _, err := c.SetUserPoolMfaConfig(ctx, in); err != nil {
		t.Fatalf("SetUserPoolMfaConfig: %v", err)
	}
	out, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("app"),
		ExplicitAuthFlows: append(slices.Clone(authFlows), "ALLOW_USER_SRP_AUTH")})
	if err != nil {
		t.Fatal(err)
	}
	return pool, *out.UserPoolClient.ClientId
}

// enrolTOTP associates and verifies a token for a signed-in user, and
// returns the secret.
func enrolTOTP(t *testing.T, s *userServer, access *string) string {
	t.Helper()
	c := s.client("us-east-1")
	a, err := c.AssociateSoftwareToken(ctx, &cip.AssociateSoftwareTokenInput{AccessToken: access})
	if err != nil {
		t.Fatalf("AssociateSoftwareToken: %v", err)
	}
	if a.Session != nil {
		t.Errorf("AssociateSoftwareToken by access token returned a session")
	}
	v, err := c.VerifySoftwareToken(ctx, &cip.VerifySoftwareTokenInput{AccessToken: access, UserCode: aws.String(totpAt(t, *a.SecretCode, s.clock.Now())),
		FriendlyDeviceName: aws.String("phone")})
	if err != nil || v.Status != types.VerifySoftwareTokenResponseTypeSuccess {
		t.Fatalf("VerifySoftwareToken = %+v, %v", v, err)
	}
	return *a.SecretCode
}

func respond(c *cip.Client, client, challenge string, session *string, r map[string]string) (*cip.RespondToAuthChallengeOutput, error) {
	return c.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: aws.String(client), ChallengeName: types.ChallengeNameType(challenge),
		Session: session, ChallengeResponses: r})
}

// TestPoolMfaConfig: SetUserPoolMfaConfig / GetUserPoolMfaConfig with
// AWS's validation, consistent with DescribeUserPool, CreateUserPool and
// UpdateUserPool.
func TestPoolMfaConfig(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool := mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("p")})
	get := func() *cip.GetUserPoolMfaConfigOutput {
		t.Helper()
		out, err := c.GetUserPoolMfaConfig(ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String(pool)})
		if err != nil {
			t.Fatalf("GetUserPoolMfaConfig: %v", err)
		}
		return out
	}
	if g := get(); g.MfaConfiguration != "OFF" || g.SmsMfaConfiguration != nil || g.SoftwareTokenMfaConfiguration == nil || g.SoftwareTokenMfaConfiguration.Enabled {
		t.Errorf("default = %s", jsonOf(g))
	}
	set := func(in cip.SetUserPoolMfaConfigInput) (*cip.SetUserPoolMfaConfigOutput, error) {
		in.UserPoolId = aws.String(pool)
		return c.SetUserPoolMfaConfig(ctx, &in)
	}
	_, err := set(cip.SetUserPoolMfaConfigInput{MfaConfiguration: "ON"})
	apiError(t, err, "InvalidParameterException", "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.")
	_, err = set(cip.SetUserPoolMfaConfigInput{MfaConfiguration: "OFF", SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}})
	apiError(t, err, "InvalidParameterException", "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.")
	_, err = set(cip.SetUserPoolMfaConfigInput{MfaConfiguration: "OPTIONAL", SmsMfaConfiguration: &types.SmsMfaConfigType{SmsAuthenticationMessage: aws.String("no code here")}})
	apiError(t, err, "InvalidParameterException", "")
	_, err = set(cip.SetUserPoolMfaConfigInput{MfaConfiguration: "OPTIONAL", SmsMfaConfiguration: &types.SmsMfaConfigType{}})
	apiError(t, err, "InvalidParameterException", "SmsConfiguration is required to enable SMS MFA.")
	_, err = set(cip.SetUserPoolMfaConfigInput{MfaConfiguration: "OPTIONAL", EmailMfaConfiguration: &types.EmailMfaConfigType{Subject: aws.String("s")}})
	apiError(t, err, "InvalidParameterException", "") // email MFA needs a DEVELOPER email configuration (userauth_test.go)

	out, err := set(cip.SetUserPoolMfaConfigInput{MfaConfiguration: "OPTIONAL", SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true},
		SmsMfaConfiguration: &types.SmsMfaConfigType{SmsAuthenticationMessage: aws.String("Code: {####}"), SmsConfiguration: smsRole}})
	if err != nil {
		t.Fatalf("SetUserPoolMfaConfig: %v", err)
	}
	for name, g := range map[string]*cip.GetUserPoolMfaConfigOutput{"get": get(), "set": {MfaConfiguration: out.MfaConfiguration,
		SmsMfaConfiguration: out.SmsMfaConfiguration, SoftwareTokenMfaConfiguration: out.SoftwareTokenMfaConfiguration}} {
		if g.MfaConfiguration != "OPTIONAL" || !g.SoftwareTokenMfaConfiguration.Enabled || g.SmsMfaConfiguration == nil ||
			aws.ToString(g.SmsMfaConfiguration.SmsAuthenticationMessage) != "Code: {####}" ||
			aws.ToString(g.SmsMfaConfiguration.SmsConfiguration.SnsRegion) != "us-east-1" {
			t.Errorf("%s = %s", name, jsonOf(g))
		}
	}
	d, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(pool)})
	if err != nil || d.UserPool.MfaConfiguration != "OPTIONAL" || aws.ToString(d.UserPool.SmsAuthenticationMessage) != "Code: {####}" || d.UserPool.SmsConfiguration == nil {
		t.Errorf("DescribeUserPool = %+v, %v", d, err)
	}
	// UpdateUserPool sets the mode; the factors stay.
	if _, err := c.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{UserPoolId: aws.String(pool), MfaConfiguration: "ON"}); err != nil {
		t.Fatalf("UpdateUserPool: %v", err)
	}
	if g := get(); g.MfaConfiguration != "ON" || !g.SoftwareTokenMfaConfiguration.Enabled || g.SmsMfaConfiguration != nil {
		t.Errorf("after UpdateUserPool = %s", jsonOf(g)) // no SmsConfiguration in the update: no SMS MFA
	}
	// A new pool with MFA needs a factor.
	_, err = c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("q"), MfaConfiguration: "ON"})
	apiError(t, err, "InvalidParameterException", "SMS configuration and Auto verification for phone_number are required when MFA is required/optional")
	legacy := mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("r"), MfaConfiguration: "OPTIONAL", SmsConfiguration: smsRole})
	g, err := c.GetUserPoolMfaConfig(ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String(legacy)})
	if err != nil || g.MfaConfiguration != "OPTIONAL" || g.SmsMfaConfiguration == nil || g.SoftwareTokenMfaConfiguration.Enabled {
		t.Errorf("pool created with MFA = %+v, %v", g, err)
	}
	_, err = c.GetUserPoolMfaConfig(ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String("us-east-1_nothere1")})
	apiError(t, err, "ResourceNotFoundException", "")
}

// TestTOTPFlow: a user enrols an authenticator with an access token,
// enables it, and then signs in with SOFTWARE_TOKEN_MFA; wrong, reused
// and late codes and expired sessions are refused with AWS's errors.
func TestTOTPFlow(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool, client := mfaPool(t, s, "OPTIONAL", false, true)
	mustUser(t, c, pool, "tom", "Passw0rd!")
	// OPTIONAL and nothing enabled: tokens straight away.
	tok := mustSignIn(t, c, client, "tom", "Passw0rd!")

	// Enabling TOTP before a token is verified.
	_, err := c.SetUserMFAPreference(ctx, &cip.SetUserMFAPreferenceInput{AccessToken: tok.AccessToken,
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true}})
	apiError(t, err, "InvalidParameterException", "User has not verified software token mfa")
	_, err = c.AdminSetUserMFAPreference(ctx, &cip.AdminSetUserMFAPreferenceInput{UserPoolId: aws.String(pool), Username: aws.String("tom"),
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true}})
	apiError(t, err, "InvalidParameterException", "User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA")
	_, err = c.VerifySoftwareToken(ctx, &cip.VerifySoftwareTokenInput{AccessToken: tok.AccessToken, UserCode: aws.String("123456")})
	apiError(t, err, "SoftwareTokenMFANotFoundException", "")

	a, err := c.AssociateSoftwareToken(ctx, &cip.AssociateSoftwareTokenInput{AccessToken: tok.AccessToken})
	if err != nil {
		t.Fatalf("AssociateSoftwareToken: %v", err)
	}
	if !regexp.MustCompile(`^[A-Z2-7]{32}$`).MatchString(aws.ToString(a.SecretCode)) {
		t.Errorf("SecretCode %q", aws.ToString(a.SecretCode))
	}
	now := s.clock.Now()
	wrong := totpAt(t, *a.SecretCode, now.Add(-5*time.Minute))
	_, err = c.VerifySoftwareToken(ctx, &cip.VerifySoftwareTokenInput{AccessToken: tok.AccessToken, UserCode: aws.String(wrong)})
	apiError(t, err, "EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA")
	_, err = c.VerifySoftwareToken(ctx, &cip.VerifySoftwareTokenInput{AccessToken: tok.AccessToken, UserCode: aws.String("12345")})
	apiError(t, err, "InvalidParameterException", "") // the model's 6 digits
	_, err = c.AssociateSoftwareToken(ctx, &cip.AssociateSoftwareTokenInput{})
	apiError(t, err, "InvalidParameterException", "")
	// The previous step's code is accepted (clock skew).
	v, err := c.VerifySoftwareToken(ctx, &cip.VerifySoftwareTokenInput{AccessToken: tok.AccessToken, UserCode: aws.String(totpAt(t, *a.SecretCode, now.Add(-30*time.Second)))})
	if err != nil || v.Status != "SUCCESS" || v.Session != nil {
		t.Fatalf("VerifySoftwareToken = %+v, %v", v, err)
	}
	secret := *a.SecretCode
	// Verified, not yet enabled: no MFA at sign-in, none listed.
	tok = mustSignIn(t, c, client, "tom", "Passw0rd!")
	if u, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("tom")}); err != nil || u.UserMFASettingList != nil || u.PreferredMfaSetting != nil {
		t.Errorf("AdminGetUser before enabling = %+v, %v", u, err)
	}
	if _, err := c.SetUserMFAPreference(ctx, &cip.SetUserMFAPreferenceInput{AccessToken: tok.AccessToken,
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true}}); err != nil {
		t.Fatalf("SetUserMFAPreference: %v", err)
	}
	g, err := c.GetUser(ctx, &cip.GetUserInput{AccessToken: tok.AccessToken})
	if err != nil || !slices.Equal(g.UserMFASettingList, []string{"SOFTWARE_TOKEN_MFA"}) || aws.ToString(g.PreferredMfaSetting) != "SOFTWARE_TOKEN_MFA" {
		t.Errorf("GetUser = %+v, %v", g, err)
	}

	// Sign-in: the challenge, no tokens.
	s.clock.Add(time.Minute)
	start, err := passwordAuth(c, client, "tom", "Passw0rd!")
	if err != nil || start.ChallengeName != "SOFTWARE_TOKEN_MFA" || start.AuthenticationResult != nil || start.Session == nil || len(start.ChallengeParameters) != 0 {
		t.Fatalf("InitiateAuth = %s, %v", jsonOf(start), err)
	}
	_, err = respond(c, client, "SOFTWARE_TOKEN_MFA", start.Session, map[string]string{"USERNAME": "tom", "SOFTWARE_TOKEN_MFA_CODE": totpAt(t, secret, s.clock.Now().Add(time.Hour))})
	apiError(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
	_, err = respond(c, client, "SOFTWARE_TOKEN_MFA", start.Session, map[string]string{"USERNAME": "tom", "SOFTWARE_TOKEN_MFA_CODE": "abcdef"})
	apiError(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
	_, err = respond(c, client, "SOFTWARE_TOKEN_MFA", start.Session, map[string]string{"USERNAME": "tom"})
	apiError(t, err, "InvalidParameterException", "Missing required parameter SOFTWARE_TOKEN_MFA_CODE")
	code := totpAt(t, secret, s.clock.Now())
	out, err := respond(c, client, "SOFTWARE_TOKEN_MFA", start.Session, map[string]string{"USERNAME": "tom", "SOFTWARE_TOKEN_MFA_CODE": code})
	if err != nil || out.AuthenticationResult == nil || out.AuthenticationResult.RefreshToken == nil {
		t.Fatalf("RespondToAuthChallenge = %+v, %v", out, err)
	}
	if _, err := c.GetUser(ctx, &cip.GetUserInput{AccessToken: out.AuthenticationResult.AccessToken}); err != nil {
		t.Errorf("GetUser with the MFA sign-in's token: %v", err)
	}
	// A session issues tokens once, even with the next code.
	_, err = respond(c, client, "SOFTWARE_TOKEN_MFA", start.Session, map[string]string{"USERNAME": "tom", "SOFTWARE_TOKEN_MFA_CODE": totpAt(t, secret, s.clock.Now().Add(30*time.Second))})
	apiError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	// The same code again, in a new sign-in: used once.
	start, _ = passwordAuth(c, client, "tom", "Passw0rd!")
	_, err = respond(c, client, "SOFTWARE_TOKEN_MFA", start.Session, map[string]string{"USERNAME": "tom", "SOFTWARE_TOKEN_MFA_CODE": code})
	apiError(t, err, "ExpiredCodeException", "Your software token has already been used once.")
	// Another session of the same user, or another user's name, is refused.
	_, err = respond(c, client, "SOFTWARE_TOKEN_MFA", start.Session, map[string]string{"USERNAME": "nobody", "SOFTWARE_TOKEN_MFA_CODE": code})
	apiError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	_, err = respond(c, client, "SMS_MFA", start.Session, map[string]string{"USERNAME": "tom", "SMS_MFA_CODE": "123456"})
	apiError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	// An expired session (3 minutes by default).
	s.clock.Add(3*time.Minute + time.Second)
	_, err = respond(c, client, "SOFTWARE_TOKEN_MFA", start.Session, map[string]string{"USERNAME": "tom", "SOFTWARE_TOKEN_MFA_CODE": totpAt(t, secret, s.clock.Now())})
	apiError(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")

	// Five wrong codes void the session.
	start, _ = passwordAuth(c, client, "tom", "Passw0rd!")
	for range 5 {
		_, err = respond(c, client, "SOFTWARE_TOKEN_MFA", start.Session, map[string]string{"USERNAME": "tom", "SOFTWARE_TOKEN_MFA_CODE": "000000"})
		apiError(t, err, "CodeMismatchException", "")
	}
	_, err = respond(c, client, "SOFTWARE_TOKEN_MFA", start.Session, map[string]string{"USERNAME": "tom", "SOFTWARE_TOKEN_MFA_CODE": totpAt(t, secret, s.clock.Now())})
	apiError(t, err, "NotAuthorizedException", "Invalid session for the user.")

	// SRP: the challenge after PASSWORD_VERIFIER.
	s.clock.Add(time.Minute)
	srpOut, _, err := srpSignIn(c, pool, client, "tom", "Passw0rd!", nil)
	if err != nil || srpOut.ChallengeName != "SOFTWARE_TOKEN_MFA" || srpOut.AuthenticationResult != nil {
		t.Fatalf("SRP = %+v, %v", srpOut, err)
	}
	if out, err := respond(c, client, "SOFTWARE_TOKEN_MFA", srpOut.Session, map[string]string{"USERNAME": "tom", "SOFTWARE_TOKEN_MFA_CODE": totpAt(t, secret, s.clock.Now())}); err != nil || out.AuthenticationResult == nil {
		t.Fatalf("SRP MFA answer = %+v, %v", out, err)
	}

	// Disabling it: tokens straight away again.
	if _, err := c.AdminSetUserMFAPreference(ctx, &cip.AdminSetUserMFAPreferenceInput{UserPoolId: aws.String(pool), Username: aws.String("tom"),
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: false}}); err != nil {
		t.Fatal(err)
	}
	mustSignIn(t, c, client, "tom", "Passw0rd!")
	if u, _ := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("tom")}); u.UserMFASettingList != nil || u.PreferredMfaSetting != nil {
		t.Errorf("AdminGetUser after disabling = %+v", u)
	}
}

// TestSMSMFA: a user with SMS MFA gets a code by SMS (in the outbox,
// masked in the challenge) and answers it through the admin flow; a
// failing number still issues the challenge and logs a userNotification
// record, as other SMS codes do.
func TestSMSMFA(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool, client, arn := loggedPool(t, s, true)
	if _, err := c.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(pool), MfaConfiguration: "OPTIONAL",
		SmsMfaConfiguration: &types.SmsMfaConfigType{SmsAuthenticationMessage: aws.String("Sign-in code {####}")}}); err != nil {
		t.Fatalf("SetUserPoolMfaConfig: %v", err)
	}
	if _, err := c.UpdateUserPoolClient(ctx, &cip.UpdateUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: aws.String(client), ExplicitAuthFlows: authFlows}); err != nil {
		t.Fatal(err)
	}
	mustUser(t, c, pool, "sam", "Passw0rd!", "phone_number", "+14255550000")
	mustUser(t, c, pool, "nophone", "Passw0rd!")
	_, err := c.AdminSetUserMFAPreference(ctx, &cip.AdminSetUserMFAPreferenceInput{UserPoolId: aws.String(pool), Username: aws.String("nophone"),
		SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true}})
	apiError(t, err, "InvalidParameterException", "User does not have delivery config set to turn on SMS_MFA")
	if _, err := c.AdminSetUserMFAPreference(ctx, &cip.AdminSetUserMFAPreferenceInput{UserPoolId: aws.String(pool), Username: aws.String("sam"),
		SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true, PreferredMfa: true}}); err != nil {
		t.Fatal(err)
	}
	adminStart := func(user string) *cip.AdminInitiateAuthOutput {
		t.Helper()
		out, err := c.AdminInitiateAuth(ctx, &cip.AdminInitiateAuthInput{UserPoolId: aws.String(pool), ClientId: aws.String(client), AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
			AuthParameters: map[string]string{"USERNAME": user, "PASSWORD": "Passw0rd!"}})
		if err != nil {
			t.Fatalf("AdminInitiateAuth: %v", err)
		}
		return out
	}
	adminRespond := func(session *string, r map[string]string) (*cip.AdminRespondToAuthChallengeOutput, error) {
		return c.AdminRespondToAuthChallenge(ctx, &cip.AdminRespondToAuthChallengeInput{UserPoolId: aws.String(pool), ClientId: aws.String(client),
			ChallengeName: "SMS_MFA", Session: session, ChallengeResponses: r})
	}
	start := adminStart("sam")
	if start.ChallengeName != "SMS_MFA" || start.AuthenticationResult != nil || start.ChallengeParameters["CODE_DELIVERY_DELIVERY_MEDIUM"] != "SMS" ||
		start.ChallengeParameters["CODE_DELIVERY_DESTINATION"] != "+*******0000" {
		t.Fatalf("AdminInitiateAuth = %s", jsonOf(start))
	}
	ms := s.messages(t, "+14255550000")
	if len(ms) != 1 || ms[0].Medium != "SMS" || !strings.HasPrefix(ms[0].Body, "Sign-in code ") || ms[0].Purpose != "Authentication" {
		t.Fatalf("outbox = %+v", ms)
	}
	code := s.lastCode(t, "+14255550000")
	wrong := fmt.Sprintf("%06d", (atoi(code)+1)%1000000)
	_, err = adminRespond(start.Session, map[string]string{"USERNAME": "sam", "SMS_MFA_CODE": wrong})
	apiError(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
	out, err := adminRespond(start.Session, map[string]string{"USERNAME": "sam", "SMS_MFA_CODE": code})
	if err != nil || out.AuthenticationResult == nil {
		t.Fatalf("AdminRespondToAuthChallenge = %+v, %v", out, err)
	}
	// The session and the code are good once.
	_, err = adminRespond(start.Session, map[string]string{"USERNAME": "sam", "SMS_MFA_CODE": code})
	apiError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	start = adminStart("sam")
	if next := s.lastCode(t, "+14255550000"); next != code {
		_, err = adminRespond(start.Session, map[string]string{"USERNAME": "sam", "SMS_MFA_CODE": code})
		apiError(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
	}
	u, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("sam")})
	if err != nil || !slices.Equal(u.UserMFASettingList, []string{"SMS_MFA"}) || aws.ToString(u.PreferredMfaSetting) != "SMS_MFA" {
		t.Errorf("AdminGetUser = %+v, %v", u, err)
	}
	// The code of an expired session is refused.
	start = adminStart("sam")
	s.clock.Add(4 * time.Minute)
	_, err = adminRespond(start.Session, map[string]string{"USERNAME": "sam", "SMS_MFA_CODE": s.lastCode(t, "+14255550000")})
	apiError(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")

	// A number whose SMS fails: the challenge is issued, the failure logged.
	mustUser(t, c, pool, "fay", "Passw0rd!", "phone_number", "+12065550111")
	if _, err := c.AdminSetUserMFAPreference(ctx, &cip.AdminSetUserMFAPreferenceInput{UserPoolId: aws.String(pool), Username: aws.String("fay"),
		SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true}}); err != nil {
		t.Fatal(err)
	}
	if start := adminStart("fay"); start.ChallengeName != "SMS_MFA" || start.ChallengeParameters["CODE_DELIVERY_DESTINATION"] != "+*******0111" {
		t.Errorf("failing number's challenge = %s", jsonOf(start))
	}
	if ms := s.messages(t, "+12065550111"); len(ms) != 1 || ms[0].Failure != "Phone is currently unreachable/unavailable" {
		t.Errorf("outbox = %+v", ms)
	}
	if recs := decodeRecords(t, s.exports(t), pool, arn); len(recs) != 1 || recs[0].Message.Details != "Phone is currently unreachable/unavailable" {
		t.Errorf("records = %+v", recs)
	}
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

// TestSelectMFAType: a user with both factors and no preference chooses.
func TestSelectMFAType(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool, client := mfaPool(t, s, "OPTIONAL", true, true)
	mustUser(t, c, pool, "ann", "Passw0rd!", "phone_number", "+14255550001")
	tok := mustSignIn(t, c, client, "ann", "Passw0rd!")
	secret := enrolTOTP(t, s, tok.AccessToken)
	if _, err := c.SetUserMFAPreference(ctx, &cip.SetUserMFAPreferenceInput{AccessToken: tok.AccessToken,
		SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true}, SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true}}); err != nil {
		t.Fatalf("SetUserMFAPreference: %v", err)
	}
	_, err := c.SetUserMFAPreference(ctx, &cip.SetUserMFAPreferenceInput{AccessToken: tok.AccessToken,
		SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true, PreferredMfa: true}, SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true}})
	apiError(t, err, "InvalidParameterException", "")
	s.clock.Add(time.Minute)
	start, err := passwordAuth(c, client, "ann", "Passw0rd!")
	if err != nil || start.ChallengeName != "SELECT_MFA_TYPE" {
		t.Fatalf("InitiateAuth = %s, %v", jsonOf(start), err)
	}
	var choices []string
	if err := json.Unmarshal([]byte(start.ChallengeParameters["MFAS_CAN_CHOOSE"]), &choices); err != nil || !slices.Equal(choices, []string{"SMS_MFA", "SOFTWARE_TOKEN_MFA"}) {
		t.Errorf("MFAS_CAN_CHOOSE %q", start.ChallengeParameters["MFAS_CAN_CHOOSE"])
	}
	_, err = respond(c, client, "SELECT_MFA_TYPE", start.Session, map[string]string{"USERNAME": "ann", "ANSWER": "EMAIL_OTP"})
	apiError(t, err, "InvalidParameterException", "")
	next, err := respond(c, client, "SELECT_MFA_TYPE", start.Session, map[string]string{"USERNAME": "ann", "ANSWER": "SOFTWARE_TOKEN_MFA"})
	if err != nil || next.ChallengeName != "SOFTWARE_TOKEN_MFA" || next.Session == nil {
		t.Fatalf("SELECT_MFA_TYPE answer = %+v, %v", next, err)
	}
	out, err := respond(c, client, "SOFTWARE_TOKEN_MFA", next.Session, map[string]string{"USERNAME": "ann", "SOFTWARE_TOKEN_MFA_CODE": totpAt(t, secret, s.clock.Now())})
	if err != nil || out.AuthenticationResult == nil {
		t.Fatalf("SOFTWARE_TOKEN_MFA answer = %+v, %v", out, err)
	}
	// Choosing SMS sends a code.
	start, _ = passwordAuth(c, client, "ann", "Passw0rd!")
	next, err = respond(c, client, "SELECT_MFA_TYPE", start.Session, map[string]string{"USERNAME": "ann", "ANSWER": "SMS_MFA"})
	if err != nil || next.ChallengeName != "SMS_MFA" || next.ChallengeParameters["CODE_DELIVERY_DESTINATION"] != "+*******0001" {
		t.Fatalf("SMS choice = %+v, %v", next, err)
	}
	out, err = respond(c, client, "SMS_MFA", next.Session, map[string]string{"USERNAME": "ann", "SMS_MFA_CODE": s.lastCode(t, "+14255550001")})
	if err != nil || out.AuthenticationResult == nil {
		t.Fatalf("SMS_MFA answer = %+v, %v", out, err)
	}
	// A preference ends the choice.
	if _, err := c.AdminSetUserMFAPreference(ctx, &cip.AdminSetUserMFAPreferenceInput{UserPoolId: aws.String(pool), Username: aws.String("ann"),
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true}}); err != nil {
		t.Fatal(err)
	}
	if start, err := passwordAuth(c, client, "ann", "Passw0rd!"); err != nil || start.ChallengeName != "SOFTWARE_TOKEN_MFA" {
		t.Errorf("with a preference = %+v, %v", start, err)
	}
}

// TestMFASetup: with MFA ON a user without a factor sets up TOTP during
// sign-in, after a new password too; the pool's SMS factor sends a user
// with a phone number a code instead.
func TestMFASetup(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool, client := mfaPool(t, s, "ON", false, true)
	// A temporary password first: NEW_PASSWORD_REQUIRED, then MFA_SETUP.
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("neo"), TemporaryPassword: aws.String("Temp0rary!"), MessageAction: "SUPPRESS"}); err != nil {
		t.Fatal(err)
	}
	first, err := passwordAuth(c, client, "neo", "Temp0rary!")
	if err != nil || first.ChallengeName != "NEW_PASSWORD_REQUIRED" {
		t.Fatalf("InitiateAuth = %+v, %v", first, err)
	}
	setup, err := respond(c, client, "NEW_PASSWORD_REQUIRED", first.Session, map[string]string{"USERNAME": "neo", "NEW_PASSWORD": "Passw0rd!"})
	if err != nil || setup.ChallengeName != "MFA_SETUP" || setup.AuthenticationResult != nil || setup.ChallengeParameters["MFAS_CAN_SETUP"] != `["SOFTWARE_TOKEN_MFA"]` {
		t.Fatalf("new password answer = %s, %v", jsonOf(setup), err)
	}
	// The session must be verified before MFA_SETUP is answered.
	_, err = respond(c, client, "MFA_SETUP", setup.Session, map[string]string{"USERNAME": "neo"})
	apiError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	a, err := c.AssociateSoftwareToken(ctx, &cip.AssociateSoftwareTokenInput{Session: setup.Session})
	if err != nil || a.Session == nil || a.SecretCode == nil {
		t.Fatalf("AssociateSoftwareToken(Session) = %+v, %v", a, err)
	}
	_, err = c.VerifySoftwareToken(ctx, &cip.VerifySoftwareTokenInput{Session: a.Session, UserCode: aws.String(totpAt(t, *a.SecretCode, s.clock.Now().Add(-time.Hour)))})
	apiError(t, err, "EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA")
	v, err := c.VerifySoftwareToken(ctx, &cip.VerifySoftwareTokenInput{Session: a.Session, UserCode: aws.String(totpAt(t, *a.SecretCode, s.clock.Now())), FriendlyDeviceName: aws.String("phone")})
	if err != nil || v.Status != "SUCCESS" || v.Session == nil {
		t.Fatalf("VerifySoftwareToken(Session) = %+v, %v", v, err)
	}
	out, err := respond(c, client, "MFA_SETUP", v.Session, map[string]string{"USERNAME": "neo"})
	if err != nil || out.AuthenticationResult == nil {
		t.Fatalf("MFA_SETUP answer = %+v, %v", out, err)
	}
	_, err = respond(c, client, "MFA_SETUP", v.Session, map[string]string{"USERNAME": "neo"})
	apiError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	u, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("neo")})
	if err != nil || u.UserStatus != "CONFIRMED" || !slices.Equal(u.UserMFASettingList, []string{"SOFTWARE_TOKEN_MFA"}) || aws.ToString(u.PreferredMfaSetting) != "SOFTWARE_TOKEN_MFA" {
		t.Errorf("AdminGetUser = %+v, %v", u, err)
	}
	s.clock.Add(time.Minute)
	if start, err := passwordAuth(c, client, "neo", "Passw0rd!"); err != nil || start.ChallengeName != "SOFTWARE_TOKEN_MFA" {
		t.Errorf("next sign-in = %+v, %v", start, err)
	}
	// A session of another challenge cannot set up a token.
	start, _ := passwordAuth(c, client, "neo", "Passw0rd!")
	_, err = c.AssociateSoftwareToken(ctx, &cip.AssociateSoftwareTokenInput{Session: start.Session})
	apiError(t, err, "NotAuthorizedException", "Invalid session for the user.")

	// ON with SMS and TOTP: a user with a phone number gets an SMS code,
	// one without sets up either.
	pool2, client2 := mfaPool(t, s, "ON", true, true)
	mustUser(t, c, pool2, "pam", "Passw0rd!", "phone_number", "+14255550002")
	mustUser(t, c, pool2, "ned", "Passw0rd!")
	if start, err := passwordAuth(c, client2, "pam", "Passw0rd!"); err != nil || start.ChallengeName != "SMS_MFA" || len(s.messages(t, "+14255550002")) != 1 {
		t.Errorf("phone user = %+v, %v", start, err)
	}
	if start, err := passwordAuth(c, client2, "ned", "Passw0rd!"); err != nil || start.ChallengeName != "MFA_SETUP" || start.ChallengeParameters["MFAS_CAN_SETUP"] != `["SMS_MFA","SOFTWARE_TOKEN_MFA"]` {
		t.Errorf("user without factor = %+v, %v", start, err)
	}
}

// TestThreatProtectionMFA: in ENFORCED mode MFA_REQUIRED and
// MFA_IF_CONFIGURED challenge a user with a verified token whom the
// OPTIONAL pool would not challenge; MFA_REQUIRED blocks a user without
// MFA and MFA_IF_CONFIGURED lets that user through; the event records the
// MFA answer.
func TestThreatProtectionMFA(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool, client := threatPool(t, s, types.AdvancedSecurityModeTypeEnforced)
	if _, err := c.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(pool), MfaConfiguration: "OPTIONAL",
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}}); err != nil {
		t.Fatal(err)
	}
	setAction := func(action types.AccountTakeoverEventActionType) {
		t.Helper()
		if _, err := c.SetRiskConfiguration(ctx, &cip.SetRiskConfigurationInput{UserPoolId: aws.String(pool),
			AccountTakeoverRiskConfiguration: &types.AccountTakeoverRiskConfigurationType{Actions: &types.AccountTakeoverActionsType{
				HighAction: &types.AccountTakeoverActionType{EventAction: action, Notify: false}}}}); err != nil {
			t.Fatalf("SetRiskConfiguration: %v", err)
		}
	}
	setAction("MFA_REQUIRED")
	mustUser(t, c, pool, "vic", "Str0ng!Passw0rd-x", "email", "vic@example.com")
	mustUser(t, c, pool, "una", "Str0ng!Passw0rd-x", "email", "una@example.com")
	first, err := adminSignIn(c, pool, client, "vic", "Str0ng!Passw0rd-x", "198.51.100.9", firefox)
	if err != nil || first.AuthenticationResult == nil {
		t.Fatalf("first sign-in = %+v, %v", first, err)
	}
	secret := enrolTOTP(t, s, first.AuthenticationResult.AccessToken)
	s.clock.Add(time.Minute)

	// High risk, MFA_REQUIRED: vic (a verified token, none enabled) is
	// challenged; una (no MFA) is blocked.
	start, err := adminSignIn(c, pool, client, "vic", "Str0ng!Passw0rd-x", "203.0.113.7", chrome)
	if err != nil || start.ChallengeName != "SOFTWARE_TOKEN_MFA" || start.AuthenticationResult != nil {
		t.Fatalf("high-risk sign-in = %s, %v", jsonOf(start), err)
	}
	if e := listEvents(t, s, pool, "vic")[0]; e.EventResponse != "InProgress" || e.EventRisk.RiskLevel != "High" || len(e.ChallengeResponses) != 1 {
		t.Errorf("event before the answer %s", jsonOf(e))
	}
	_, err = c.AdminRespondToAuthChallenge(ctx, &cip.AdminRespondToAuthChallengeInput{UserPoolId: aws.String(pool), ClientId: aws.String(client),
		ChallengeName: "SOFTWARE_TOKEN_MFA", Session: start.Session, ChallengeResponses: map[string]string{"USERNAME": "vic", "SOFTWARE_TOKEN_MFA_CODE": "000000"}})
	apiError(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
	if e := listEvents(t, s, pool, "vic")[0]; e.EventResponse != "Fail" || len(e.ChallengeResponses) != 2 ||
		e.ChallengeResponses[1].ChallengeName != "Mfa" || e.ChallengeResponses[1].ChallengeResponse != "Failure" {
		t.Errorf("event after a wrong code %s", jsonOf(e))
	}
	out, err := c.AdminRespondToAuthChallenge(ctx, &cip.AdminRespondToAuthChallengeInput{UserPoolId: aws.String(pool), ClientId: aws.String(client),
		ChallengeName: "SOFTWARE_TOKEN_MFA", Session: start.Session, ChallengeResponses: map[string]string{"USERNAME": "vic", "SOFTWARE_TOKEN_MFA_CODE": totpAt(t, secret, s.clock.Now())}})
	if err != nil || out.AuthenticationResult == nil {
		t.Fatalf("MFA answer = %+v, %v", out, err)
	}
	e := listEvents(t, s, pool, "vic")[0]
	if e.EventResponse != "Pass" || e.ChallengeResponses[0].ChallengeName != "Password" || e.ChallengeResponses[0].ChallengeResponse != "Success" ||
		e.ChallengeResponses[len(e.ChallengeResponses)-1].ChallengeName != "Mfa" || e.ChallengeResponses[len(e.ChallengeResponses)-1].ChallengeResponse != "Success" {
		t.Errorf("event after the answer %s", jsonOf(e))
	}
	if claims := unverifiedClaims(t, *out.AuthenticationResult.AccessToken); claims["event_id"] != aws.ToString(e.EventId) {
		t.Errorf("event_id %v, event %s", claims["event_id"], aws.ToString(e.EventId))
	}
	_, err = adminSignIn(c, pool, client, "una", "Str0ng!Passw0rd-x", "203.0.113.8", chrome)
	apiError(t, err, "NotAuthorizedException", "Unable to login because of security reasons.")

	// MFA_IF_CONFIGURED: una goes through, vic is challenged.
	setAction("MFA_IF_CONFIGURED")
	if out, err := adminSignIn(c, pool, client, "una", "Str0ng!Passw0rd-x", "203.0.113.8", chrome); err != nil || out.AuthenticationResult == nil {
		t.Errorf("una with MFA_IF_CONFIGURED = %+v, %v", out, err)
	}
	if out, err := adminSignIn(c, pool, client, "vic", "Str0ng!Passw0rd-x", "203.0.113.7", chrome); err != nil || out.ChallengeName != "SOFTWARE_TOKEN_MFA" {
		t.Errorf("vic with MFA_IF_CONFIGURED = %+v, %v", out, err)
	}
	// No risk: vic signs in without MFA (OPTIONAL, nothing enabled).
	if out, err := adminSignIn(c, pool, client, "vic", "Str0ng!Passw0rd-x", "198.51.100.9", firefox); err != nil || out.AuthenticationResult == nil {
		t.Errorf("vic without risk = %+v, %v", out, err)
	}
}

// unverifiedClaims decodes a JWT's payload without checking it.
func unverifiedClaims(t *testing.T, tok string) map[string]any {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q", tok)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}
