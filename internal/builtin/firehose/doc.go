// Package firehose is Cognate's built-in Amazon Data Firehose
// (Firehose_20150804), served on the same port as the rest: DirectPut
// delivery streams into the built-in S3 (internal/builtin/s3), with the
// operations CreateDeliveryStream, DescribeDeliveryStream,
// ListDeliveryStreams, DeleteDeliveryStream, PutRecord, PutRecordBatch,
// TagDeliveryStream, UntagDeliveryStream and ListTagsForDeliveryStream.
// Its operations take and return the generated firehoseapi types and
// report failures as *api.Error values; it knows nothing of HTTP.
//
// A record is durable when PutRecord or PutRecordBatch answers: it is in
// the store (storage.FirehoseStore). The flusher (Start, Stop), a
// goroutine of the Service, checks the buffered streams every second and
// writes a stream's records to its bucket as one object when they reach
// the stream's SizeInMBs or the oldest is IntervalInSeconds old (AWS's
// buffering hints [DOC]), then deletes them from the store: at least once,
// since a crash between the two writes the object again. The object holds
// the records as sent, concatenated with no delimiter [DOC], GZIP'd if so
// configured, under Firehose's default key
// <Prefix>YYYY/MM/dd/HH/<stream>-<version>-YYYY-MM-dd-HH-mm-ss-<uuid>
// [DOC "Amazon S3 object name format"].
//
// It also offers an in-process Go API (Put, StreamExists) for the log
// exporter's Firehose sink and the user-pool domain. It imports
// internal/api, its firehoseapi, internal/storage and internal/builtin/s3.
package firehose
