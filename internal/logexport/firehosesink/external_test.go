package firehosesink

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsfirehose "github.com/aws/aws-sdk-go-v2/service/firehose"
	fhtypes "github.com/aws/aws-sdk-go-v2/service/firehose/types"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/cognate/cognate/internal/logexport"
	"github.com/cognate/cognate/internal/storage"
	"github.com/cognate/cognate/internal/testutil/motoserver"
)

// The external sink puts records into a stream of an independent
// Firehose API (moto_server, which writes them to its S3), and tells a
// missing stream apart, as the stream checker does.
func TestExternalAgainstMoto(t *testing.T) {
	url := motoserver.Start(t)
	ctx := context.Background()
	ext := NewExternal(ExternalConfig{Endpoint: url, Credentials: motoserver.Credentials})
	key := storage.FirehoseStreamKey{Scope: storage.Scope{AccountID: "123456789012", Region: "us-east-1"}, Name: "moto-stream"}
	if ok, err := ext.StreamExists(ctx, key); err != nil || ok {
		t.Fatalf("StreamExists before: %v %v", ok, err)
	}
	sink := New(ext)
	d := logexport.Destination{AccountID: "123456789012", Region: "us-east-1", Stream: "moto-stream", PoolID: "us-east-1_abc", EventSource: "userAuthEvents"}
	events := []logexport.Event{{Time: time.Now(), Message: `{"a":1}`}, {Time: time.Now(), Message: `{"b":2}`}}
	if err := sink.Deliver(ctx, d, events); !errors.Is(err, logexport.ErrDestinationMissing) {
		t.Fatalf("no stream: %v", err)
	}
	s3c := awss3.New(awss3.Options{Region: "us-east-1", Credentials: motoserver.Credentials, BaseEndpoint: aws.String(url), UsePathStyle: true})
	if _, err := s3c.CreateBucket(ctx, &awss3.CreateBucketInput{Bucket: aws.String("moto-fh")}); err != nil {
		t.Fatal(err)
	}
	fh := awsfirehose.New(awsfirehose.Options{Region: "us-east-1", Credentials: motoserver.Credentials, BaseEndpoint: aws.String(url)})
	if _, err := fh.CreateDeliveryStream(ctx, &awsfirehose.CreateDeliveryStreamInput{DeliveryStreamName: aws.String("moto-stream"),
		ExtendedS3DestinationConfiguration: &fhtypes.ExtendedS3DestinationConfiguration{BucketARN: aws.String("arn:aws:s3:::moto-fh"),
			RoleARN: aws.String("arn:aws:iam::123456789012:role/firehose")}}); err != nil {
		t.Fatal(err)
	}
	if ok, err := ext.StreamExists(ctx, key); err != nil || !ok {
		t.Fatalf("StreamExists after: %v %v", ok, err)
	}
	if err := sink.Deliver(ctx, d, events); err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	objs, err := s3c.ListObjectsV2(ctx, &awss3.ListObjectsV2Input{Bucket: aws.String("moto-fh")})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range objs.Contents {
		out, err := s3c.GetObject(ctx, &awss3.GetObjectInput{Bucket: aws.String("moto-fh"), Key: o.Key})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(out.Body)
		out.Body.Close()
		all.Write(b)
	}
	if !strings.Contains(all.String(), "{\"a\":1}\n{\"b\":2}\n") {
		t.Errorf("moto's bucket holds %q", all.String())
	}
}
