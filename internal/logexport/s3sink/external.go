package s3sink

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cognate/cognate/internal/awsrest"
	"github.com/cognate/cognate/internal/builtin/s3"
)

// External is an S3-compatible endpoint (AWS itself, MinIO, moto, …) as
// Buckets and as the bucket checker of SetLogDeliveryConfiguration:
// PutObject and HeadBucket, path-style, signed with aws-sdk-go-v2's SigV4
// signer and credentials (internal/awsrest says why not its S3 client).
type External struct {
	c *awsrest.Client
	// CheckTimeout bounds BucketExists (0: 10 s).
	CheckTimeout time.Duration
}

// ExternalConfig configures External.
type ExternalConfig struct {
	Endpoint    string // "" for AWS's: https://s3.<Region>.amazonaws.com
	Region      string // the signing region (the bucket's, on AWS)
	Credentials aws.CredentialsProvider
	HTTPClient  *http.Client // tests
}

// NewExternal returns the endpoint's Buckets.
func NewExternal(cfg ExternalConfig) *External {
	endpoint := cfg.Endpoint
	if endpoint == "" {
		endpoint = "https://s3." + cfg.Region + ".amazonaws.com"
	}
	return &External{c: &awsrest.Client{Endpoint: endpoint, Service: "s3", Region: cfg.Region, Credentials: cfg.Credentials, HTTP: cfg.HTTPClient}}
}

func objectPath(bucket, key string) string {
	return "/" + url.PathEscape(bucket) + "/" + (&url.URL{Path: key}).EscapedPath()
}

// PutObject implements Buckets.
func (e *External) PutObject(ctx context.Context, bucket, key, contentType string, body []byte) error {
	h := http.Header{"Content-Type": {contentType}}
	_, err := e.c.Do(ctx, http.MethodPut, objectPath(bucket, key), h, body)
	if isNoSuchBucket(err) {
		return fmt.Errorf("%w: %s (%w)", s3.ErrNoSuchBucket, bucket, err)
	}
	if err != nil {
		return fmt.Errorf("put s3://%s/%s: %w", bucket, key, err)
	}
	return nil
}

// BucketOwnedBy implements the bucket checker: whether the endpoint has
// the bucket and the configured credentials may use it (HeadBucket). The
// account is the endpoint's business: its credentials decide.
func (e *External) BucketOwnedBy(_, name string) (bool, error) { return e.BucketExists(name) }

// BucketExists reports whether the endpoint has the bucket (HeadBucket).
func (e *External) BucketExists(name string) (bool, error) {
	t := e.CheckTimeout
	if t <= 0 {
		t = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), t)
	defer cancel()
	_, err := e.c.Do(ctx, http.MethodHead, "/"+url.PathEscape(name), nil, nil)
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
	var apiErr *awsrest.Error
	return errors.As(err, &apiErr) && (apiErr.Code == "NoSuchBucket" || apiErr.Status == http.StatusNotFound)
}
