package server

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// The built-in CloudWatch Logs through the wire, with the official Go SDK
// client. Expected texts and shapes are AWS's (docs/research/issue4-facts.md
// §1, cited per case); texts marked inferred are Cognate's own.

const account = "123456789012"

func logsARN(region, group string) string {
	return "arn:aws:logs:" + region + ":" + account + ":log-group:" + group
}

func nowMillis() int64 { return time.Now().UnixMilli() }

// putEvents puts messages at the given timestamps into a stream.
func putEvents(t *testing.T, c *cwl.Client, group, stream string, at []int64, messages ...string) *cwl.PutLogEventsOutput {
	t.Helper()
	in := &cwl.PutLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream)}
	for i, m := range messages {
		in.LogEvents = append(in.LogEvents, types.InputLogEvent{Timestamp: aws.Int64(at[i]), Message: aws.String(m)})
	}
	out, err := c.PutLogEvents(ctx, in)
	if err != nil {
		t.Fatalf("PutLogEvents %s/%s: %v", group, stream, err)
	}
	return out
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestLogsLogGroups(t *testing.T) {
	srv := newTestServer(t, nil)
	c := srv.logsClient("us-west-2")
	before := nowMillis()
	_, err := c.CreateLogGroup(ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String("/app/one")})
	mustDo(t, err)
	_, err = c.CreateLogGroup(ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String("kms"), KmsKeyId: aws.String("arn:aws:kms:us-west-2:123456789012:key/k"),
		Tags: map[string]string{"team": "id"}, LogGroupClass: types.LogGroupClassInfrequentAccess})
	mustDo(t, err)

	// Errors [OBS issue4-facts §1.3, §1.4, §1.2].
	_, err = c.CreateLogGroup(ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String("/app/one")})
	apiError(t, err, "ResourceAlreadyExistsException", "The specified log group already exists")
	_, err = c.CreateLogGroup(ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String("aws/reserved")})
	apiError(t, err, "InvalidParameterException", "Log groups starting with AWS/ are reserved for AWS.")
	_, err = c.CreateLogGroup(ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String("bad name")})
	apiError(t, err, "InvalidParameterException", "1 validation error detected: Value 'bad name' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+")
	_, err = c.DeleteLogGroup(ctx, &cwl.DeleteLogGroupInput{LogGroupName: aws.String("missing")})
	apiError(t, err, "ResourceNotFoundException", "The specified log group does not exist.")

	// The shape of a LogGroup [DOC; OBS live 2026 response].
	out, err := c.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{})
	mustDo(t, err)
	if len(out.LogGroups) != 2 || out.NextToken != nil {
		t.Fatalf("DescribeLogGroups = %+v", out)
	}
	g := out.LogGroups[0]
	if *g.LogGroupName != "/app/one" || *g.Arn != logsARN("us-west-2", "/app/one")+":*" || *g.LogGroupArn != logsARN("us-west-2", "/app/one") ||
		*g.CreationTime < before || *g.CreationTime > nowMillis() || g.RetentionInDays != nil || g.KmsKeyId != nil ||
		*g.MetricFilterCount != 0 || *g.StoredBytes != 0 || g.LogGroupClass != types.LogGroupClassStandard || *g.DeletionProtectionEnabled {
		t.Errorf("group = %s", describeJSON(g))
	}
	if k := out.LogGroups[1]; *k.KmsKeyId != "arn:aws:kms:us-west-2:123456789012:key/k" || k.LogGroupClass != types.LogGroupClassInfrequentAccess {
		t.Errorf("kms group = %s", describeJSON(k))
	}

	// Deletion protection [DOC]; the text is inferred.
	_, err = c.PutLogGroupDeletionProtection(ctx, &cwl.PutLogGroupDeletionProtectionInput{LogGroupIdentifier: aws.String(logsARN("us-west-2", "kms")), DeletionProtectionEnabled: aws.Bool(true)})
	mustDo(t, err)
	_, err = c.DeleteLogGroup(ctx, &cwl.DeleteLogGroupInput{LogGroupName: aws.String("kms")})
	apiError(t, err, "ValidationException", "")
	_, err = c.PutLogGroupDeletionProtection(ctx, &cwl.PutLogGroupDeletionProtectionInput{LogGroupIdentifier: aws.String("kms"), DeletionProtectionEnabled: aws.Bool(false)})
	mustDo(t, err)
	for _, name := range []string{"kms", "/app/one"} {
		_, err = c.DeleteLogGroup(ctx, &cwl.DeleteLogGroupInput{LogGroupName: aws.String(name)})
		mustDo(t, err)
	}
	out, err = c.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{})
	if err != nil || len(out.LogGroups) != 0 {
		t.Errorf("after deletes: %+v %v", out, err)
	}
	// A deleted name can be used again.
	_, err = c.CreateLogGroup(ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String("/app/one")})
	mustDo(t, err)
}

func describeJSON(v any) string { return fmt.Sprintf("%+v", v) }

