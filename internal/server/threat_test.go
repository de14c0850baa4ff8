package server

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognate/cognate/internal/storage"
)

// threatPool creates a Plus pool with threat protection in mode, that
// exports userAuthEvents to a built-in log group, and a client allowing
// the password flows.
func threatPool(t *testing.T, s *userServer, mode types.AdvancedSecurityModeType) (pool, client string) {
	t.Helper()
	c := s.client("us-east-1")
	pool = mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("threat"), UserPoolTier: types.UserPoolTierTypePlus,
		UserPoolAddOns: &types.UserPoolAddOnsType{AdvancedSecurityMode: mode}, AutoVerifiedAttributes: []types.VerifiedAttributeType{"email"}})
	s.mustCreateLogGroup(t, "us-east-1", "/cognito/activity/"+pool)
	if _, err := c.SetLogDeliveryConfiguration(ctx, &cip.SetLogDeliveryConfigurationInput{UserPoolId: aws.String(pool),
		LogConfigurations: []types.LogConfigurationType{{EventSource: "userAuthEvents", LogLevel: "INFO",
			CloudWatchLogsConfiguration: &types.CloudWatchLogsConfigurationType{LogGroupArn: aws.String("arn:aws:logs:us-east-1:123456789012:log-group:/cognito/activity/" + pool)}}}}); err != nil {
		t.Fatalf("SetLogDeliveryConfiguration: %v", err)
	}
	out, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("app"), ExplicitAuthFlows: authFlows})
	if err != nil {
		t.Fatal(err)
	}
	return pool, *out.UserPoolClient.ClientId
}

// listEvents lists a user's events; the test clock then moves a second on,
// so that the next event is the newest.
func listEvents(t *testing.T, s *userServer, pool, user string) []types.AuthEventType {
	t.Helper()
	defer s.clock.Add(time.Second)
	c := s.client("us-east-1")
	out, err := c.AdminListUserAuthEvents(ctx, &cip.AdminListUserAuthEventsInput{UserPoolId: aws.String(pool), Username: aws.String(user)})
	if err != nil {
		t.Fatalf("AdminListUserAuthEvents: %v", err)
	}
	return out.AuthEvents
}

// adminSignIn signs in with ContextData from ip with a browser's
// User-Agent.
func adminSignIn(c *cip.Client, pool, client, user, password, ip, userAgent string) (*cip.AdminInitiateAuthOutput, error) {
	return c.AdminInitiateAuth(ctx, &cip.AdminInitiateAuthInput{UserPoolId: aws.String(pool), ClientId: aws.String(client),
		AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: map[string]string{"USERNAME": user, "PASSWORD": password},
		ContextData: &types.ContextDataType{IpAddress: aws.String(ip), ServerName: aws.String("app.example.com"), ServerPath: aws.String("/login"),
			HttpHeaders: []types.HttpHeader{{HeaderName: aws.String("user-agent"), HeaderValue: aws.String(userAgent)}}}})
}

const (
	firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"
	chrome  = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
)

