package firehose

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cognate/cognate/internal/api"
	awsarn "github.com/cognate/cognate/internal/arn"
	"github.com/cognate/cognate/internal/builtin/firehose/firehoseapi"
	"github.com/cognate/cognate/internal/builtin/s3"
	"github.com/cognate/cognate/internal/storage"
)

// Service implements the Firehose operations on a FirehoseStore, and the
// flusher that delivers buffered records to the built-in S3.
type Service struct {
	store   storage.FirehoseStore
	buckets *s3.Service
	now     func() time.Time
	log     *slog.Logger
	// maxDelay, when positive, caps how long a record waits in the
	// buffer whatever the stream's IntervalInSeconds
	// (`cognate serve --firehose-flush-interval`).
	maxDelay time.Duration
	tick     time.Duration

	mu     sync.Mutex
	warned map[int64]time.Time // stream ID -> last missing-bucket warning
	stop   chan struct{}
	done   chan struct{}
}

// Option configures a Service.
type Option func(*Service)

// WithClock replaces time.Now (tests).
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option { return func(s *Service) { s.log = l } }

// WithMaxFlushDelay makes the flusher deliver a record at most d after it
// arrived, even when the stream's IntervalInSeconds is longer; 0 honours
// the stream's buffering hints.
func WithMaxFlushDelay(d time.Duration) Option { return func(s *Service) { s.maxDelay = d } }

// New returns a Service on store delivering into buckets.
func New(store storage.FirehoseStore, buckets *s3.Service, opts ...Option) *Service {
	s := &Service{store: store, buckets: buckets, now: time.Now, log: slog.New(slog.DiscardHandler),
		tick: time.Second, warned: map[int64]time.Time{}}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Limits [DOC Amazon Data Firehose quota; PutRecordBatch].
const (
	maxRecordBytes = 1000 * 1024     // a record, before base64 encoding
	maxBatchBytes  = 4 * 1024 * 1024 // a PutRecordBatch request's records
	maxTags        = 50              // tags of a stream [DOC TagDeliveryStream]
	mib            = int64(1024 * 1024)
	defaultSizeMBs = 5   // [DOC BufferingHints]
	defaultSeconds = 300 // [DOC BufferingHints]
	// The DestinationId of a stream's only destination [OBS
	// turbot/steampipe-plugin-aws#769].
	destinationID = "destinationId-000000000001"
)

// errStreamNotFound is AWS's ResourceNotFoundException for a stream
// [OBS turbot/steampipe-plugin-aws#759: "Firehose turbottest64101 under
// account 632902152528 not found."].
func errStreamNotFound(key storage.FirehoseStreamKey) error {
	return firehoseapi.ResourceNotFound("Firehose %s under account %s not found.", key.Name, key.AccountID)
}

// destination is a stream's S3 destination as stored (the store keeps it
// as opaque JSON).
type destination struct {
	Extended          bool   // created with ExtendedS3DestinationConfiguration
	BucketARN         string //
	RoleARN           string
	Prefix            string
	ErrorOutputPrefix string
	SizeInMBs         int32
	IntervalInSeconds int32
	Compression       string // UNCOMPRESSED or GZIP
}

// bucket is the bucket name of BucketARN (arn:aws:s3:::<bucket>).
func (d *destination) bucket() string {
	a, _ := awsarn.Parse(d.BucketARN)
	return a.Resource
}

func decodeDestination(st *storage.FirehoseStream) (*destination, error) {
	var d destination
	if err := json.Unmarshal(st.Destination, &d); err != nil {
		return nil, fmt.Errorf("firehose: destination of %s: %w", st.Name, err)
	}
	return &d, nil
}

// scope returns where the caller's resources live.
func scope(ctx context.Context) (storage.Scope, error) {
	c, ok := api.CallerFrom(ctx)
	if !ok || c.AccountID == "" || c.Region == "" {
		return storage.Scope{}, errors.New("firehose: request has no caller")
	}
	return storage.Scope{AccountID: c.AccountID, Region: c.Region}, nil
}

func streamKey(ctx context.Context, name *string) (storage.FirehoseStreamKey, error) {
	sc, err := scope(ctx)
	if err != nil {
		return storage.FirehoseStreamKey{}, err
	}
	return storage.FirehoseStreamKey{Scope: sc, Name: deref(name)}, nil
}

// ARN is a stream's ARN [DOC]: arn:aws:firehose:<region>:<account>:deliverystream/<name>.
func ARN(key storage.FirehoseStreamKey) string {
	return fmt.Sprintf("arn:aws:firehose:%s:%s:deliverystream/%s", key.Region, key.AccountID, key.Name)
}

// ParseARN returns the stream an ARN names, or false.
func ParseARN(arn string) (storage.FirehoseStreamKey, bool) {
	a, ok := awsarn.Parse(arn)
	name, isStream := strings.CutPrefix(a.Resource, "deliverystream/")
	if !ok || a.Service != "firehose" || !isStream || name == "" || a.Region == "" || a.Account == "" {
		return storage.FirehoseStreamKey{}, false
	}
	return storage.FirehoseStreamKey{Scope: storage.Scope{AccountID: a.Account, Region: a.Region}, Name: name}, true
}

func (s *Service) get(ctx context.Context, key storage.FirehoseStreamKey) (*storage.FirehoseStream, error) {
	st, err := s.store.GetFirehoseStream(ctx, key)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, errStreamNotFound(key)
	}
	if err != nil {
		return nil, fmt.Errorf("firehose: %w", err)
	}
	return st, nil
}

