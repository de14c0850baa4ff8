package e2e

import (
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// callLogs sends one signed CloudWatch Logs request (Logs_20140328, SigV4
// service logs) in us-west-2 and returns status and body.
func (c *cognate) callLogs(ctx context.Context, op, body string) (int, []byte, error) {
	return c.send(ctx, "Logs_20140328."+op, "logs", body)
}

// mustCreateLogGroup creates a log group in us-west-2 of the built-in
// CloudWatch Logs: a log delivery destination must exist before
// SetLogDeliveryConfiguration names it.
func mustCreateLogGroup(t *testing.T, c *cognate, name string) {
	t.Helper()
	status, b, err := c.callLogs(context.Background(), "CreateLogGroup", `{"logGroupName":"`+name+`"}`)
	if err != nil || status != 200 {
		t.Fatalf("CreateLogGroup %s: %d %v %s", name, status, err, b)
	}
}

// mustCreateBucket creates a bucket in the built-in S3 (a signed
// path-style PUT, as `aws s3 mb` sends): an S3 log delivery destination
// must exist before SetLogDeliveryConfiguration names it.
func mustCreateBucket(t *testing.T, c *cognate, name string) {
	t.Helper()
	ctx := context.Background()
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, c.endpoint+"/"+name, nil)
	if err != nil {
		t.Fatal(err)
	}
	const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	req.Header.Set("X-Amz-Content-Sha256", emptySHA256)
	creds := aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, emptySHA256, "s3", "us-west-2", time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("create bucket %s: %d %s", name, resp.StatusCode, b)
	}
}

// awsV2 returns the AWS CLI v2: $COGNATE_AWS_V2 (scripts/test.sh installs
// it and sets it), else Debian's /usr/bin/aws.
func awsV2(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("COGNATE_AWS_V2")
	if bin == "" {
		bin = "/usr/bin/aws"
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil || !strings.HasPrefix(string(out), "aws-cli/2.") {
		t.Fatalf("the AWS CLI v2 is needed (set COGNATE_AWS_V2); %s --version: %q %v", bin, out, err)
	}
	return bin
}

// runCLI runs a CLI binary against c with the throw-away environment.
func runCLI(t *testing.T, c *cognate, bin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(bin, append(args, "--endpoint-url", c.endpoint)...)
	cmd.Env = awsEnv(t)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return out.String(), errb.String(), ee.ExitCode()
	}
	if err != nil {
		t.Fatalf("run %s: %v", bin, err)
	}
	return out.String(), errb.String(), 0
}

// mustCLI runs a CLI command that must succeed and returns its stdout.
func mustCLI(t *testing.T, c *cognate, bin string, args ...string) string {
	t.Helper()
	out, errOut, code := runCLI(t, c, bin, args...)
	if code != 0 {
		t.Fatalf("%s %s: exit %d\n%s", bin, strings.Join(args, " "), code, errOut)
	}
	return out
}

// putEventsJSON is a --log-events value: messages one millisecond apart,
// starting at ts.
func putEventsJSON(ts int64, messages ...string) string {
	type event struct {
		Timestamp int64  `json:"timestamp"`
		Message   string `json:"message"`
	}
	events := make([]event, len(messages))
	for i, m := range messages {
		events[i] = event{ts + int64(i), m}
	}
	b, _ := json.Marshal(events)
	return string(b)
}

// keysOf returns the sorted member names of a JSON object.
func keysOf(m map[string]any) string {
	keys := slices.Sorted(maps.Keys(m))
	return strings.Join(keys, ",")
}

