package userpool

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/cognate/cognate/internal/api"
	awsarn "github.com/cognate/cognate/internal/arn"
	"github.com/cognate/cognate/internal/logexport"
	"github.com/cognate/cognate/internal/messaging"
	"github.com/cognate/cognate/internal/storage"
)

// This file sends the messages of the user operations (codes, invitations)
// and turns what happens to them into the two outboxes: every message is
// kept as a storage.Message, and every failure becomes a userNotification
// record for each of the pool's userNotification log configurations, both
// in the Deliveries of the change's own transaction (spec/log-delivery.md
// §6, §7).

// WithMessaging sets the deliverer of email and SMS (default: a Deliverer
// without a relay, which keeps every message in the outbox).
func WithMessaging(d *messaging.Deliverer) Option { return func(s *Service) { s.mail = d } }

// WithDeliveryHook sets a function called after a write that stored export
// records (the log exporter uses it to wake up).
func WithDeliveryHook(fn func(storage.Deliveries)) Option {
	return func(s *Service) { s.onDeliveries = fn }
}

// WithEmailQuota replaces the COGNITO_DEFAULT daily email quota (tests and
// benchmarks; 0 or less means no quota).
func WithEmailQuota(n int) Option { return func(s *Service) { s.quota = newEmailQuota(n) } }

// WithPasswordHashing sets the argon2id cost of new password hashes
// (default HashFast).
func WithPasswordHashing(p HashParams) Option { return func(s *Service) { s.hash = p } }

// Cognito's own sender and its quota: "Email messages sent daily per AWS
// account | 50 | not adjustable", only with the default email feature [DOC
// quota table, issue4-facts §6]. The sender is no-reply@verificationemail.com
// [DOC].
const (
	defaultEmailQuota = 50
	cognitoSender     = "no-reply@verificationemail.com"
)

// errDailyEmailLimit is AWS's text for the exhausted quota [OBS
// rahulpsd18/cognito-backup-restore#46, Polkadex#418].
const errDailyEmailLimit = "Exceeded daily email limit for the operation or the account. If a higher limit is required, please configure your user pool to use your own Amazon SES configuration for sending email."

// errNoSMSConfiguration is AWS's text when a pool without SmsConfiguration
// has to send an SMS [OBS amplify-js#166, #214]; AWS's exception type for
// it is not quoted, CodeDeliveryFailureException is inferred.
const errNoSMSConfiguration = "Invalid phone number provided/Unable to send the message. User pool does not have SMS configuration to send messages."

// emailQuota counts COGNITO_DEFAULT emails per account and region in
// 24-hour windows. It lives in memory: a restart gives a fresh day, which
// only ever lets more mail through (inferred; AWS's window is not public).
type emailQuota struct {
	mu     sync.Mutex
	max    int
	counts map[storage.Scope]*quotaWindow
}

type quotaWindow struct {
	start time.Time
	sent  int
}

func newEmailQuota(max int) *emailQuota {
	return &emailQuota{max: max, counts: map[storage.Scope]*quotaWindow{}}
}

