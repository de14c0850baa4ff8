package cwlsink

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/cognate/cognate/internal/logexport"
)

// startMoto runs moto_server (the machine's Python has it) on a free
// loopback port for the test: a real, independent CloudWatch Logs API.
func startMoto(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command("moto_server", "-H", "127.0.0.1", "-p", fmt.Sprint(port))
	if err := cmd.Start(); err != nil {
		t.Fatalf("moto_server is needed (it comes with the machine's Python): %v", err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(url + "/moto-api/"); err == nil {
			resp.Body.Close()
			return url
		}
	}
	t.Fatal("moto_server did not start")
	return ""
}

func TestDeliverToExternalCloudWatchLogs(t *testing.T) {
	url := startMoto(t)
	creds := credentials.NewStaticCredentialsProvider("AKIDMOTO", "secret", "")
	sink := New(Config{Endpoint: url, Credentials: creds})
	ctx := context.Background()
	logs := cloudwatchlogs.New(cloudwatchlogs.Options{Region: "us-west-2", BaseEndpoint: aws.String(url), Credentials: creds})
	if _, err := logs.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("cognito-exported")}); err != nil {
		t.Fatal(err)
	}
	d := logexport.Destination{AccountID: "123456789012", Region: "us-west-2", LogGroup: "cognito-exported", LogStream: logexport.StreamName("us-west-2_EXAMPLE", "userNotification")}
	now := time.Now().Truncate(time.Millisecond)
	var events []logexport.Event
	for i := 0; i < 12001; i++ { // more than one batch
		events = append(events, logexport.Event{Time: now.Add(time.Duration(i) * time.Millisecond), Message: string(logexport.UserNotification(now, "us-west-2_EXAMPLE", fmt.Sprintf("failure %d", i)))})
	}
	if err := sink.Deliver(ctx, d, events); err != nil {
		t.Fatal(err)
	}
	// Delivering again to the existing stream works (at least once).
	if err := sink.Deliver(ctx, d, events[:1]); err != nil {
		t.Fatal(err)
	}
	var got []string
	var token *string
	for {
		out, err := logs.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String(d.LogGroup), LogStreamName: aws.String(d.LogStream), StartFromHead: aws.Bool(true), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range out.Events {
			got = append(got, aws.ToString(e.Message))
		}
		if len(out.Events) == 0 || aws.ToString(out.NextForwardToken) == aws.ToString(token) {
			break
		}
		token = out.NextForwardToken
	}
	if len(got) != len(events)+1 {
		t.Fatalf("read %d events back, want %d", len(got), len(events)+1)
	}
	// The second delivery of event 0 carries its old timestamp, so it reads
	// back right after the first; everything else is in order.
	want := append([]string{events[0].Message, events[0].Message}, messages(events[1:])...)
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("event %d = %s, want %s", i, got[i], want[i])
		}
	}
}

func messages(ev []logexport.Event) []string {
	out := make([]string, len(ev))
	for i, e := range ev {
		out[i] = e.Message
	}
	return out
}

func TestMissingLogGroup(t *testing.T) {
	url := startMoto(t)
	sink := New(Config{Endpoint: url, Credentials: credentials.NewStaticCredentialsProvider("AKIDMOTO", "secret", "")})
	d := logexport.Destination{Region: "us-west-2", LogGroup: "absent", LogStream: "s"}
	err := sink.Deliver(context.Background(), d, []logexport.Event{{Time: time.Now(), Message: "x"}})
	if !errors.Is(err, logexport.ErrDestinationMissing) {
		t.Errorf("err = %v, want ErrDestinationMissing", err)
	}
}

func TestBatches(t *testing.T) {
	t0 := time.UnixMilli(1_700_000_000_000)
	mk := func(n, size int, step time.Duration) []logexport.Event {
		var ev []logexport.Event
		for i := 0; i < n; i++ {
			ev = append(ev, logexport.Event{Time: t0.Add(time.Duration(i) * step), Message: strings.Repeat("x", size)})
		}
		return ev
	}
	cases := []struct {
		name  string
		ev    []logexport.Event
		sizes []int
	}{
		{"count limit", mk(20001, 1, time.Millisecond), []int{10000, 10000, 1}},
		{"byte limit: 26 bytes of overhead each", mk(3, 524288-26, time.Millisecond), []int{2, 1}},
		{"24 hour span", mk(3, 1, 13*time.Hour), []int{2, 1}},
		{"nothing", nil, nil},
	}
	for _, tc := range cases {
		var sizes []int
		for _, b := range batches(tc.ev) {
			sizes = append(sizes, len(b))
		}
		if fmt.Sprint(sizes) != fmt.Sprint(tc.sizes) {
			t.Errorf("%s: batches %v, want %v", tc.name, sizes, tc.sizes)
		}
	}
}