func TestLogsDescribeLogGroupsPages(t *testing.T) {
	srv := newTestServer(t, nil)
	c := srv.logsClient("us-west-2")
	// Created out of order; listed in ASCII order [DOC].
	names := []string{"b/2", "a/1", "B", "GroupDataLogs", "aws#DataLogs", "datalogs", "a/0"}
	for _, n := range names {
		srv.mustCreateLogGroup(t, "us-west-2", n)
	}
	srv.mustCreateLogGroup(t, "eu-west-1", "a/elsewhere")
	want := slices.Clone(names)
	slices.Sort(want)

	var got []string
	pages := 0
	p := cwl.NewDescribeLogGroupsPaginator(c, &cwl.DescribeLogGroupsInput{Limit: aws.Int32(3)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		mustDo(t, err)
		pages++
		if len(out.LogGroups) > 3 {
			t.Errorf("page of %d", len(out.LogGroups))
		}
		for _, g := range out.LogGroups {
			got = append(got, *g.LogGroupName)
		}
	}
	if !slices.Equal(got, want) || pages != 3 {
		t.Errorf("pages %d: %v\nwant %v", pages, got, want)
	}
	list := func(in *cwl.DescribeLogGroupsInput) []string {
		t.Helper()
		out, err := c.DescribeLogGroups(ctx, in)
		mustDo(t, err)
		var names []string
		for _, g := range out.LogGroups {
			names = append(names, *g.LogGroupName)
		}
		return names
	}
	if got := list(&cwl.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("a/")}); !slices.Equal(got, []string{"a/0", "a/1"}) {
		t.Errorf("prefix a/: %v", got)
	}
	// The pattern is a case-sensitive substring; only arn, creationTime and
	// logGroupName come back [DOC].
	out, err := c.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{LogGroupNamePattern: aws.String("DataLogs")})
	mustDo(t, err)
	if len(out.LogGroups) != 2 || *out.LogGroups[0].LogGroupName != "GroupDataLogs" || *out.LogGroups[1].LogGroupName != "aws#DataLogs" ||
		out.LogGroups[0].LogGroupArn != nil || out.LogGroups[0].StoredBytes != nil || out.LogGroups[0].Arn == nil || out.LogGroups[0].CreationTime == nil {
		t.Errorf("pattern DataLogs: %+v", out.LogGroups)
	}
	if got := list(&cwl.DescribeLogGroupsInput{LogGroupIdentifiers: []string{"B", logsARN("us-west-2", "a/0"), "nope", logsARN("eu-west-1", "a/elsewhere")}}); !slices.Equal(got, []string{"B", "a/0"}) {
		t.Errorf("identifiers: %v", got)
	}
	_, err = c.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("a"), LogGroupNamePattern: aws.String("b")})
	apiError(t, err, "InvalidParameterException", "logGroupNamePrefix and logGroupNamePattern are mutually exclusive. Only one of these parameters can be passed.")
	_, err = c.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{NextToken: aws.String("garbage")})
	apiError(t, err, "InvalidParameterException", "The specified nextToken is invalid.")
	_, err = c.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{Limit: aws.Int32(51)})
	apiError(t, err, "InvalidParameterException", "1 validation error detected: Value '51' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50")
	// Regions are separate.
	if got := list(&cwl.DescribeLogGroupsInput{}); len(got) != len(names) {
		t.Errorf("us-west-2 lists %v", got)
	}
	if got := srvList(t, srv.logsClient("eu-west-1")); !slices.Equal(got, []string{"a/elsewhere"}) {
		t.Errorf("eu-west-1 lists %v", got)
	}
}

func srvList(t *testing.T, c *cwl.Client) []string {
	t.Helper()
	out, err := c.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{})
	mustDo(t, err)
	var names []string
	for _, g := range out.LogGroups {
		names = append(names, *g.LogGroupName)
	}
	return names
}

