package server

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognate/cognate/internal/messaging"
	"github.com/cognate/cognate/internal/storage"
	"github.com/cognate/cognate/internal/testutil/smtptest"
)

// loggedPool creates a pool that verifies email (and phone numbers, with
// an SMS configuration when sms is set), exports userNotification to a
// built-in log group, and a client without a secret.
func loggedPool(t *testing.T, s *userServer, sms bool) (pool, client, groupARN string) {
	t.Helper()
	c := s.client("us-east-1")
	in := &cip.CreateUserPoolInput{PoolName: aws.String("logged"), AutoVerifiedAttributes: []types.VerifiedAttributeType{"email"}}
	if sms {
		in.AutoVerifiedAttributes = append(in.AutoVerifiedAttributes, "phone_number")
		in.SmsConfiguration = &types.SmsConfigurationType{SnsCallerArn: aws.String("arn:aws:iam::123456789012:role/sns")}
	}
	pool = mustCreatePool(t, c, in)
	s.mustCreateLogGroup(t, "us-east-1", "/cognito/notifications")
	groupARN = "arn:aws:logs:us-east-1:123456789012:log-group:/cognito/notifications"
	if err := setNotifications(c, pool, groupARN); err != nil {
		t.Fatalf("SetLogDeliveryConfiguration: %v", err)
	}
	client, _ = mustClient(t, c, pool, false)
	return pool, client, groupARN
}

// record is a userNotification record as exported.
type record struct {
	EventTimestamp string `json:"eventTimestamp"`
	EventSource    string `json:"eventSource"`
	LogLevel       string `json:"logLevel"`
	Message        struct {
		Details string `json:"details"`
	} `json:"message"`
	LogSourceID struct {
		UserPoolID string `json:"userPoolId"`
	} `json:"logSourceId"`
}

func decodeRecords(t *testing.T, recs []*storage.ExportRecord, pool, arn string) []record {
	t.Helper()
	var out []record
	for _, r := range recs {
		var rec record
		if err := json.Unmarshal(r.Payload, &rec); err != nil {
			t.Fatalf("payload %s: %v", r.Payload, err)
		}
		if r.PoolID != pool || r.EventSource != "userNotification" || r.DestinationType != storage.DestinationCloudWatchLogs || r.DestinationARN != arn ||
			rec.EventSource != "USER_NOTIFICATION" || rec.LogLevel != "ERROR" || rec.LogSourceID.UserPoolID != pool {
			t.Errorf("export record %+v: %s", r, r.Payload)
		}
		out = append(out, rec)
	}
	return out
}

