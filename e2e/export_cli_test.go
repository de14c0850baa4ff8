package e2e

import (
	"encoding/json"
	"testing"
	"time"
)

// TestAWSCLIReadsExportedRecord (issue 4, item 7): the AWS CLI creates the
// log group and sets the pool's log delivery configuration; boto3 signs a
// user up whose address bounces (the SES mailbox simulator: the call
// succeeds, the message fails); `aws logs filter-log-events` with a JSON
// filter pattern returns the userNotification record, in the documented
// format, in the stream <poolId>/userNotification.
func TestAWSCLIReadsExportedRecord(t *testing.T) {
	c := start(t, "--in-memory")
	const group = "/aws/vendedlogs/cognito/cli"
	mustAWS := func(args ...string) string { t.Helper(); return mustAWSCLI(t, c, args...) }
	mustAWS("logs", "create-log-group", "--log-group-name", group)
	var pool struct{ UserPool struct{ Id string } }
	if err := json.Unmarshal([]byte(mustAWS("cognito-idp", "create-user-pool", "--pool-name", "cli", "--auto-verified-attributes", "email")), &pool); err != nil {
		t.Fatal(err)
	}
	id := pool.UserPool.Id
	mustAWS("cognito-idp", "set-log-delivery-configuration", "--user-pool-id", id, "--log-configurations",
		"LogLevel=ERROR,EventSource=userNotification,CloudWatchLogsConfiguration={LogGroupArn=arn:aws:logs:us-west-2:123456789012:log-group:"+group+"}")
	var client struct{ UserPoolClient struct{ ClientId string } }
	if err := json.Unmarshal([]byte(mustAWS("cognito-idp", "create-user-pool-client", "--user-pool-id", id, "--client-name", "app")), &client); err != nil {
		t.Fatal(err)
	}

	script := `
import sys, boto3
c = boto3.client("cognito-idp", endpoint_url=sys.argv[1], region_name="us-west-2")
out = c.sign_up(ClientId=sys.argv[2], Username="bob", Password="Passw0rd!",
    UserAttributes=[{"Name": "email", "Value": "bounce@simulator.amazonses.com"}])
assert out["UserConfirmed"] is False, out
assert out["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL", out
print("ok")
`
	runBoto3(t, c, script, client.UserPoolClient.ClientId)

	var events []struct {
		LogStreamName string
		Timestamp     int64
		Message       string
	}
	for deadline := time.Now().Add(10 * time.Second); len(events) == 0; time.Sleep(100 * time.Millisecond) {
		var out struct {
			Events []struct {
				LogStreamName string
				Timestamp     int64
				Message       string
			}
		}
		if err := json.Unmarshal([]byte(mustAWS("logs", "filter-log-events", "--log-group-name", group, "--filter-pattern", `{ $.logLevel = "ERROR" }`)), &out); err != nil {
			t.Fatal(err)
		}
		events = out.Events
		if time.Now().After(deadline) {
			t.Fatal("filter-log-events found no record")
		}
	}
	if len(events) != 1 {
		t.Fatalf("%d records, want 1: %+v", len(events), events)
	}
	e := events[0]
	m := recordRE.FindStringSubmatch(e.Message)
	if e.LogStreamName != id+"/userNotification" || m == nil || m[2] != "bounce@simulator.amazonses.com" || m[3] != id {
		t.Errorf("record %+v", e)
	}
	var rec map[string]any
	if err := json.Unmarshal([]byte(e.Message), &rec); err != nil {
		t.Fatal(err)
	}
	if rec["eventSource"] != "USER_NOTIFICATION" || rec["logLevel"] != "ERROR" || keysOf(rec) != "eventSource,eventTimestamp,logLevel,logSourceId,message" {
		t.Errorf("record members: %v", rec)
	}
}
