package cwlsink

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/cognate/cognate/internal/logexport"
	"github.com/cognate/cognate/internal/testutil/motoserver"
)

func TestDeliverToExternalCloudWatchLogs(t *testing.T) {
	url := motoserver.Start(t)
	sink := New(Config{Endpoint: url, Credentials: motoserver.Credentials})
	ctx := context.Background()
	logs := motoserver.Logs(url, "us-west-2")
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
	url := motoserver.Start(t)
	sink := New(Config{Endpoint: url, Credentials: motoserver.Credentials})
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