// CreateDeliveryStream creates a DirectPut stream into S3, ACTIVE at once
// (AWS's goes through CREATING first [DOC]).
func (s *Service) CreateDeliveryStream(ctx context.Context, in *firehoseapi.CreateDeliveryStreamInput) (*firehoseapi.CreateDeliveryStreamOutput, error) {
	key, err := streamKey(ctx, in.DeliveryStreamName)
	if err != nil {
		return nil, err
	}
	if t := deref(in.DeliveryStreamType); t != "" && t != "DirectPut" {
		// Inferred text: Cognate's Firehose has no Kinesis, MSK or
		// database sources.
		return nil, firehoseapi.InvalidArgument("DeliveryStreamType %s is not supported by Cognate; only DirectPut is.", t)
	}
	if in.KinesisStreamSourceConfiguration != nil || in.MSKSourceConfiguration != nil || in.DatabaseSourceConfiguration != nil {
		return nil, firehoseapi.InvalidArgument("A source configuration is only valid with its DeliveryStreamType; Cognate supports DirectPut only.") // inferred
	}
	dest, err := destinationOf(in)
	if err != nil {
		return nil, err
	}
	tags, err := mergeTags(nil, in.Tags)
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(dest)
	if err != nil {
		return nil, fmt.Errorf("firehose: %w", err)
	}
	st := &storage.FirehoseStream{AccountID: key.AccountID, Region: key.Region, Name: key.Name,
		CreatedAt: s.now().UTC().Truncate(time.Millisecond), Version: 1, Destination: raw, Tags: tags}
	err = s.store.CreateFirehoseStream(ctx, st)
	if errors.Is(err, storage.ErrAlreadyExists) {
		// Inferred text, in the words of the not-found one.
		return nil, firehoseapi.ResourceInUse("Firehose %s under account %s already exists.", key.Name, key.AccountID)
	}
	if err != nil {
		return nil, fmt.Errorf("firehose: %w", err)
	}
	return &firehoseapi.CreateDeliveryStreamOutput{DeliveryStreamARN: ptr(ARN(key))}, nil
}

