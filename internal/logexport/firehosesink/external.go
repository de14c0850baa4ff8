package firehosesink

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cognate/cognate/internal/awsrest"
	"github.com/cognate/cognate/internal/builtin/firehose"
	"github.com/cognate/cognate/internal/storage"
)

// External is an external Firehose endpoint (AWS itself, or any
// compatible server) as Streams and as the stream checker of
// SetLogDeliveryConfiguration: PutRecordBatch and DescribeDeliveryStream
// (AWS JSON 1.1), signed with aws-sdk-go-v2's SigV4 signer and
// credentials for each stream ARN's region (internal/awsrest says why not
// its Firehose client).
type External struct {
	cfg     ExternalConfig
	mu      sync.Mutex
	clients map[string]*awsrest.Client
}

// ExternalConfig configures External.
type ExternalConfig struct {
	Endpoint    string // "" for AWS's: https://firehose.<region>.amazonaws.com
	Credentials aws.CredentialsProvider
	HTTPClient  *http.Client // tests
	// CheckTimeout bounds StreamExists (0: 10 s).
	CheckTimeout time.Duration
}

// NewExternal returns the endpoint's Streams.
func NewExternal(cfg ExternalConfig) *External {
	return &External{cfg: cfg, clients: map[string]*awsrest.Client{}}
}

func (e *External) client(region string) *awsrest.Client {
	e.mu.Lock()
	defer e.mu.Unlock()
	if c, ok := e.clients[region]; ok {
		return c
	}
	endpoint := e.cfg.Endpoint
	if endpoint == "" {
		endpoint = "https://firehose." + region + ".amazonaws.com"
	}
	c := &awsrest.Client{Endpoint: endpoint, Service: "firehose", Region: region, Credentials: e.cfg.Credentials, HTTP: e.cfg.HTTPClient}
	e.clients[region] = c
	return c
}

// call sends one Firehose_20150804 operation and decodes its answer.
func (e *External) call(ctx context.Context, region, op string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	h := http.Header{"Content-Type": {"application/x-amz-json-1.1"}, "X-Amz-Target": {"Firehose_20150804." + op}}
	resp, err := e.client(region).Do(ctx, http.MethodPost, "/", h, body)
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(resp, out)
}

func isNotFound(err error) bool {
	var apiErr *awsrest.Error
	return errors.As(err, &apiErr) && apiErr.Code == "ResourceNotFoundException"
}

// maxBatch is PutRecordBatch's limit of records per call [DOC].
const maxBatch = 500

// Put implements Streams: PutRecordBatch calls of at most 500 records
// (Data is base64 in the JSON protocol, as []byte marshals); records the
// stream refused (FailedPutCount) make the batch fail, to be delivered
// again (at least once). A missing stream wraps firehose.ErrStreamNotFound.
func (e *External) Put(ctx context.Context, key storage.FirehoseStreamKey, records [][]byte) error {
	type record struct{ Data []byte }
	for len(records) > 0 {
		n := min(len(records), maxBatch)
		in := struct {
			DeliveryStreamName string
			Records            []record
		}{DeliveryStreamName: key.Name, Records: make([]record, n)}
		for i, r := range records[:n] {
			in.Records[i] = record{Data: r}
		}
		var out struct{ FailedPutCount int }
		err := e.call(ctx, key.Region, "PutRecordBatch", in, &out)
		if isNotFound(err) {
			return fmt.Errorf("%w: %s (%w)", firehose.ErrStreamNotFound, key.Name, err)
		}
		if err != nil {
			return fmt.Errorf("put records into %s: %w", key.Name, err)
		}
		if out.FailedPutCount > 0 {
			return fmt.Errorf("put records into %s: %d of %d refused", key.Name, out.FailedPutCount, n)
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
	err := e.call(ctx, key.Region, "DescribeDeliveryStream", map[string]string{"DeliveryStreamName": key.Name}, nil)
	if isNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("describe delivery stream %s: %w", key.Name, err)
	}
	return true, nil
}
