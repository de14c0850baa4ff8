// Package smtptest runs a real SMTP server (go-smtp) for tests of mail
// delivery: the messaging package, the server's relay tests and the
// end-to-end outbox tests use the same relay, which keeps what it
// receives, can refuse one recipient and can hang.
package smtptest