// destinationOf checks the request's destination: exactly one S3 one.
// Texts are inferred.
func destinationOf(in *firehoseapi.CreateDeliveryStreamInput) (*destination, error) {
	if in.AmazonOpenSearchServerlessDestinationConfiguration != nil || in.AmazonopensearchserviceDestinationConfiguration != nil ||
		in.ElasticsearchDestinationConfiguration != nil || in.HttpEndpointDestinationConfiguration != nil ||
		in.IcebergDestinationConfiguration != nil || in.RedshiftDestinationConfiguration != nil ||
		in.SnowflakeDestinationConfiguration != nil || in.SplunkDestinationConfiguration != nil {
		return nil, firehoseapi.InvalidArgument("Cognate supports S3 destinations only (ExtendedS3DestinationConfiguration or S3DestinationConfiguration).")
	}
	var d destination
	var hints *firehoseapi.BufferingHints
	var compression *string
	switch x, p := in.ExtendedS3DestinationConfiguration, in.S3DestinationConfiguration; {
	case x != nil && p != nil:
		return nil, firehoseapi.InvalidArgument("Exactly one destination configuration is supported for a Firehose stream.")
	case x != nil:
		if x.ProcessingConfiguration != nil && x.ProcessingConfiguration.Enabled != nil && *x.ProcessingConfiguration.Enabled {
			return nil, firehoseapi.InvalidArgument("Cognate does not support data processing (ProcessingConfiguration).")
		}
		if x.DataFormatConversionConfiguration != nil || x.DynamicPartitioningConfiguration != nil {
			return nil, firehoseapi.InvalidArgument("Cognate does not support format conversion or dynamic partitioning.")
		}
		d = destination{Extended: true, BucketARN: deref(x.BucketARN), RoleARN: deref(x.RoleARN), Prefix: deref(x.Prefix), ErrorOutputPrefix: deref(x.ErrorOutputPrefix)}
		hints, compression = x.BufferingHints, x.CompressionFormat
	case p != nil:
		d = destination{BucketARN: deref(p.BucketARN), RoleARN: deref(p.RoleARN), Prefix: deref(p.Prefix), ErrorOutputPrefix: deref(p.ErrorOutputPrefix)}
		hints, compression = p.BufferingHints, p.CompressionFormat
	default:
		return nil, firehoseapi.InvalidArgument("A destination configuration is required: ExtendedS3DestinationConfiguration or S3DestinationConfiguration.")
	}
	if a, ok := awsarn.Parse(d.BucketARN); !ok || a.Service != "s3" || a.Resource == "" || strings.Contains(a.Resource, "/") {
		return nil, firehoseapi.InvalidArgument("BucketARN %s is not the ARN of an S3 bucket.", d.BucketARN)
	}
	d.SizeInMBs, d.IntervalInSeconds = defaultSizeMBs, defaultSeconds
	if hints != nil {
		// The model bounds both (1..128 MiB, 0..900 s).
		if hints.SizeInMBs != nil {
			d.SizeInMBs = *hints.SizeInMBs
		}
		if hints.IntervalInSeconds != nil {
			d.IntervalInSeconds = *hints.IntervalInSeconds
		}
	}
	d.Compression = "UNCOMPRESSED" // [DOC default]
	if compression != nil {
		d.Compression = *compression
	}
	if d.Compression != "UNCOMPRESSED" && d.Compression != "GZIP" {
		return nil, firehoseapi.InvalidArgument("CompressionFormat %s is not supported by Cognate; use UNCOMPRESSED or GZIP.", d.Compression)
	}
	return &d, nil
}

