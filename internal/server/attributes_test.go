package server

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognate/cognate/internal/messaging"
	"github.com/cognate/cognate/internal/testutil/smtptest"
)

// The user-attribute operations (internal/userpool/attributes.go; facts in
// docs/research/attributes-facts.md), through the Go SDK.

// getAttrs returns the signed-in user's attributes (GetUser).
func getAttrs(t *testing.T, c *cip.Client, token *string) map[string]string {
	t.Helper()
	out, err := c.GetUser(ctx, &cip.GetUserInput{AccessToken: token})
	if err != nil {
		t.Fatalf("GetUser: %v", err)
	}
	return attrMap(out.UserAttributes)
}

// adminAttrs returns a user's attributes (AdminGetUser).
func adminAttrs(t *testing.T, c *cip.Client, pool, user string) map[string]string {
	t.Helper()
	out, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String(user)})
	if err != nil {
		t.Fatalf("AdminGetUser %s: %v", user, err)
	}
	return attrMap(out.UserAttributes)
}

// TestUpdateUserAttributes: the signed-in user changes attributes; a new
// auto-verified email is unverified until its code is entered, and only
// then becomes a sign-in alias [DOC UpdateUserAttributes,
// VerifyUserAttribute]; refused requests change nothing and send nothing.
func TestUpdateUserAttributes(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool, client := authPool(t, c)
	mustUser(t, c, pool, "una", "Passw0rd!", "email", "una@example.com", "email_verified", "true")
	tok := mustSignIn(t, c, client, "una@example.com", "Passw0rd!").AccessToken

	out, err := c.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: tok, ClientMetadata: map[string]string{"k": "v"},
		UserAttributes: attrs("name", "Una", "email", "una2@example.com")})
	if err != nil {
		t.Fatalf("UpdateUserAttributes: %v", err)
	}
	if len(out.CodeDeliveryDetailsList) != 1 {
		t.Fatalf("CodeDeliveryDetailsList = %+v", out.CodeDeliveryDetailsList)
	}
	if d := out.CodeDeliveryDetailsList[0]; aws.ToString(d.AttributeName) != "email" || d.DeliveryMedium != "EMAIL" || aws.ToString(d.Destination) != "u***@e***.com" {
		t.Errorf("CodeDeliveryDetails = %s %s %s", aws.ToString(d.AttributeName), d.DeliveryMedium, aws.ToString(d.Destination))
	}
	a := getAttrs(t, c, tok)
	if a["email"] != "una2@example.com" || a["email_verified"] != "false" || a["name"] != "Una" {
		t.Errorf("after update: %v", a)
	}
	// The old address is no alias any more; the new one is not yet.
	for _, name := range []string{"una@example.com", "una2@example.com"} {
		if _, err := passwordAuth(c, client, name, "Passw0rd!"); err == nil {
			t.Errorf("signed in as %s", name)
		}
	}
	ms := s.messages(t, "una2@example.com")
	if len(ms) != 1 || ms[0].Purpose != "VerifyUserAttribute" {
		t.Fatalf("outbox = %+v", ms)
	}
	if _, err := c.VerifyUserAttribute(ctx, &cip.VerifyUserAttributeInput{AccessToken: tok, AttributeName: aws.String("email"), Code: aws.String(s.lastCode(t, "una2@example.com"))}); err != nil {
		t.Fatal(err)
	}
	if a := getAttrs(t, c, tok); a["email_verified"] != "true" {
		t.Errorf("after verification: %v", a)
	}
	mustSignIn(t, c, client, "una2@example.com", "Passw0rd!")

	// Refused requests: AWS's errors, nothing applied, nothing sent.
	long := strings.Repeat("x", 2049)
	for _, tc := range []struct {
		why           string
		in            []types.AttributeType
		code, message string
	}{
		{"email format [OBS issue4-facts §4.1]", attrs("name", "Changed", "email", "not-an-email"), "InvalidParameterException", "Invalid email address format."},
		{"phone format [OBS amplify-js#8274]", attrs("name", "Changed", "phone_number", "12345"), "InvalidParameterException", "Invalid phone number format."},
		{"unknown attribute [OBS amplify-flutter#509]", attrs("name", "Changed", "favourite"+"_colour", "red"), "InvalidParameterException",
			"Attributes did not conform to the schema: favourite_colour: Attribute does not exist in the schema."},
		{"custom attribute without its prefix", attrs("department", "x"), "InvalidParameterException",
			"Attributes did not conform to the schema: department: Attribute does not exist in the schema."},
		{"sub [INF text]", attrs("name", "Changed", "sub", "x"), "InvalidParameterException", "Attributes did not conform to the schema: sub: Attribute cannot be updated."},
		{"a verified flag is the administrator's [INF]", attrs("email_verified", "false"), "NotAuthorizedException", "A client attempted to write unauthorized attribute"},
		{"value over 2048 characters [DOC model]", attrs("name", long), "InvalidParameterException", ""},
	} {
		_, err := c.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: tok, UserAttributes: tc.in})
		if err == nil {
			t.Errorf("%s: accepted", tc.why)
			continue
		}
		apiError(t, err, tc.code, tc.message)
	}
	if a := getAttrs(t, c, tok); a["name"] != "Una" || a["email"] != "una2@example.com" || len(a) != 4 {
		t.Errorf("after refused requests: %v", a)
	}
	if n := len(s.messages(t, "una2@example.com")); n != 1 {
		t.Errorf("%d messages to una2, want 1", n)
	}
	_, err = c.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: tok, UserAttributes: attrs(strings.Repeat("n", 33), "x")})
	if err == nil {
		t.Error("a 33-character attribute name was accepted")
	}

	// A signed-out user's token is refused, as GetUser refuses it.
	if _, err := c.GlobalSignOut(ctx, &cip.GlobalSignOutInput{AccessToken: tok}); err != nil {
		t.Fatal(err)
	}
	_, err = c.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: tok, UserAttributes: attrs("name", "Late")})
	apiError(t, err, "NotAuthorizedException", "Access Token has been revoked")
	_, err = c.DeleteUserAttributes(ctx, &cip.DeleteUserAttributesInput{AccessToken: tok, UserAttributeNames: []string{"name"}})
	apiError(t, err, "NotAuthorizedException", "Access Token has been revoked")
	_, err = c.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: aws.String("not-a-token"), UserAttributes: attrs("name", "Late")})
	apiError(t, err, "NotAuthorizedException", "Invalid Access Token")
}

