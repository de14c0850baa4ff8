package s3sink

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/cognate/cognate/internal/builtin/s3"
)

// External is an S3-compatible endpoint (AWS itself, MinIO, moto, …) as
// Buckets and as the bucket checker of SetLogDeliveryConfiguration,
// through aws-sdk-go-v2. Path-style addressing, so that any host name
// works.
type External struct {
	client *awss3.Client
	// CheckTimeout bounds BucketExists (0: 10 s).
	CheckTimeout time.Duration
}

// ExternalConfig configures External.
type ExternalConfig struct {
	Endpoint    string // "" for AWS's regional endpoints
	Region      string // the signing region (the bucket's, on AWS)
	Credentials aws.CredentialsProvider
	HTTPClient  aws.HTTPClient // tests
}

// NewExternal returns the endpoint's Buckets.
func NewExternal(cfg ExternalConfig) *External {
	opts := awss3.Options{Region: cfg.Region, Credentials: cfg.Credentials, UsePathStyle: true, RetryMaxAttempts: 3}
	if cfg.Endpoint != "" {
		opts.BaseEndpoint = aws.String(cfg.Endpoint)
	}
	if cfg.HTTPClient != nil {
		opts.HTTPClient = cfg.HTTPClient
	}
	return &External{client: awss3.New(opts)}
}

// PutObject implements Buckets.
func (e *External) PutObject(ctx context.Context, bucket, key, contentType string, body []byte) error {
	_, err := e.client.PutObject(ctx, &awss3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key),
		Body: bytes.NewReader(body), ContentType: aws.String(contentType), ContentLength: aws.Int64(int64(len(body)))})
	if isNoSuchBucket(err) {
		return fmt.Errorf("%w: %s (%w)", s3.ErrNoSuchBucket, bucket, err)
	}
	if err != nil {
		return fmt.Errorf("put s3://%s/%s: %w", bucket, key, err)
	}
	return nil
}

// BucketExists reports whether the endpoint has the bucket (HeadBucket).
func (e *External) BucketExists(name string) (bool, error) {
	t := e.CheckTimeout
	if t <= 0 {
		t = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), t)
	defer cancel()
	_, err := e.client.HeadBucket(ctx, &awss3.HeadBucketInput{Bucket: aws.String(name)})
	if isNoSuchBucket(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("head bucket %s: %w", name, err)
	}
	return true, nil
}

// isNoSuchBucket recognises S3's answer for a missing bucket: NoSuchBucket
// (PutObject), or a bare 404 (HeadBucket has no body).
func isNoSuchBucket(err error) bool {
	if err == nil {
		return false
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) && (apiErr.ErrorCode() == "NoSuchBucket" || apiErr.ErrorCode() == "NotFound") {
		return true
	}
	var re interface{ HTTPStatusCode() int }
	return errors.As(err, &re) && re.HTTPStatusCode() == http.StatusNotFound
}
