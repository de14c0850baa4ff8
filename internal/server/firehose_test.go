package server

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	fh "github.com/aws/aws-sdk-go-v2/service/firehose"
	fhtypes "github.com/aws/aws-sdk-go-v2/service/firehose/types"
	"github.com/aws/smithy-go"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/builtin/firehose"
	"github.com/cognate/cognate/internal/builtin/firehose/firehoseapi"
	"github.com/cognate/cognate/internal/builtin/s3"
	"github.com/cognate/cognate/internal/storage/sqlstore"
)

// firehoseClient returns the official Go SDK Firehose client for a region.
func (s *testServer) firehoseClient(region string) *fh.Client {
	return fh.New(fh.Options{
		Region:           region,
		BaseEndpoint:     aws.String(s.URL),
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		RetryMaxAttempts: 1,
		HTTPClient:       &http.Client{Transport: plainBodies{http.DefaultTransport}},
	})
}

const firehoseRole = "arn:aws:iam::123456789012:role/firehose"

// seedFirehose is a built-in Firehose on store holding the delivery
// stream the log delivery tests name (streamARN), which must exist before
// SetLogDeliveryConfiguration names it. It is created in process, so that
// servers with strict signatures get it too.
func seedFirehose(t *testing.T, store *sqlstore.Store, buckets *s3.Service) *firehose.Service {
	t.Helper()
	f := firehose.New(store, buckets)
	in := &firehoseapi.CreateDeliveryStreamInput{DeliveryStreamName: aws.String("cognito"),
		ExtendedS3DestinationConfiguration: &firehoseapi.ExtendedS3DestinationConfiguration{
			BucketARN: aws.String("arn:aws:s3:::amzn-s3-demo-bucket1"), RoleARN: aws.String(firehoseRole)}}
	if _, err := f.CreateDeliveryStream(api.WithCaller(ctx, api.Caller{AccountID: "123456789012", Region: "us-west-2"}), in); err != nil {
		t.Fatal(err)
	}
	return f
}

func createStream(t *testing.T, c *fh.Client, name, bucket string, configure func(*fhtypes.ExtendedS3DestinationConfiguration)) string {
	t.Helper()
	dest := &fhtypes.ExtendedS3DestinationConfiguration{BucketARN: aws.String("arn:aws:s3:::" + bucket), RoleARN: aws.String(firehoseRole)}
	if configure != nil {
		configure(dest)
	}
	out, err := c.CreateDeliveryStream(ctx, &fh.CreateDeliveryStreamInput{DeliveryStreamName: aws.String(name), ExtendedS3DestinationConfiguration: dest})
	if err != nil {
		t.Fatalf("CreateDeliveryStream %s: %v", name, err)
	}
	return aws.ToString(out.DeliveryStreamARN)
}