// attrPool is a pool that signs in with email (UsernameAttributes),
// requires name, and has a mutable and an immutable custom attribute;
// its client may write only some attributes when writable is given.
func attrPool(t *testing.T, c *cip.Client, writable ...string) (pool, client string) {
	t.Helper()
	pool = mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("attrs"), UsernameAttributes: []types.UsernameAttributeType{"email"},
		Schema: []types.SchemaAttributeType{
			{Name: aws.String("name"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true), Mutable: aws.Bool(true)},
			{Name: aws.String("dept"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(true)},
			{Name: aws.String("badge"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(false)},
		}})
	out, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("app"),
		ExplicitAuthFlows: authFlows, WriteAttributes: writable})
	if err != nil {
		t.Fatal(err)
	}
	return pool, *out.UserPoolClient.ClientId
}

// TestDeleteUserAttributes: sub, required, immutable and unknown
// attributes cannot be deleted; a deleted email that is the username
// attribute frees it for another user [DOC DeleteUserAttributes,
// AdminDeleteUserAttributes; texts INF, attributes-facts §2].
func TestDeleteUserAttributes(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool, client := attrPool(t, c)
	mustUser(t, c, pool, "vic@example.com", "Passw0rd!", "name", "Vic", "custom:dept", "ops", "custom:badge", "B-1", "email_verified", "true")
	tok := mustSignIn(t, c, client, "vic@example.com", "Passw0rd!").AccessToken
	before := getAttrs(t, c, tok)

	for _, tc := range []struct {
		names         []string
		code, message string
	}{
		{[]string{"sub"}, "InvalidParameterException", "Attributes did not conform to the schema: sub: Attribute cannot be updated."},
		{[]string{"custom:dept", "name"}, "InvalidParameterException", "Attributes did not conform to the schema: name: The attribute is required"},
		{[]string{"custom:badge"}, "InvalidParameterException", "Attributes did not conform to the schema: custom:badge: Attribute cannot be updated. (changing an immutable attribute)"},
		{[]string{"custom:dept", "custom:nope"}, "InvalidParameterException", "Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema."},
		{[]string{"email_verified"}, "NotAuthorizedException", "A client attempted to write unauthorized attribute"},
	} {
		_, err := c.DeleteUserAttributes(ctx, &cip.DeleteUserAttributesInput{AccessToken: tok, UserAttributeNames: tc.names})
		apiError(t, err, tc.code, tc.message)
	}
	// Blank values in an update delete too, under the same rules.
	_, err := c.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: tok, UserAttributes: attrs("custom:dept", "", "name", "")})
	apiError(t, err, "InvalidParameterException", "Attributes did not conform to the schema: name: The attribute is required")
	_, err = c.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: tok, UserAttributes: attrs("custom:badge", "B-2")})
	apiError(t, err, "InvalidParameterException", "Attributes did not conform to the schema: custom:badge: Attribute cannot be updated. (changing an immutable attribute)")
	if got := getAttrs(t, c, tok); len(got) != len(before) || got["custom:dept"] != "ops" || got["name"] != "Vic" {
		t.Errorf("after refused deletions: %v, before %v", got, before)
	}

	if _, err := c.DeleteUserAttributes(ctx, &cip.DeleteUserAttributesInput{AccessToken: tok, UserAttributeNames: []string{"custom:dept", "locale"}}); err != nil {
		t.Fatalf("DeleteUserAttributes: %v", err)
	}
	if _, ok := getAttrs(t, c, tok)["custom:dept"]; ok {
		t.Error("custom:dept not deleted")
	}
	if _, err := c.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: tok, UserAttributes: attrs("custom:dept", "dev")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: tok, UserAttributes: attrs("custom:dept", "")}); err != nil {
		t.Fatal(err)
	}
	if _, ok := getAttrs(t, c, tok)["custom:dept"]; ok {
		t.Error("a blank value did not delete custom:dept")
	}

	// Another user's email is taken: AliasExistsException, nothing changed.
	mustUser(t, c, pool, "wil@example.com", "Passw0rd!", "name", "Wil")
	_, err = c.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: tok, UserAttributes: attrs("email", "wil@example.com", "name", "X")})
	apiError(t, err, "AliasExistsException", "An account with the given email already exists.")
	if a := getAttrs(t, c, tok); a["email"] != "vic@example.com" || a["name"] != "Vic" {
		t.Errorf("after the alias conflict: %v", a)
	}

	// The administrator deletes vic's email: the sign-in name is free.
	_, err = c.AdminDeleteUserAttributes(ctx, &cip.AdminDeleteUserAttributesInput{UserPoolId: aws.String(pool), Username: aws.String("vic@example.com"), UserAttributeNames: []string{"sub"}})
	apiError(t, err, "InvalidParameterException", "Attributes did not conform to the schema: sub: Attribute cannot be updated.")
	if _, err := c.AdminDeleteUserAttributes(ctx, &cip.AdminDeleteUserAttributesInput{UserPoolId: aws.String(pool), Username: aws.String("vic@example.com"), UserAttributeNames: []string{"email"}}); err != nil {
		t.Fatalf("AdminDeleteUserAttributes: %v", err)
	}
	a := getAttrs(t, c, tok)
	if _, ok := a["email"]; ok {
		t.Errorf("email kept: %v", a)
	}
	if _, ok := a["email_verified"]; ok {
		t.Errorf("email_verified kept without its email: %v", a)
	}
	_, err = c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("vic@example.com")})
	apiError(t, err, "UserNotFoundException", "User does not exist.")
	mustUser(t, c, pool, "vic@example.com", "Passw0rd!", "name", "Another Vic")
	_, err = c.AdminDeleteUserAttributes(ctx, &cip.AdminDeleteUserAttributesInput{UserPoolId: aws.String(pool), Username: aws.String("nobody@example.com"), UserAttributeNames: []string{"name"}})
	apiError(t, err, "UserNotFoundException", "User does not exist.")
}

