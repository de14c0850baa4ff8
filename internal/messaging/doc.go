// Package messaging delivers the email and SMS messages of user pools, the
// way Amazon Cognito's delivery behaves as seen from its API and logs:
// email through a configured SMTP relay (or kept in the outbox when none is
// configured), SMS to the outbox, the SES mailbox-simulator addresses and
// Cognate's reserved failing phone numbers behaving as documented, and
// every failure described in the text a userNotification log record
// carries. It decides and sends; the caller stores what was sent and the
// log records in its own transaction. It imports only the standard
// library.
package messaging
