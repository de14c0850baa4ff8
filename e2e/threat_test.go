package e2e

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsfirehose "github.com/aws/aws-sdk-go-v2/service/firehose"
	fhtypes "github.com/aws/aws-sdk-go-v2/service/firehose/types"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/cognate/cognate/internal/testutil/motoserver"
)

// TestUserAuthEventsExported (issue 5, items 3–5 for CloudWatch Logs):
// the AWS CLI makes a Plus pool with ENFORCED threat protection that
// exports userAuthEvents to a log group; boto3 signs a user in with
// USER_PASSWORD_AUTH (tokens carry the event ID), tries a breached
// password at sign-up (refused) and signs in another user whose password
// is breached (blocked, RESET_REQUIRED); the sign-ins are in
// `aws cognito-idp admin-list-user-auth-events`, and their records, in the
// documented format, come back from `aws logs filter-log-events` with
// JSON patterns on the stream <poolId>/userAuthEvents.
func TestUserAuthEventsExported(t *testing.T) {
	c := start(t, "--in-memory")
	const group = "/aws/vendedlogs/cognito/activity"
	mustAWS := func(args ...string) string { t.Helper(); return mustAWSCLI(t, c, args...) }
	mustAWS("logs", "create-log-group", "--log-group-name", group)
	id := plusPoolCLI(t, c, "threat", "ENFORCED")
	mustAWS("cognito-idp", "set-log-delivery-configuration", "--user-pool-id", id, "--log-configurations",
		"LogLevel=INFO,EventSource=userAuthEvents,CloudWatchLogsConfiguration={LogGroupArn=arn:aws:logs:us-west-2:123456789012:log-group:"+group+"}")
	clientID := clientCLI(t, c, id, "ALLOW_USER_PASSWORD_AUTH")
	userCLI(t, c, id, "ivy", "Str0ng!Passw0rd-x")
	// pat's password, set by an administrator, is on the breached list.
	userCLI(t, c, id, "pat", "Pa$$w0rd")

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
try:
    c.initiate_auth(ClientId=sys.argv[2], AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "pat", "PASSWORD": "Pa$$w0rd"})
    raise SystemExit("breached password signed in")
except c.exceptions.PasswordResetRequiredException:
    pass
