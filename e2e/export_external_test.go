package e2e

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
)

// startMoto runs moto_server (it comes with the machine's Python) on a free
// loopback port for the test: an independent CloudWatch Logs API.
func startMoto(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command("moto_server", "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	if err := cmd.Start(); err != nil {
		t.Fatalf("moto_server is needed (it comes with the machine's Python): %v", err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(url + "/moto-api/"); err == nil {
			resp.Body.Close()
			return url
		}
	}
	t.Fatal("moto_server did not start")
	return ""
}

// TestExportToExternalCloudWatchLogs (issue 4, item 5): with
// --logs-endpoint-url, userNotification records go to that CloudWatch Logs
// endpoint (moto_server here) through aws-sdk-go-v2, signed with the
// credentials of the SDK's default chain (the environment here), in the
// documented format, and not to the built-in CloudWatch Logs.
func TestExportToExternalCloudWatchLogs(t *testing.T) {
	moto := startMoto(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDMOTO")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_CONFIG_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", t.TempDir()+"/none")
	c := start(t, "--in-memory", "--logs-endpoint-url", moto)

	const group = "/aws/vendedlogs/cognito/external"
	ctx := context.Background()
	logs := cloudwatchlogs.New(cloudwatchlogs.Options{Region: "us-west-2", BaseEndpoint: aws.String(moto),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDMOTO", "secret", "")})
	if _, err := logs.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(group)}); err != nil {
		t.Fatal(err)
	}
	// SetLogDeliveryConfiguration checks the group in Cognate's own
	// CloudWatch Logs, so it exists there too (exportPool creates it).
	pool := exportPool(t, c, "external", group)
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
	// Nothing went to the built-in group.
	if ev := readStream(t, c, group, stream); len(ev) != 0 {
		t.Errorf("%d records in the built-in group too", len(ev))
	}
}