// TestRelayFailures: a real SMTP relay takes good mail; a recipient it
// refuses fails SignUp with CodeDeliveryFailureException, keeps the user
// (as AWS does) and logs a userNotification record in the same
// transaction; the exporter's hook is told.
func TestRelayFailures(t *testing.T) {
	relay := &smtptest.Relay{Refuse: "refused@example.com"}
	url := smtptest.Start(t, relay)
	mail, err := messaging.New(messaging.Config{SMTPURL: url, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	hooked := make(chan storage.Deliveries, 10)
	s := newUserServer(t, func(cfg *Config) {
		cfg.Messaging = mail
		cfg.OnDeliveries = func(d storage.Deliveries) { hooked <- d }
	})
	c := s.client("us-east-1")
	pool, client, arn := loggedPool(t, s, false)

	if _, err := c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(client), Username: aws.String("ok"), Password: aws.String("Passw0rd!"), UserAttributes: attrs("email", "ok@example.com")}); err != nil {
		t.Fatal(err)
	}
	if got := relay.Received(); len(got) != 1 || !strings.Contains(got[0].Data, "Your verification code is ") {
		t.Fatalf("relay received %q", got)
	}
	if ms := s.messages(t, "ok@example.com"); len(ms) != 1 || !ms[0].Relayed || ms[0].Failure != "" {
		t.Errorf("outbox = %+v", ms)
	}
	if n := len(s.exports(t)); n != 0 {
		t.Fatalf("%d records for a delivered message", n)
	}

	_, err = c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(client), Username: aws.String("bad"), Password: aws.String("Passw0rd!"), UserAttributes: attrs("email", "refused@example.com")})
	apiError(t, err, "CodeDeliveryFailureException", "")
	if !strings.HasPrefix(err.Error(), "") || !strings.Contains(err.Error(), "Cognito received the following error from Amazon SES when attempting to send email: ") || !strings.Contains(err.Error(), "550") {
		t.Errorf("error text: %v", err)
	}
	u, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("bad")})
	if err != nil || u.UserStatus != "UNCONFIRMED" {
		t.Errorf("the user whose code failed: %+v, %v", u, err)
	}
	ms := s.messages(t, "refused@example.com")
	if len(ms) != 1 || ms[0].Relayed || !strings.Contains(ms[0].Failure, "550") {
		t.Errorf("outbox = %+v", ms)
	}
	recs := decodeRecords(t, s.exports(t), pool, arn)
	if len(recs) != 1 || !strings.Contains(recs[0].Message.Details, "550") {
		t.Errorf("records = %+v", recs)
	}
	select {
	case d := <-hooked:
		if len(d.Exports) != 1 {
			t.Errorf("hook got %+v", d)
		}
	case <-time.After(time.Second):
		t.Error("the delivery hook was not called")
	}

	// ResendConfirmationCode fails the same way, changes nothing, and is
	// logged too.
	_, err = c.ResendConfirmationCode(ctx, &cip.ResendConfirmationCodeInput{ClientId: aws.String(client), Username: aws.String("bad")})
	apiError(t, err, "CodeDeliveryFailureException", "")
	if n := len(s.exports(t)); n != 2 {
		t.Errorf("%d records after the failed resend, want 2", n)
	}
	// AdminCreateUser does not create a user it cannot invite.
	_, err = c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("inv"), DesiredDeliveryMediums: []types.DeliveryMediumType{"EMAIL"}, UserAttributes: attrs("email", "refused@example.com")})
	apiError(t, err, "CodeDeliveryFailureException", "")
	_, err = c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("inv")})
	apiError(t, err, "UserNotFoundException", "User does not exist.")
	if n := len(s.exports(t)); n != 3 {
		t.Errorf("%d records after the failed invitation, want 3", n)
	}
}

// TestRelayThatHangs: a relay that never answers fails the call within
// the deliverer's timeout instead of hanging it.
func TestRelayThatHangs(t *testing.T) {
	relay := &smtptest.Relay{Hang: 3 * time.Second}
	mail, _ := messaging.New(messaging.Config{SMTPURL: smtptest.Start(t, relay), Timeout: 500 * time.Millisecond})
	s := newUserServer(t, func(cfg *Config) { cfg.Messaging = mail })
	c := s.client("us-east-1")
	pool, client, arn := loggedPool(t, s, false)
	start := time.Now()
	_, err := c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(client), Username: aws.String("slow"), Password: aws.String("Passw0rd!"), UserAttributes: attrs("email", "slow@example.com")})
	apiError(t, err, "CodeDeliveryFailureException", "")
	if d := time.Since(start); d > 2500*time.Millisecond {
		t.Errorf("SignUp took %v with a 500 ms relay timeout", d)
	}
	recs := decodeRecords(t, s.exports(t), pool, arn)
	if len(recs) != 1 || !strings.Contains(recs[0].Message.Details, "did not answer in time") {
		t.Errorf("records = %+v", recs)
	}
}