// DescribeDeliveryStream returns a stream in AWS's shape.
func (s *Service) DescribeDeliveryStream(ctx context.Context, in *firehoseapi.DescribeDeliveryStreamInput) (*firehoseapi.DescribeDeliveryStreamOutput, error) {
	key, err := streamKey(ctx, in.DeliveryStreamName)
	if err != nil {
		return nil, err
	}
	st, err := s.get(ctx, key)
	if err != nil {
		return nil, err
	}
	d, err := decodeDestination(st)
	if err != nil {
		return nil, err
	}
	hints := &firehoseapi.BufferingHints{SizeInMBs: ptr(d.SizeInMBs), IntervalInSeconds: ptr(d.IntervalInSeconds)}
	// The unencrypted, unlogged defaults AWS describes [OBS
	// turbot/steampipe-plugin-aws#769].
	enc := &firehoseapi.EncryptionConfiguration{NoEncryptionConfig: ptr("NoEncryption")}
	logging := &firehoseapi.CloudWatchLoggingOptions{Enabled: ptr(false)}
	plain := &firehoseapi.S3DestinationDescription{BucketARN: ptr(d.BucketARN), RoleARN: ptr(d.RoleARN), BufferingHints: hints,
		CompressionFormat: ptr(d.Compression), EncryptionConfiguration: enc, CloudWatchLoggingOptions: logging,
		Prefix: ptr(d.Prefix), ErrorOutputPrefix: optional(d.ErrorOutputPrefix)}
	dest := firehoseapi.DestinationDescription{DestinationId: ptr(destinationID), S3DestinationDescription: plain}
	if d.Extended {
		// An extended destination is described in both shapes, as the SDKs
		// show AWS doing (inferred).
		dest.ExtendedS3DestinationDescription = &firehoseapi.ExtendedS3DestinationDescription{BucketARN: ptr(d.BucketARN),
			RoleARN: ptr(d.RoleARN), BufferingHints: hints, CompressionFormat: ptr(d.Compression), EncryptionConfiguration: enc,
			CloudWatchLoggingOptions: logging, Prefix: ptr(d.Prefix), ErrorOutputPrefix: optional(d.ErrorOutputPrefix),
			S3BackupMode: ptr("Disabled")}
	}
	created := &api.Time{Time: st.CreatedAt}
	return &firehoseapi.DescribeDeliveryStreamOutput{DeliveryStreamDescription: &firehoseapi.DeliveryStreamDescription{
		DeliveryStreamName:   ptr(st.Name),
		DeliveryStreamARN:    ptr(ARN(key)),
		DeliveryStreamStatus: ptr("ACTIVE"),
		DeliveryStreamType:   ptr("DirectPut"),
		DeliveryStreamEncryptionConfiguration: &firehoseapi.DeliveryStreamEncryptionConfiguration{
			Status: ptr("DISABLED"),
		},
		VersionId:           ptr(fmt.Sprint(st.Version)),
		CreateTimestamp:     created,
		Destinations:        []firehoseapi.DestinationDescription{dest},
		HasMoreDestinations: ptr(false),
	}}, nil
}

// ListDeliveryStreams lists stream names in order, Limit (default 10
// [DOC]) at a time, after ExclusiveStartDeliveryStreamName.
func (s *Service) ListDeliveryStreams(ctx context.Context, in *firehoseapi.ListDeliveryStreamsInput) (*firehoseapi.ListDeliveryStreamsOutput, error) {
	sc, err := scope(ctx)
	if err != nil {
		return nil, err
	}
	out := &firehoseapi.ListDeliveryStreamsOutput{DeliveryStreamNames: []string{}, HasMoreDeliveryStreams: ptr(false)}
	if t := deref(in.DeliveryStreamType); t != "" && t != "DirectPut" {
		return out, nil // every stream of Cognate is DirectPut
	}
	limit := 10
	if in.Limit != nil && *in.Limit > 0 {
		limit = int(*in.Limit)
	}
	streams, err := s.store.ListFirehoseStreams(ctx, sc, deref(in.ExclusiveStartDeliveryStreamName), limit+1)
	if err != nil {
		return nil, fmt.Errorf("firehose: %w", err)
	}
	if len(streams) > limit {
		streams, out.HasMoreDeliveryStreams = streams[:limit], ptr(true)
	}
	for _, st := range streams {
		out.DeliveryStreamNames = append(out.DeliveryStreamNames, st.Name)
	}
	return out, nil
}

