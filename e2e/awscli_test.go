package e2e

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// seedOutput is the output the AWS CLI page for set-log-delivery-configuration
// shows for its example (shared/spec/seed-set-log-delivery-configuration.txt),
// with the pool ID to be replaced.
const seedOutput = `{
   "LogDeliveryConfiguration": {
        "LogConfigurations": [
            {
                "CloudWatchLogsConfiguration": {
                    "LogGroupArn": "arn:aws:logs:us-west-2:123456789012:log-group:cognito-exported"
                },
                "EventSource": "userNotification",
                "LogLevel": "ERROR"
            },
            {
                "EventSource": "userAuthEvents",
                "LogLevel": "INFO",
                "S3Configuration": {
                    "BucketArn": "arn:aws:s3:::amzn-s3-demo-bucket1"
                }
            }
        ],
        "UserPoolId": "us-west-2_EXAMPLE"
   }
}`

// awsCLI runs the machine's AWS CLI (v1, from its Python) against c.
func awsCLI(t *testing.T, c *cognate, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return runCLI(t, c, "aws", args...)
}

// mustAWSCLI runs the AWS CLI v1 against c and returns its stdout; a
// non-zero exit fails the test with its stderr.
func mustAWSCLI(t *testing.T, c *cognate, args ...string) string {
	t.Helper()
	out, errOut, code := awsCLI(t, c, args...)
	if code != 0 {
		t.Fatalf("aws %s: exit %d\n%s", strings.Join(args, " "), code, errOut)
	}
	return out
}

func jsonEqual(t *testing.T, got, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("output\n%s\nwant\n%s", got, want)
	}
}

// TestAWSCLISeedExample runs the documentation's example verbatim with the
// AWS CLI on a PLUS pool created in us-west-2, and checks the exact output
// the page shows (with the generated pool ID).
func TestAWSCLISeedExample(t *testing.T) {
	c := start(t, "--in-memory")
	out, errOut, code := awsCLI(t, c, "cognito-idp", "create-user-pool", "--pool-name", "seed", "--user-pool-tier", "PLUS",
		"--region", "us-west-2", "--query", "UserPool.Id", "--output", "text")
	if code != 0 {
		t.Fatalf("create-user-pool: %d %s", code, errOut)
	}
	id := strings.TrimSpace(out)
	if !strings.HasPrefix(id, "us-west-2_") || len(id) != len("us-west-2_")+9 {
		t.Fatalf("pool ID %q", id)
	}
	want := strings.ReplaceAll(seedOutput, "us-west-2_EXAMPLE", id)
	// The log group and the bucket must exist in the built-in CloudWatch
	// Logs and S3.
	if _, errOut, code = awsCLI(t, c, "logs", "create-log-group", "--log-group-name", "cognito-exported", "--region", "us-west-2"); code != 0 {
		t.Fatalf("logs create-log-group: %d %s", code, errOut)
	}
	if _, errOut, code = awsCLI(t, c, "s3", "mb", "s3://amzn-s3-demo-bucket1", "--region", "us-west-2"); code != 0 {
		t.Fatalf("s3 mb: %d %s", code, errOut)
	}
	out, errOut, code = awsCLI(t, c, "cognito-idp", "set-log-delivery-configuration",
		"--user-pool-id", id,
		"--log-configurations",
		"LogLevel=ERROR,EventSource=userNotification,CloudWatchLogsConfiguration={LogGroupArn=arn:aws:logs:us-west-2:123456789012:log-group:cognito-exported}",
		"LogLevel=INFO,EventSource=userAuthEvents,S3Configuration={BucketArn=arn:aws:s3:::amzn-s3-demo-bucket1}",
		"--region", "us-west-2")
	if code != 0 {
		t.Fatalf("set-log-delivery-configuration: %d %s", code, errOut)
	}
	jsonEqual(t, out, want)
	out, errOut, code = awsCLI(t, c, "cognito-idp", "get-log-delivery-configuration", "--user-pool-id", id, "--region", "us-west-2")
	if code != 0 {
		t.Fatalf("get-log-delivery-configuration: %d %s", code, errOut)
	}
	jsonEqual(t, out, want)
}

// TestAWSCLIErrors checks what the CLI prints for AWS's errors (v1: exit 255).
func TestAWSCLIErrors(t *testing.T) {
	c := start(t, "--in-memory")
	cases := []struct {
		args   []string
		stderr string
	}{
		{[]string{"cognito-idp", "get-log-delivery-configuration", "--user-pool-id", "us-west-2_NOSUCHPOO"},
			"An error occurred (ResourceNotFoundException) when calling the GetLogDeliveryConfiguration operation: User pool us-west-2_NOSUCHPOO does not exist."},
		{[]string{"cognito-idp", "set-log-delivery-configuration", "--user-pool-id", "us-west-2_NOSUCHPOO", "--log-configurations", "LogLevel=TRACE,EventSource=userNotification"},
			"An error occurred (InvalidParameterException) when calling the SetLogDeliveryConfiguration operation: 1 validation error detected: Value 'TRACE' at 'logConfigurations.1.member.logLevel' failed to satisfy constraint: Member must satisfy enum value set: [ERROR, INFO]"},
		{[]string{"cognito-idp", "set-log-delivery-configuration", "--user-pool-id", "us-west-2_NOSUCHPOO", "--log-configurations", "LogLevel=ERROR,EventSource=userNotification"},
			"An error occurred (InvalidParameterException) when calling the SetLogDeliveryConfiguration operation: Request validation Failed. Following event sources in request have no destination: [userNotification]."},
		{[]string{"cognito-idp", "get-csv-header", "--user-pool-id", "us-west-2_NOSUCHPOO"},
			"An error occurred (NotImplementedException) when calling the GetCSVHeader operation: Cognate does not implement GetCSVHeader yet."},
		{[]string{"cognito-idp", "admin-get-user", "--user-pool-id", "us-west-2_NOSUCHPOO", "--username", "u"},
			"An error occurred (ResourceNotFoundException) when calling the AdminGetUser operation: User pool us-west-2_NOSUCHPOO does not exist."},
	}
	for _, tc := range cases {
		_, errOut, code := awsCLI(t, c, tc.args...)
		if code != 255 || strings.TrimSpace(errOut) != tc.stderr {
			t.Errorf("aws %s: exit %d\n%s\nwant 255\n%s", strings.Join(tc.args[:2], " "), code, errOut, tc.stderr)
		}
	}
}
