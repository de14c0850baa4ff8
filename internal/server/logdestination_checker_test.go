package server

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go"

	"github.com/cognate/cognate/internal/storage"
)

// fakeLogGroups is a LogGroupChecker whose answers the test sets: the
// group's KMS key or an error, and AllowDelivery's error.
type fakeLogGroups struct {
	readErr, allowErr error
	allowed           [][]string
}

func (f *fakeLogGroups) LogGroupKMSKey(context.Context, storage.LogGroupKey) (string, error) {
	return "", f.readErr
}

func (f *fakeLogGroups) AllowDelivery(_ context.Context, _ storage.Scope, groups []string, _ time.Time) error {
	f.allowed = append(f.allowed, groups)
	return f.allowErr
}

// TestLogGroupChecker: Config.LogGroups replaces the built-in CloudWatch
// Logs for SetLogDeliveryConfiguration's checks (the external endpoint of
// `cognate serve --logs-endpoint-url`; the real one is tested against
// moto in e2e and cwlsink). Its failures are AWS errors with inferred
// texts, and a refused request stores nothing.
func TestLogGroupChecker(t *testing.T) {
	fake := &fakeLogGroups{}
	srv := newTestServer(t, func(c *Config) { c.LogGroups = fake })
	c := cip.New(srv.client("us-west-2").Options(), func(o *cip.Options) { o.RetryMaxAttempts = 1 })
	pool := mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("p")})
	arn := "arn:aws:logs:us-west-2:123456789012:log-group:elsewhere"

	// The group exists only where the checker looks: accepted, the policy
	// asked for once with the group's name.
	if err := setNotifications(c, pool, arn); err != nil {
		t.Fatal(err)
	}
	if len(fake.allowed) != 1 || len(fake.allowed[0]) != 1 || fake.allowed[0][0] != "elsewhere" {
		t.Errorf("AllowDelivery calls %v", fake.allowed)
	}

	other, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("q")})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name              string
		readErr, allowErr error
		code, msg         string
	}{
		{"missing", storage.ErrNotFound, nil, "InvalidParameterException", "The specified log group does not exist: " + arn},
		{"endpoint refuses the read", &smithy.GenericAPIError{Code: "AccessDeniedException", Message: "not authorized"}, nil, "InvalidParameterException",
			"CloudWatch Logs refused to let Amazon Cognito read the log group " + arn + ": AccessDeniedException: not authorized"},
		{"endpoint unreachable", context.DeadlineExceeded, nil, "InternalErrorException",
			"Amazon Cognito could not read the log group " + arn + " in CloudWatch Logs; the log delivery configuration was not changed. Try again."},
		{"policy write fails", nil, errors.New("connection reset"), "InternalErrorException",
			"Amazon Cognito could not update the resource policy AWSLogDeliveryWrite20150319 in CloudWatch Logs; the log delivery configuration was not changed. Try again."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake.readErr, fake.allowErr = tc.readErr, tc.allowErr
			apiError(t, setNotifications(c, *other.UserPool.Id, arn), tc.code, tc.msg)
			got, err := c.GetLogDeliveryConfiguration(ctx, &cip.GetLogDeliveryConfigurationInput{UserPoolId: other.UserPool.Id})
			if err != nil {
				t.Fatal(err)
			}
			if n := len(got.LogDeliveryConfiguration.LogConfigurations); n != 0 {
				t.Errorf("%d configurations stored by a refused request", n)
			}
		})
	}
}