// TestAWSCLILogs drives the built-in CloudWatch Logs with the AWS CLI v1:
// the commands of issue 4, with outputs in AWS's shapes (issue4-facts §1:
// the live describe-log-groups response, the awscli examples).
func TestAWSCLILogs(t *testing.T) {
	c := start(t, "--in-memory")
	const group = "/cognate/e2e"
	mustCLI(t, c, "aws", "logs", "create-log-group", "--log-group-name", group)
	// AWS's error, exit 255 (v1) [OBS grycap/scar#82].
	_, errOut, code := runCLI(t, c, "aws", "logs", "create-log-group", "--log-group-name", group)
	if want := "An error occurred (ResourceAlreadyExistsException) when calling the CreateLogGroup operation: The specified log group already exists"; code != 255 || strings.TrimSpace(errOut) != want {
		t.Errorf("duplicate create-log-group: exit %d %q\nwant 255 %q", code, errOut, want)
	}
	mustCLI(t, c, "aws", "logs", "create-log-stream", "--log-group-name", group, "--log-stream-name", "us-west-2_EXAMPLE/userNotification")
	now := time.Now().UnixMilli() - 1000
	out := mustCLI(t, c, "aws", "logs", "put-log-events", "--log-group-name", group, "--log-stream-name", "us-west-2_EXAMPLE/userNotification",
		"--log-events", putEventsJSON(now,
			`{"eventTimestamp":"1","eventSource":"USER_NOTIFICATION","logLevel":"ERROR","message":{"details":"Email delivery failed"},"logSourceId":{"userPoolId":"us-west-2_EXAMPLE"}}`,
			`{"logLevel":"INFO","message":{"details":"sent"}}`,
			"plain text line"))
	var put map[string]any
	if err := json.Unmarshal([]byte(out), &put); err != nil || keysOf(put) != "nextSequenceToken" {
		t.Errorf("put-log-events output %s", out) // [OBS aws-for-fluent-bit#523]
	}

	// filter-log-events with a JSON pattern: the paginator merges pages into
	// events + searchedLogStreams [DOC botocore paginators].
	out = mustCLI(t, c, "aws", "logs", "filter-log-events", "--log-group-name", group, "--filter-pattern", `{ $.logLevel = "ERROR" }`)
	var filtered struct {
		Events             []map[string]any `json:"events"`
		SearchedLogStreams []any            `json:"searchedLogStreams"`
	}
	if err := json.Unmarshal([]byte(out), &filtered); err != nil || len(filtered.Events) != 1 || filtered.SearchedLogStreams == nil || len(filtered.SearchedLogStreams) != 0 {
		t.Fatalf("filter-log-events: %v\n%s", err, out)
	}
	if e := filtered.Events[0]; keysOf(e) != "eventId,ingestionTime,logStreamName,message,timestamp" ||
		e["logStreamName"] != "us-west-2_EXAMPLE/userNotification" || e["timestamp"] != float64(now) || !strings.Contains(e["message"].(string), "USER_NOTIFICATION") {
		t.Errorf("filtered event %v", e)
	}
	// Plain terms; a small page size makes the CLI follow nextToken.
	out = mustCLI(t, c, "aws", "logs", "filter-log-events", "--log-group-name", group, "--filter-pattern", "?INFO ?plain", "--page-size", "1",
		"--query", "events[].message", "--output", "text")
	if got := strings.Fields(out); len(got) != 4 || got[len(got)-1] != "line" {
		t.Errorf("plain terms: %q", out)
	}

	// describe-log-groups with pagination: the CLI's own pages, then its
	// --max-items token and --starting-token.
	for _, g := range []string{"/pg/c", "/pg/a", "/pg/e", "/pg/b", "/pg/d"} {
		mustCLI(t, c, "aws", "logs", "create-log-group", "--log-group-name", g)
	}
	out = mustCLI(t, c, "aws", "logs", "describe-log-groups", "--log-group-name-prefix", "/pg/", "--page-size", "2", "--query", "logGroups[].logGroupName", "--output", "text")
	if strings.Join(strings.Fields(out), " ") != "/pg/a /pg/b /pg/c /pg/d /pg/e" {
		t.Errorf("all pages: %q", out)
	}
	var page struct {
		LogGroups []map[string]any `json:"logGroups"`
		NextToken string
	}
	out = mustCLI(t, c, "aws", "logs", "describe-log-groups", "--log-group-name-prefix", "/pg/", "--page-size", "2", "--max-items", "3")
	if err := json.Unmarshal([]byte(out), &page); err != nil || len(page.LogGroups) != 3 || page.NextToken == "" {
		t.Fatalf("--max-items 3: %v\n%s", err, out)
	}
	// The live 2026 response's members [OBS issue4-facts §1.5].
	if g := page.LogGroups[0]; keysOf(g) != "arn,creationTime,deletionProtectionEnabled,logGroupArn,logGroupClass,logGroupName,metricFilterCount,storedBytes" ||
		g["arn"] != "arn:aws:logs:us-west-2:123456789012:log-group:/pg/a:*" || g["logGroupArn"] != "arn:aws:logs:us-west-2:123456789012:log-group:/pg/a" {
		t.Errorf("log group %v", g)
	}
	out = mustCLI(t, c, "aws", "logs", "describe-log-groups", "--log-group-name-prefix", "/pg/", "--page-size", "2", "--starting-token", page.NextToken, "--query", "logGroups[].logGroupName", "--output", "text")
	if strings.Join(strings.Fields(out), " ") != "/pg/d /pg/e" {
		t.Errorf("--starting-token: %q", out)
	}
	// The service's own token with --no-paginate.
	out = mustCLI(t, c, "aws", "logs", "describe-log-groups", "--log-group-name-prefix", "/pg/", "--limit", "4", "--no-paginate", "--query", "nextToken", "--output", "text")
	token := strings.TrimSpace(out)
	out = mustCLI(t, c, "aws", "logs", "describe-log-groups", "--log-group-name-prefix", "/pg/", "--next-token", token, "--no-paginate", "--query", "[logGroups[].logGroupName, nextToken]", "--output", "json")
	if strings.Join(strings.Fields(out), "") != `[["/pg/e"],null]` {
		t.Errorf("--next-token: %s", out)
	}

	// get-log-events: the latest events, AWS's token form [OBS awscli example].
	out = mustCLI(t, c, "aws", "logs", "get-log-events", "--log-group-name", group, "--log-stream-name", "us-west-2_EXAMPLE/userNotification", "--limit", "2")
	var got struct {
		Events            []map[string]any `json:"events"`
		NextForwardToken  string           `json:"nextForwardToken"`
		NextBackwardToken string           `json:"nextBackwardToken"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got.Events) != 2 || got.Events[1]["message"] != "plain text line" ||
		keysOf(got.Events[0]) != "ingestionTime,message,timestamp" || !strings.HasPrefix(got.NextForwardToken, "f/") || !strings.HasPrefix(got.NextBackwardToken, "b/") {
		t.Errorf("get-log-events: %v\n%s", err, out)
	}
	// describe-log-streams of a stream with events [OBS awscli example].
	out = mustCLI(t, c, "aws", "logs", "describe-log-streams", "--log-group-name", group, "--query", "logStreams[0]")
	var stream map[string]any
	if err := json.Unmarshal([]byte(out), &stream); err != nil || keysOf(stream) != "arn,creationTime,firstEventTimestamp,lastEventTimestamp,lastIngestionTime,logStreamName,storedBytes,uploadSequenceToken" {
		t.Errorf("describe-log-streams: %v\n%s", err, out)
	}
	_, errOut, code = runCLI(t, c, "aws", "logs", "delete-log-group", "--log-group-name", "/missing")
	if want := "An error occurred (ResourceNotFoundException) when calling the DeleteLogGroup operation: The specified log group does not exist."; code != 255 || strings.TrimSpace(errOut) != want {
		t.Errorf("delete missing group: exit %d %q", code, errOut)
	}
}

// TestAWSCLIv2LogsTail runs `aws logs tail` (CLI v2 only): it calls only
// FilterLogEvents, follows nextToken until it is absent, and with --follow
// polls every 5 s from the newest timestamp seen, deduplicating by eventId
// (awscli/customizations/logs/tail.py, issue4-facts §1.13). The CLI v2's
// own logs model serves; AWS_DATA_PATH is needed only for cognito-idp.
func TestAWSCLIv2LogsTail(t *testing.T) {
	v2 := awsV2(t)
	c := start(t, "--in-memory")
	const group = "/cognate/tail"
	mustCLI(t, c, v2, "logs", "create-log-group", "--log-group-name", group)
	mustCLI(t, c, v2, "logs", "create-log-stream", "--log-group-name", group, "--log-stream-name", "s")
	now := time.Now().Add(-time.Minute).UnixMilli()
	old := time.Now().Add(-time.Hour).UnixMilli()
	mustCLI(t, c, v2, "logs", "put-log-events", "--log-group-name", group, "--log-stream-name", "s", "--log-events", putEventsJSON(old, "an hour ago"))
	mustCLI(t, c, v2, "logs", "put-log-events", "--log-group-name", group, "--log-stream-name", "s",
		"--log-events", putEventsJSON(now, `{"logLevel":"ERROR","message":{"details":"failed"}}`, "second line"))

	// The default --since is 10 minutes: the old event is not shown.
	out := mustCLI(t, c, v2, "logs", "tail", group)
	stamp := time.UnixMilli(now).UTC().Format("2006-01-02T15:04:05.000000+00:00")
	want := stamp + ` s {"logLevel":"ERROR","message":{"details":"failed"}}` + "\n" +
		time.UnixMilli(now+1).UTC().Format("2006-01-02T15:04:05.000000+00:00") + " s second line\n"
	if out != want {
		t.Errorf("logs tail:\n%s\nwant\n%s", out, want)
	}
	out = mustCLI(t, c, v2, "logs", "tail", group, "--since", "2h", "--filter-pattern", `{ $.logLevel = "ERROR" }`, "--format", "short")
	if strings.Count(out, "\n") != 1 || !strings.Contains(out, `"details":"failed"`) {
		t.Errorf("logs tail --filter-pattern:\n%s", out)
	}
	out = mustCLI(t, c, v2, "logs", "tail", group, "--since", "2h")
	if strings.Count(out, "\n") != 3 || !strings.Contains(out, "an hour ago") {
		t.Errorf("logs tail --since 2h:\n%s", out)
	}

	// --follow: events put while it runs are printed once each.
	cmd := exec.Command(v2, "logs", "tail", group, "--follow", "--format", "short", "--endpoint-url", c.endpoint)
	// Unbuffered, so that what it printed is there however it ends.
	cmd.Env = append(awsEnv(t), "PYTHONUNBUFFERED=1")
	var follow strings.Builder
	cmd.Stdout, cmd.Stderr = &syncWriter{w: &follow}, &syncWriter{w: &follow}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	time.Sleep(1500 * time.Millisecond)
	later := time.Now().UnixMilli()
	mustCLI(t, c, "aws", "logs", "put-log-events", "--log-group-name", group, "--log-stream-name", "s", "--log-events", putEventsJSON(later, "followed 1", "followed 2"))
	time.Sleep(6500 * time.Millisecond)  // one 5 s poll, and a margin
	_ = cmd.Process.Signal(os.Interrupt) // Ctrl-C: the CLI ends cleanly
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
	got := follow.String()
	for _, m := range []string{"second line", "followed 1", "followed 2"} {
		if n := strings.Count(got, m); n != 1 {
			t.Errorf("--follow printed %q %d times:\n%s", m, n, got)
		}
	}
}

// syncWriter serialises writes from a process's stdout and stderr.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// TestBoto3Logs: boto3 against the built-in CloudWatch Logs, its modelled
// exceptions and its paginators (which fail if a token repeats).
func TestBoto3Logs(t *testing.T) {
	c := start(t, "--in-memory")
	script := `
import sys, time, json, boto3
c = boto3.client("logs", endpoint_url=sys.argv[1], region_name="us-west-2")
c.create_log_group(logGroupName="/boto/g", tags={"team": "identity"})
try:
    c.create_log_group(logGroupName="/boto/g")
    raise SystemExit("duplicate group accepted")
except c.exceptions.ResourceAlreadyExistsException as e:
    assert e.response["Error"]["Message"] == "The specified log group already exists", e.response
    assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400
c.create_log_stream(logGroupName="/boto/g", logStreamName="s")
now = int(time.time() * 1000) - 1000
out = c.put_log_events(logGroupName="/boto/g", logStreamName="s", logEvents=[
    {"timestamp": now, "message": json.dumps({"logLevel": "ERROR", "eventSource": "USER_NOTIFICATION"})},
    {"timestamp": now + 1, "message": "INFO ok"}])
assert set(out) - {"ResponseMetadata"} == {"nextSequenceToken"}, out
assert len(out["nextSequenceToken"]) == 56, out
pages = c.get_paginator("filter_log_events").paginate(logGroupName="/boto/g", filterPattern='{ $.logLevel = "ERROR" }', PaginationConfig={"PageSize": 1})
events = [e for p in pages for e in p["events"]]
assert [json.loads(e["message"])["eventSource"] for e in events] == ["USER_NOTIFICATION"], events
assert set(events[0]) == {"logStreamName", "timestamp", "message", "ingestionTime", "eventId"}, events[0]
for i in (3, 0, 4, 1, 2):
    c.create_log_group(logGroupName="/boto/p%d" % i)
pages = c.get_paginator("describe_log_groups").paginate(logGroupNamePrefix="/boto/p", PaginationConfig={"PageSize": 2})
assert [g["logGroupName"] for p in pages for g in p["logGroups"]] == ["/boto/p%d" % i for i in range(5)]
got = c.get_log_events(logGroupName="/boto/g", logStreamName="s", startFromHead=True)
assert [e["message"] for e in got["events"]][1] == "INFO ok", got
again = c.get_log_events(logGroupName="/boto/g", logStreamName="s", nextToken=got["nextForwardToken"])
assert again["events"] == [] and again["nextForwardToken"] == got["nextForwardToken"], again
assert c.list_tags_for_resource(resourceArn="arn:aws:logs:us-west-2:123456789012:log-group:/boto/g")["tags"] == {"team": "identity"}
try:
    c.delete_log_group(logGroupName="/boto/missing")
    raise SystemExit("missing group deleted")
except c.exceptions.ResourceNotFoundException as e:
    assert e.response["Error"]["Message"] == "The specified log group does not exist.", e.response
print("ok")
`
	runBoto3(t, c, script)
}

// TestAWSCLILogDeliveryDestination (issue 4, item 2) with the AWS CLI:
// set-log-delivery-configuration refuses a log group the built-in
// CloudWatch Logs does not have (inferred text), accepts it once created,
// and the account then has the delivery resource policy AWS adds for
// vended logs [DOC CWL guide; OBS sst#125].
func TestAWSCLILogDeliveryDestination(t *testing.T) {
	c := start(t, "--in-memory")
	id := strings.TrimSpace(mustCLI(t, c, "aws", "cognito-idp", "create-user-pool", "--pool-name", "p", "--query", "UserPool.Id", "--output", "text"))
	arn := "arn:aws:logs:us-west-2:123456789012:log-group:/aws/vendedlogs/cognito/p"
	set := []string{"cognito-idp", "set-log-delivery-configuration", "--user-pool-id", id, "--log-configurations",
		"LogLevel=ERROR,EventSource=userNotification,CloudWatchLogsConfiguration={LogGroupArn=" + arn + "}"}
	_, errOut, code := runCLI(t, c, "aws", set...)
	if want := "An error occurred (InvalidParameterException) when calling the SetLogDeliveryConfiguration operation: The specified log group does not exist: " + arn; code != 255 || strings.TrimSpace(errOut) != want {
		t.Errorf("missing group: exit %d %q\nwant 255 %q", code, errOut, want)
	}
	mustCLI(t, c, "aws", "logs", "create-log-group", "--log-group-name", "/aws/vendedlogs/cognito/p")
	mustCLI(t, c, "aws", set...)
	out := mustCLI(t, c, "aws", "logs", "describe-resource-policies")
	var policies struct {
		ResourcePolicies []struct {
			PolicyName, PolicyDocument, PolicyScope string
			LastUpdatedTime                         int64
		} `json:"resourcePolicies"`
	}
	if err := json.Unmarshal([]byte(out), &policies); err != nil || len(policies.ResourcePolicies) != 1 {
		t.Fatalf("describe-resource-policies: %v\n%s", err, out)
	}
	p := policies.ResourcePolicies[0]
	if p.PolicyName != "AWSLogDeliveryWrite20150319" || p.LastUpdatedTime == 0 ||
		!strings.Contains(p.PolicyDocument, `"delivery.logs.amazonaws.com"`) || !strings.Contains(p.PolicyDocument, `"`+arn+`:log-stream:*"`) {
		t.Errorf("delivery policy %+v", p)
	}
}
