package e2e

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// callFirehose sends one request to the built-in Firehose.
func (c *cognate) callFirehose(ctx context.Context, op, body string) (int, []byte, error) {
	return c.send(ctx, "Firehose_20150804."+op, "firehose", body)
}

// mustCreateStream creates a delivery stream in us-west-2 of the built-in
// Firehose, into the bucket of the documentation's example: a Firehose log
// delivery destination must exist before SetLogDeliveryConfiguration
// names it.
func mustCreateStream(t *testing.T, c *cognate, name string) {
	t.Helper()
	status, b, err := c.callFirehose(context.Background(), "CreateDeliveryStream", `{"DeliveryStreamName":"`+name+`",`+
		`"ExtendedS3DestinationConfiguration":{"BucketARN":"arn:aws:s3:::amzn-s3-demo-bucket1","RoleARN":"arn:aws:iam::123456789012:role/firehose"}}`)
	if err != nil || status != 200 {
		t.Fatalf("CreateDeliveryStream %s: %d %v %s", name, status, err, b)
	}
}

// TestUserAuthEventsToFirehose: the AWS CLI creates a bucket and a
// delivery stream into it, a Plus pool with threat protection exports
// userAuthEvents to the stream, boto3 signs a user in, and the records
// come back, as JSON lines, from the object the stream flushed to S3
// (`--firehose-flush-interval 1s` caps the stream's 60 s interval).
func TestUserAuthEventsToFirehose(t *testing.T) {
	c := start(t, "--data-dir", t.TempDir(), "--firehose-flush-interval", "1s")
	mustAWS := func(args ...string) string { t.Helper(); return mustAWSCLI(t, c, args...) }
	mustAWS("s3", "mb", "s3://activity-stream")
	var created struct{ DeliveryStreamARN string }
	if err := json.Unmarshal([]byte(mustAWS("firehose", "create-delivery-stream", "--delivery-stream-name", "activity",
		"--extended-s3-destination-configuration",
		"BucketARN=arn:aws:s3:::activity-stream,RoleARN=arn:aws:iam::123456789012:role/firehose,Prefix=cognito/,BufferingHints={SizeInMBs=1,IntervalInSeconds=60}")), &created); err != nil {
		t.Fatal(err)
	}
	if created.DeliveryStreamARN != "arn:aws:firehose:us-west-2:123456789012:deliverystream/activity" {
		t.Fatalf("stream ARN %q", created.DeliveryStreamARN)
	}
	var described struct {
		DeliveryStreamDescription struct {
			DeliveryStreamStatus string
			Destinations         []struct {
				ExtendedS3DestinationDescription struct {
					BufferingHints struct{ SizeInMBs, IntervalInSeconds int }
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(mustAWS("firehose", "describe-delivery-stream", "--delivery-stream-name", "activity")), &described); err != nil {
		t.Fatal(err)
	}
	if d := described.DeliveryStreamDescription; d.DeliveryStreamStatus != "ACTIVE" || len(d.Destinations) != 1 ||
		d.Destinations[0].ExtendedS3DestinationDescription.BufferingHints.IntervalInSeconds != 60 {
		t.Errorf("described %+v", d)
	}

	id := plusPoolCLI(t, c, "firehose", "AUDIT")
	_, errOut, code := awsCLI(t, c, "cognito-idp", "set-log-delivery-configuration", "--user-pool-id", id, "--log-configurations",
		"LogLevel=INFO,EventSource=userAuthEvents,FirehoseConfiguration={StreamArn=arn:aws:firehose:us-west-2:123456789012:deliverystream/nope}")
	if code == 0 || !strings.Contains(errOut, "The Firehose delivery stream nope does not exist.") {
		t.Errorf("a missing stream: exit %d, %s", code, errOut)
	}
	mustAWS("cognito-idp", "set-log-delivery-configuration", "--user-pool-id", id, "--log-configurations",
		"LogLevel=INFO,EventSource=userAuthEvents,FirehoseConfiguration={StreamArn="+created.DeliveryStreamARN+"}")
	clientID := clientCLI(t, c, id, "ALLOW_USER_PASSWORD_AUTH")
	userCLI(t, c, id, "una", "Str0ng!Passw0rd-x")
	runBoto3(t, c, signInRightThenWrong, clientID, "una", "Str0ng!Passw0rd-x")

	// Firehose's default key [DOC]: <Prefix>YYYY/MM/dd/HH/<stream>-<version>-YYYY-MM-dd-HH-mm-ss-<uuid>.
	keyPattern := regexp.MustCompile(`^cognito/\d{4}/\d{2}/\d{2}/\d{2}/activity-1-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9a-f-]{36}$`)
	var records []map[string]any
	for deadline := time.Now().Add(15 * time.Second); len(records) < 2; time.Sleep(300 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d records in S3 after 15 s", len(records))
		}
		records = nil
		listing := mustAWS("s3", "ls", "--recursive", "s3://activity-stream/")
		for _, line := range strings.Split(strings.TrimSpace(listing), "\n") {
			f := strings.Fields(line)
			if len(f) != 4 {
				continue
			}
			if !keyPattern.MatchString(f[3]) {
				t.Fatalf("object key %q", f[3])
			}
			local := filepath.Join(t.TempDir(), "o")
			mustAWS("s3", "cp", "s3://activity-stream/"+f[3], local)
			text, err := os.ReadFile(local)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(string(text), "\n") {
				t.Errorf("object %s does not end with a newline: %q", f[3], text)
			}
			records = append(records, recordLines(t, string(text))...)
		}
	}
	checkRightThenWrong(t, records, "una")
}

// TestFirehoseSIGKILLKeepsRecords: records a PutRecordBatch acknowledged
// are durable: after SIGKILL and a restart on the same data directory,
// the flusher delivers every one of them to the bucket.
func TestFirehoseSIGKILLKeepsRecords(t *testing.T) {
	dir := t.TempDir()
	c := start(t, "--data-dir", dir)
	mustCreateBucket(t, c, "durable")
	ctx := context.Background()
	status, b, err := c.callFirehose(ctx, "CreateDeliveryStream", `{"DeliveryStreamName":"d","ExtendedS3DestinationConfiguration":`+
		`{"BucketARN":"arn:aws:s3:::durable","RoleARN":"arn:aws:iam::123456789012:role/firehose","BufferingHints":{"IntervalInSeconds":900}}}`)
	if err != nil || status != 200 {
		t.Fatalf("CreateDeliveryStream: %d %v %s", status, err, b)
	}
	want := map[string]bool{}
	for batch := range 10 {
		var recs []string
		for i := range 50 {
			line := fmt.Sprintf(`{"n":%d}`+"\n", batch*50+i)
			want[strings.TrimSpace(line)] = true
			recs = append(recs, `{"Data":"`+base64.StdEncoding.EncodeToString([]byte(line))+`"}`)
		}
		status, b, err := c.callFirehose(ctx, "PutRecordBatch", `{"DeliveryStreamName":"d","Records":[`+strings.Join(recs, ",")+`]}`)
		if err != nil || status != 200 || !strings.Contains(string(b), `"FailedPutCount":0`) {
			t.Fatalf("PutRecordBatch: %d %v %s", status, err, b)
		}
	}
	c.kill()

	restarted := start(t, "--data-dir", dir, "--firehose-flush-interval", "1s")
	local := t.TempDir()
	got := map[string]bool{}
	for deadline := time.Now().Add(15 * time.Second); len(got) < len(want); time.Sleep(300 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d records in S3 after 15 s", len(got), len(want))
		}
		mustAWSCLI(t, restarted, "s3", "cp", "--recursive", "s3://durable/", local)
		filepath.WalkDir(local, func(path string, d fs.DirEntry, err error) error { //nolint:errcheck
			if err != nil || d.IsDir() {
				return err
			}
			text, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, l := range strings.Split(strings.TrimSpace(string(text)), "\n") {
				if !want[l] {
					t.Fatalf("unexpected record %q in %s", l, path)
				}
				got[l] = true
			}
			return nil
		})
	}
}