// TestThreatProtectionSignIns (issue 5 item 3): with ENFORCED threat
// protection every sign-in is an auth event with its risk, listed newest
// first, carried by the tokens (event_id) and exported as a userAuthEvents
// record in the write that made it; new addresses and devices raise the
// risk; the configured actions block and notify; feedback is recorded.
func TestThreatProtectionSignIns(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool, client := threatPool(t, s, types.AdvancedSecurityModeTypeEnforced)
	mustUser(t, c, pool, "tess", "Str0ng!Passw0rd-x", "email", "tess@example.com", "email_verified", "true")

	// First sign-in: no history, no risk; the token names the event.
	tokens := mustSignIn(t, c, client, "tess", "Str0ng!Passw0rd-x")
	claims := verifyJWT(t, s.jwks(t, pool), *tokens.AccessToken)
	events := listEvents(t, s, pool, "tess")
	if len(events) != 1 {
		t.Fatalf("events: %+v", events)
	}
	first := events[0]
	if aws.ToString(first.EventId) != claims["event_id"] || first.EventType != "SignIn" || first.EventResponse != "Pass" ||
		first.EventRisk.RiskDecision != "NoRisk" || first.EventRisk.RiskLevel != "" || aws.ToBool(first.EventRisk.CompromisedCredentialsDetected) ||
		len(first.ChallengeResponses) != 1 || first.ChallengeResponses[0].ChallengeName != "Password" || first.ChallengeResponses[0].ChallengeResponse != "Success" ||
		aws.ToString(first.EventContextData.IpAddress) != "127.0.0.1" || !strings.HasPrefix(aws.ToString(first.EventContextData.DeviceName), "AWS SDK Go v2 ") {
		t.Errorf("first event %s (claims %v)", jsonOf(first), claims)
	}

	// A wrong password: Fail, Password Failure.
	if _, err := passwordAuth(c, client, "tess", "wrong-Passw0rd!"); err == nil {
		t.Fatal("wrong password accepted")
	}
	if e := listEvents(t, s, pool, "tess")[0]; e.EventResponse != "Fail" || e.ChallengeResponses[0].ChallengeResponse != "Failure" {
		t.Errorf("wrong-password event %s", jsonOf(e))
	}

	// A new address and a new device: Medium; no action configured.
	if _, err := adminSignIn(c, pool, client, "tess", "Str0ng!Passw0rd-x", "198.51.100.9", firefox); err != nil {
		t.Fatalf("sign-in from a new place: %v", err)
	}
	medium := listEvents(t, s, pool, "tess")[0]
	if medium.EventResponse != "Pass" || medium.EventRisk.RiskDecision != "AccountTakeover" || medium.EventRisk.RiskLevel != "Medium" ||
		aws.ToString(medium.EventContextData.IpAddress) != "198.51.100.9" || aws.ToString(medium.EventContextData.DeviceName) != "Firefox 121, Linux" {
		t.Errorf("new-place event %s", jsonOf(medium))
	}
	// The same place again is known now (it passed).
	if _, err := adminSignIn(c, pool, client, "tess", "Str0ng!Passw0rd-x", "198.51.100.9", firefox); err != nil {
		t.Fatal(err)
	}
	if e := listEvents(t, s, pool, "tess")[0]; e.EventRisk.RiskDecision != "NoRisk" {
		t.Errorf("known place: %s", jsonOf(e))
	}

	// Block high risk and notify; the server's high-risk range is
	// TEST-NET-3.
	if _, err := c.SetRiskConfiguration(ctx, &cip.SetRiskConfigurationInput{UserPoolId: aws.String(pool),
		AccountTakeoverRiskConfiguration: &types.AccountTakeoverRiskConfigurationType{
			Actions: &types.AccountTakeoverActionsType{
				LowAction:  &types.AccountTakeoverActionType{EventAction: "NO_ACTION", Notify: true},
				HighAction: &types.AccountTakeoverActionType{EventAction: "BLOCK", Notify: true}},
			NotifyConfiguration: &types.NotifyConfigurationType{SourceArn: aws.String("arn:aws:ses:us-east-1:123456789012:identity/example.com"),
				From: aws.String("security@example.com"),
				BlockEmail: &types.NotifyEmailType{Subject: aws.String("Blocked sign-in for {username}"),
					TextBody: aws.String("Blocked from {ip-address} on {device-name}. Event {event-id}, token {feedback-token}.")}}}}); err != nil {
		t.Fatalf("SetRiskConfiguration: %v", err)
	}
	_, err := adminSignIn(c, pool, client, "tess", "Str0ng!Passw0rd-x", "203.0.113.7", chrome)
	apiError(t, err, "NotAuthorizedException", "Unable to login because of security reasons.")
	blocked := listEvents(t, s, pool, "tess")[0]
	if blocked.EventResponse != "Fail" || blocked.EventRisk.RiskDecision != "Block" || blocked.EventRisk.RiskLevel != "High" {
		t.Errorf("blocked event %s", jsonOf(blocked))
	}
	mail := s.messages(t, "tess@example.com")
	if len(mail) == 0 || mail[len(mail)-1].Subject != "Blocked sign-in for tess" || mail[len(mail)-1].From != "security@example.com" {
		t.Fatalf("notification: %+v", mail)
	}
	m := regexp.MustCompile(`Blocked from 203\.0\.113\.7 on Chrome 126, Windows 10\. Event (\S+), token (\S+)\.`).FindStringSubmatch(mail[len(mail)-1].Body)
	if m == nil || m[1] != aws.ToString(blocked.EventId) {
		t.Fatalf("notification body %q", mail[len(mail)-1].Body)
	}

	// Feedback: a wrong token is refused; the email's token and an
	// administrator's are recorded.
	_, err = c.UpdateAuthEventFeedback(ctx, &cip.UpdateAuthEventFeedbackInput{UserPoolId: aws.String(pool), Username: aws.String("tess"),
		EventId: blocked.EventId, FeedbackToken: aws.String("forged"), FeedbackValue: "Valid"})
	apiError(t, err, "NotAuthorizedException", "Invalid feedback token.")
	if _, err := c.UpdateAuthEventFeedback(ctx, &cip.UpdateAuthEventFeedbackInput{UserPoolId: aws.String(pool), Username: aws.String("tess"),
		EventId: blocked.EventId, FeedbackToken: aws.String(strings.TrimSuffix(m[2], ".")), FeedbackValue: "Invalid"}); err != nil {
		t.Fatalf("UpdateAuthEventFeedback: %v", err)
	}
	if e := listEvents(t, s, pool, "tess")[0]; e.EventFeedback == nil || e.EventFeedback.FeedbackValue != "Invalid" || aws.ToString(e.EventFeedback.Provider) != "User" || e.EventFeedback.FeedbackDate == nil {
		t.Errorf("feedback %s", jsonOf(e))
	}
	// Invalid feedback on the Medium event distrusts its address: High,
	// blocked.
	if _, err := c.AdminUpdateAuthEventFeedback(ctx, &cip.AdminUpdateAuthEventFeedbackInput{UserPoolId: aws.String(pool), Username: aws.String("tess"),
		EventId: medium.EventId, FeedbackValue: "Invalid"}); err != nil {
		t.Fatalf("AdminUpdateAuthEventFeedback: %v", err)
	}
	_, err = adminSignIn(c, pool, client, "tess", "Str0ng!Passw0rd-x", "198.51.100.9", firefox)
	apiError(t, err, "NotAuthorizedException", "Unable to login because of security reasons.")
	_, err = c.AdminUpdateAuthEventFeedback(ctx, &cip.AdminUpdateAuthEventFeedbackInput{UserPoolId: aws.String(pool), Username: aws.String("tess"),
		EventId: aws.String("no-such-event"), FeedbackValue: "Valid"})
	apiError(t, err, "ResourceNotFoundException", "Auth event no-such-event not found.")

	// Pages: newest first, NextToken "<EventId>#<time>".
	all := listEvents(t, s, pool, "tess")
	var paged []string
	var next *string
	for {
		out, err := c.AdminListUserAuthEvents(ctx, &cip.AdminListUserAuthEventsInput{UserPoolId: aws.String(pool), Username: aws.String("tess"), MaxResults: aws.Int32(2), NextToken: next})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range out.AuthEvents {
			paged = append(paged, aws.ToString(e.EventId))
		}
		if next = out.NextToken; next == nil {
			break
		}
		if !regexp.MustCompile(`^[0-9a-f-]{36}#\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`).MatchString(*next) {
			t.Fatalf("NextToken %q", *next)
		}
	}
	if len(paged) != len(all) || len(all) != 6 {
		t.Errorf("paged %d events, listed %d, want 6", len(paged), len(all))
	}
	for i := range all {
		if i < len(paged) && paged[i] != aws.ToString(all[i].EventId) {
			t.Errorf("page order differs at %d", i)
		}
		if i > 0 && all[i].CreationDate.After(*all[i-1].CreationDate) {
			t.Errorf("not newest first at %d", i)
		}
	}

	// Every event was exported with its write, in the documented shape.
	var exported int
	for _, r := range s.exports(t) {
		if r.EventSource != "userAuthEvents" {
			continue
		}
		exported++
		var rec struct {
			EventSource string            `json:"eventSource"`
			LogLevel    string            `json:"logLevel"`
			Message     map[string]any    `json:"message"`
			LogSourceID map[string]string `json:"logSourceId"`
		}
		if err := json.Unmarshal(r.Payload, &rec); err != nil || rec.EventSource != "USER_ACTIVITY" || rec.LogLevel != "INFO" ||
			len(rec.Message) != 23 || rec.LogSourceID["userPoolId"] != pool || rec.Message["userName"] != "tess" || r.DestinationType != storage.DestinationCloudWatchLogs {
			t.Errorf("record %s: %v", r.Payload, err)
		}
	}
	if exported != len(all) {
		t.Errorf("%d userAuthEvents records, %d events", exported, len(all))
	}
}