// DeleteDeliveryStream deletes a stream at once, with the records it has
// not delivered (AWS makes no promise to deliver them [DOC]).
func (s *Service) DeleteDeliveryStream(ctx context.Context, in *firehoseapi.DeleteDeliveryStreamInput) (*firehoseapi.DeleteDeliveryStreamOutput, error) {
	key, err := streamKey(ctx, in.DeliveryStreamName)
	if err != nil {
		return nil, err
	}
	err = s.store.DeleteFirehoseStream(ctx, key)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, errStreamNotFound(key)
	}
	if err != nil {
		return nil, fmt.Errorf("firehose: %w", err)
	}
	return &firehoseapi.DeleteDeliveryStreamOutput{}, nil
}

// PutRecord buffers one record; it is durable when this answers.
func (s *Service) PutRecord(ctx context.Context, in *firehoseapi.PutRecordInput) (*firehoseapi.PutRecordOutput, error) {
	key, err := streamKey(ctx, in.DeliveryStreamName)
	if err != nil {
		return nil, err
	}
	var data []byte
	if in.Record != nil {
		data = in.Record.Data
	}
	ids, err := s.put(ctx, key, [][]byte{data})
	if err != nil {
		return nil, err
	}
	return &firehoseapi.PutRecordOutput{RecordId: ptr(ids[0]), Encrypted: ptr(false)}, nil
}

// PutRecordBatch buffers up to 500 records (the model's bound) of at most
// 4 MiB in all [DOC]; every record is stored or none, so FailedPutCount is
// always 0.
func (s *Service) PutRecordBatch(ctx context.Context, in *firehoseapi.PutRecordBatchInput) (*firehoseapi.PutRecordBatchOutput, error) {
	key, err := streamKey(ctx, in.DeliveryStreamName)
	if err != nil {
		return nil, err
	}
	data := make([][]byte, len(in.Records))
	total := 0
	for i, r := range in.Records {
		data[i] = r.Data
		total += len(r.Data)
	}
	if total > maxBatchBytes {
		// Inferred text.
		return nil, firehoseapi.InvalidArgument("Records size exceeds 4 MB limit.")
	}
	ids, err := s.put(ctx, key, data)
	if err != nil {
		return nil, err
	}
	out := &firehoseapi.PutRecordBatchOutput{FailedPutCount: ptr(int32(0)), Encrypted: ptr(false)}
	for _, id := range ids {
		out.RequestResponses = append(out.RequestResponses, firehoseapi.PutRecordBatchResponseEntry{RecordId: ptr(id)})
	}
	return out, nil
}

func (s *Service) put(ctx context.Context, key storage.FirehoseStreamKey, data [][]byte) ([]string, error) {
	now := s.now().UTC()
	recs := make([]storage.FirehoseRecord, len(data))
	ids := make([]string, len(data))
	for i, d := range data {
		if len(d) > maxRecordBytes {
			// The model bounds Data too; inferred text.
			return nil, firehoseapi.InvalidArgument("Record size exceeds 1000 KiB limit.")
		}
		ids[i] = recordID()
		recs[i] = storage.FirehoseRecord{RecordID: ids[i], ArrivedAt: now, Data: d}
	}
	err := s.store.PutFirehoseRecords(ctx, key, recs)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, errStreamNotFound(key)
	}
	if err != nil {
		return nil, fmt.Errorf("firehose: %w", err)
	}
	return ids, nil
}

// ErrStreamNotFound is what Put returns for a stream that does not exist.
var ErrStreamNotFound = errors.New("firehose: delivery stream not found")

// Put buffers records in the stream key names, in process (the log
// exporter's sink): durable when it returns nil; ErrStreamNotFound when
// the stream does not exist.
func (s *Service) Put(ctx context.Context, key storage.FirehoseStreamKey, records [][]byte) error {
	_, err := s.put(ctx, key, records)
	if errors.Is(err, firehoseapi.ErrResourceNotFound) {
		return fmt.Errorf("%s: %w", key.Name, ErrStreamNotFound)
	}
	return err
}

// StreamExists says whether a stream exists (userpool.StreamChecker).
func (s *Service) StreamExists(ctx context.Context, key storage.FirehoseStreamKey) (bool, error) {
	_, err := s.store.GetFirehoseStream(ctx, key)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, storage.ErrNotFound):
		return false, nil
	}
	return false, fmt.Errorf("firehose: %w", err)
}