// TestWriteAttributes: a client writes only its WriteAttributes [OBS].
func TestWriteAttributes(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool, client := attrPool(t, c, "name", "email")
	mustUser(t, c, pool, "xena@example.com", "Passw0rd!", "name", "Xena")
	tok := mustSignIn(t, c, client, "xena@example.com", "Passw0rd!").AccessToken
	_, err := c.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: tok, UserAttributes: attrs("name", "X", "custom:dept", "ops")})
	apiError(t, err, "NotAuthorizedException", "A client attempted to write unauthorized attribute")
	_, err = c.DeleteUserAttributes(ctx, &cip.DeleteUserAttributesInput{AccessToken: tok, UserAttributeNames: []string{"custom:dept"}})
	apiError(t, err, "NotAuthorizedException", "A client attempted to write unauthorized attribute")
	if _, err := c.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: tok, UserAttributes: attrs("name", "X")}); err != nil {
		t.Fatal(err)
	}
	if a := getAttrs(t, c, tok); a["name"] != "X" {
		t.Errorf("name = %q", a["name"])
	}
}

// TestKeepOriginalAttributeValue: with AttributesRequireVerificationBeforeUpdate
// the old email stays (verified, an alias) until the new one is verified
// with VerifyUserAttribute or marked verified by an administrator [DOC
// UserAttributeUpdateSettingsType, UpdateUserAttributes,
// AdminUpdateUserAttributes, VerifyUserAttribute]; meanwhile GetUser shows
// only the old value [OBS amplify-js#10967].
func TestKeepOriginalAttributeValue(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool := mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("keep"), AliasAttributes: []types.AliasAttributeType{"email"},
		AutoVerifiedAttributes:      []types.VerifiedAttributeType{"email"},
		UserAttributeUpdateSettings: &types.UserAttributeUpdateSettingsType{AttributesRequireVerificationBeforeUpdate: []types.VerifiedAttributeType{"email"}}})
	out, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("app"), ExplicitAuthFlows: authFlows})
	if err != nil {
		t.Fatal(err)
	}
	client := *out.UserPoolClient.ClientId
	mustUser(t, c, pool, "wes", "Passw0rd!", "email", "wes@example.com", "email_verified", "true")
	tok := mustSignIn(t, c, client, "wes@example.com", "Passw0rd!").AccessToken

	up, err := c.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: tok, UserAttributes: attrs("email", "wes2@example.com", "name", "Wes")})
	if err != nil {
		t.Fatalf("UpdateUserAttributes: %v", err)
	}
	if len(up.CodeDeliveryDetailsList) != 1 || aws.ToString(up.CodeDeliveryDetailsList[0].Destination) != "w***@e***.com" {
		t.Errorf("CodeDeliveryDetailsList = %+v", up.CodeDeliveryDetailsList)
	}
	first := s.lastCode(t, "wes2@example.com")
	pending := func(when string) {
		t.Helper()
		for _, a := range []map[string]string{getAttrs(t, c, tok), adminAttrs(t, c, pool, "wes")} {
			if a["email"] != "wes@example.com" || a["email_verified"] != "true" || a["name"] != "Wes" {
				t.Errorf("%s: attributes %v, want the old email, verified, and the new name", when, a)
			}
		}
		mustSignIn(t, c, client, "wes@example.com", "Passw0rd!")
		if _, err := passwordAuth(c, client, "wes2@example.com", "Passw0rd!"); err == nil {
			t.Errorf("%s: signed in with the pending email", when)
		}
	}
	pending("pending")

	// A new code goes to the pending address; it replaces the first.
	gc, err := c.GetUserAttributeVerificationCode(ctx, &cip.GetUserAttributeVerificationCodeInput{AccessToken: tok, AttributeName: aws.String("email")})
	if err != nil || aws.ToString(gc.CodeDeliveryDetails.Destination) != "w***@e***.com" {
		t.Fatalf("GetUserAttributeVerificationCode = %+v, %v", gc, err)
	}
	second := s.lastCode(t, "wes2@example.com")
	if n := len(s.messages(t, "wes@example.com")); n != 0 {
		t.Errorf("%d messages to the old address", n)
	}
	if first != second {
		_, err = c.VerifyUserAttribute(ctx, &cip.VerifyUserAttributeInput{AccessToken: tok, AttributeName: aws.String("email"), Code: aws.String(first)})
		apiError(t, err, "CodeMismatchException", "Invalid verification code provided, please try again.")
	}
	pending("after a wrong code")
	if _, err := c.VerifyUserAttribute(ctx, &cip.VerifyUserAttributeInput{AccessToken: tok, AttributeName: aws.String("email"), Code: aws.String(second)}); err != nil {
		t.Fatalf("VerifyUserAttribute: %v", err)
	}
	if a := getAttrs(t, c, tok); a["email"] != "wes2@example.com" || a["email_verified"] != "true" {
		t.Errorf("after verification: %v", a)
	}
	mustSignIn(t, c, client, "wes2@example.com", "Passw0rd!")
	if _, err := passwordAuth(c, client, "wes@example.com", "Passw0rd!"); err == nil {
		t.Error("signed in with the replaced email")
	}

	// An administrator's change waits too; email_verified=true alone
	// makes the pending value current.
	p, wes := aws.String(pool), aws.String("wes")
	if _, err := c.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: p, Username: wes, UserAttributes: attrs("email", "wes3@example.com")}); err != nil {
		t.Fatal(err)
	}
	if a := adminAttrs(t, c, pool, "wes"); a["email"] != "wes2@example.com" || a["email_verified"] != "true" {
		t.Errorf("admin change pending: %v", a)
	}
	if len(s.messages(t, "wes3@example.com")) != 1 {
		t.Error("no code to the pending address")
	}
	if _, err := c.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: p, Username: wes, UserAttributes: attrs("email_verified", "true")}); err != nil {
		t.Fatal(err)
	}
	if a := adminAttrs(t, c, pool, "wes"); a["email"] != "wes3@example.com" || a["email_verified"] != "true" {
		t.Errorf("after email_verified=true: %v", a)
	}
	mustSignIn(t, c, client, "wes3@example.com", "Passw0rd!")

	// A new value with email_verified=true applies at once, without a message.
	if _, err := c.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: p, Username: wes, UserAttributes: attrs("email", "wes4@example.com", "email_verified", "true")}); err != nil {
		t.Fatal(err)
	}
	if a := adminAttrs(t, c, pool, "wes"); a["email"] != "wes4@example.com" || a["email_verified"] != "true" {
		t.Errorf("after email+email_verified: %v", a)
	}
	if n := len(s.messages(t, "wes4@example.com")); n != 0 {
		t.Errorf("%d messages for a value marked verified", n)
	}

	// Setting the current value again ends a pending change.
	if _, err := c.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: tok, UserAttributes: attrs("email", "wes5@example.com")}); err != nil {
		t.Fatal(err)
	}
	code := s.lastCode(t, "wes5@example.com")
	if _, err := c.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: tok, UserAttributes: attrs("email", "wes4@example.com")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.VerifyUserAttribute(ctx, &cip.VerifyUserAttributeInput{AccessToken: tok, AttributeName: aws.String("email"), Code: aws.String(code)})
	apiError(t, err, "CodeMismatchException", "")
	if a := adminAttrs(t, c, pool, "wes"); a["email"] != "wes4@example.com" || a["email_verified"] != "true" {
		t.Errorf("after the cancelled change: %v", a)
	}
}

