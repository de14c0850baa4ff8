package server

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// TestOneClickFeedbackLinks: with a domain, an account-takeover email's
// {one-click-link-valid} and {one-click-link-invalid} are links to the
// domain's feedback page; following one records the answer on the event
// as UpdateAuthEventFeedback with the email's token does. A link whose
// token was changed records nothing. Without a domain the links are empty
// (TestThreatProtectionSignIns).
func TestOneClickFeedbackLinks(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool, client := threatPool(t, s, types.AdvancedSecurityModeTypeEnforced)
	mustUser(t, c, pool, "tess", "Str0ng!Passw0rd-x", "email", "tess@example.com", "email_verified", "true")
	if _, err := c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(pool), Domain: aws.String("tess-app")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SetRiskConfiguration(ctx, &cip.SetRiskConfigurationInput{UserPoolId: aws.String(pool),
		AccountTakeoverRiskConfiguration: &types.AccountTakeoverRiskConfigurationType{
			Actions: &types.AccountTakeoverActionsType{HighAction: &types.AccountTakeoverActionType{EventAction: "BLOCK", Notify: true}},
			NotifyConfiguration: &types.NotifyConfigurationType{SourceArn: aws.String("arn:aws:ses:us-east-1:123456789012:identity/example.com"),
				BlockEmail: &types.NotifyEmailType{Subject: aws.String("Blocked sign-in"),
					TextBody: aws.String("Was it you? Yes: {one-click-link-valid} No: {one-click-link-invalid}")}}}}); err != nil {
		t.Fatalf("SetRiskConfiguration: %v", err)
	}
	_, err := adminSignIn(c, pool, client, "tess", "Str0ng!Passw0rd-x", "203.0.113.7", chrome)
	apiError(t, err, "NotAuthorizedException", "Unable to login because of security reasons.")
	blocked := listEvents(t, s, pool, "tess")[0]

	mail := s.messages(t, "tess@example.com")
	if len(mail) == 0 {
		t.Fatal("no notification")
	}
	m := regexp.MustCompile(`Yes: (\S+) No: (\S+)$`).FindStringSubmatch(mail[len(mail)-1].Body)
	if m == nil || !strings.HasPrefix(m[1], s.URL+"/_domain/tess-app/feedback?") || !strings.Contains(m[2], "feedback_value=Invalid") ||
		!strings.Contains(m[2], "event_id="+aws.ToString(blocked.EventId)) {
		t.Fatalf("notification body %q", mail[len(mail)-1].Body)
	}
	get := func(link string) (int, string) {
		t.Helper()
		resp, err := http.Get(link)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}

	forged := regexp.MustCompile(`feedback_token=[^&]+`).ReplaceAllString(m[2], "feedback_token=forged")
	if status, page := get(forged); status != http.StatusBadRequest || !strings.Contains(page, "Invalid feedback token.") {
		t.Fatalf("forged link: %d %s", status, page)
	}
	if e := listEvents(t, s, pool, "tess")[0]; e.EventFeedback != nil {
		t.Fatalf("a forged link recorded feedback: %s", jsonOf(e))
	}
	if status, page := get(m[2]); status != http.StatusOK || !strings.Contains(page, "recorded") {
		t.Fatalf("invalid link: %d %s", status, page)
	}
	if e := listEvents(t, s, pool, "tess")[0]; e.EventFeedback == nil || e.EventFeedback.FeedbackValue != "Invalid" || aws.ToString(e.EventFeedback.Provider) != "User" {
		t.Fatalf("feedback after the link: %s", jsonOf(e))
	}
}
