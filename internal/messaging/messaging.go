package messaging

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Mediums of a message (DeliveryMediumType).
const (
	Email = "EMAIL"
	SMS   = "SMS"
)

// Message is one email or SMS.
type Message struct {
	Medium  string
	From    string // email sender address
	To      string // email address or E.164 phone number
	Subject string // email only
	Body    string
}

// Outcome is what happened to a message.
type Outcome struct {
	// Accepted reports that the API call succeeds: the message was handed
	// over (to the relay, the outbox or, for the simulator, "SES"). A
	// message can be accepted and still fail later (a bounce): then
	// Failure is set too.
	Accepted bool
	// Relayed reports that an SMTP relay took the message; otherwise it is
	// kept in the outbox for users and tests to read.
	Relayed bool
	// Failure describes a delivery failure in the words of the
	// userNotification record's message.details; empty when delivered.
	Failure string
}

// SyncError is a failure the API reports (CodeDeliveryFailureException):
// the relay refused the message or could not be reached.
type SyncError struct {
	// Details is the userNotification record's text.
	Details string
	Err     error
}

func (e *SyncError) Error() string { return e.Details }

// Unwrap returns the cause.
func (e *SyncError) Unwrap() error { return e.Err }

// Config configures a Deliverer.
type Config struct {
	// SMTPURL is the relay: smtp://[user:password@]host:port (STARTTLS when
	// offered) or smtps://… (TLS from the start). Empty: every email is
	// kept in the outbox.
	SMTPURL string
	// Timeout bounds one SMTP delivery, connection included (default 10 s):
	// a relay that hangs fails the send instead of the request.
	Timeout time.Duration
	// InsecureSkipVerify accepts any relay certificate (local relays).
	InsecureSkipVerify bool
}

// Deliverer sends messages.
type Deliverer struct {
	cfg   Config
	relay *url.URL
}

// New returns a Deliverer; it fails on a malformed relay URL.
func New(cfg Config) (*Deliverer, error) {
	d := &Deliverer{cfg: cfg}
	if d.cfg.Timeout <= 0 {
		d.cfg.Timeout = 10 * time.Second
	}
	if cfg.SMTPURL != "" {
		u, err := url.Parse(cfg.SMTPURL)
		if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Host == "" {
			return nil, fmt.Errorf("messaging: --smtp-url %q is not smtp://host:port or smtps://host:port", cfg.SMTPURL)
		}
		d.relay = u
	}
	return d, nil
}

// The SES mailbox simulator: every address is accepted when sent; bounce@
// and suppressionlist@ bounce afterwards [DOC SES mailbox simulator]. As
// Cognito has no feedback channel by default, whether it logs the bounce is
// unknown; Cognate logs it as a userNotification error (its documented
// choice, docs/research/issue4-facts.md §7.1).
const simulatorDomain = "@simulator.amazonses.com"

// simulatorBounce returns the failure text of a simulator address that
// bounces, or "" ("+label" variants behave the same [DOC]).
func simulatorBounce(to string) string {
	lower := strings.ToLower(to)
	if !strings.HasSuffix(lower, simulatorDomain) {
		return ""
	}
	local := strings.TrimSuffix(lower, simulatorDomain)
	if i := strings.IndexByte(local, '+'); i >= 0 {
		local = local[:i]
	}
	switch local {
	case "bounce":
		return fmt.Sprintf("Email delivery failed: 550 5.1.1 user unknown (%s)", to)
	case "suppressionlist":
		return fmt.Sprintf("Email delivery failed: the address is on the suppression list (%s)", to)
	}
	return ""
}

// failingPhones are Cognate's reserved SMS test numbers: the North American
// fictional range +1 555 0100–0199 (never assigned). A message to one is
// accepted and then fails, as SNS failures do: asynchronously, visible only
// in the logs [OBS amplify-js#473 and others; docs/research/issue4-facts.md
// §7.2]. The reason texts are SNS's providerResponse strings.
var failingPhones = regexp.MustCompile(`^\+1\d{3}5550(1\d\d)$`)