// TestFirehoseStreams: create, describe, list with pagination, tags and
// delete, with AWS's errors.
func TestFirehoseStreams(t *testing.T) {
	s := newTestServer(t, nil)
	c := s.firehoseClient("eu-west-1")
	arn := createStream(t, c, "b-stream", "amzn-s3-demo-bucket1", func(d *fhtypes.ExtendedS3DestinationConfiguration) {
		d.Prefix = aws.String("logs/")
		d.CompressionFormat = fhtypes.CompressionFormatGzip
		d.BufferingHints = &fhtypes.BufferingHints{SizeInMBs: aws.Int32(1), IntervalInSeconds: aws.Int32(60)}
	})
	if arn != "arn:aws:firehose:eu-west-1:123456789012:deliverystream/b-stream" {
		t.Errorf("ARN %s", arn)
	}
	d, err := c.DescribeDeliveryStream(ctx, &fh.DescribeDeliveryStreamInput{DeliveryStreamName: aws.String("b-stream")})
	if err != nil {
		t.Fatal(err)
	}
	desc := d.DeliveryStreamDescription
	if desc.DeliveryStreamStatus != fhtypes.DeliveryStreamStatusActive || aws.ToString(desc.DeliveryStreamARN) != arn ||
		desc.DeliveryStreamType != fhtypes.DeliveryStreamTypeDirectPut || aws.ToString(desc.VersionId) != "1" ||
		desc.CreateTimestamp == nil || time.Since(*desc.CreateTimestamp) > time.Minute || aws.ToBool(desc.HasMoreDestinations) {
		t.Errorf("description %+v", desc)
	}
	if len(desc.Destinations) != 1 || desc.Destinations[0].ExtendedS3DestinationDescription == nil || desc.Destinations[0].S3DestinationDescription == nil {
		t.Fatalf("destinations %+v", desc.Destinations)
	}
	x := desc.Destinations[0].ExtendedS3DestinationDescription
	if aws.ToString(desc.Destinations[0].DestinationId) != "destinationId-000000000001" || aws.ToString(x.BucketARN) != "arn:aws:s3:::amzn-s3-demo-bucket1" ||
		aws.ToString(x.Prefix) != "logs/" || x.CompressionFormat != fhtypes.CompressionFormatGzip ||
		aws.ToInt32(x.BufferingHints.SizeInMBs) != 1 || aws.ToInt32(x.BufferingHints.IntervalInSeconds) != 60 || aws.ToString(x.RoleARN) != firehoseRole {
		t.Errorf("extended S3 destination %+v", x)
	}
	// Defaults [DOC BufferingHints, CompressionFormat].
	createStream(t, c, "a-stream", "amzn-s3-demo-bucket1", nil)
	d, _ = c.DescribeDeliveryStream(ctx, &fh.DescribeDeliveryStreamInput{DeliveryStreamName: aws.String("a-stream")})
	if x := d.DeliveryStreamDescription.Destinations[0].ExtendedS3DestinationDescription; aws.ToInt32(x.BufferingHints.SizeInMBs) != 5 ||
		aws.ToInt32(x.BufferingHints.IntervalInSeconds) != 300 || x.CompressionFormat != fhtypes.CompressionFormatUncompressed {
		t.Errorf("defaults %+v %+v", x.BufferingHints, x.CompressionFormat)
	}
	// The deprecated S3DestinationConfiguration is still accepted.
	plain := &fh.CreateDeliveryStreamInput{DeliveryStreamName: aws.String("c-stream")}
	//lint:ignore SA1019 AWS still accepts it
	plain.S3DestinationConfiguration = &fhtypes.S3DestinationConfiguration{BucketARN: aws.String("arn:aws:s3:::x"), RoleARN: aws.String(firehoseRole)}
	if _, err := c.CreateDeliveryStream(ctx, plain); err != nil {
		t.Fatal(err)
	}

	// Pagination.
	var names []string
	var start *string
	for pages := 0; ; pages++ {
		l, err := c.ListDeliveryStreams(ctx, &fh.ListDeliveryStreamsInput{Limit: aws.Int32(2), ExclusiveStartDeliveryStreamName: start})
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, l.DeliveryStreamNames...)
		if !aws.ToBool(l.HasMoreDeliveryStreams) {
			break
		}
		start = aws.String(l.DeliveryStreamNames[len(l.DeliveryStreamNames)-1])
		if pages > 3 {
			t.Fatal("no end")
		}
	}
	if strings.Join(names, ",") != "a-stream,b-stream,c-stream" {
		t.Errorf("listed %v", names)
	}
	if l, _ := s.firehoseClient("eu-west-2").ListDeliveryStreams(ctx, &fh.ListDeliveryStreamsInput{}); len(l.DeliveryStreamNames) != 0 || l.HasMoreDeliveryStreams == nil {
		t.Errorf("another region: %+v", l)
	}

	// Tags.
	if _, err := c.TagDeliveryStream(ctx, &fh.TagDeliveryStreamInput{DeliveryStreamName: aws.String("a-stream"),
		Tags: []fhtypes.Tag{{Key: aws.String("b"), Value: aws.String("2")}, {Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("c")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UntagDeliveryStream(ctx, &fh.UntagDeliveryStreamInput{DeliveryStreamName: aws.String("a-stream"), TagKeys: []string{"c", "nope"}}); err != nil {
		t.Fatal(err)
	}
	tags, err := c.ListTagsForDeliveryStream(ctx, &fh.ListTagsForDeliveryStreamInput{DeliveryStreamName: aws.String("a-stream"), Limit: aws.Int32(1)})
	if err != nil || len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "a" || !aws.ToBool(tags.HasMoreTags) {
		t.Fatalf("tags page 1: %v %+v", err, tags)
	}
	tags, _ = c.ListTagsForDeliveryStream(ctx, &fh.ListTagsForDeliveryStreamInput{DeliveryStreamName: aws.String("a-stream"), ExclusiveStartTagKey: aws.String("a")})
	if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "b" || aws.ToString(tags.Tags[0].Value) != "2" || aws.ToBool(tags.HasMoreTags) {
		t.Errorf("tags page 2: %+v", tags)
	}
	many := make([]fhtypes.Tag, 50)
	for i := range many {
		many[i] = fhtypes.Tag{Key: aws.String(fmt.Sprintf("k%02d", i)), Value: aws.String("v")}
	}
	_, err = c.TagDeliveryStream(ctx, &fh.TagDeliveryStreamInput{DeliveryStreamName: aws.String("a-stream"), Tags: many})
	apiError(t, err, "LimitExceededException", "")

	// Errors.
	_, err = c.CreateDeliveryStream(ctx, &fh.CreateDeliveryStreamInput{DeliveryStreamName: aws.String("a-stream"),
		ExtendedS3DestinationConfiguration: &fhtypes.ExtendedS3DestinationConfiguration{BucketARN: aws.String("arn:aws:s3:::x"), RoleARN: aws.String(firehoseRole)}})
	apiError(t, err, "ResourceInUseException", "")
	_, err = c.CreateDeliveryStream(ctx, &fh.CreateDeliveryStreamInput{DeliveryStreamName: aws.String("none")})
	apiError(t, err, "InvalidArgumentException", "")
	_, err = c.CreateDeliveryStream(ctx, &fh.CreateDeliveryStreamInput{DeliveryStreamName: aws.String("zip"),
		ExtendedS3DestinationConfiguration: &fhtypes.ExtendedS3DestinationConfiguration{BucketARN: aws.String("arn:aws:s3:::x"), RoleARN: aws.String(firehoseRole),
			CompressionFormat: fhtypes.CompressionFormatZip}})
	apiError(t, err, "InvalidArgumentException", "")
	_, err = c.CreateDeliveryStream(ctx, &fh.CreateDeliveryStreamInput{DeliveryStreamName: aws.String("kinesis"), DeliveryStreamType: fhtypes.DeliveryStreamTypeKinesisStreamAsSource,
		ExtendedS3DestinationConfiguration: &fhtypes.ExtendedS3DestinationConfiguration{BucketARN: aws.String("arn:aws:s3:::x"), RoleARN: aws.String(firehoseRole)}})
	apiError(t, err, "InvalidArgumentException", "")
	_, err = c.DescribeDeliveryStream(ctx, &fh.DescribeDeliveryStreamInput{DeliveryStreamName: aws.String("missing")})
	apiError(t, err, "ResourceNotFoundException", "Firehose missing under account 123456789012 not found.")
	var nf *fhtypes.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("not the modelled ResourceNotFoundException: %T", err)
	}
	_, err = c.PutRecord(ctx, &fh.PutRecordInput{DeliveryStreamName: aws.String("missing"), Record: &fhtypes.Record{Data: []byte("x")}})
	apiError(t, err, "ResourceNotFoundException", "Firehose missing under account 123456789012 not found.")
	_, err = c.UpdateDestination(ctx, &fh.UpdateDestinationInput{DeliveryStreamName: aws.String("a-stream"), CurrentDeliveryStreamVersionId: aws.String("1"), DestinationId: aws.String("destinationId-000000000001")})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "NotImplementedException" || !strings.Contains(ae.ErrorMessage(), "UpdateDestination") {
		t.Errorf("UpdateDestination: %v", err)
	}

	// Delete.
	if _, err := c.DeleteDeliveryStream(ctx, &fh.DeleteDeliveryStreamInput{DeliveryStreamName: aws.String("a-stream")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DeleteDeliveryStream(ctx, &fh.DeleteDeliveryStreamInput{DeliveryStreamName: aws.String("a-stream")})
	apiError(t, err, "ResourceNotFoundException", "Firehose a-stream under account 123456789012 not found.")
}

// TestFirehosePutRecords: PutRecord and PutRecordBatch answer record IDs;
// the limits are refused.
func TestFirehosePutRecords(t *testing.T) {
	s := newTestServer(t, nil)
	c := s.firehoseClient("us-east-1")
	createStream(t, c, "s", "amzn-s3-demo-bucket1", nil)
	out, err := c.PutRecord(ctx, &fh.PutRecordInput{DeliveryStreamName: aws.String("s"), Record: &fhtypes.Record{Data: []byte("one\n")}})
	if err != nil || aws.ToString(out.RecordId) == "" || out.Encrypted == nil || *out.Encrypted {
		t.Fatalf("PutRecord: %v %+v", err, out)
	}
	records := make([]fhtypes.Record, 500)
	for i := range records {
		records[i] = fhtypes.Record{Data: []byte(fmt.Sprintf("r%d\n", i))}
	}
	b, err := c.PutRecordBatch(ctx, &fh.PutRecordBatchInput{DeliveryStreamName: aws.String("s"), Records: records})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt32(b.FailedPutCount) != 0 || len(b.RequestResponses) != 500 {
		t.Fatalf("batch: %d failed, %d responses", aws.ToInt32(b.FailedPutCount), len(b.RequestResponses))
	}
	seen := map[string]bool{aws.ToString(out.RecordId): true}
	for _, r := range b.RequestResponses {
		if id := aws.ToString(r.RecordId); id == "" || seen[id] || r.ErrorCode != nil {
			t.Fatalf("response %+v", r)
		}
		seen[aws.ToString(r.RecordId)] = true
	}
	// 501 records: the model's bound. 5 records of 1000 KiB: over 4 MiB.
	_, err = c.PutRecordBatch(ctx, &fh.PutRecordBatchInput{DeliveryStreamName: aws.String("s"), Records: append(records, fhtypes.Record{Data: []byte("x")})})
	if err == nil {
		t.Error("501 records accepted")
	}
	big := bytes.Repeat([]byte("x"), 1000*1024)
	_, err = c.PutRecordBatch(ctx, &fh.PutRecordBatchInput{DeliveryStreamName: aws.String("s"), Records: []fhtypes.Record{{Data: big}, {Data: big}, {Data: big}, {Data: big}, {Data: big}}})
	apiError(t, err, "InvalidArgumentException", "")
	_, err = c.PutRecord(ctx, &fh.PutRecordInput{DeliveryStreamName: aws.String("s"), Record: &fhtypes.Record{Data: append(big, 'x')}})
	if err == nil {
		t.Error("a record over 1000 KiB accepted")
	}
	if _, err := c.PutRecord(ctx, &fh.PutRecordInput{DeliveryStreamName: aws.String("s"), Record: &fhtypes.Record{Data: big}}); err != nil {
		t.Errorf("a record of 1000 KiB: %v", err)
	}
}

// lockedClock is a settable clock.
type lockedClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *lockedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *lockedClock) add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// TestFirehoseFlushToS3: records wait for IntervalInSeconds, then land in
// the bucket as one object under Firehose's default key, concatenated as
// sent (GZIP'd when configured); a missing bucket keeps them buffered.
func TestFirehoseFlushToS3(t *testing.T) {
	store, err := sqlstore.Open(sqlstore.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	buckets, _ := s3.Open("")
	if err := buckets.CreateBucket("flush"); err != nil {
		t.Fatal(err)
	}
	clock := &lockedClock{now: time.Date(2026, 11, 25, 13, 4, 5, 0, time.UTC)}
	streams := firehose.New(store, buckets, firehose.WithClock(clock.Now))
	s := serveStore(t, Config{AccountID: "123456789012", Region: "us-east-1", S3: buckets, Firehose: streams}, store)
	c := s.firehoseClient("us-east-1")
	hints := func(d *fhtypes.ExtendedS3DestinationConfiguration) {
		d.Prefix = aws.String("p/")
		d.BufferingHints = &fhtypes.BufferingHints{SizeInMBs: aws.Int32(1), IntervalInSeconds: aws.Int32(60)}
	}
	createStream(t, c, "plain", "flush", hints)
	createStream(t, c, "zipped", "flush", func(d *fhtypes.ExtendedS3DestinationConfiguration) {
		hints(d)
		d.CompressionFormat = fhtypes.CompressionFormatGzip
	})
	createStream(t, c, "nobucket", "missing-bucket", hints)
	for _, name := range []string{"plain", "zipped", "nobucket"} {
		if _, err := c.PutRecord(ctx, &fh.PutRecordInput{DeliveryStreamName: aws.String(name), Record: &fhtypes.Record{Data: []byte(`{"a":1}`)}}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.PutRecordBatch(ctx, &fh.PutRecordBatchInput{DeliveryStreamName: aws.String(name), Records: []fhtypes.Record{{Data: []byte(`{"b":2}`)}, {Data: []byte("\n")}}}); err != nil {
			t.Fatal(err)
		}
	}
	list := func() []string {
		keys, err := buckets.ListKeys("flush")
		if err != nil {
			t.Fatal(err)
		}
		return keys
	}
	clock.add(59 * time.Second)
	if err := streams.FlushDue(ctx); err != nil {
		t.Fatal(err)
	}
	if keys := list(); len(keys) != 0 {
		t.Fatalf("flushed before IntervalInSeconds: %v", keys)
	}
	clock.add(time.Second)
	if err := streams.FlushDue(ctx); err != nil {
		t.Fatal(err)
	}
	keys := list()
	if len(keys) != 2 {
		t.Fatalf("objects %v, want 2", keys)
	}
	uuid := `[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}`
	wantKey := map[string]*regexp.Regexp{
		"plain":  regexp.MustCompile(`^p/2026/11/25/13/plain-1-2026-11-25-13-04-05-` + uuid + `$`),
		"zipped": regexp.MustCompile(`^p/2026/11/25/13/zipped-1-2026-11-25-13-04-05-` + uuid + `\.gz$`),
	}
	for _, k := range keys {
		body, err := buckets.GetObject("flush", k)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case wantKey["plain"].MatchString(k):
		case wantKey["zipped"].MatchString(k):
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			if body, err = io.ReadAll(zr); err != nil {
				t.Fatal(err)
			}
		default:
			t.Errorf("key %s", k)
			continue
		}
		if string(body) != "{\"a\":1}{\"b\":2}\n" {
			t.Errorf("%s holds %q", k, body)
		}
	}
	// Delivered records are gone: nothing more is written.
	clock.add(time.Hour)
	if err := streams.FlushDue(ctx); err != nil {
		t.Fatal(err)
	}
	if keys := list(); len(keys) != 2 {
		t.Errorf("objects after a second flush: %v", keys)
	}
	// The missing bucket's stream still holds its records until the
	// bucket exists.
	if err := buckets.CreateBucket("missing-bucket"); err != nil {
		t.Fatal(err)
	}
	if err := streams.FlushDue(ctx); err != nil {
		t.Fatal(err)
	}
	if keys, _ := buckets.ListKeys("missing-bucket"); len(keys) != 1 {
		t.Errorf("objects in the bucket created late: %v", keys)
	}
}

// TestFirehoseFlushBySize: a buffer of SizeInMBs is delivered at once,
// whatever the interval; the flusher goroutine does it within seconds.
func TestFirehoseFlushBySize(t *testing.T) {
	store, err := sqlstore.Open(sqlstore.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	buckets, _ := s3.Open("")
	if err := buckets.CreateBucket("flush"); err != nil {
		t.Fatal(err)
	}
	streams := firehose.New(store, buckets)
	s := serveStore(t, Config{AccountID: "123456789012", Region: "us-east-1", S3: buckets, Firehose: streams}, store)
	streams.Start()
	t.Cleanup(streams.Stop)
	c := s.firehoseClient("us-east-1")
	createStream(t, c, "big", "flush", func(d *fhtypes.ExtendedS3DestinationConfiguration) {
		d.BufferingHints = &fhtypes.BufferingHints{SizeInMBs: aws.Int32(1), IntervalInSeconds: aws.Int32(900)}
	})
	chunk := bytes.Repeat([]byte("y"), 600*1024)
	for range 2 {
		if _, err := c.PutRecord(ctx, &fh.PutRecordInput{DeliveryStreamName: aws.String("big"), Record: &fhtypes.Record{Data: chunk}}); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		keys, _ := buckets.ListKeys("flush")
		if len(keys) == 2 { // 1.2 MiB in objects of at most 1 MiB of records
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("objects %v after 10s", keys)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestREADMEListsTheBuiltFirehoseOperations keeps the README's table of
// the built-in Firehose true (mountFirehose).
func TestREADMEListsTheBuiltFirehoseOperations(t *testing.T) {
	checkREADMETable(t, "## Built-in Firehose", ImplementedFirehose())
}
