package e2e

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/cognate/cognate/internal/testutil/motoserver"
)

// setLogDelivery creates a pool (DEVELOPER email: no daily quota) and
// sends SetLogDeliveryConfiguration for group, returning the pool and the
// answer.
func setLogDelivery(t *testing.T, c *cognate, name, group string) (string, int, string) {
	t.Helper()
	var out struct{ UserPool struct{ Id string } }
	mustCall(t, c, "CreateUserPool", `{"PoolName":"`+name+`","AutoVerifiedAttributes":["email"],"EmailConfiguration":{"EmailSendingAccount":"DEVELOPER",`+
		`"SourceArn":"arn:aws:ses:us-west-2:123456789012:identity/noreply@example.com"}}`, &out)
	status, body, err := c.call(context.Background(), "SetLogDeliveryConfiguration", `{"UserPoolId":"`+out.UserPool.Id+`","LogConfigurations":[{"LogLevel":"ERROR",`+
		`"EventSource":"userNotification","CloudWatchLogsConfiguration":{"LogGroupArn":"arn:aws:logs:us-west-2:123456789012:log-group:`+group+`"}}]}`)
	if err != nil {
		t.Fatal(err)
	}
	return out.UserPool.Id, status, string(body)
}

// logDeliveryConfigs returns how many log configurations a pool has.
func logDeliveryConfigs(t *testing.T, c *cognate, pool string) int {
	t.Helper()
	var out struct {
		LogDeliveryConfiguration struct{ LogConfigurations []any }
	}
	mustCall(t, c, "GetLogDeliveryConfiguration", `{"UserPoolId":"`+pool+`"}`, &out)
	return len(out.LogDeliveryConfiguration.LogConfigurations)
}

// TestExportToExternalCloudWatchLogs (issue 4, item 5): with
// --logs-endpoint-url, SetLogDeliveryConfiguration checks the log group on
// that endpoint (moto_server here), where it alone exists, and adds the
// delivery resource policy there; userNotification records go there
// through aws-sdk-go-v2, signed with the credentials of the SDK's default
// chain (the environment here), in the documented format, and not to the
// built-in CloudWatch Logs.
func TestExportToExternalCloudWatchLogs(t *testing.T) {
	moto := motoserver.Start(t)
	motoserver.SetEnv(t)
	c := start(t, "--in-memory", "--logs-endpoint-url", moto)

	const group = "/aws/vendedlogs/cognito/external"
	ctx := context.Background()
	logs := motoserver.Logs(moto, "us-west-2")
	if _, err := logs.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(group)}); err != nil {
		t.Fatal(err)
	}
	pool, status, body := setLogDelivery(t, c, "external", group)
	if status != 200 {
		t.Fatalf("SetLogDeliveryConfiguration: %d %s", status, body)
	}
	// The delivery policy is on the endpoint, covering the group.
	policies, err := logs.DescribeResourcePolicies(ctx, &cloudwatchlogs.DescribeResourcePoliciesInput{})
	if err != nil {
		t.Fatal(err)
	}
	entry := "arn:aws:logs:us-west-2:123456789012:log-group:" + group + ":log-stream:*"
	if len(policies.ResourcePolicies) != 1 || aws.ToString(policies.ResourcePolicies[0].PolicyName) != "AWSLogDeliveryWrite20150319" ||
		!strings.Contains(aws.ToString(policies.ResourcePolicies[0].PolicyDocument), entry) {
		t.Errorf("resource policies on the endpoint: %+v", policies.ResourcePolicies)
	}
	// Nothing was created in the built-in CloudWatch Logs.
	if st, b, err := c.callLogs(ctx, "DescribeResourcePolicies", `{}`); err != nil || st != 200 || strings.Contains(string(b), "AWSLogDeliveryWrite") {
		t.Errorf("built-in DescribeResourcePolicies: %d %v %s", st, err, b)
	}

	var want []string
	for i := range 20 {
		addr := fmt.Sprintf("bounce+ext-%d@simulator.amazonses.com", i)
		mustCall(t, c, "AdminCreateUser", fmt.Sprintf(`{"UserPoolId":%q,"Username":"ext-%d","UserAttributes":[{"Name":"email","Value":%q}],"DesiredDeliveryMediums":["EMAIL"]}`, pool, i, addr), nil)
		want = append(want, addr)
	}

	stream := pool + "/userNotification"
	var got []string
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		got = nil
		out, err := logs.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream), StartFromHead: aws.Bool(true)})
		if err == nil {
			for _, e := range out.Events {
				m := recordRE.FindStringSubmatch(aws.ToString(e.Message))
				if m == nil {
					t.Fatalf("record not in the documented format: %s", aws.ToString(e.Message))
				}
				if ts, _ := strconv.ParseInt(m[1], 10, 64); ts != aws.ToInt64(e.Timestamp) || m[3] != pool {
					t.Fatalf("record %s: timestamp %d, pool %s", aws.ToString(e.Message), aws.ToInt64(e.Timestamp), pool)
				}
				got = append(got, m[2])
			}
		}
		if len(got) >= len(want) || time.Now().After(deadline) {
			break
		}
	}
	seen := map[string]bool{}
	for _, a := range got {
		seen[a] = true
	}
	for _, a := range want {
		if !seen[a] {
			t.Errorf("no record for %s in moto (got %d records)", a, len(got))
		}
	}
	// Nothing went to the built-in CloudWatch Logs, which has no group.
	if ev := readStream(t, c, group, stream); len(ev) != 0 {
		t.Errorf("%d records in the built-in group too", len(ev))
	}
}