func TestLogsLogStreams(t *testing.T) {
	srv := newTestServer(t, nil)
	c := srv.logsClient("us-west-2")
	srv.mustCreateLogGroup(t, "us-west-2", "g")
	for _, s := range []string{"s2", "s1", "s3", "x"} {
		_, err := c.CreateLogStream(ctx, &cwl.CreateLogStreamInput{LogGroupName: aws.String("g"), LogStreamName: aws.String(s)})
		mustDo(t, err)
	}
	_, err := c.CreateLogStream(ctx, &cwl.CreateLogStreamInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s1")})
	apiError(t, err, "ResourceAlreadyExistsException", "The specified log stream already exists") // [OBS §1.6]
	_, err = c.CreateLogStream(ctx, &cwl.CreateLogStreamInput{LogGroupName: aws.String("missing"), LogStreamName: aws.String("s1")})
	apiError(t, err, "ResourceNotFoundException", "The specified log group does not exist.")
	_, err = c.CreateLogStream(ctx, &cwl.CreateLogStreamInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("a:b")})
	apiError(t, err, "InvalidParameterException", "1 validation error detected: Value 'a:b' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*")

	now := nowMillis()
	putEvents(t, c, "g", "s3", []int64{now - 3000}, "old")
	putEvents(t, c, "g", "s1", []int64{now - 1000}, "new")

	// An empty stream shows no event times [OBS awscli example].
	out, err := c.DescribeLogStreams(ctx, &cwl.DescribeLogStreamsInput{LogGroupName: aws.String("g"), LogStreamNamePrefix: aws.String("s2")})
	mustDo(t, err)
	if len(out.LogStreams) != 1 {
		t.Fatalf("prefix s2: %+v", out.LogStreams)
	}
	if s := out.LogStreams[0]; *s.Arn != logsARN("us-west-2", "g")+":log-stream:s2" || s.FirstEventTimestamp != nil || s.LastEventTimestamp != nil ||
		//lint:ignore SA1019 storedBytes of a stream: always 0 [DOC]
		s.LastIngestionTime != nil || *s.StoredBytes != 0 || s.CreationTime == nil {
		t.Errorf("empty stream = %+v", s)
	}
	out, err = c.DescribeLogStreams(ctx, &cwl.DescribeLogStreamsInput{LogGroupIdentifier: aws.String(logsARN("us-west-2", "g")), LogStreamNamePrefix: aws.String("s1")})
	mustDo(t, err)
	if s := out.LogStreams[0]; *s.FirstEventTimestamp != now-1000 || *s.LastEventTimestamp != now-1000 || *s.LastIngestionTime < now {
		t.Errorf("stream with events = %+v", s)
	}

	streams := func(in *cwl.DescribeLogStreamsInput) []string {
		t.Helper()
		var names []string
		p := cwl.NewDescribeLogStreamsPaginator(c, in)
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			mustDo(t, err)
			for _, s := range out.LogStreams {
				names = append(names, *s.LogStreamName)
			}
		}
		return names
	}
	if got := streams(&cwl.DescribeLogStreamsInput{LogGroupName: aws.String("g"), Limit: aws.Int32(1)}); !slices.Equal(got, []string{"s1", "s2", "s3", "x"}) {
		t.Errorf("by name, pages of 1: %v", got)
	}
	if got := streams(&cwl.DescribeLogStreamsInput{LogGroupName: aws.String("g"), Limit: aws.Int32(3), Descending: aws.Bool(true)}); !slices.Equal(got, []string{"x", "s3", "s2", "s1"}) {
		t.Errorf("by name descending: %v", got)
	}
	// Streams without events first, then by last event time (inferred
	// placement of the empty ones).
	if got := streams(&cwl.DescribeLogStreamsInput{LogGroupName: aws.String("g"), Limit: aws.Int32(2), OrderBy: types.OrderByLastEventTime, Descending: aws.Bool(true)}); !slices.Equal(got, []string{"s1", "s3", "x", "s2"}) {
		t.Errorf("by last event time descending: %v", got)
	}
	_, err = c.DescribeLogStreams(ctx, &cwl.DescribeLogStreamsInput{LogGroupName: aws.String("g"), OrderBy: types.OrderByLastEventTime, LogStreamNamePrefix: aws.String("s")})
	apiError(t, err, "InvalidParameterException", "Cannot order by LastEventTime with a logStreamNamePrefix.")
	_, err = c.DescribeLogStreams(ctx, &cwl.DescribeLogStreamsInput{LogGroupName: aws.String("g"), LogGroupIdentifier: aws.String("g")})
	apiError(t, err, "InvalidParameterException", "You must include either logGroupIdentifier or logGroupName, but not both.")
	_, err = c.DescribeLogStreams(ctx, &cwl.DescribeLogStreamsInput{LogGroupName: aws.String("missing")})
	apiError(t, err, "ResourceNotFoundException", "The specified log group does not exist.")
	// A token of one order is refused in another.
	first, err := c.DescribeLogStreams(ctx, &cwl.DescribeLogStreamsInput{LogGroupName: aws.String("g"), Limit: aws.Int32(1)})
	mustDo(t, err)
	_, err = c.DescribeLogStreams(ctx, &cwl.DescribeLogStreamsInput{LogGroupName: aws.String("g"), Limit: aws.Int32(1), NextToken: first.NextToken, Descending: aws.Bool(true)})
	apiError(t, err, "InvalidParameterException", "The specified nextToken is invalid.")
}