// TestCompromisedCredentials: a password on the shipped list is refused
// at sign-up and at a password change, and at sign-in puts the user in
// RESET_REQUIRED (ENFORCED, the default BLOCK action); AUDIT only records.
func TestCompromisedCredentials(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool, client := threatPool(t, s, types.AdvancedSecurityModeTypeEnforced)
	_, err := c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(client), Username: aws.String("sam"), Password: aws.String("Pa$$w0rd"),
		UserAttributes: attrs("email", "sam@example.com")})
	apiError(t, err, "InvalidPasswordException", "Provided password cannot be used for security reasons.")

	mustUser(t, c, pool, "rae", "Pa$$w0rd") // an administrator's choice is not checked
	_, err = passwordAuth(c, client, "rae", "Pa$$w0rd")
	apiError(t, err, "PasswordResetRequiredException", "Password reset required for the user")
	got, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("rae")})
	if err != nil || got.UserStatus != types.UserStatusTypeResetRequired {
		t.Errorf("status after a compromised sign-in: %+v %v", got, err)
	}
	e := listEvents(t, s, pool, "rae")[0]
	if e.EventResponse != "Fail" || e.EventRisk.RiskDecision != "Block" || !aws.ToBool(e.EventRisk.CompromisedCredentialsDetected) {
		t.Errorf("compromised event %s", jsonOf(e))
	}

	// A sign-up with a good password is an InProgress SignUp event.
	if _, err := c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(client), Username: aws.String("sam"), Password: aws.String("Str0ng!Passw0rd-x"),
		UserAttributes: attrs("email", "sam@example.com")}); err != nil {
		t.Fatal(err)
	}
	if e := listEvents(t, s, pool, "sam"); len(e) != 1 || e[0].EventType != "SignUp" || e[0].EventResponse != "InProgress" {
		t.Errorf("sign-up events %s", jsonOf(e))
	}
	// A changed password is checked too.
	mustUser(t, c, pool, "kim", "Str0ng!Passw0rd-x")
	tok := mustSignIn(t, c, client, "kim", "Str0ng!Passw0rd-x")
	s.clock.Add(time.Second)
	_, err = c.ChangePassword(ctx, &cip.ChangePasswordInput{AccessToken: tok.AccessToken, PreviousPassword: aws.String("Str0ng!Passw0rd-x"), ProposedPassword: aws.String("Pa$$w0rd")})
	apiError(t, err, "InvalidPasswordException", "Provided password cannot be used for security reasons.")
	s.clock.Add(time.Second)
	if _, err := c.ChangePassword(ctx, &cip.ChangePasswordInput{AccessToken: tok.AccessToken, PreviousPassword: aws.String("Str0ng!Passw0rd-x"), ProposedPassword: aws.String("An0ther!Passw0rd-y")}); err != nil {
		t.Fatal(err)
	}
	var types_ []string
	for _, e := range listEvents(t, s, pool, "kim") {
		types_ = append(types_, string(e.EventType)+"/"+string(e.EventResponse))
	}
	if strings.Join(types_, " ") != "PasswordChange/Pass PasswordChange/Fail SignIn/Pass" {
		t.Errorf("kim's events: %v", types_)
	}

	// AUDIT records the same and does nothing.
	audit, auditClient := threatPool(t, s, types.AdvancedSecurityModeTypeAudit)
	mustUser(t, c, audit, "rae", "Pa$$w0rd")
	mustSignIn(t, c, auditClient, "rae", "Pa$$w0rd")
	if e := listEvents(t, s, audit, "rae")[0]; e.EventResponse != "Pass" || e.EventRisk.RiskDecision != "Block" || !aws.ToBool(e.EventRisk.CompromisedCredentialsDetected) {
		t.Errorf("audit event %s", jsonOf(e))
	}
}