// TestExternalLogGroupRefused: with --logs-endpoint-url, a log group that
// exists only in the built-in CloudWatch Logs is missing where the records
// would go, and a KMS-encrypted group on the endpoint is refused; both
// leave the pool's configuration unchanged.
func TestExternalLogGroupRefused(t *testing.T) {
	moto := motoserver.Start(t)
	motoserver.SetEnv(t)
	c := start(t, "--in-memory", "--logs-endpoint-url", moto)
	ctx := context.Background()

	mustCreateLogGroup(t, c, "builtin-only") // not where the records go
	pool, status, body := setLogDelivery(t, c, "missing", "builtin-only")
	if status != 400 || !strings.Contains(body, "InvalidParameterException") || !strings.Contains(body, "The specified log group does not exist") {
		t.Errorf("missing group: %d %s", status, body)
	}
	if n := logDeliveryConfigs(t, c, pool); n != 0 {
		t.Errorf("%d configurations after a refused request", n)
	}

	logs := motoserver.Logs(moto, "us-west-2")
	if _, err := logs.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("encrypted"),
		KmsKeyId: aws.String("arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")}); err != nil {
		t.Fatal(err)
	}
	if _, status, body := setLogDelivery(t, c, "kms", "encrypted"); status != 400 || !strings.Contains(body, "encrypted with a KMS key") {
		t.Errorf("KMS-encrypted group: %d %s", status, body)
	}
	// No delivery policy was written for either.
	if out, err := logs.DescribeResourcePolicies(ctx, &cloudwatchlogs.DescribeResourcePoliciesInput{}); err != nil || len(out.ResourcePolicies) != 0 {
		t.Errorf("resource policies on the endpoint: %v %+v", err, out)
	}
}

// TestExternalLogsEndpointUnreachable: with --logs-endpoint-url at a port
// nobody listens on, SetLogDeliveryConfiguration answers at once with
// InternalErrorException (500, inferred text) and changes nothing.
func TestExternalLogsEndpointUnreachable(t *testing.T) {
	motoserver.SetEnv(t)
	c := start(t, "--in-memory", "--logs-endpoint-url", "http://"+freePort(t))
	mustCreateLogGroup(t, c, "g")
	began := time.Now()
	pool, status, body := setLogDelivery(t, c, "unreachable", "g")
	if status != 500 || !strings.Contains(body, "InternalErrorException") || !strings.Contains(body, "could not read the log group") {
		t.Errorf("unreachable endpoint: %d %s", status, body)
	}
	if d := time.Since(began); d > 15*time.Second {
		t.Errorf("answered after %v", d)
	}
	if n := logDeliveryConfigs(t, c, pool); n != 0 {
		t.Errorf("%d configurations after a failed request", n)
	}
}
