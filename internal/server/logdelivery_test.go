package server

import (
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

const (
	groupARN  = "arn:aws:logs:us-west-2:123456789012:log-group:cognito-exported"
	bucketARN = "arn:aws:s3:::amzn-s3-demo-bucket1"
	streamARN = "arn:aws:firehose:us-west-2:123456789012:deliverystream/cognito"
)

func notifications(arn string) types.LogConfigurationType {
	return types.LogConfigurationType{LogLevel: types.LogLevelError, EventSource: types.EventSourceNameUserNotification,
		CloudWatchLogsConfiguration: &types.CloudWatchLogsConfigurationType{LogGroupArn: aws.String(arn)}}
}

func authEventsToS3(arn string) types.LogConfigurationType {
	return types.LogConfigurationType{LogLevel: types.LogLevelInfo, EventSource: types.EventSourceNameUserAuthEvents,
		S3Configuration: &types.S3ConfigurationType{BucketArn: aws.String(arn)}}
}

// TestSeedExample runs the AWS CLI page's example through the Go SDK: a PLUS
// pool in us-west-2, userNotification to a log group and userAuthEvents to S3.
func TestSeedExample(t *testing.T) {
	srv := newTestServer(t, nil)
	c := srv.client("us-west-2")
	srv.mustCreateLogGroup(t, "us-west-2", "cognito-exported")
	id := mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("seed"), UserPoolTier: types.UserPoolTierTypePlus})
	want := []types.LogConfigurationType{notifications(groupARN), authEventsToS3(bucketARN)}
	set, err := c.SetLogDeliveryConfiguration(ctx, &cip.SetLogDeliveryConfigurationInput{UserPoolId: aws.String(id), LogConfigurations: want})
	if err != nil {
		t.Fatal(err)
	}
	if *set.LogDeliveryConfiguration.UserPoolId != id || !reflect.DeepEqual(set.LogDeliveryConfiguration.LogConfigurations, want) {
		t.Errorf("Set returned %+v", set.LogDeliveryConfiguration)
	}
	got, err := c.GetLogDeliveryConfiguration(ctx, &cip.GetLogDeliveryConfigurationInput{UserPoolId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.LogDeliveryConfiguration.LogConfigurations, want) {
		t.Errorf("Get returned %+v", got.LogDeliveryConfiguration.LogConfigurations)
	}
}

func TestLogDeliveryLifecycle(t *testing.T) {
	srv := newTestServer(t, nil)
	c := srv.client("us-west-2")
	srv.mustCreateLogGroup(t, "us-west-2", "cognito-exported")
	id := mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("p"), UserPoolTier: types.UserPoolTierTypePlus})
	get := func() []types.LogConfigurationType {
		t.Helper()
		out, err := c.GetLogDeliveryConfiguration(ctx, &cip.GetLogDeliveryConfigurationInput{UserPoolId: aws.String(id)})
		if err != nil {
			t.Fatal(err)
		}
		if *out.LogDeliveryConfiguration.UserPoolId != id || out.LogDeliveryConfiguration.LogConfigurations == nil {
			t.Fatalf("Get = %+v", out.LogDeliveryConfiguration)
		}
		return out.LogDeliveryConfiguration.LogConfigurations
	}
	set := func(cfgs ...types.LogConfigurationType) {
		t.Helper()
		if cfgs == nil {
			cfgs = []types.LogConfigurationType{}
		}
		if _, err := c.SetLogDeliveryConfiguration(ctx, &cip.SetLogDeliveryConfigurationInput{UserPoolId: aws.String(id), LogConfigurations: cfgs}); err != nil {
			t.Fatal(err)
		}
	}
	if got := get(); len(got) != 0 {
		t.Errorf("never configured: %+v, want []", got)
	}
	set(authEventsToS3(bucketARN), notifications(groupARN))
	if got := get(); len(got) != 2 || got[0].EventSource != types.EventSourceNameUserAuthEvents {
		t.Errorf("entries not in request order: %+v", got)
	}
	// Set replaces the whole configuration, it does not merge.
	firehose := types.LogConfigurationType{LogLevel: types.LogLevelInfo, EventSource: types.EventSourceNameUserAuthEvents,
		FirehoseConfiguration: &types.FirehoseConfigurationType{StreamArn: aws.String(streamARN)}}
	set(firehose)
	if got := get(); !reflect.DeepEqual(got, []types.LogConfigurationType{firehose}) {
		t.Errorf("after replace: %+v", got)
	}
	// The same log group may serve both sources [OBS Terraform acceptance test].
	cwAuth := types.LogConfigurationType{LogLevel: types.LogLevelInfo, EventSource: types.EventSourceNameUserAuthEvents,
		CloudWatchLogsConfiguration: &types.CloudWatchLogsConfigurationType{LogGroupArn: aws.String(groupARN)}}
	set(notifications(groupARN), cwAuth)
	if got := get(); len(got) != 2 {
		t.Errorf("same group for both: %+v", got)
	}
	set() // [] clears
	if got := get(); len(got) != 0 {
		t.Errorf("after clear: %+v", got)
	}
}