func TestLogsPutLogEvents(t *testing.T) {
	srv := newTestServer(t, nil)
	c := srv.logsClient("us-west-2")
	srv.mustCreateLogGroup(t, "us-west-2", "g")
	_, err := c.CreateLogStream(ctx, &cwl.CreateLogStreamInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s")})
	mustDo(t, err)
	now := nowMillis()
	out := putEvents(t, c, "g", "s", []int64{now - 2, now - 1}, "a", "b")
	// 56 decimal digits [OBS aws/aws-for-fluent-bit#523]; nothing rejected.
	if !regexp.MustCompile(`^[0-9]{56}$`).MatchString(aws.ToString(out.NextSequenceToken)) || out.RejectedLogEventsInfo != nil {
		t.Errorf("PutLogEvents = %+v", out)
	}
	// Too old (> 14 days), too new (> 2 h ahead): rejected, the rest stored;
	// end indexes exclusive, start inclusive [DOC; OBS fluent-bit#523].
	day := int64(24 * time.Hour / time.Millisecond)
	out = putEvents(t, c, "g", "s", []int64{now - 15*day, now - 15*day + 1, now, now + 3*day/24}, "old1", "old2", "ok", "new")
	if r := out.RejectedLogEventsInfo; r == nil || aws.ToInt32(r.TooOldLogEventEndIndex) != 2 || aws.ToInt32(r.TooNewLogEventStartIndex) != 3 || r.ExpiredLogEventEndIndex != nil {
		t.Errorf("rejected = %+v", r)
	}

	put := func(group, stream string, events ...types.InputLogEvent) error {
		_, err := c.PutLogEvents(ctx, &cwl.PutLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream), LogEvents: events})
		return err
	}
	ev := func(ts int64, m string) types.InputLogEvent {
		return types.InputLogEvent{Timestamp: aws.Int64(ts), Message: aws.String(m)}
	}
	// [OBS §1.7 table]
	apiError(t, put("g", "missing", ev(now, "x")), "ResourceNotFoundException", "The specified log stream does not exist.")
	apiError(t, put("missing", "s", ev(now, "x")), "ResourceNotFoundException", "The specified log group does not exist.")
	apiError(t, put("g", "s", ev(now, "x"), ev(now-1, "y")), "InvalidParameterException", "Log events in a single PutLogEvents request must be in chronological order.")
	apiError(t, put("g", "s", ev(now-2*day, "x"), ev(now, "y")), "InvalidParameterException", "The batch of log events in a single PutLogEvents request cannot span more than 24 hours.")
	big := strings.Repeat("x", 600000)
	apiError(t, put("g", "s", ev(now, big), ev(now, big)), "InvalidParameterException", "Upload too large: 1200052 bytes exceeds limit of 1048576")

	// Events read back in order, the rejected ones absent.
	got, err := c.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), StartFromHead: aws.Bool(true)})
	mustDo(t, err)
	var msgs []string
	for _, e := range got.Events {
		msgs = append(msgs, *e.Message)
		if e.IngestionTime == nil || *e.IngestionTime < now {
			t.Errorf("ingestionTime of %+v", e)
		}
	}
	if !slices.Equal(msgs, []string{"a", "b", "ok"}) {
		t.Errorf("stored %v", msgs)
	}
	// storedBytes counts the messages [DOC].
	groups, err := c.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{})
	mustDo(t, err)
	if n := *groups.LogGroups[0].StoredBytes; n != 4 {
		t.Errorf("storedBytes = %d, want 4", n)
	}
}

func TestLogsGetLogEventsTokens(t *testing.T) {
	srv := newTestServer(t, nil)
	c := srv.logsClient("us-west-2")
	srv.mustCreateLogGroup(t, "us-west-2", "g")
	_, err := c.CreateLogStream(ctx, &cwl.CreateLogStreamInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s")})
	mustDo(t, err)
	now := nowMillis() - 10000
	var at []int64
	var messages []string
	for i := range 7 {
		at = append(at, now+int64(i))
		messages = append(messages, fmt.Sprintf("m%d", i))
	}
	putEvents(t, c, "g", "s", at, messages...)
	token := regexp.MustCompile(`^[fb]/[0-9]{56}$`) // [OBS awscli get-log-events example]
	get := func(in cwl.GetLogEventsInput) *cwl.GetLogEventsOutput {
		t.Helper()
		in.LogGroupName, in.LogStreamName = aws.String("g"), aws.String("s")
		out, err := c.GetLogEvents(ctx, &in)
		mustDo(t, err)
		if !token.MatchString(aws.ToString(out.NextForwardToken)) || !token.MatchString(aws.ToString(out.NextBackwardToken)) {
			t.Fatalf("tokens %q %q", aws.ToString(out.NextForwardToken), aws.ToString(out.NextBackwardToken))
		}
		return out
	}
	texts := func(out *cwl.GetLogEventsOutput) string {
		var s []string
		for _, e := range out.Events {
			s = append(s, *e.Message)
		}
		return strings.Join(s, ",")
	}
	// Without startFromHead: the latest events [DOC].
	last := get(cwl.GetLogEventsInput{Limit: aws.Int32(3)})
	if texts(last) != "m4,m5,m6" {
		t.Errorf("latest = %s", texts(last))
	}
	// Backwards from there, then the end: the same token comes back with
	// no events [DOC].
	prev := get(cwl.GetLogEventsInput{Limit: aws.Int32(3), NextToken: last.NextBackwardToken})
	if texts(prev) != "m1,m2,m3" {
		t.Errorf("previous = %s", texts(prev))
	}
	prev = get(cwl.GetLogEventsInput{Limit: aws.Int32(3), NextToken: prev.NextBackwardToken})
	if texts(prev) != "m0" {
		t.Errorf("previous = %s", texts(prev))
	}
	end := get(cwl.GetLogEventsInput{Limit: aws.Int32(3), NextToken: prev.NextBackwardToken})
	if texts(end) != "" || *end.NextBackwardToken != *prev.NextBackwardToken {
		t.Errorf("at the start: %s, token %s want %s", texts(end), *end.NextBackwardToken, *prev.NextBackwardToken)
	}
	// Forward from the head with the SDK's paginator, which stops when the
	// token repeats.
	var all []string
	p := cwl.NewGetLogEventsPaginator(c, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), StartFromHead: aws.Bool(true), Limit: aws.Int32(2)},
		func(o *cwl.GetLogEventsPaginatorOptions) { o.StopOnDuplicateToken = true })
	for n := 0; p.HasMorePages(); n++ {
		out, err := p.NextPage(ctx)
		mustDo(t, err)
		if n > 10 {
			t.Fatal("the forward token never repeats")
		}
		if texts(out) != "" {
			all = append(all, texts(out))
		}
	}
	if strings.Join(all, "|") != "m0,m1|m2,m3|m4,m5|m6" {
		t.Errorf("forward pages = %v", all)
	}
	// startTime inclusive, endTime exclusive [DOC].
	if got := texts(get(cwl.GetLogEventsInput{StartTime: aws.Int64(now + 2), EndTime: aws.Int64(now + 4), StartFromHead: aws.Bool(true)})); got != "m2,m3" {
		t.Errorf("[now+2, now+4) = %s", got)
	}
	// Events put after the end are found with the last forward token.
	head := get(cwl.GetLogEventsInput{StartFromHead: aws.Bool(true)})
	putEvents(t, c, "g", "s", []int64{now + 10}, "later")
	if got := texts(get(cwl.GetLogEventsInput{NextToken: head.NextForwardToken})); got != "later" {
		t.Errorf("after the end = %s", got)
	}
	_, err = c.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), NextToken: aws.String("f/123")})
	apiError(t, err, "InvalidParameterException", "The specified nextToken is invalid.")
	_, err = c.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("nope")})
	apiError(t, err, "ResourceNotFoundException", "The specified log stream does not exist.")
	// A token of another stream is refused.
	_, err = c.CreateLogStream(ctx, &cwl.CreateLogStreamInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("other")})
	mustDo(t, err)
	_, err = c.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("other"), NextToken: head.NextForwardToken})
	apiError(t, err, "InvalidParameterException", "The specified nextToken is invalid.")
}