// TestUpdateAttributeCodeDeliveryFailure: a code the relay refuses fails
// UpdateUserAttributes with CodeDeliveryFailureException, as the other
// code-sending operations do: the attributes stay as they were, and the
// failed message is in the outbox with a userNotification record.
func TestUpdateAttributeCodeDeliveryFailure(t *testing.T) {
	relay := &smtptest.Relay{Refuse: "refused@example.com"}
	mail, err := messaging.New(messaging.Config{SMTPURL: smtptest.Start(t, relay)})
	if err != nil {
		t.Fatal(err)
	}
	s := newUserServer(t, func(cfg *Config) { cfg.Messaging = mail })
	c := s.client("us-east-1")
	pool, _, arn := loggedPool(t, s, false)
	out, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("auth"), ExplicitAuthFlows: authFlows})
	if err != nil {
		t.Fatal(err)
	}
	mustUser(t, c, pool, "yan", "Passw0rd!", "email", "yan@example.com", "email_verified", "true")
	tok := mustSignIn(t, c, *out.UserPoolClient.ClientId, "yan", "Passw0rd!").AccessToken
	_, err = c.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: tok, UserAttributes: attrs("email", "refused@example.com", "name", "Yan")})
	apiError(t, err, "CodeDeliveryFailureException", "")
	if err != nil && !strings.Contains(err.Error(), "Cognito received the following error from Amazon SES when attempting to send email: ") {
		t.Errorf("error text: %v", err)
	}
	if a := getAttrs(t, c, tok); a["email"] != "yan@example.com" || a["email_verified"] != "true" || a["name"] != "" {
		t.Errorf("after the failed update: %v", a)
	}
	ms := s.messages(t, "refused@example.com")
	if len(ms) != 1 || ms[0].Failure == "" || ms[0].Purpose != "VerifyUserAttribute" {
		t.Fatalf("outbox = %+v", ms)
	}
	if recs := decodeRecords(t, s.exports(t), pool, arn); len(recs) != 1 {
		t.Errorf("userNotification records = %+v", recs)
	}
	// The administrator's update fails the same way.
	_, err = c.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(pool), Username: aws.String("yan"), UserAttributes: attrs("email", "refused@example.com")})
	apiError(t, err, "CodeDeliveryFailureException", "")
	if n := len(s.exports(t)); n != 2 {
		t.Errorf("%d records, want 2", n)
	}
}

