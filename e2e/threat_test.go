package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestUserAuthEventsExported (issue 5, items 3–5 for CloudWatch Logs):
// the AWS CLI makes a Plus pool with ENFORCED threat protection that
// exports userAuthEvents to a log group; boto3 signs a user in with
// USER_PASSWORD_AUTH (tokens carry the event ID) and tries a breached
// password at sign-up (refused); the sign-in is in
// `aws cognito-idp admin-list-user-auth-events`, and its record, in the
// documented format, comes back from `aws logs filter-log-events` with a
// JSON pattern on the stream <poolId>/userAuthEvents.
func TestUserAuthEventsExported(t *testing.T) {
	c := start(t, "--in-memory")
	const group = "/aws/vendedlogs/cognito/activity"
	mustAWS := func(args ...string) string {
		t.Helper()
		out, errOut, code := awsCLI(t, c, args...)
		if code != 0 {
			t.Fatalf("aws %s: exit %d\n%s", strings.Join(args, " "), code, errOut)
		}
		return out
	}
	mustAWS("logs", "create-log-group", "--log-group-name", group)
	var pool struct{ UserPool struct{ Id string } }
	if err := json.Unmarshal([]byte(mustAWS("cognito-idp", "create-user-pool", "--pool-name", "threat", "--user-pool-tier", "PLUS",
		"--user-pool-add-ons", "AdvancedSecurityMode=ENFORCED")), &pool); err != nil {
		t.Fatal(err)
	}
	id := pool.UserPool.Id
	mustAWS("cognito-idp", "set-log-delivery-configuration", "--user-pool-id", id, "--log-configurations",
		"LogLevel=INFO,EventSource=userAuthEvents,CloudWatchLogsConfiguration={LogGroupArn=arn:aws:logs:us-west-2:123456789012:log-group:"+group+"}")
	var client struct{ UserPoolClient struct{ ClientId string } }
	if err := json.Unmarshal([]byte(mustAWS("cognito-idp", "create-user-pool-client", "--user-pool-id", id, "--client-name", "app",
		"--explicit-auth-flows", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")), &client); err != nil {
		t.Fatal(err)
	}
	mustAWS("cognito-idp", "admin-create-user", "--user-pool-id", id, "--username", "ivy", "--message-action", "SUPPRESS")
	mustAWS("cognito-idp", "admin-set-user-password", "--user-pool-id", id, "--username", "ivy", "--password", "Str0ng!Passw0rd-x", "--permanent")

	script := `
import sys, json, base64, boto3
c = boto3.client("cognito-idp", endpoint_url=sys.argv[1], region_name="us-west-2")
out = c.initiate_auth(ClientId=sys.argv[2], AuthFlow="USER_PASSWORD_AUTH",
    AuthParameters={"USERNAME": "ivy", "PASSWORD": "Str0ng!Passw0rd-x"})
access = out["AuthenticationResult"]["AccessToken"].split(".")[1]
claims = json.loads(base64.urlsafe_b64decode(access + "=" * (-len(access) % 4)))
try:
    c.sign_up(ClientId=sys.argv[2], Username="joe", Password="Pa$$w0rd")
    raise SystemExit("breached password accepted")
except c.exceptions.InvalidPasswordException as e:
    assert e.response["Error"]["Message"] == "Provided password cannot be used for security reasons.", e.response
open(sys.argv[3], "w").write(claims["event_id"])
print("ok")
`
	idFile := filepath.Join(t.TempDir(), "event_id")
	runBoto3(t, c, script, client.UserPoolClient.ClientId, idFile)
	raw, err := os.ReadFile(idFile)
	if err != nil {
		t.Fatal(err)
	}
	eventID := string(raw)

	var listed struct {
		AuthEvents []struct {
			EventId, EventType, EventResponse string
			EventRisk                         struct{ RiskDecision string }
		}
	}
	if err := json.Unmarshal([]byte(mustAWS("cognito-idp", "admin-list-user-auth-events", "--user-pool-id", id, "--username", "ivy")), &listed); err != nil {
		t.Fatal(err)
	}
	if len(listed.AuthEvents) != 1 || listed.AuthEvents[0].EventId != eventID || listed.AuthEvents[0].EventType != "SignIn" ||
		listed.AuthEvents[0].EventResponse != "Pass" || listed.AuthEvents[0].EventRisk.RiskDecision != "NoRisk" {
		t.Fatalf("admin-list-user-auth-events: %+v (token event_id %s)", listed, eventID)
	}

	var events []struct {
		LogStreamName string
		Message       string
	}
	for deadline := time.Now().Add(10 * time.Second); len(events) == 0; time.Sleep(100 * time.Millisecond) {
		var out struct {
			Events []struct {
				LogStreamName string
				Message       string
			}
		}
		if err := json.Unmarshal([]byte(mustAWS("logs", "filter-log-events", "--log-group-name", group,
			"--filter-pattern", `{ $.eventSource = "USER_ACTIVITY" && $.message.eventType = "SignIn" }`)), &out); err != nil {
			t.Fatal(err)
		}
		events = out.Events
		if time.Now().After(deadline) {
			t.Fatal("filter-log-events found no record")
		}
	}
	if len(events) != 1 || events[0].LogStreamName != id+"/userAuthEvents" {
		t.Fatalf("records: %+v", events)
	}
	var rec struct {
		EventTimestamp string            `json:"eventTimestamp"`
		EventSource    string            `json:"eventSource"`
		LogLevel       string            `json:"logLevel"`
		Message        map[string]any    `json:"message"`
		LogSourceID    map[string]string `json:"logSourceId"`
	}
	if err := json.Unmarshal([]byte(events[0].Message), &rec); err != nil {
		t.Fatal(err)
	}
	m := rec.Message
	if rec.LogLevel != "INFO" || rec.LogSourceID["userPoolId"] != id || len(m) != 23 || m["eventId"] != eventID ||
		m["userName"] != "ivy" || m["clientId"] != client.UserPoolClient.ClientId || m["eventResponse"] != "Pass" ||
		m["riskDecision"] != "PASS" || m["compromisedCredentialDetected"] != "false" || m["ipAddress"] != "127.0.0.1" ||
		!strings.HasPrefix(m["deviceName"].(string), "Botocore ") {
		t.Errorf("record %s", events[0].Message)
	}
}
