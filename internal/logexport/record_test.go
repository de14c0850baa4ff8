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