func smsFailure(to string) string {
	m := failingPhones.FindStringSubmatch(to)
	if m == nil {
		return ""
	}
	switch m[1][1] {
	case '0':
		return "Invalid phone number"
	case '1':
		return "Phone is currently unreachable/unavailable"
	case '2':
		return "Phone carrier has blocked this message"
	case '3':
		return "Phone number is opted out"
	}
	return "Unknown error attempting to reach phone"
}

// Deliver sends m. A *SyncError means the API call must fail with
// CodeDeliveryFailureException; otherwise the outcome tells whether a log
// record is due.
func (d *Deliverer) Deliver(ctx context.Context, m Message) (Outcome, error) {
	switch m.Medium {
	case SMS:
		return Outcome{Accepted: true, Failure: smsFailure(m.To)}, nil
	case Email:
		if bounce := simulatorBounce(m.To); bounce != "" || strings.HasSuffix(strings.ToLower(m.To), simulatorDomain) {
			return Outcome{Accepted: true, Failure: bounce}, nil
		}
		if d.relay == nil {
			return Outcome{Accepted: true}, nil
		}
		if err := d.sendSMTP(ctx, m); err != nil {
			return Outcome{}, &SyncError{Details: fmt.Sprintf("Email delivery failed: %v", err), Err: err}
		}
		return Outcome{Accepted: true, Relayed: true}, nil
	}
	return Outcome{}, fmt.Errorf("messaging: unknown medium %q", m.Medium)
}

// sendSMTP delivers m through the relay within the configured timeout.
func (d *Deliverer) sendSMTP(ctx context.Context, m Message) error {
	ctx, cancel := context.WithTimeout(ctx, d.cfg.Timeout)
	defer cancel()
	deadline, _ := ctx.Deadline()
	host := d.relay.Hostname()
	tlsConfig := &tls.Config{ServerName: host, InsecureSkipVerify: d.cfg.InsecureSkipVerify}
	var dialer net.Dialer
	conn, err := dialer.DialContext(ctx, "tcp", d.relay.Host)
	if err != nil {
		return fmt.Errorf("the relay %s cannot be reached: %w", d.relay.Host, err)
	}
	defer conn.Close()
	if err := conn.SetDeadline(deadline); err != nil {
		return err
	}
	if d.relay.Scheme == "smtps" {
		conn = tls.Client(conn, tlsConfig)
	}
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return describe(err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok && d.relay.Scheme == "smtp" {
		if err := c.StartTLS(tlsConfig); err != nil {
			return describe(err)
		}
	}
	if u := d.relay.User; u != nil {
		password, _ := u.Password()
		if err := c.Auth(smtp.PlainAuth("", u.Username(), password, host)); err != nil {
			return describe(err)
		}
	}
	if err := c.Mail(m.From); err != nil {
		return describe(err)
	}
	if err := c.Rcpt(m.To); err != nil {
		return describe(err)
	}
	w, err := c.Data()
	if err != nil {
		return describe(err)
	}
	if _, err := w.Write(formatEmail(m)); err != nil {
		return describe(err)
	}
	if err := w.Close(); err != nil {
		return describe(err)
	}
	return describe(c.Quit())
}

// describe names a relay error: a timeout, or the relay's own reply.
func describe(err error) error {
	if err == nil {
		return nil
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return fmt.Errorf("the relay did not answer in time: %w", err)
	}
	return err
}

// formatEmail is the message as the relay receives it (RFC 5322, UTF-8).
func formatEmail(m Message) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n", m.From, m.To, mimeHeader(m.Subject))
	// net/smtp's data writer adds the dot-stuffing.
	for _, line := range strings.Split(strings.ReplaceAll(m.Body, "\r\n", "\n"), "\n") {
		b.WriteString(line + "\r\n")
	}
	return []byte(b.String())
}

// mimeHeader encodes a header value that is not plain ASCII (RFC 2047).
func mimeHeader(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 || s[i] < 0x20 {
			return "=?UTF-8?B?" + base64.StdEncoding.EncodeToString([]byte(s)) + "?="
		}
	}
	return s
}