// TestAsynchronousFailures: the SES simulator's bounce and Cognate's
// failing SMS numbers succeed at the API and are logged; a pool without
// an SMS configuration fails; an invalid number is refused before sending.
func TestAsynchronousFailures(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool, client, arn := loggedPool(t, s, true)
	signUp := func(name string, kv ...string) (*cip.SignUpOutput, error) {
		return c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(client), Username: aws.String(name), Password: aws.String("Passw0rd!"), UserAttributes: attrs(kv...)})
	}
	out, err := signUp("b1", "email", "bounce@simulator.amazonses.com")
	if err != nil || *out.CodeDeliveryDetails.Destination != "b***@s***.com" {
		t.Fatalf("SignUp to bounce@ = %+v, %v", out, err)
	}
	out, err = signUp("s1", "phone_number", "+12065550111")
	if err != nil || out.CodeDeliveryDetails.DeliveryMedium != "SMS" || *out.CodeDeliveryDetails.Destination != "+*******0111" {
		t.Fatalf("SignUp to a failing number = %+v, %v", out, err)
	}
	if _, err := signUp("s2", "email", "ok@example.com", "phone_number", "+14255551234"); err != nil {
		t.Fatal(err)
	}
	// Both set: the code goes by SMS.
	if ms := s.messages(t, "+14255551234"); len(ms) != 1 || ms[0].Medium != "SMS" || ms[0].Failure != "" {
		t.Errorf("SMS outbox = %+v", ms)
	}
	recs := decodeRecords(t, s.exports(t), pool, arn)
	if len(recs) != 2 || recs[0].Message.Details != "Email delivery failed: 550 5.1.1 user unknown (bounce@simulator.amazonses.com)" ||
		recs[1].Message.Details != "Phone is currently unreachable/unavailable" {
		t.Errorf("records = %+v", recs)
	}
	_, err = signUp("s3", "phone_number", "12065550111")
	apiError(t, err, "InvalidParameterException", "Invalid phone number format.")

	// A pool that must text without an SMS configuration.
	c2 := s.client("us-east-1")
	pool2 := mustCreatePool(t, c2, &cip.CreateUserPoolInput{PoolName: aws.String("nosms"), AutoVerifiedAttributes: []types.VerifiedAttributeType{"phone_number"}})
	client2, _ := mustClient(t, c2, pool2, false)
	_, err = c2.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(client2), Username: aws.String("t1"), Password: aws.String("Passw0rd!"), UserAttributes: attrs("phone_number", "+14255550199")})
	apiError(t, err, "CodeDeliveryFailureException", "Invalid phone number provided/Unable to send the message. User pool does not have SMS configuration to send messages.")
}

// TestDailyEmailQuota: COGNITO_DEFAULT sends at most the quota a day per
// account and region (AWS: 50); the next send fails with AWS's
// LimitExceededException text and is logged; the simulator does not count.
func TestDailyEmailQuota(t *testing.T) {
	s := newUserServer(t, func(cfg *Config) { cfg.DailyEmailQuota = 2 })
	c := s.client("us-east-1")
	pool, client, arn := loggedPool(t, s, false)
	signUp := func(name, email string) error {
		_, err := c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(client), Username: aws.String(name), Password: aws.String("Passw0rd!"), UserAttributes: attrs("email", email)})
		return err
	}
	for i, email := range []string{"q1@example.com", "success@simulator.amazonses.com", "q2@example.com"} {
		if err := signUp(strings.Split(email, "@")[0]+string(rune('a'+i)), email); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	apiError(t, signUp("q3", "q3@example.com"), "LimitExceededException",
		"Exceeded daily email limit for the operation or the account. If a higher limit is required, please configure your user pool to use your own Amazon SES configuration for sending email.")
	recs := decodeRecords(t, s.exports(t), pool, arn)
	if len(recs) != 1 || !strings.HasPrefix(recs[0].Message.Details, "Exceeded daily email limit") {
		t.Errorf("records = %+v", recs)
	}
	s.clock.Add(24 * time.Hour)
	if err := signUp("q4", "q4@example.com"); err != nil {
		t.Errorf("the next day: %v", err)
	}
	// DEVELOPER email has no Cognito quota and uses its own sender.
	dev := mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("dev"), AutoVerifiedAttributes: []types.VerifiedAttributeType{"email"},
		EmailConfiguration: &types.EmailConfigurationType{EmailSendingAccount: "DEVELOPER", SourceArn: aws.String("arn:aws:ses:us-east-1:123456789012:identity/noreply@myapp.example"), From: aws.String("MyApp <noreply@myapp.example>")}})
	devClient, _ := mustClient(t, c, dev, false)
	for i := range 3 {
		email := "dev" + string(rune('0'+i)) + "@example.com"
		if _, err := c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(devClient), Username: aws.String("dev" + string(rune('0'+i))), Password: aws.String("Passw0rd!"), UserAttributes: attrs("email", email)}); err != nil {
			t.Fatalf("DEVELOPER send %d: %v", i, err)
		}
	}
	if ms := s.messages(t, "dev0@example.com"); len(ms) != 1 || ms[0].From != "MyApp <noreply@myapp.example>" {
		t.Errorf("DEVELOPER message = %+v", ms)
	}
}
