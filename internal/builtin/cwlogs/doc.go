// Package cwlogs is Cognate's built-in CloudWatch Logs (Logs_20140328): log
// groups, streams and events, FilterLogEvents with the filter pattern
// language, retention, account-level resource policies and tags, with the
// rules and error texts of AWS (docs/research/issue4-facts.md §1; texts AWS
// does not publish are marked inferred where they are made). Its operations
// take and return the generated logsapi types and report failures as
// *api.Error values; it knows nothing of HTTP. It also offers an in-process
// Go API (Deliver, GroupExists, and the function EnsureDeliveryPolicy) for the log exporter
// and the user-pool domain. It imports internal/api, its logsapi and
// internal/storage.
//
// Expired events (older than a group's retention) are hidden at read time,
// at once, by every read; their rows are deleted when PutRetentionPolicy
// runs and, a group at a time, by each PutLogEvents or Deliver into that
// group (in the same transaction). AWS itself may keep expired events for
// up to 72 hours.
package cwlogs