// TestKeepOriginalPhoneNumber: the same for phone_number, by SMS; when
// the pending number has meanwhile become another user's alias,
// VerifyUserAttribute fails with AliasExistsException and the old number
// stays [DOC VerifyUserAttribute errors; INF].
func TestKeepOriginalPhoneNumber(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool := mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("keep-phone"), AliasAttributes: []types.AliasAttributeType{"phone_number"},
		AutoVerifiedAttributes:      []types.VerifiedAttributeType{"phone_number"},
		SmsConfiguration:            &types.SmsConfigurationType{SnsCallerArn: aws.String("arn:aws:iam::123456789012:role/sns")},
		UserAttributeUpdateSettings: &types.UserAttributeUpdateSettingsType{AttributesRequireVerificationBeforeUpdate: []types.VerifiedAttributeType{"phone_number"}}})
	out, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("app"), ExplicitAuthFlows: authFlows})
	if err != nil {
		t.Fatal(err)
	}
	client := *out.UserPoolClient.ClientId
	const oldPhone, newPhone = "+14255550111", "+14255550122"
	mustUser(t, c, pool, "zoe", "Passw0rd!", "phone_number", oldPhone, "phone_number_verified", "true")
	tok := mustSignIn(t, c, client, oldPhone, "Passw0rd!").AccessToken
	up, err := c.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: tok, UserAttributes: attrs("phone_number", newPhone)})
	if err != nil || len(up.CodeDeliveryDetailsList) != 1 || up.CodeDeliveryDetailsList[0].DeliveryMedium != "SMS" || aws.ToString(up.CodeDeliveryDetailsList[0].AttributeName) != "phone_number" {
		t.Fatalf("UpdateUserAttributes = %+v, %v", up, err)
	}
	if a := getAttrs(t, c, tok); a["phone_number"] != oldPhone || a["phone_number_verified"] != "true" {
		t.Errorf("pending: %v", a)
	}
	code := s.lastCode(t, newPhone)

	// Meanwhile another user takes the new number as a verified alias.
	mustUser(t, c, pool, "amy", "Passw0rd!", "phone_number", newPhone, "phone_number_verified", "true")
	_, err = c.VerifyUserAttribute(ctx, &cip.VerifyUserAttributeInput{AccessToken: tok, AttributeName: aws.String("phone_number"), Code: aws.String(code)})
	apiError(t, err, "AliasExistsException", "An account with the given phone_number already exists.")
	if a := getAttrs(t, c, tok); a["phone_number"] != oldPhone || a["phone_number_verified"] != "true" {
		t.Errorf("after the refused verification: %v", a)
	}
	mustSignIn(t, c, client, oldPhone, "Passw0rd!")

	// Once the number is free again, the code makes it zoe's.
	if _, err := c.AdminDeleteUser(ctx, &cip.AdminDeleteUserInput{UserPoolId: aws.String(pool), Username: aws.String("amy")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.VerifyUserAttribute(ctx, &cip.VerifyUserAttributeInput{AccessToken: tok, AttributeName: aws.String("phone_number"), Code: aws.String(code)}); err != nil {
		t.Fatalf("VerifyUserAttribute: %v", err)
	}
	if a := getAttrs(t, c, tok); a["phone_number"] != newPhone || a["phone_number_verified"] != "true" {
		t.Errorf("after verification: %v", a)
	}
	mustSignIn(t, c, client, newPhone, "Passw0rd!")
}