func TestLogsFilterLogEvents(t *testing.T) {
	srv := newTestServer(t, nil)
	c := srv.logsClient("us-west-2")
	srv.mustCreateLogGroup(t, "us-west-2", "g")
	for _, s := range []string{"a", "b"} {
		_, err := c.CreateLogStream(ctx, &cwl.CreateLogStreamInput{LogGroupName: aws.String("g"), LogStreamName: aws.String(s)})
		mustDo(t, err)
	}
	now := nowMillis() - 60000
	putEvents(t, c, "g", "a", []int64{now, now + 2, now + 4},
		`{"eventTimestamp":"1","eventSource":"USER_NOTIFICATION","logLevel":"ERROR","message":{"details":"Email delivery failed"}}`,
		"plain ERROR line with Exception",
		`{"logLevel":"INFO","latency":12}`)
	putEvents(t, c, "g", "b", []int64{now + 1, now + 3},
		"WARN something",
		`{"logLevel":"ERROR","latency":250}`)

	filter := func(in cwl.FilterLogEventsInput) ([]types.FilteredLogEvent, int) {
		t.Helper()
		in.LogGroupName = aws.String("g")
		var events []types.FilteredLogEvent
		pages := 0
		p := cwl.NewFilterLogEventsPaginator(c, &in)
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			mustDo(t, err)
			pages++
			events = append(events, out.Events...)
		}
		return events, pages
	}
	messages := func(events []types.FilteredLogEvent) []string {
		var m []string
		for _, e := range events {
			m = append(m, *e.LogStreamName+":"+(*e.Message)[:min(len(*e.Message), 12)])
		}
		return m
	}
	// Interleaved across streams by timestamp [DOC]; eventId unique.
	all, _ := filter(cwl.FilterLogEventsInput{})
	if got := messages(all); strings.Join(got, "|") != `a:{"eventTimes|b:WARN somethi|a:plain ERROR |b:{"logLevel":|a:{"logLevel":` {
		t.Errorf("all = %v", got)
	}
	ids := map[string]bool{}
	for _, e := range all {
		if e.EventId == nil || ids[*e.EventId] || e.IngestionTime == nil {
			t.Errorf("event %+v: eventId missing or repeated", e)
		}
		ids[*e.EventId] = true
	}
	cases := []struct{ pattern, want string }{
		{`ERROR`, `a:{"eventTimes|a:plain ERROR |b:{"logLevel":`},
		{`ERROR Exception`, `a:plain ERROR `},
		{`ERROR -Exception`, `a:{"eventTimes|b:{"logLevel":`},
		{`?WARN ?Exception`, `b:WARN somethi|a:plain ERROR `},
		{`"Email delivery failed"`, `a:{"eventTimes`},
		{`{ $.logLevel = "ERROR" }`, `a:{"eventTimes|b:{"logLevel":`},
		{`{ $.logLevel = ERROR }`, `a:{"eventTimes|b:{"logLevel":`},
		{`{ $.eventSource = "USER_NOTIFICATION" && $.message.details = "Email*" }`, `a:{"eventTimes`},
		{`{ $.latency > 100 }`, `b:{"logLevel":`},
		{`{ $.latency = * }`, `b:{"logLevel":|a:{"logLevel":`},
		{`{ $.logLevel != "ERROR" }`, `a:{"logLevel":`},
		{`%WARN|INFO%`, `b:WARN somethi|a:{"logLevel":`},
		{``, `a:{"eventTimes|b:WARN somethi|a:plain ERROR |b:{"logLevel":|a:{"logLevel":`},
	}
	for _, tc := range cases {
		events, _ := filter(cwl.FilterLogEventsInput{FilterPattern: aws.String(tc.pattern)})
		if got := strings.Join(messages(events), "|"); got != tc.want {
			t.Errorf("pattern %s:\n got %s\nwant %s", tc.pattern, got, tc.want)
		}
	}
	// Pages of one: the paginator follows nextToken until it is absent, and
	// no token repeats (botocore's paginator would fail) [DOC].
	paged, pages := filter(cwl.FilterLogEventsInput{Limit: aws.Int32(1)})
	if len(paged) != 5 || pages < 5 {
		t.Errorf("pages of 1: %d events in %d pages", len(paged), pages)
	}
	// Stream filters; startTime and endTime both inclusive [DOC].
	if got, _ := filter(cwl.FilterLogEventsInput{LogStreamNames: []string{"b"}}); len(got) != 2 {
		t.Errorf("stream b: %v", messages(got))
	}
	if got, _ := filter(cwl.FilterLogEventsInput{LogStreamNamePrefix: aws.String("a")}); len(got) != 3 {
		t.Errorf("prefix a: %v", messages(got))
	}
	if got, _ := filter(cwl.FilterLogEventsInput{StartTime: aws.Int64(now + 1), EndTime: aws.Int64(now + 3)}); len(got) != 3 {
		t.Errorf("[now+1, now+3]: %v", messages(got))
	}
	_, err := c.FilterLogEvents(ctx, &cwl.FilterLogEventsInput{LogGroupName: aws.String("g"), LogStreamNames: []string{"a"}, LogStreamNamePrefix: aws.String("a")})
	apiError(t, err, "InvalidParameterException", "logStreamNames and logStreamNamePrefix are mutually exclusive. Only one of these parameters can be passed.")
	_, err = c.FilterLogEvents(ctx, &cwl.FilterLogEventsInput{LogGroupName: aws.String("g"), FilterPattern: aws.String(`{ $.logLevel = "ERROR"`)})
	apiError(t, err, "InvalidParameterException", "")
	_, err = c.FilterLogEvents(ctx, &cwl.FilterLogEventsInput{LogGroupName: aws.String("missing")})
	apiError(t, err, "ResourceNotFoundException", "The specified log group does not exist.")
	_, err = c.FilterLogEvents(ctx, &cwl.FilterLogEventsInput{LogGroupName: aws.String("g"), NextToken: aws.String("nope")})
	apiError(t, err, "InvalidParameterException", "The specified nextToken is invalid.")
}

