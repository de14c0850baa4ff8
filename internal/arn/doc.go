// Package arn parses Amazon Resource Names and maps regions to their AWS
// partitions. Both the user-pool domain (pool ARNs, log-delivery
// destinations, tagging) and the built-in CloudWatch Logs (log-group
// identifiers, tagging) need exactly this, so it lives here once.
package arn
