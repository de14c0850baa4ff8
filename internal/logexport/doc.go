// Package logexport turns what user pools log into the records AWS
// documents and delivers them to the configured destinations. It holds the
// record formats, the Sink contract and the stream naming, and the
// Exporter: the loop that reads the durable export outbox
// (storage.OutboxStore, written in the transaction of the change that
// caused each record) and delivers it at least once, in order per
// destination, in batches, with backoff per destination. Sinks live in
// subpackages: builtinsink writes to Cognate's own CloudWatch Logs,
// cwlsink to an external CloudWatch Logs endpoint through aws-sdk-go-v2.
// It imports the standard library and internal/storage.
package logexport
