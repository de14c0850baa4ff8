// Package s3 is Cognate's built-in Amazon S3, on the same port as the
// rest (path-style: http://host:port/<bucket>/<key>), so that user-pool
// logs exported to an S3 bucket can be read back with `aws s3`. The S3 REST
// protocol is johannesboyne/gofakes3's; objects are kept in a bbolt file in
// the data directory (or in memory with --in-memory). Buckets form one
// namespace, as on AWS, and each belongs to the account that created it
// (owners.go). Signatures are checked in front of it, by the server
// (internal/server/s3auth.go), which serves each request as its signer's
// account (ServeAs). It imports no other Cognate package.
package s3