func TestLogsRetention(t *testing.T) {
	srv := newTestServer(t, nil)
	c := srv.logsClient("us-west-2")
	srv.mustCreateLogGroup(t, "us-west-2", "g")
	_, err := c.CreateLogStream(ctx, &cwl.CreateLogStreamInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s")})
	mustDo(t, err)
	day := int64(24 * time.Hour / time.Millisecond)
	now := nowMillis()
	putEvents(t, c, "g", "s", []int64{now - 3*day, now - 3*day + 1}, "three days ago", "x")
	putEvents(t, c, "g", "s", []int64{now - 1000}, "recent")

	// The allowed values are documented only; 2 is not one [DOC]; the text
	// is the Coral enum form (inferred).
	_, err = c.PutRetentionPolicy(ctx, &cwl.PutRetentionPolicyInput{LogGroupName: aws.String("g"), RetentionInDays: aws.Int32(2)})
	apiError(t, err, "InvalidParameterException", "1 validation error detected: Value '2' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]")
	_, err = c.PutRetentionPolicy(ctx, &cwl.PutRetentionPolicyInput{LogGroupName: aws.String("missing"), RetentionInDays: aws.Int32(1)})
	apiError(t, err, "ResourceNotFoundException", "The specified log group does not exist.")
	_, err = c.PutRetentionPolicy(ctx, &cwl.PutRetentionPolicyInput{LogGroupName: aws.String("g"), RetentionInDays: aws.Int32(1)})
	mustDo(t, err)

	groups, err := c.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{})
	mustDo(t, err)
	if g := groups.LogGroups[0]; aws.ToInt32(g.RetentionInDays) != 1 || *g.StoredBytes != int64(len("recent")) {
		t.Errorf("after retention 1: retentionInDays %v storedBytes %d", g.RetentionInDays, *g.StoredBytes)
	}
	got, err := c.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), StartFromHead: aws.Bool(true)})
	mustDo(t, err)
	if len(got.Events) != 1 || *got.Events[0].Message != "recent" {
		t.Errorf("GetLogEvents after expiry: %+v", got.Events)
	}
	filtered, err := c.FilterLogEvents(ctx, &cwl.FilterLogEventsInput{LogGroupName: aws.String("g")})
	mustDo(t, err)
	if len(filtered.Events) != 1 {
		t.Errorf("FilterLogEvents after expiry: %d events", len(filtered.Events))
	}
	// Events older than the retention are rejected as expired [DOC].
	hour := day / 24
	out := putEvents(t, c, "g", "s", []int64{now - 20*day, now - 30*hour, now - 20*hour}, "too old", "expired", "kept")
	if r := out.RejectedLogEventsInfo; r == nil || aws.ToInt32(r.TooOldLogEventEndIndex) != 1 || aws.ToInt32(r.ExpiredLogEventEndIndex) != 2 || r.TooNewLogEventStartIndex != nil {
		t.Errorf("rejected = %+v", r)
	}
	// DeleteRetentionPolicy: never expire; retentionInDays absent again.
	_, err = c.DeleteRetentionPolicy(ctx, &cwl.DeleteRetentionPolicyInput{LogGroupName: aws.String("g")})
	mustDo(t, err)
	groups, err = c.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{})
	mustDo(t, err)
	if groups.LogGroups[0].RetentionInDays != nil {
		t.Errorf("retentionInDays after delete = %d", *groups.LogGroups[0].RetentionInDays)
	}
}