// TagDeliveryStream adds or replaces tags, at most 50 in all [DOC].
func (s *Service) TagDeliveryStream(ctx context.Context, in *firehoseapi.TagDeliveryStreamInput) (*firehoseapi.TagDeliveryStreamOutput, error) {
	key, err := streamKey(ctx, in.DeliveryStreamName)
	if err != nil {
		return nil, err
	}
	_, err = s.store.UpdateFirehoseStreamTags(ctx, key, func(tags map[string]string) (map[string]string, error) {
		return mergeTags(tags, in.Tags)
	})
	if err := storeError(key, err); err != nil {
		return nil, err
	}
	return &firehoseapi.TagDeliveryStreamOutput{}, nil
}

// UntagDeliveryStream removes tags; absent keys are ignored.
func (s *Service) UntagDeliveryStream(ctx context.Context, in *firehoseapi.UntagDeliveryStreamInput) (*firehoseapi.UntagDeliveryStreamOutput, error) {
	key, err := streamKey(ctx, in.DeliveryStreamName)
	if err != nil {
		return nil, err
	}
	_, err = s.store.UpdateFirehoseStreamTags(ctx, key, func(tags map[string]string) (map[string]string, error) {
		for _, k := range in.TagKeys {
			delete(tags, k)
		}
		return tags, nil
	})
	if err := storeError(key, err); err != nil {
		return nil, err
	}
	return &firehoseapi.UntagDeliveryStreamOutput{}, nil
}

// ListTagsForDeliveryStream lists tags in key order, Limit (default 50
// [DOC]) at a time, after ExclusiveStartTagKey.
func (s *Service) ListTagsForDeliveryStream(ctx context.Context, in *firehoseapi.ListTagsForDeliveryStreamInput) (*firehoseapi.ListTagsForDeliveryStreamOutput, error) {
	key, err := streamKey(ctx, in.DeliveryStreamName)
	if err != nil {
		return nil, err
	}
	st, err := s.get(ctx, key)
	if err != nil {
		return nil, err
	}
	limit := maxTags
	if in.Limit != nil && *in.Limit > 0 {
		limit = int(*in.Limit)
	}
	out := &firehoseapi.ListTagsForDeliveryStreamOutput{Tags: []firehoseapi.Tag{}, HasMoreTags: ptr(false)}
	after := deref(in.ExclusiveStartTagKey)
	for _, k := range slices.Sorted(maps.Keys(st.Tags)) {
		if k <= after && after != "" {
			continue
		}
		if len(out.Tags) == limit {
			out.HasMoreTags = ptr(true)
			break
		}
		out.Tags = append(out.Tags, firehoseapi.Tag{Key: ptr(k), Value: ptr(st.Tags[k])})
	}
	return out, nil
}

// mergeTags adds tags to old (which it may change) and checks the count.
func mergeTags(old map[string]string, tags []firehoseapi.Tag) (map[string]string, error) {
	if old == nil {
		old = map[string]string{}
	}
	for _, t := range tags {
		old[deref(t.Key)] = deref(t.Value)
	}
	if len(old) > maxTags {
		// Inferred text.
		return nil, firehoseapi.LimitExceeded("A Firehose stream can have at most %d tags.", maxTags)
	}
	return old, nil
}

func storeError(key storage.FirehoseStreamKey, err error) error {
	var ae *api.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ae):
		return err
	case errors.Is(err, storage.ErrNotFound):
		return errStreamNotFound(key)
	}
	return fmt.Errorf("firehose: %w", err)
}

// recordID is a record's RecordId: AWS's are long opaque strings; Cognate's
// are 32 random bytes in hex (inferred form).
func recordID() string {
	b := make([]byte, 32)
	rand.Read(b) //nolint:errcheck // crypto/rand.Read does not fail
	return hex.EncodeToString(b)
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func ptr[T any](v T) *T { return &v }

// optional is nil for "", so that an unset prefix is absent, not "".
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
