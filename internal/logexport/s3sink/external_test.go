package s3sink

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/cognate/cognate/internal/logexport"
	"github.com/cognate/cognate/internal/testutil/motoserver"
)

// The external sink writes the same objects to an independent S3 API
// (moto_server, started here), and tells a missing bucket apart.
func TestExternalAgainstMoto(t *testing.T) {
	url := motoserver.Start(t)
	ctx := context.Background()
	ext := NewExternal(ExternalConfig{Endpoint: url, Region: "us-east-1", Credentials: motoserver.Credentials})
	if ok, err := ext.BucketExists("moto-logs"); err != nil || ok {
		t.Fatalf("BucketExists before: %v %v", ok, err)
	}
	admin := awss3.New(awss3.Options{Region: "us-east-1", Credentials: motoserver.Credentials, BaseEndpoint: aws.String(url), UsePathStyle: true})
	sink := NewWith(ext)
	d := logexport.Destination{AccountID: "123456789012", Region: "us-east-1", Bucket: "moto-logs", PoolID: "us-east-1_abc", EventSource: "userAuthEvents"}
	events := []logexport.Event{{Time: time.Now(), Message: `{"a":1}`}, {Time: time.Now(), Message: `{"b":2}`}}
	if err := sink.Deliver(ctx, d, events); !errors.Is(err, logexport.ErrDestinationMissing) {
		t.Fatalf("no bucket: %v", err)
	}
	if _, err := admin.CreateBucket(ctx, &awss3.CreateBucketInput{Bucket: aws.String("moto-logs")}); err != nil {
		t.Fatal(err)
	}
	if ok, err := ext.BucketExists("moto-logs"); err != nil || !ok {
		t.Fatalf("BucketExists after: %v %v", ok, err)
	}
	if err := sink.Deliver(ctx, d, events); err != nil {
		t.Fatal(err)
	}
	out, err := admin.GetObject(ctx, &awss3.GetObjectInput{Bucket: aws.String("moto-logs"), Key: aws.String(Key(d, events))})
	if err != nil {
		t.Fatal(err)
	}
	defer out.Body.Close()
	zr, err := gzip.NewReader(out.Body)
	if err != nil {
		t.Fatal(err)
	}
	text, _ := io.ReadAll(zr)
	if !bytes.Equal(text, []byte("{\"a\":1}\n{\"b\":2}\n")) {
		t.Errorf("object holds %q", text)
	}
}