func TestLogsResourcePolicies(t *testing.T) {
	srv := newTestServer(t, nil)
	c := srv.logsClient("us-west-2")
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"es.amazonaws.com"},"Action":["logs:PutLogEvents","logs:CreateLogStream"],"Resource":"arn:aws:logs:us-west-2:123456789012:log-group:/es/*:*"}]}`
	before := nowMillis()
	out, err := c.PutResourcePolicy(ctx, &cwl.PutResourcePolicyInput{PolicyName: aws.String("ESLogPolicy"), PolicyDocument: aws.String(doc)})
	mustDo(t, err)
	if p := out.ResourcePolicy; *p.PolicyName != "ESLogPolicy" || *p.PolicyDocument != doc || *p.LastUpdatedTime < before || p.PolicyScope != types.PolicyScopeAccount {
		t.Errorf("PutResourcePolicy = %+v", p)
	}
	// The same name replaces [DOC].
	_, err = c.PutResourcePolicy(ctx, &cwl.PutResourcePolicyInput{PolicyName: aws.String("ESLogPolicy"), PolicyDocument: aws.String(`{"Statement":[]}`)})
	mustDo(t, err)
	for i := 1; i < 10; i++ {
		_, err = c.PutResourcePolicy(ctx, &cwl.PutResourcePolicyInput{PolicyName: aws.String(fmt.Sprintf("p%d", i)), PolicyDocument: aws.String(`{}`)})
		mustDo(t, err)
	}
	// 10 per account and region [DOC]; [OBS DNXLabs#40].
	_, err = c.PutResourcePolicy(ctx, &cwl.PutResourcePolicyInput{PolicyName: aws.String("eleventh"), PolicyDocument: aws.String(`{}`)})
	apiError(t, err, "LimitExceededException", "Resource limit exceeded.")
	// Another region has its own ten.
	_, err = srv.logsClient("eu-west-1").PutResourcePolicy(ctx, &cwl.PutResourcePolicyInput{PolicyName: aws.String("eleventh"), PolicyDocument: aws.String(`{}`)})
	mustDo(t, err)

	var names []string
	var token *string
	for pages := 0; pages == 0 || token != nil; pages++ {
		page, err := c.DescribeResourcePolicies(ctx, &cwl.DescribeResourcePoliciesInput{Limit: aws.Int32(4), NextToken: token})
		mustDo(t, err)
		if pages > 3 {
			t.Fatal("DescribeResourcePolicies never ends")
		}
		token = page.NextToken
		for _, rp := range page.ResourcePolicies {
			names = append(names, *rp.PolicyName)
			if *rp.PolicyName == "ESLogPolicy" && *rp.PolicyDocument != `{"Statement":[]}` {
				t.Errorf("replaced document = %s", *rp.PolicyDocument)
			}
		}
	}
	if strings.Join(names, ",") != "ESLogPolicy,p1,p2,p3,p4,p5,p6,p7,p8,p9" {
		t.Errorf("policies = %v", names)
	}
	// Deleting one makes room.
	_, err = c.DeleteResourcePolicy(ctx, &cwl.DeleteResourcePolicyInput{PolicyName: aws.String("p9")})
	mustDo(t, err)
	_, err = c.DeleteResourcePolicy(ctx, &cwl.DeleteResourcePolicyInput{PolicyName: aws.String("p9")})
	apiError(t, err, "ResourceNotFoundException", "Policy with name [p9] does not exist") // [OBS aws-cdk#12016]
	// 51200 characters at most [DOC model]; exactly 51200 is accepted.
	long := `{"Sid":"` + strings.Repeat("x", 51200-10) + `"}`
	_, err = c.PutResourcePolicy(ctx, &cwl.PutResourcePolicyInput{PolicyName: aws.String("long"), PolicyDocument: aws.String(long)})
	mustDo(t, err)
	_, err = c.PutResourcePolicy(ctx, &cwl.PutResourcePolicyInput{PolicyName: aws.String("long"), PolicyDocument: aws.String(long + " ")})
	apiError(t, err, "InvalidParameterException", "")
	if !strings.HasSuffix(fmt.Sprint(err), "at 'policyDocument' failed to satisfy constraint: Member must have length less than or equal to 51200") {
		t.Errorf("51201 characters: %.200s", err)
	}
	_, err = c.PutResourcePolicy(ctx, &cwl.PutResourcePolicyInput{PolicyName: aws.String("bad"), PolicyDocument: aws.String("not json")})
	apiError(t, err, "InvalidParameterException", "")
}

func TestLogsTags(t *testing.T) {
	srv := newTestServer(t, nil)
	c := srv.logsClient("us-west-2")
	_, err := c.CreateLogGroup(ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String("g"), Tags: map[string]string{"team": "id", "env": "dev"}})
	mustDo(t, err)
	arn := logsARN("us-west-2", "g")
	tags := func() map[string]string {
		t.Helper()
		out, err := c.ListTagsForResource(ctx, &cwl.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
		mustDo(t, err)
		//lint:ignore SA1019 the deprecated by-name API is built and tested on purpose
		old, err := c.ListTagsLogGroup(ctx, &cwl.ListTagsLogGroupInput{LogGroupName: aws.String("g")})
		mustDo(t, err)
		if fmt.Sprint(old.Tags) != fmt.Sprint(out.Tags) {
			t.Errorf("ListTagsLogGroup %v, ListTagsForResource %v", old.Tags, out.Tags)
		}
		return out.Tags
	}
	if got := fmt.Sprint(tags()); got != "map[env:dev team:id]" {
		t.Errorf("tags at creation = %s", got)
	}
	// TagResource merges [DOC].
	_, err = c.TagResource(ctx, &cwl.TagResourceInput{ResourceArn: aws.String(arn), Tags: map[string]string{"env": "prod", "cost": "42"}})
	mustDo(t, err)
	_, err = c.UntagResource(ctx, &cwl.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"team", "absent"}})
	mustDo(t, err)
	if got := fmt.Sprint(tags()); got != "map[cost:42 env:prod]" {
		t.Errorf("after tag/untag = %s", got)
	}
	// The deprecated by-name operations.
	//lint:ignore SA1019 the deprecated by-name API is built and tested on purpose
	_, err = c.TagLogGroup(ctx, &cwl.TagLogGroupInput{LogGroupName: aws.String("g"), Tags: map[string]string{"old": "api"}})
	mustDo(t, err)
	//lint:ignore SA1019 the deprecated by-name API is built and tested on purpose
	_, err = c.UntagLogGroup(ctx, &cwl.UntagLogGroupInput{LogGroupName: aws.String("g"), Tags: []string{"cost"}})
	mustDo(t, err)
	if got := fmt.Sprint(tags()); got != "map[env:prod old:api]" {
		t.Errorf("after TagLogGroup/UntagLogGroup = %s", got)
	}
	// At most 50 [DOC]; the text is the shape's (inferred).
	many := map[string]string{}
	for i := range 49 {
		many[fmt.Sprintf("k%02d", i)] = "v"
	}
	_, err = c.TagResource(ctx, &cwl.TagResourceInput{ResourceArn: aws.String(arn), Tags: many})
	apiError(t, err, "TooManyTagsException", "A resource can have no more than 50 tags.")
	_, err = c.TagResource(ctx, &cwl.TagResourceInput{ResourceArn: aws.String(logsARN("us-west-2", "missing")), Tags: map[string]string{"a": "b"}})
	apiError(t, err, "ResourceNotFoundException", "The specified log group does not exist.")
	_, err = c.ListTagsForResource(ctx, &cwl.ListTagsForResourceInput{ResourceArn: aws.String(logsARN("eu-west-1", "g"))})
	apiError(t, err, "ResourceNotFoundException", "The specified log group does not exist.")
	//lint:ignore SA1019 the deprecated by-name API is built and tested on purpose
	_, err = c.ListTagsLogGroup(ctx, &cwl.ListTagsLogGroupInput{LogGroupName: aws.String("missing")})
	apiError(t, err, "ResourceNotFoundException", "The specified log group does not exist.")
}

// TestLogsNotImplemented: an operation of the model Cognate does not build
// answers a 4xx naming it, never a 5xx that SDKs would retry.
func TestLogsNotImplemented(t *testing.T) {
	srv := newTestServer(t, nil)
	_, err := srv.logsClient("us-west-2").DescribeMetricFilters(ctx, &cwl.DescribeMetricFiltersInput{})
	apiError(t, err, "NotImplementedException", "Cognate does not implement DescribeMetricFilters yet.")
}

// TestLogsConcurrentPuts: parallel puts to one stream are allowed since the
// sequence token is ignored [DOC]; none is lost, and FilterLogEvents pages
// through them all.
func TestLogsConcurrentPuts(t *testing.T) {
	srv := newTestServer(t, nil)
	c := srv.logsClient("us-west-2")
	srv.mustCreateLogGroup(t, "us-west-2", "g")
	_, err := c.CreateLogStream(ctx, &cwl.CreateLogStreamInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s")})
	mustDo(t, err)
	now := nowMillis()
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				_, err := c.PutLogEvents(ctx, &cwl.PutLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"),
					LogEvents: []types.InputLogEvent{{Timestamp: aws.Int64(now), Message: aws.String(fmt.Sprintf("w%d-%d", w, i))}}})
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	p := cwl.NewFilterLogEventsPaginator(c, &cwl.FilterLogEventsInput{LogGroupName: aws.String("g"), Limit: aws.Int32(7)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		mustDo(t, err)
		for _, e := range out.Events {
			if seen[*e.Message] {
				t.Errorf("%s twice", *e.Message)
			}
			seen[*e.Message] = true
		}
	}
	if len(seen) != 160 {
		t.Errorf("%d events, want 160", len(seen))
	}
}
