package e2e

import (
	"os/exec"
	"strings"
	"testing"
)

// runBoto3 runs a Python script (boto3) against c in the throw-away
// environment of awsEnv: sys.argv[1] is c's endpoint, then args. The
// script must print "ok".
func runBoto3(t *testing.T, c *cognate, script string, args ...string) {
	t.Helper()
	cmd := exec.Command("python3", append([]string{"-c", script, c.endpoint}, args...)...)
	cmd.Env = awsEnv(t)
	out, err := cmd.CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "ok" {
		t.Fatalf("boto3 script: %v\n%s", err, out)
	}
}

// TestBoto3 drives the server with boto3, the Python SDK: the pool's
// lifecycle, the log delivery configuration and a modelled error.
func TestBoto3(t *testing.T) {
	c := start(t, "--in-memory")
	script := `
import sys, boto3, botocore
c = boto3.client("cognito-idp", endpoint_url=sys.argv[1], region_name="eu-central-1")
pool = c.create_user_pool(PoolName="boto", UserPoolTier="PLUS")["UserPool"]
assert pool["Id"].startswith("eu-central-1_"), pool["Id"]
assert pool["Arn"] == "arn:aws:cognito-idp:eu-central-1:123456789012:userpool/" + pool["Id"], pool["Arn"]
assert pool["CreationDate"].year >= 2024, pool["CreationDate"]
boto3.client("firehose", endpoint_url=sys.argv[1], region_name="eu-central-1").create_delivery_stream(
    DeliveryStreamName="s", ExtendedS3DestinationConfiguration={
        "BucketARN": "arn:aws:s3:::amzn-s3-demo-bucket1", "RoleARN": "arn:aws:iam::123456789012:role/firehose"})
cfg = [{"LogLevel": "INFO", "EventSource": "userAuthEvents",
        "FirehoseConfiguration": {"StreamArn": "arn:aws:firehose:eu-central-1:123456789012:deliverystream/s"}}]
out = c.set_log_delivery_configuration(UserPoolId=pool["Id"], LogConfigurations=cfg)
assert out["LogDeliveryConfiguration"]["LogConfigurations"] == cfg, out
got = c.get_log_delivery_configuration(UserPoolId=pool["Id"])["LogDeliveryConfiguration"]
assert got == {"UserPoolId": pool["Id"], "LogConfigurations": cfg}, got
pools = c.list_user_pools(MaxResults=10)["UserPools"]
assert [p["Id"] for p in pools] == [pool["Id"]], pools
try:
    c.update_user_pool(UserPoolId=pool["Id"], UserPoolTier="ESSENTIALS")
    raise SystemExit("downgrade with userAuthEvents export should fail")
except c.exceptions.FeatureUnavailableInTierException as e:
    assert e.response["Error"]["Message"].startswith("The following features need to be disabled"), e.response
c.delete_user_pool(UserPoolId=pool["Id"])
try:
    c.describe_user_pool(UserPoolId=pool["Id"])
    raise SystemExit("deleted pool still there")
except c.exceptions.ResourceNotFoundException as e:
    assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400
print("ok")
`
	runBoto3(t, c, script)
}