// TestRiskConfigurations: Set and Describe for the pool and a client, the
// reset forms, validation, and the add-on gates.
func TestRiskConfigurations(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool, client := threatPool(t, s, types.AdvancedSecurityModeTypeAudit)
	describe := func(clientID *string) *types.RiskConfigurationType {
		t.Helper()
		out, err := c.DescribeRiskConfiguration(ctx, &cip.DescribeRiskConfigurationInput{UserPoolId: aws.String(pool), ClientId: clientID})
		if err != nil {
			t.Fatalf("DescribeRiskConfiguration: %v", err)
		}
		return out.RiskConfiguration
	}
	if r := describe(nil); aws.ToString(r.UserPoolId) != pool || r.CompromisedCredentialsRiskConfiguration != nil || r.LastModifiedDate != nil {
		t.Errorf("nothing set: %s", jsonOf(r))
	}
	set, err := c.SetRiskConfiguration(ctx, &cip.SetRiskConfigurationInput{UserPoolId: aws.String(pool),
		CompromisedCredentialsRiskConfiguration: &types.CompromisedCredentialsRiskConfigurationType{Actions: &types.CompromisedCredentialsActionsType{EventAction: "NO_ACTION"}},
		RiskExceptionConfiguration:              &types.RiskExceptionConfigurationType{BlockedIPRangeList: []string{"192.0.2.0/24"}}})
	if err != nil {
		t.Fatal(err)
	}
	r := describe(nil)
	if got := r.CompromisedCredentialsRiskConfiguration.EventFilter; len(got) != 3 || set.RiskConfiguration.LastModifiedDate == nil ||
		r.RiskExceptionConfiguration.BlockedIPRangeList[0] != "192.0.2.0/24" || r.LastModifiedDate == nil {
		t.Errorf("pool's: %s", jsonOf(r))
	}
	// A client without its own gets the pool's; with its own, only that.
	if r := describe(aws.String(client)); aws.ToString(r.ClientId) != client || r.RiskExceptionConfiguration == nil {
		t.Errorf("client falling back: %s", jsonOf(r))
	}
	if _, err := c.SetRiskConfiguration(ctx, &cip.SetRiskConfigurationInput{UserPoolId: aws.String(pool), ClientId: aws.String(client),
		RiskExceptionConfiguration: &types.RiskExceptionConfigurationType{SkippedIPRangeList: []string{"10.0.0.0/8"}}}); err != nil {
		t.Fatal(err)
	}
	if r := describe(aws.String(client)); r.CompromisedCredentialsRiskConfiguration != nil || r.RiskExceptionConfiguration.SkippedIPRangeList[0] != "10.0.0.0/8" {
		t.Errorf("client's own: %s", jsonOf(r))
	}
	// Reset the client's, then the pool's.
	for _, id := range []*string{aws.String(client), nil} {
		if _, err := c.SetRiskConfiguration(ctx, &cip.SetRiskConfigurationInput{UserPoolId: aws.String(pool), ClientId: id}); err != nil {
			t.Fatal(err)
		}
	}
	if r := describe(aws.String(client)); r.RiskExceptionConfiguration != nil || r.CompromisedCredentialsRiskConfiguration != nil {
		t.Errorf("after the resets: %s", jsonOf(r))
	}

	_, err = c.SetRiskConfiguration(ctx, &cip.SetRiskConfigurationInput{UserPoolId: aws.String(pool),
		RiskExceptionConfiguration: &types.RiskExceptionConfigurationType{BlockedIPRangeList: []string{"10.0.0.0/33"}}})
	apiError(t, err, "InvalidParameterException", `Invalid IP range in RiskExceptionConfiguration: "10.0.0.0/33" is not an IP address range (CIDR block).`)
	_, err = c.SetRiskConfiguration(ctx, &cip.SetRiskConfigurationInput{UserPoolId: aws.String(pool),
		AccountTakeoverRiskConfiguration: &types.AccountTakeoverRiskConfigurationType{Actions: &types.AccountTakeoverActionsType{
			HighAction: &types.AccountTakeoverActionType{EventAction: "BLOCK", Notify: true}}}})
	apiError(t, err, "InvalidParameterException", "NotifyConfiguration is required when an account takeover action has Notify set to true.")
	_, err = c.SetRiskConfiguration(ctx, &cip.SetRiskConfigurationInput{UserPoolId: aws.String(pool), ClientId: aws.String("nosuchclient")})
	if err == nil || !strings.Contains(err.Error(), "ResourceNotFoundException") {
		t.Errorf("unknown client: %v", err)
	}

	// Gates: risk configuration needs Plus; the event history needs
	// threat protection on.
	plain := mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("essentials")})
	_, err = c.DescribeRiskConfiguration(ctx, &cip.DescribeRiskConfigurationInput{UserPoolId: aws.String(plain)})
	apiError(t, err, "UserPoolAddOnNotEnabledException", "Threat protection is not enabled for this user pool.")
	mustUser(t, c, plain, "ann", "Str0ng!Passw0rd-x")
	_, err = c.AdminListUserAuthEvents(ctx, &cip.AdminListUserAuthEventsInput{UserPoolId: aws.String(plain), Username: aws.String("ann")})
	apiError(t, err, "UserPoolAddOnNotEnabledException", "Threat protection is not enabled for this user pool.")
	_, err = c.AdminListUserAuthEvents(ctx, &cip.AdminListUserAuthEventsInput{UserPoolId: aws.String(pool), Username: aws.String("nobody")})
	apiError(t, err, "UserNotFoundException", "User does not exist.")
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestMalformedContextData: context data that cannot be an address is
// refused before anything is checked or recorded.
func TestMalformedContextData(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool, client := threatPool(t, s, types.AdvancedSecurityModeTypeEnforced)
	mustUser(t, c, pool, "mia", "Str0ng!Passw0rd-x")
	_, err := adminSignIn(c, pool, client, "mia", "Str0ng!Passw0rd-x", "not-an-ip", chrome)
	apiError(t, err, "InvalidParameterException", "ContextData.IpAddress is not a valid IP address.")
	if e := listEvents(t, s, pool, "mia"); len(e) != 0 {
		t.Errorf("events after a refused request: %s", jsonOf(e))
	}
	// Odd headers and opaque data are only context: the sign-in works.
	if _, err := c.AdminInitiateAuth(ctx, &cip.AdminInitiateAuthInput{UserPoolId: aws.String(pool), ClientId: aws.String(client),
		AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: map[string]string{"USERNAME": "mia", "PASSWORD": "Str0ng!Passw0rd-x"},
		ContextData: &types.ContextDataType{IpAddress: aws.String("2001:db8::7"), ServerName: aws.String(""), ServerPath: aws.String(""),
			HttpHeaders: []types.HttpHeader{{HeaderName: aws.String("USER-AGENT")}, {HeaderValue: aws.String("x")}}, EncodedData: aws.String("%%%not base64")}}); err != nil {
		t.Fatalf("sign-in with odd context data: %v", err)
	}
	if e := listEvents(t, s, pool, "mia"); len(e) != 1 || aws.ToString(e[0].EventContextData.IpAddress) != "2001:db8::7" || aws.ToString(e[0].EventContextData.DeviceName) != "Other, Other" {
		t.Errorf("event %s", jsonOf(e))
	}
}