open(sys.argv[3], "w").write(claims["event_id"])
print("ok")
`
	idFile := filepath.Join(t.TempDir(), "event_id")
	runBoto3(t, c, script, clientID, idFile)
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
			"--filter-pattern", `{ $.eventSource = "USER_ACTIVITY" && $.message.eventType = "SignIn" && $.message.userName = "ivy" }`)), &out); err != nil {
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
		m["userName"] != "ivy" || m["clientId"] != clientID || m["eventResponse"] != "Pass" ||
		m["riskDecision"] != "PASS" || m["compromisedCredentialDetected"] != "false" || m["ipAddress"] != "127.0.0.1" ||
		!strings.HasPrefix(m["deviceName"].(string), "Botocore ") {
		t.Errorf("record %s", events[0].Message)
	}
	// pat's sign-in with the breached password: blocked (ENFORCED), listed
	// with the compromised credentials, exported with them.
	var patEvents struct {
		AuthEvents []struct {
			EventResponse string
			EventRisk     struct {
				RiskDecision                   string
				CompromisedCredentialsDetected bool
			}
		}
	}
	if err := json.Unmarshal([]byte(mustAWS("cognito-idp", "admin-list-user-auth-events", "--user-pool-id", id, "--username", "pat")), &patEvents); err != nil {
		t.Fatal(err)
	}
	if len(patEvents.AuthEvents) != 1 || patEvents.AuthEvents[0].EventResponse != "Fail" || patEvents.AuthEvents[0].EventRisk.RiskDecision != "Block" ||
		!patEvents.AuthEvents[0].EventRisk.CompromisedCredentialsDetected {
		t.Errorf("pat's events: %+v", patEvents)
	}
	var patOut struct{ Events []struct{ Message string } }
	if err := json.Unmarshal([]byte(mustAWS("logs", "filter-log-events", "--log-group-name", group,
		"--filter-pattern", `{ $.message.userName = "pat" && $.message.compromisedCredentialDetected = "true" }`)), &patOut); err != nil {
		t.Fatal(err)
	}
	if len(patOut.Events) != 1 || !strings.Contains(patOut.Events[0].Message, `"riskDecision":"BLOCK"`) {
		t.Errorf("pat's exported records: %+v", patOut.Events)
	}
}

// TestUserAuthEventsToS3 (issue 5, item 4, S3): `aws s3 mb` makes a
// bucket in the built-in S3 (same port, kept in the data directory); the
// AWS CLI points the pool's userAuthEvents at it; a boto3 sign-in and a
// wrong password become records that `aws s3 ls` and `aws s3 cp` read
// back: one gzip object per batch under AWSLogs/<account>/cognito/….
// A bucket that does not exist is refused by SetLogDeliveryConfiguration.
func TestUserAuthEventsToS3(t *testing.T) {
	c := start(t, "--data-dir", t.TempDir())
	mustAWS := func(args ...string) string { t.Helper(); return mustAWSCLI(t, c, args...) }
	mustAWS("s3", "mb", "s3://activity-logs")
	id := plusPoolCLI(t, c, "s3", "AUDIT")
	_, errOut, code := awsCLI(t, c, "cognito-idp", "set-log-delivery-configuration", "--user-pool-id", id, "--log-configurations",
		"LogLevel=INFO,EventSource=userAuthEvents,S3Configuration={BucketArn=arn:aws:s3:::no-such-bucket}")
	if code == 0 || !strings.Contains(errOut, "The S3 bucket no-such-bucket does not exist.") {
		t.Errorf("a missing bucket: exit %d, %s", code, errOut)
	}
	mustAWS("cognito-idp", "set-log-delivery-configuration", "--user-pool-id", id, "--log-configurations",
		"LogLevel=INFO,EventSource=userAuthEvents,S3Configuration={BucketArn=arn:aws:s3:::activity-logs}")
	clientID := clientCLI(t, c, id, "ALLOW_USER_PASSWORD_AUTH")
	userCLI(t, c, id, "una", "Str0ng!Passw0rd-x")
	runBoto3(t, c, signInRightThenWrong, clientID, "una", "Str0ng!Passw0rd-x")

	prefix := "AWSLogs/123456789012/cognito/us-west-2/" + id + "/userAuthEvents/"
	var records []map[string]any
	for deadline := time.Now().Add(10 * time.Second); len(records) < 2; time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d records in S3 after 10 s", len(records))
		}
		records = nil
		listing := mustAWS("s3", "ls", "--recursive", "s3://activity-logs/")
		for _, line := range strings.Split(strings.TrimSpace(listing), "\n") {
			f := strings.Fields(line)
			if len(f) != 4 {
				continue
			}
			if !strings.HasPrefix(f[3], prefix) || !strings.HasSuffix(f[3], ".log.gz") {
				t.Fatalf("object key %q", f[3])
			}
			local := filepath.Join(t.TempDir(), "o.gz")
			mustAWS("s3", "cp", "s3://activity-logs/"+f[3], local)
			raw, err := os.ReadFile(local)
			if err != nil {
				t.Fatal(err)
			}
			zr, err := gzip.NewReader(bytes.NewReader(raw))
			if err != nil {
				t.Fatalf("%s: %v", f[3], err)
			}
			text, err := io.ReadAll(zr)
			if err != nil {
				t.Fatal(err)
			}
			records = append(records, recordLines(t, string(text))...)
		}
	}
	checkRightThenWrong(t, records, "una")
}

// TestUserAuthEventsToExternalS3 (issue 5, item 4, external S3): with
// --s3-endpoint-url, SetLogDeliveryConfiguration checks the bucket on that
// endpoint (moto_server here, where alone it exists) and the records go
// there (signed PutObject, internal/awsrest), as the same gzip objects.
func TestUserAuthEventsToExternalS3(t *testing.T) {
	moto := motoserver.Start(t)
	motoserver.SetEnv(t)
	c := start(t, "--in-memory", "--s3-endpoint-url", moto, "--region", "us-east-1")
	ctx := context.Background()
	ext := awss3.New(awss3.Options{Region: "us-east-1", Credentials: motoserver.Credentials, BaseEndpoint: aws.String(moto), UsePathStyle: true})
	if _, err := ext.CreateBucket(ctx, &awss3.CreateBucketInput{Bucket: aws.String("moto-activity")}); err != nil {
		t.Fatal(err)
	}
	mustAWS := func(args ...string) string { t.Helper(); return mustAWSCLI(t, c, args...) }
	id := plusPoolCLI(t, c, "ext", "AUDIT")
	// The built-in S3 has no such bucket: the check is made on moto.
	mustAWS("cognito-idp", "set-log-delivery-configuration", "--user-pool-id", id, "--log-configurations",
		"LogLevel=INFO,EventSource=userAuthEvents,S3Configuration={BucketArn=arn:aws:s3:::moto-activity}")
	_, errOut, code := awsCLI(t, c, "cognito-idp", "set-log-delivery-configuration", "--user-pool-id", id, "--log-configurations",
		"LogLevel=INFO,EventSource=userAuthEvents,S3Configuration={BucketArn=arn:aws:s3:::not-on-moto}")
	if code == 0 || !strings.Contains(errOut, "The S3 bucket not-on-moto does not exist.") {
		t.Errorf("a bucket missing on the endpoint: exit %d, %s", code, errOut)
	}
	clientID := clientCLI(t, c, id, "ALLOW_USER_PASSWORD_AUTH")
	userCLI(t, c, id, "eve", "Str0ng!Passw0rd-x")
	runBoto3(t, c, signInRightThenWrong, clientID, "eve", "Str0ng!Passw0rd-x")
	var keys []string
	for deadline := time.Now().Add(10 * time.Second); len(keys) == 0; time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no object on the external S3 after 10 s")
		}
		out, err := ext.ListObjectsV2(ctx, &awss3.ListObjectsV2Input{Bucket: aws.String("moto-activity")})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range out.Contents {
			keys = append(keys, aws.ToString(o.Key))
		}
	}
	for _, key := range keys {
		if !strings.HasPrefix(key, "AWSLogs/123456789012/cognito/us-west-2/"+id+"/userAuthEvents/") {
			t.Fatalf("object key %s", key)
		}
		obj, err := ext.GetObject(ctx, &awss3.GetObjectInput{Bucket: aws.String("moto-activity"), Key: aws.String(key)})
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(obj.Body)
		if err != nil {
			t.Fatal(err)
		}
		text, _ := io.ReadAll(zr)
		obj.Body.Close()
		if !strings.Contains(string(text), `"userName":"eve"`) || !strings.Contains(string(text), `"eventSource":"USER_ACTIVITY"`) {
			t.Errorf("object holds %s", text)
		}
	}
}

// TestUserAuthEventsToExternalFirehose (issue 5, item 4, external
// Firehose): with --firehose-endpoint-url, SetLogDeliveryConfiguration
// checks the stream on that endpoint (moto_server) and the records go
// there with PutRecordBatch; moto writes them into its S3 bucket.
func TestUserAuthEventsToExternalFirehose(t *testing.T) {
	moto := motoserver.Start(t)
	motoserver.SetEnv(t)
	c := start(t, "--in-memory", "--firehose-endpoint-url", moto)
	ctx := context.Background()
	s3c := awss3.New(awss3.Options{Region: "us-east-1", Credentials: motoserver.Credentials, BaseEndpoint: aws.String(moto), UsePathStyle: true})
	if _, err := s3c.CreateBucket(ctx, &awss3.CreateBucketInput{Bucket: aws.String("moto-fh-activity")}); err != nil {
		t.Fatal(err)
	}
	fh := awsfirehose.New(awsfirehose.Options{Region: "us-west-2", Credentials: motoserver.Credentials, BaseEndpoint: aws.String(moto)})
	if _, err := fh.CreateDeliveryStream(ctx, &awsfirehose.CreateDeliveryStreamInput{DeliveryStreamName: aws.String("activity"),
		ExtendedS3DestinationConfiguration: &fhtypes.ExtendedS3DestinationConfiguration{BucketARN: aws.String("arn:aws:s3:::moto-fh-activity"),
			RoleARN: aws.String("arn:aws:iam::123456789012:role/firehose")}}); err != nil {
		t.Fatal(err)
	}
	mustAWS := func(args ...string) string { t.Helper(); return mustAWSCLI(t, c, args...) }
	id := plusPoolCLI(t, c, "extfh", "AUDIT")
	mustAWS("cognito-idp", "set-log-delivery-configuration", "--user-pool-id", id, "--log-configurations",
		"LogLevel=INFO,EventSource=userAuthEvents,FirehoseConfiguration={StreamArn=arn:aws:firehose:us-west-2:123456789012:deliverystream/activity}")
	_, errOut, code := awsCLI(t, c, "cognito-idp", "set-log-delivery-configuration", "--user-pool-id", id, "--log-configurations",
		"LogLevel=INFO,EventSource=userAuthEvents,FirehoseConfiguration={StreamArn=arn:aws:firehose:us-west-2:123456789012:deliverystream/not-on-moto}")
	if code == 0 || !strings.Contains(errOut, "The Firehose delivery stream not-on-moto does not exist.") {
		t.Errorf("a stream missing on the endpoint: exit %d, %s", code, errOut)
	}
	clientID := clientCLI(t, c, id, "ALLOW_USER_PASSWORD_AUTH")
	userCLI(t, c, id, "fox", "Str0ng!Passw0rd-x")
	runBoto3(t, c, signInRightThenWrong, clientID, "fox", "Str0ng!Passw0rd-x")
	var text string
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(text, `"userName":"fox"`); time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no record in moto's bucket after 10 s: %q", text)
		}
		out, err := s3c.ListObjectsV2(ctx, &awss3.ListObjectsV2Input{Bucket: aws.String("moto-fh-activity")})
		if err != nil {
			t.Fatal(err)
		}
		text = ""
		for _, o := range out.Contents {
			obj, err := s3c.GetObject(ctx, &awss3.GetObjectInput{Bucket: aws.String("moto-fh-activity"), Key: o.Key})
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(obj.Body)
			obj.Body.Close()
			text += string(b)
		}
	}
	if !strings.Contains(text, `"eventSource":"USER_ACTIVITY"`) || !strings.HasSuffix(text, "\n") {
		t.Errorf("records %q", text)
	}
}