// take uses one email of the scope's quota, reporting false when none is
// left.
func (q *emailQuota) take(sc storage.Scope, now time.Time) bool {
	if q.max <= 0 {
		return true
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	w := q.counts[sc]
	if w == nil || now.Sub(w.start) >= 24*time.Hour {
		w = &quotaWindow{start: now}
		q.counts[sc] = w
	}
	if w.sent >= q.max {
		return false
	}
	w.sent++
	return true
}

// outgoing is one message to send for a user.
type outgoing struct {
	purpose  string // storage.Message.Purpose
	medium   string // messaging.Email or messaging.SMS
	attr     string // the attribute it goes to: email or phone_number
	to       string
	subject  string
	body     string
	username string
	from     string // email only; "" is the pool's sender
}

// send delivers m for pool p and appends what happened to d: the message,
// and on failure a userNotification record per configured destination. It
// returns the CodeDeliveryDetails of the message, and the API error of a
// failure the caller must report (nil when the API call succeeds, even if
// the message later fails, as SNS and SES bounces do [OBS issue4-facts §7]).
func (s *Service) send(ctx context.Context, p *poolView, m outgoing, d *storage.Deliveries) (*api.CodeDeliveryDetailsType, error) {
	now := s.now().UTC()
	msg := storage.Message{
		AccountID: p.rec.AccountID, Region: p.rec.Region, PoolID: p.rec.ID, Username: m.username,
		Medium: m.medium, To: m.to, Body: m.body, Purpose: m.purpose, CreatedAt: now,
	}
	details := &api.CodeDeliveryDetailsType{
		AttributeName: new(m.attr), DeliveryMedium: new(m.medium), Destination: new(messaging.MaskDestination(m.medium, m.to)),
	}
	var apiErr error
	switch m.medium {
	case messaging.SMS:
		if p.cfg.SmsConfiguration == nil {
			msg.Failure = errNoSMSConfiguration
			apiErr = api.CodeDeliveryFailure("%s", errNoSMSConfiguration)
			break
		}
		out, err := s.mail.Deliver(ctx, messaging.Message{Medium: messaging.SMS, To: m.to, Body: m.body})
		if err != nil {
			return nil, err
		}
		msg.Failure = out.Failure
	case messaging.Email:
		msg.From, msg.Subject = p.emailSender(), m.subject
		if m.from != "" {
			msg.From = m.from
		}
		// The SES mailbox simulator "does not count against your sending
		// quotas" [DOC SES mailbox simulator].
		simulated := strings.HasSuffix(strings.ToLower(m.to), "@simulator.amazonses.com")
		if !p.developerEmail() && !simulated && !s.quota.take(p.rec.Key().Scope, now) {
			msg.Failure = errDailyEmailLimit
			apiErr = api.LimitExceeded("%s", errDailyEmailLimit)
			break
		}
		out, err := s.mail.Deliver(ctx, messaging.Message{Medium: messaging.Email, From: msg.From, To: m.to, Subject: m.subject, Body: m.body})
		var syncErr *messaging.SyncError
		switch {
		case errors.As(err, &syncErr):
			// The relay plays SES: its refusal is reported as Cognito
			// reports SES's [OBS classmethod article, issue4-facts §7.1].
			msg.Failure = syncErr.Details
			apiErr = api.CodeDeliveryFailure("Cognito received the following error from Amazon SES when attempting to send email: %s", syncErr.Err.Error())
		case err != nil:
			return nil, err
		default:
			msg.Relayed, msg.Failure = out.Relayed, out.Failure
		}
	}
	d.Messages = append(d.Messages, msg)
	if msg.Failure != "" {
		for _, c := range p.rec.LogConfigurations {
			if c.EventSource != sourceUserNotification {
				continue
			}
			d.Exports = append(d.Exports, storage.ExportRecord{
				AccountID: p.rec.AccountID, Region: p.rec.Region, PoolID: p.rec.ID,
				EventSource: sourceUserNotification, DestinationType: c.DestinationType, DestinationARN: c.DestinationARN,
				CreatedAt: now, Payload: logexport.UserNotification(now, p.rec.ID, msg.Failure),
			})
		}
	}
	if apiErr != nil {
		return nil, apiErr
	}
	return details, nil
}

// stored tells the hook about deliveries a committed write stored.
func (s *Service) stored(d storage.Deliveries) {
	if s.onDeliveries != nil && len(d.Exports) > 0 {
		s.onDeliveries(d)
	}
}

// appendOnly stores deliveries of a call that changes nothing else (a
// failed send whose API call fails), so that the failure is still logged.
func (s *Service) appendOnly(ctx context.Context, d storage.Deliveries) error {
	if d.Empty() {
		return nil
	}
	if err := s.store.AppendDeliveries(ctx, d); err != nil {
		return err
	}
	s.stored(d)
	return nil
}

// developerEmail reports whether the pool sends email through its own SES
// identity (no Cognito quota).
func (p *poolView) developerEmail() bool {
	e := p.cfg.EmailConfiguration
	return e != nil && deref(e.EmailSendingAccount) == "DEVELOPER"
}

// emailSender is the From address: the configured From, else (DEVELOPER)
// the address of the SES identity SourceArn names, else Cognito's own.
func (p *poolView) emailSender() string {
	e := p.cfg.EmailConfiguration
	if e == nil {
		return cognitoSender
	}
	if from := deref(e.From); from != "" {
		return from
	}
	if p.developerEmail() {
		if a, ok := awsarn.Parse(deref(e.SourceArn)); ok {
			if id, ok := strings.CutPrefix(a.Resource, "identity/"); ok && strings.Contains(id, "@") {
				return id
			}
		}
	}
	return cognitoSender
}
