package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/cognate/cognate/internal/builtin/cwlogs"
	"github.com/cognate/cognate/internal/builtin/firehose"
	"github.com/cognate/cognate/internal/builtin/s3"
	"github.com/cognate/cognate/internal/logexport"
	"github.com/cognate/cognate/internal/logexport/builtinsink"
	"github.com/cognate/cognate/internal/logexport/cwlsink"
	"github.com/cognate/cognate/internal/logexport/firehosesink"
	"github.com/cognate/cognate/internal/logexport/s3sink"
	"github.com/cognate/cognate/internal/storage"
)

// newExternalLogs returns the sink of an external CloudWatch Logs endpoint
// (--logs-endpoint-url), signed with the credentials of the SDK's default
// chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN,
// AWS_PROFILE and the shared files, …); each record goes to its log group
// ARN's region. The same sink checks the log groups of
// SetLogDeliveryConfiguration (server.Config.LogGroups), so that they are
// checked where the records go.
func newExternalLogs(logsEndpoint string, logger *slog.Logger) (*cwlsink.Sink, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	awsCfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("--logs-endpoint-url: load AWS credentials: %w", err)
	}
	logger.Info("log export to an external CloudWatch Logs endpoint", "endpoint", logsEndpoint)
	return cwlsink.New(cwlsink.Config{Endpoint: logsEndpoint, Credentials: awsCfg.Credentials}), nil
}

// newExporter returns the log exporter of `cognate serve`: CloudWatch Logs
// destinations go to external (newExternalLogs) when it is not nil, else
// to the built-in CloudWatch Logs in store; S3 destinations to the
// built-in S3; Firehose destinations to the built-in Firehose (streams),
// whose flusher writes them on to S3.
func newExporter(external *cwlsink.Sink, store storage.Backend, buckets *s3.Service, externalS3 *s3sink.External, streams *firehose.Service, externalFirehose *firehosesink.External, logger *slog.Logger) *logexport.Exporter {
	var sink logexport.Sink = builtinsink.New(cwlogs.New(store, cwlogs.WithLogger(logger)))
	if external != nil {
		sink = external
	}
	s3Sink := s3sink.New(buckets)
	if externalS3 != nil {
		s3Sink = s3sink.NewWith(externalS3)
	}
	firehoseSink := firehosesink.New(streams)
	if externalFirehose != nil {
		firehoseSink = firehosesink.New(externalFirehose)
	}
	return logexport.New(logexport.Config{
		Outbox: store,
		Sinks: map[string]logexport.Sink{
			storage.DestinationCloudWatchLogs: sink,
			storage.DestinationS3:             s3Sink,
			storage.DestinationFirehose:       firehoseSink,
		},
		Logger: logger,
	})
}

// newExternalS3 returns the S3 endpoint of --s3-endpoint-url (AWS itself,
// MinIO, …): S3 destinations are exported there, and
// SetLogDeliveryConfiguration checks their buckets there, signed with the
// SDK's default credentials for region (the server's --region).
func newExternalS3(endpoint, region string, logger *slog.Logger) (*s3sink.External, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	awsCfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("--s3-endpoint-url: load AWS credentials: %w", err)
	}
	logger.Info("log export to an external S3 endpoint", "endpoint", endpoint)
	return s3sink.NewExternal(s3sink.ExternalConfig{Endpoint: endpoint, Region: region, Credentials: awsCfg.Credentials}), nil
}

// newExternalFirehose returns the Firehose endpoint of
// --firehose-endpoint-url: Firehose destinations are exported there
// (PutRecordBatch) and SetLogDeliveryConfiguration checks their streams
// there, signed with the SDK's default credentials for each stream ARN's
// region.
func newExternalFirehose(endpoint string, logger *slog.Logger) (*firehosesink.External, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	awsCfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("--firehose-endpoint-url: load AWS credentials: %w", err)
	}
	logger.Info("log export to an external Firehose endpoint", "endpoint", endpoint)
	return firehosesink.NewExternal(firehosesink.ExternalConfig{Endpoint: endpoint, Credentials: awsCfg.Credentials}), nil
}