// TestLogDeliveryRefusals: each case with the rule and its source
// (spec/log-delivery.md). Texts marked inferred are Cognate's own.
func TestLogDeliveryRefusals(t *testing.T) {
	srv := newTestServer(t, nil)
	c := srv.client("us-west-2")
	srv.mustCreateLogGroup(t, "us-west-2", "cognito-exported")
	plus := mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("plus"), UserPoolTier: types.UserPoolTierTypePlus})
	essentials := mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("essentials")})
	noDest := types.LogConfigurationType{LogLevel: types.LogLevelError, EventSource: types.EventSourceNameUserNotification}
	cases := []struct {
		name, pool string
		cfgs       []types.LogConfigurationType
		code, msg  string
	}{
		{"entry without destination [OBS §3]", plus, []types.LogConfigurationType{noDest}, "InvalidParameterException",
			"Request validation Failed. Following event sources in request have no destination: [userNotification]."},
		{"empty destination structure counts as none (inferred)", plus, []types.LogConfigurationType{{LogLevel: types.LogLevelError, EventSource: types.EventSourceNameUserNotification, CloudWatchLogsConfiguration: &types.CloudWatchLogsConfigurationType{}}}, "InvalidParameterException",
			"Request validation Failed. Following event sources in request have no destination: [userNotification]."},
		{"source twice [EMU §3]", plus, []types.LogConfigurationType{notifications(groupARN), notifications(groupARN)}, "InvalidParameterException",
			"Request validation Failed. Following event sources appear more then once in a request: [userNotification]."},
		{"both clauses, missing destination first [EMU §3]", plus, []types.LogConfigurationType{noDest, noDest}, "InvalidParameterException",
			"Request validation Failed. Following event sources in request have no destination: [userNotification]. Following event sources appear more then once in a request: [userNotification]."},
		{"more than two entries is a shape error [DOC max 2]", plus, []types.LogConfigurationType{notifications(groupARN), authEventsToS3(bucketARN), notifications(groupARN)}, "InvalidParameterException", ""},
		{"userNotification at INFO [DOC, OBS tf#47790; text inferred]", plus, []types.LogConfigurationType{{LogLevel: types.LogLevelInfo, EventSource: types.EventSourceNameUserNotification, CloudWatchLogsConfiguration: &types.CloudWatchLogsConfigurationType{LogGroupArn: aws.String(groupARN)}}}, "InvalidParameterException",
			"Log level INFO is not supported for event source userNotification; use ERROR."},
		{"userAuthEvents at ERROR [DOC; text inferred]", plus, []types.LogConfigurationType{{LogLevel: types.LogLevelError, EventSource: types.EventSourceNameUserAuthEvents, S3Configuration: &types.S3ConfigurationType{BucketArn: aws.String(bucketARN)}}}, "InvalidParameterException",
			"Log level ERROR is not supported for event source userAuthEvents; use INFO."},
		{"userNotification to S3 [DOC, OBS tf#47790; text inferred]", plus, []types.LogConfigurationType{{LogLevel: types.LogLevelError, EventSource: types.EventSourceNameUserNotification, S3Configuration: &types.S3ConfigurationType{BucketArn: aws.String(bucketARN)}}}, "InvalidParameterException",
			"Event source userNotification can only be delivered to a CloudWatch Logs log group."},
		{"userAuthEvents to two destinations [DOC; text inferred]", plus, []types.LogConfigurationType{{LogLevel: types.LogLevelInfo, EventSource: types.EventSourceNameUserAuthEvents, S3Configuration: &types.S3ConfigurationType{BucketArn: aws.String(bucketARN)}, CloudWatchLogsConfiguration: &types.CloudWatchLogsConfigurationType{LogGroupArn: aws.String(groupARN)}}}, "InvalidParameterException",
			"Event source userAuthEvents must have exactly one destination: CloudWatchLogsConfiguration, S3Configuration or FirehoseConfiguration."},
		{"log group of another account [DOC; text inferred]", plus, []types.LogConfigurationType{notifications("arn:aws:logs:us-west-2:999999999999:log-group:other")}, "InvalidParameterException",
			"The destination arn:aws:logs:us-west-2:999999999999:log-group:other must be in the same account as the user pool (123456789012)."},
		{"stream of another account [DOC; text inferred]", plus, []types.LogConfigurationType{{LogLevel: types.LogLevelInfo, EventSource: types.EventSourceNameUserAuthEvents, FirehoseConfiguration: &types.FirehoseConfigurationType{StreamArn: aws.String("arn:aws:firehose:us-west-2:999999999999:deliverystream/x")}}}, "InvalidParameterException",
			"The destination arn:aws:firehose:us-west-2:999999999999:deliverystream/x must be in the same account as the user pool (123456789012)."},
		{"log group ARN of another service (inferred)", plus, []types.LogConfigurationType{notifications("arn:aws:sqs:us-west-2:123456789012:queue")}, "InvalidParameterException",
			"arn:aws:sqs:us-west-2:123456789012:queue is not the ARN of a CloudWatch Logs log group."},
		{"userAuthEvents needs PLUS [DOC; FeatureUnavailableInTier inferred]", essentials, []types.LogConfigurationType{authEventsToS3(bucketARN)}, "FeatureUnavailableInTierException",
			"The following features need to be disabled for the ESSENTIALS pricing tier configured: User Activity Log Export"},
		{"missing pool [OBS §10]", "us-west-2_NOSUCHPOO", []types.LogConfigurationType{notifications(groupARN)}, "ResourceNotFoundException",
			"User pool us-west-2_NOSUCHPOO does not exist."},
		{"request checks come before the pool lookup [EMU §3]", "us-west-2_NOSUCHPOO", []types.LogConfigurationType{noDest}, "InvalidParameterException",
			"Request validation Failed. Following event sources in request have no destination: [userNotification]."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.SetLogDeliveryConfiguration(ctx, &cip.SetLogDeliveryConfigurationInput{UserPoolId: aws.String(tc.pool), LogConfigurations: tc.cfgs})
			apiError(t, err, tc.code, tc.msg)
		})
	}
	// None of the refusals changed anything.
	for _, id := range []string{plus, essentials} {
		out, err := c.GetLogDeliveryConfiguration(ctx, &cip.GetLogDeliveryConfigurationInput{UserPoolId: aws.String(id)})
		if err != nil || len(out.LogDeliveryConfiguration.LogConfigurations) != 0 {
			t.Errorf("pool %s after refusals: %+v, %v", id, out, err)
		}
	}
	// userNotification needs no particular tier [DOC].
	if _, err := c.SetLogDeliveryConfiguration(ctx, &cip.SetLogDeliveryConfigurationInput{UserPoolId: aws.String(essentials), LogConfigurations: []types.LogConfigurationType{notifications(groupARN)}}); err != nil {
		t.Errorf("userNotification on ESSENTIALS: %v", err)
	}
	_, err := c.GetLogDeliveryConfiguration(ctx, &cip.GetLogDeliveryConfigurationInput{UserPoolId: aws.String("us-west-2_NOSUCHPOO")})
	apiError(t, err, "ResourceNotFoundException", "User pool us-west-2_NOSUCHPOO does not exist.")
}

// TestPoolsAreScopedByRegionAndAccount: a pool is invisible from another
// region (the signature's scope) and from another account (strict keys).
func TestPoolsAreScopedByRegionAndAccount(t *testing.T) {
	srv := newTestServer(t, nil)
	id := mustCreatePool(t, srv.client("us-west-2"), &cip.CreateUserPoolInput{PoolName: aws.String("p")})
	_, err := srv.client("eu-west-1").GetLogDeliveryConfiguration(ctx, &cip.GetLogDeliveryConfigurationInput{UserPoolId: aws.String(id)})
	apiError(t, err, "ResourceNotFoundException", "User pool "+id+" does not exist.")
	_, err = srv.client("eu-west-1").DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(id)})
	apiError(t, err, "ResourceNotFoundException", "User pool "+id+" does not exist.")
}
