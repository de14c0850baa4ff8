package logexport

import (
	"encoding/json"
	"testing"
	"time"
)

func TestUserNotificationRecord(t *testing.T) {
	at := time.UnixMilli(1687297330677)
	got := string(UserNotification(at, "us-west-2_EXAMPLE", `Invalid email address "x"`))
	want := `{"eventTimestamp":"1687297330677","eventSource":"USER_NOTIFICATION","logLevel":"ERROR","message":{"details":"Invalid email address \"x\""},"logSourceId":{"userPoolId":"us-west-2_EXAMPLE"}}`
	if got != want {
		t.Errorf("record =\n%s\nwant\n%s", got, want)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(got), &v); err != nil {
		t.Fatal(err)
	}
	if v["eventTimestamp"] != "1687297330677" {
		t.Errorf("eventTimestamp must be a string of epoch milliseconds: %#v", v["eventTimestamp"])
	}
}

func TestStreamName(t *testing.T) {
	if got := StreamName("us-east-1_AbCdEf123", "userNotification"); got != "us-east-1_AbCdEf123/userNotification" {
		t.Errorf("StreamName = %s", got)
	}
}

// The user-activity record has the envelope and the 23 message members of
// the documented sample, every one a string but challenges.
func TestUserActivityRecord(t *testing.T) {
	at := time.Date(2024, 7, 7, 17, 25, 55, 123e6, time.UTC)
	got := UserActivity(Activity{
		EventID: "e1", EventType: "SignIn", UserSub: "s", UserName: "u\"q", UserPoolID: "us-west-2_EXAMPLE", ClientID: "c",
		CreatedAt: at, EventResponse: "Pass", RiskDecision: "PASS", DeviceName: "Other, Other", IPAddress: "192.0.2.1",
		RequestID: "r", CompromisedCredentialDetected: true,
		Challenges: []Challenge{{ChallengeName: "Password", ChallengeResponse: "Success"}},
	})
	var v struct {
		EventTimestamp string         `json:"eventTimestamp"`
		EventSource    string         `json:"eventSource"`
		LogLevel       string         `json:"logLevel"`
		Message        map[string]any `json:"message"`
		LogSourceID    map[string]any `json:"logSourceId"`
	}
	if err := json.Unmarshal(got, &v); err != nil {
		t.Fatalf("%s: %v", got, err)
	}
	if v.EventTimestamp != "1720373155123" || v.EventSource != "USER_ACTIVITY" || v.LogLevel != "INFO" || v.LogSourceID["userPoolId"] != "us-west-2_EXAMPLE" {
		t.Errorf("envelope: %s", got)
	}
	want := map[string]any{
		"version": "1", "eventId": "e1", "eventType": "SignIn", "userSub": "s", "userName": "u\"q", "userPoolId": "us-west-2_EXAMPLE",
		"clientId": "c", "creationDate": "Sun Jul 07 17:25:55 UTC 2024", "eventResponse": "Pass", "riskLevel": "", "riskDecision": "PASS",
		"deviceName": "Other, Other", "ipAddress": "192.0.2.1", "requestId": "r", "idpName": "", "city": "", "country": "",
		"compromisedCredentialDetected": "true", "hasContextData": "false", "eventFeedbackValue": "", "eventFeedbackDate": "", "eventFeedbackProvider": "",
	}
	if len(v.Message) != 23 {
		t.Errorf("message has %d members, want 23: %s", len(v.Message), got)
	}
	for k, w := range want {
		if v.Message[k] != w {
			t.Errorf("%s = %#v, want %#v", k, v.Message[k], w)
		}
	}
	ch, _ := json.Marshal(v.Message["challenges"])
	if string(ch) != `[{"challengeName":"Password","challengeResponse":"Success"}]` {
		t.Errorf("challenges = %s", ch)
	}
}
