package firehosesink

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsfirehose "github.com/aws/aws-sdk-go-v2/service/firehose"
	"github.com/aws/aws-sdk-go-v2/service/firehose/types"

	"github.com/cognate/cognate/internal/builtin/firehose"
	"github.com/cognate/cognate/internal/storage"
)

// External is an external Firehose endpoint (AWS itself, or any
// compatible server) as Streams and as the stream checker of
// SetLogDeliveryConfiguration, through aws-sdk-go-v2: one client per
// region, the stream ARN's.
type External struct {
	cfg     ExternalConfig
	mu      sync.Mutex
	clients map[string]*awsfirehose.Client
}

// ExternalConfig configures External.
type ExternalConfig struct {
	Endpoint    string // "" for AWS's regional endpoints
	Credentials aws.CredentialsProvider
	HTTPClient  aws.HTTPClient // tests
	// CheckTimeout bounds StreamExists (0: 10 s).
	CheckTimeout time.Duration
}

// NewExternal returns the endpoint's Streams.
func NewExternal(cfg ExternalConfig) *External {
	return &External{cfg: cfg, clients: map[string]*awsfirehose.Client{}}
}

func (e *External) client(region string) *awsfirehose.Client {
	e.mu.Lock()
	defer e.mu.Unlock()
	if c, ok := e.clients[region]; ok {
		return c
	}
	opts := awsfirehose.Options{Region: region, Credentials: e.cfg.Credentials, RetryMaxAttempts: 3}
	if e.cfg.Endpoint != "" {
		opts.BaseEndpoint = aws.String(e.cfg.Endpoint)
	}
	if e.cfg.HTTPClient != nil {
		opts.HTTPClient = e.cfg.HTTPClient
	}
	c := awsfirehose.New(opts)
	e.clients[region] = c
	return c
}

// maxBatch is PutRecordBatch's limit of records per call [DOC].
const maxBatch = 500

// Put implements Streams: PutRecordBatch calls of at most 500 records;
// records the stream refused (FailedPutCount) make the batch fail, to be
// delivered again (at least once). A missing stream wraps
// firehose.ErrStreamNotFound.
func (e *External) Put(ctx context.Context, key storage.FirehoseStreamKey, records [][]byte) error {
	c := e.client(key.Region)
	for len(records) > 0 {
		n := min(len(records), maxBatch)
		in := &awsfirehose.PutRecordBatchInput{DeliveryStreamName: aws.String(key.Name), Records: make([]types.Record, n)}
		for i, r := range records[:n] {
			in.Records[i] = types.Record{Data: r}
		}
		out, err := c.PutRecordBatch(ctx, in)
		var notFound *types.ResourceNotFoundException
		if errors.As(err, &notFound) {
			return fmt.Errorf("%w: %s (%w)", firehose.ErrStreamNotFound, key.Name, err)
		}
		if err != nil {
			return fmt.Errorf("put records into %s: %w", key.Name, err)
		}
		if failed := aws.ToInt32(out.FailedPutCount); failed > 0 {
			return fmt.Errorf("put records into %s: %d of %d refused", key.Name, failed, n)
		}
		records = records[n:]
	}
	return nil
}

// StreamExists implements the stream checker (DescribeDeliveryStream).
func (e *External) StreamExists(ctx context.Context, key storage.FirehoseStreamKey) (bool, error) {
	t := e.cfg.CheckTimeout
	if t <= 0 {
		t = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, t)
	defer cancel()
	_, err := e.client(key.Region).DescribeDeliveryStream(ctx, &awsfirehose.DescribeDeliveryStreamInput{DeliveryStreamName: aws.String(key.Name)})
	var notFound *types.ResourceNotFoundException
	if errors.As(err, &notFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("describe delivery stream %s: %w", key.Name, err)
	}
	return true, nil
}
