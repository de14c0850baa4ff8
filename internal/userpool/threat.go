package userpool

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/logexport"
	"github.com/cognate/cognate/internal/messaging"
	"github.com/cognate/cognate/internal/risk"
	"github.com/cognate/cognate/internal/storage"
)

// Threat protection (advanced security) on the Plus tier: with
// UserPoolAddOns.AdvancedSecurityMode AUDIT or ENFORCED, sign-ins,
// sign-ups, password changes, forgotten passwords and resent codes are
// recorded as auth events with a risk evaluation [DOC], listed by
// AdminListUserAuthEvents and exported as userAuthEvents records
// (spec/log-delivery.md §5, §7, §8; docs/research/threat-facts.md, cited
// as threat-facts). ENFORCED applies the pool's (or
// the app client's) risk configuration; AUDIT records what it would have
// done and does nothing [DOC].
//
// The evaluation is deterministic (risk.Assess): compromised credentials
// are passwords on the shipped list; the risk level comes from the user's
// known addresses and devices and the server's high-risk ranges.

// Threat-protection modes and event vocabulary (the API's enums).
const (
	modeAudit    = "AUDIT"
	modeEnforced = "ENFORCED"

	eventSignIn         = "SignIn"
	eventSignUp         = "SignUp"
	eventForgotPassword = "ForgotPassword"
	eventPasswordChange = "PasswordChange"
	eventResendCode     = "ResendCode"

	responsePass       = "Pass"
	responseFail       = "Fail"
	responseInProgress = "InProgress"

	decisionNoRisk   = "NoRisk"
	decisionTakeover = "AccountTakeover"
	decisionBlock    = "Block"

	actionBlock           = "BLOCK"
	actionNoAction        = "NO_ACTION"
	actionMFAIfConfigured = "MFA_IF_CONFIGURED"
	actionMFARequired     = "MFA_REQUIRED"

	filterSignIn         = "SIGN_IN"
	filterSignUp         = "SIGN_UP"
	filterPasswordChange = "PASSWORD_CHANGE"
)

// DefaultHighRiskRanges are the addresses rated High unless the server is
// told otherwise (--high-risk-ip-ranges): TEST-NET-3 (RFC 5737), reserved
// for documentation, so that tests can produce a high-risk sign-in and no
// real client ever is one.
var DefaultHighRiskRanges = []string{"203.0.113.0/24"}

// Refusals [OBS threat-facts §3: texts handled by a production portal].
var (
	errRiskBlocked = func() error { return api.NotAuthorized("Unable to login because of security reasons.") }
	errIPBlocked   = func() error { return api.NotAuthorized("Request not allowed due to security reasons.") }
	errCompromised = func() error { return api.InvalidPassword("Provided password cannot be used for security reasons.") }
)

// historyLength is how many addresses and devices a user's history keeps.
const historyLength = 20

// threatMode is the pool's threat-protection mode, "" when it records
// nothing: user activity exists only on Plus with AUDIT or ENFORCED [DOC].
func (p *poolView) threatMode() string {
	if deref(p.cfg.UserPoolTier) != TierPlus || p.cfg.UserPoolAddOns == nil {
		return ""
	}
	switch m := deref(p.cfg.UserPoolAddOns.AdvancedSecurityMode); m {
	case modeAudit, modeEnforced:
		return m
	}
	return ""
}

// eventContext is where an event came from.
type eventContext struct {
	ip, device     string
	hasContextData bool
}

// clientContext reads UserContextData of a public operation: its address
// counts only for a client with a secret that propagates context data;
// otherwise the request's address does [DOC threat-facts §5].
func clientContext(ctx context.Context, c *api.UserPoolClientType, uc *api.UserContextDataType) (eventContext, error) {
	caller, _ := api.CallerFrom(ctx)
	ec := eventContext{ip: caller.SourceIP, device: risk.DeviceName(caller.UserAgent)}
	if uc == nil {
		return ec, nil
	}
	ec.hasContextData = deref(uc.EncodedData) != ""
	if ip := deref(uc.IpAddress); ip != "" && c != nil && deref(c.ClientSecret) != "" && deref(c.EnablePropagateAdditionalUserContextData) {
		if !risk.ValidIP(ip) {
			return ec, api.InvalidParameter("UserContextData.IpAddress is not a valid IP address.") // inferred text [DOC: must be valid]
		}
		ec.ip = ip
	}
	return ec, nil
}

// adminContext reads ContextData of an admin operation: the end user's
// address and headers as the server saw them.
func adminContext(ctx context.Context, cd *api.ContextDataType) (eventContext, error) {
	caller, _ := api.CallerFrom(ctx)
	ec := eventContext{ip: caller.SourceIP, device: risk.DeviceName(caller.UserAgent)}
	if cd == nil {
		return ec, nil
	}
	ip := deref(cd.IpAddress)
	if !risk.ValidIP(ip) {
		return ec, api.InvalidParameter("ContextData.IpAddress is not a valid IP address.") // inferred text
	}
	ec.ip, ec.hasContextData = ip, deref(cd.EncodedData) != ""
	for _, h := range cd.HttpHeaders {
		if http.CanonicalHeaderKey(deref(h.HeaderName)) == "User-Agent" {
			ec.device = risk.DeviceName(deref(h.HeaderValue))
		}
	}
	return ec, nil
}

// riskConfig is the configuration that applies to client clientID: the
// client's own, which replaces the pool's [DOC], else the pool's, else nil
// (the defaults).
func (s *Service) riskConfig(ctx context.Context, p *poolView, clientID string) (*api.RiskConfigurationType, error) {
	if clientID != "" {
		if c, err := s.storedRisk(ctx, p, clientID); err != nil || c != nil {
			return c, err
		}
	}
	return s.storedRisk(ctx, p, "")
}

// storedRisk is the stored configuration of the pool (clientID "") or of
// one client, nil if none.
func (s *Service) storedRisk(ctx context.Context, p *poolView, clientID string) (*api.RiskConfigurationType, error) {
	rec, err := s.store.GetRiskConfiguration(ctx, p.rec.Key(), clientID)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var c api.RiskConfigurationType
	if err := json.Unmarshal(rec.Data, &c); err != nil {
		return nil, fmt.Errorf("decode risk configuration of pool %s: %w", p.rec.ID, err)
	}
	c.LastModifiedDate = api.NewTime(rec.UpdatedAt)
	return &c, nil
}

// compromisedAction is what the configuration does with compromised
// credentials in an event of filter: BLOCK or NO_ACTION. Without a
// configuration, or without an event filter, every event is covered
// ("Defaults to all events" [DOC]) and the action is BLOCK, the console's
// default [DOC old guide; for the API, INF].
func compromisedAction(c *api.RiskConfigurationType, filter string) string {
	if c == nil || c.CompromisedCredentialsRiskConfiguration == nil {
		return actionBlock
	}
	cc := c.CompromisedCredentialsRiskConfiguration
	if len(cc.EventFilter) > 0 && !slices.Contains(cc.EventFilter, filter) {
		return actionNoAction
	}
	if cc.Actions == nil {
		return actionNoAction
	}
	return deref(cc.Actions.EventAction)
}

// takeoverAction is the account-takeover action for a risk level; none
// configured is NO_ACTION without notification [INF].
func takeoverAction(c *api.RiskConfigurationType, level string) api.AccountTakeoverActionType {
	none := api.AccountTakeoverActionType{EventAction: new(actionNoAction), Notify: new(false)}
	if c == nil || c.AccountTakeoverRiskConfiguration == nil || c.AccountTakeoverRiskConfiguration.Actions == nil {
		return none
	}
	a := c.AccountTakeoverRiskConfiguration.Actions
	var act *api.AccountTakeoverActionType
	switch level {
	case risk.Low:
		act = a.LowAction
	case risk.Medium:
		act = a.MediumAction
	case risk.High:
		act = a.HighAction
	}
	if act == nil {
		return none
	}
	return *act
}

// verdict is the evaluation of one event.
type verdict struct {
	level, decision string
	compromised     bool
	// refuse is the API error the event ends with in ENFORCED mode (nil
	// when it goes on); resetRequired marks the user RESET_REQUIRED
	// (compromised credentials at sign-in [DOC]).
	refuse        error
	resetRequired bool
	// notify is the account-takeover action whose email goes out.
	notify string
	// mfa is the account-takeover action that asks the sign-in for MFA
	// (MFA_IF_CONFIGURED, MFA_REQUIRED) in ENFORCED mode, "" for none.
	mfa string
}

// judgeSignIn evaluates a sign-in whose password was right (passwordOK)
// or wrong. Order: the blocked and skipped address lists
// (RiskExceptionConfiguration), compromised credentials (only a right
// password says anything about the user's credentials), then the
// adaptive risk level and its action.
func (s *Service) judgeSignIn(p *poolView, c *api.RiskConfigurationType, u *userData, ec eventContext, password string, passwordOK bool) verdict {
	enforced := p.threatMode() == modeEnforced
	v := verdict{decision: decisionNoRisk}
	var skip bool
	if c != nil && c.RiskExceptionConfiguration != nil {
		blocked, _ := risk.ParseRanges(c.RiskExceptionConfiguration.BlockedIPRangeList) // checked when set
		if blocked.Contains(ec.ip) {
			// "isn't assigned a risk level … and can't sign in" [DOC].
			v.decision = decisionBlock
			if enforced {
				v.refuse = errIPBlocked()
			}
			return v
		}
		skipped, _ := risk.ParseRanges(c.RiskExceptionConfiguration.SkippedIPRangeList)
		skip = skipped.Contains(ec.ip)
	}
	if passwordOK && risk.Breached(password) {
		v.compromised = true
		if compromisedAction(c, filterSignIn) == actionBlock {
			v.decision = decisionBlock
			if enforced {
				v.resetRequired = true
				v.refuse = api.PasswordResetRequired("Password reset required for the user") // the RESET_REQUIRED answer; inferred for this first refusal
			}
			return v
		}
	}
	if skip {
		return v
	}
	v.level = risk.Assess(risk.SignIn{IP: ec.ip, Device: ec.device, KnownIPs: u.KnownIPs, KnownDevices: u.KnownDevices,
		DistrustedIPs: u.DistrustedIPs, HighRisk: s.highRisk})
	if v.level == risk.NoRisk {
		return v
	}
	v.decision = decisionTakeover
	if !passwordOK {
		return v // a wrong password is refused anyway; nothing to act on
	}
	act := takeoverAction(c, v.level)
	switch a := deref(act.EventAction); a {
	case actionBlock:
		v.decision = decisionBlock
		if enforced {
			v.refuse = errRiskBlocked()
		}
	case actionMFARequired, actionMFAIfConfigured:
		// Both challenge a user who has MFA configured, even one whom the
		// pool's MFA would not challenge; MFA_REQUIRED blocks a user who
		// cannot do MFA [DOC old guide], MFA_IF_CONFIGURED lets that user
		// through [DOC] (mfa.go mfaPlan).
		if _, blocked := p.mfaPlan(u, a); blocked {
			v.decision = decisionBlock
			if enforced {
				v.refuse = errRiskBlocked()
			}
		} else if enforced {
			v.mfa = a
		}
	}
	if enforced && deref(act.Notify) {
		v.notify = deref(act.EventAction)
	}
	return v
}

// judgePassword evaluates a new password (sign-up, password change):
// compromised credentials only [DOC: adaptive authentication covers
// sign-ins].
func judgePassword(p *poolView, c *api.RiskConfigurationType, filter, password string) verdict {
	v := verdict{decision: decisionNoRisk}
	if !risk.Breached(password) {
		return v
	}
	v.compromised = true
	if compromisedAction(c, filter) == actionBlock {
		v.decision = decisionBlock
		if p.threatMode() == modeEnforced {
			v.refuse = errCompromised()
		}
	}
	return v
}

// eventData is an auth event as stored (storage.AuthEvent.Data).
type eventData struct {
	Type        string           `json:"t"`
	Response    string           `json:"r"`
	Decision    string           `json:"d"`
	Level       string           `json:"l,omitempty"`
	Compromised bool             `json:"cc,omitempty"`
	Challenges  []eventChallenge `json:"ch,omitempty"`
	IP          string           `json:"ip,omitempty"`
	Device      string           `json:"dev,omitempty"`
	ContextData bool             `json:"ctx,omitempty"`
	ClientID    string           `json:"c,omitempty"`
	RequestID   string           `json:"rid,omitempty"`
	Token       string           `json:"ft"` // the feedback token of notification emails
	Feedback    *eventFeedback   `json:"fb,omitempty"`
}

type eventChallenge struct {
	Name     string `json:"n"` // Password or Mfa
	Response string `json:"r"` // Success or Failure
}

type eventFeedback struct {
	Value    string `json:"v"` // Valid or Invalid
	Provider string `json:"p"`
	At       int64  `json:"at"` // unix ms
}

// authEvent is an event about to be recorded.
type authEvent struct {
	typ, response string
	v             verdict
	ec            eventContext
	clientID      string
	challenge     *eventChallenge
}

// pendingEvent is an event decided but not yet written: its ID and
// feedback token exist before the write, for the tokens' event_id claim
// and the notification email.
type pendingEvent struct {
	id   string
	at   time.Time
	data eventData
}

// newEvent starts event e, or returns nil for a pool without threat
// protection (which records nothing).
func (s *Service) newEvent(ctx context.Context, p *poolView, e authEvent) *pendingEvent {
	if p.threatMode() == "" {
		return nil
	}
	caller, _ := api.CallerFrom(ctx)
	data := eventData{Type: e.typ, Response: e.response, Decision: e.v.decision, Level: e.v.level, Compromised: e.v.compromised,
		IP: e.ec.ip, Device: e.ec.device, ContextData: e.ec.hasContextData, ClientID: e.clientID, RequestID: caller.RequestID,
		Token: newFeedbackToken()}
	if e.challenge != nil {
		data.Challenges = []eventChallenge{*e.challenge}
	}
	return &pendingEvent{id: newSub(), at: s.now().UTC(), data: data}
}

// appendTo appends the event of user rec and its userAuthEvents export
// records to d, to be written with the change it reports. A nil event
// appends nothing.
func (ev *pendingEvent) appendTo(p *poolView, rec *storage.User, d *storage.Deliveries) {
	if ev == nil || rec == nil {
		return
	}
	b, _ := json.Marshal(ev.data) // plain fields always marshal
	d.AuthEvents = append(d.AuthEvents, storage.AuthEvent{AccountID: p.rec.AccountID, Region: p.rec.Region, PoolID: p.rec.ID,
		UserKey: rec.Key, EventID: ev.id, CreatedAt: ev.at, Data: b})
	exportEvent(p, rec, ev.id, ev.at, ev.data, d)
}

// recordEvent writes event e of user rec on its own (an event whose
// operation changes nothing else). Errors are the store's.
func (s *Service) recordEvent(ctx context.Context, p *poolView, rec *storage.User, e authEvent) error {
	ev := s.newEvent(ctx, p, e)
	if ev == nil {
		return nil
	}
	var d storage.Deliveries
	ev.appendTo(p, rec, &d)
	return s.appendOnly(ctx, d)
}

// exportEvent appends the userAuthEvents record of an event, one per
// configured destination.
func exportEvent(p *poolView, rec *storage.User, id string, at time.Time, data eventData, d *storage.Deliveries) {
	var payload []byte
	for _, c := range p.rec.LogConfigurations {
		if c.EventSource != sourceUserAuthEvents {
			continue
		}
		if payload == nil {
			a := logexport.Activity{EventID: id, EventType: data.Type, UserSub: rec.Sub, UserName: rec.Username, UserPoolID: p.rec.ID,
				ClientID: data.ClientID, CreatedAt: at, EventResponse: data.Response, RiskLevel: data.Level,
				RiskDecision: recordDecision(data.Decision), DeviceName: data.Device, IPAddress: data.IP, RequestID: data.RequestID,
				CompromisedCredentialDetected: data.Compromised, HasContextData: data.ContextData}
			for _, ch := range data.Challenges {
				a.Challenges = append(a.Challenges, logexport.Challenge{ChallengeName: ch.Name, ChallengeResponse: ch.Response})
			}
			if f := data.Feedback; f != nil {
				a.FeedbackValue, a.FeedbackProvider, a.FeedbackDate = f.Value, f.Provider, time.UnixMilli(f.At)
			}
			payload = logexport.UserActivity(a)
		}
		d.Exports = append(d.Exports, storage.ExportRecord{
			AccountID: p.rec.AccountID, Region: p.rec.Region, PoolID: p.rec.ID,
			EventSource: sourceUserAuthEvents, DestinationType: c.DestinationType, DestinationARN: c.DestinationARN,
			CreatedAt: at, Payload: payload,
		})
	}
}

// recordDecision is a decision in the exported record's vocabulary:
// "PASS" for no risk [DOC sample]; the others are inferred.
func recordDecision(d string) string {
	switch d {
	case decisionTakeover:
		return "ACCOUNT_TAKEOVER"
	case decisionBlock:
		return "BLOCK"
	}
	return "PASS"
}

func newFeedbackToken() string {
	var b [24]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// remember adds a passed sign-in's address and device to the user's
// history.
func (u *userData) remember(ec eventContext) {
	u.KnownIPs = risk.Remember(u.KnownIPs, ec.ip, historyLength)
	u.KnownDevices = risk.Remember(u.KnownDevices, ec.device, historyLength)
}

// notifyMessage is the account-takeover email of action for event id, from
// the NotifyConfiguration's template for it (BlockEmail for BLOCK,
// MfaEmail for the MFA actions, NoActionEmail otherwise [DOC]), with the
// template placeholders replaced [DOC message templates]. The one-click
// feedback links (valid, invalid) need a domain: without one they are
// empty (feedbackLinks).
func notifyMessage(p *poolView, c *api.RiskConfigurationType, rec *storage.User, u *userData, action, id, token string, ec eventContext, at time.Time, valid, invalid string) (outgoing, bool) {
	to, ok := u.get("email")
	if !ok || to == "" || c == nil || c.AccountTakeoverRiskConfiguration == nil || c.AccountTakeoverRiskConfiguration.NotifyConfiguration == nil {
		return outgoing{}, false
	}
	n := c.AccountTakeoverRiskConfiguration.NotifyConfiguration
	tmpl, subject := n.NoActionEmail, "New sign-in attempt"
	switch action {
	case actionBlock:
		tmpl, subject = n.BlockEmail, "Blocked sign-in attempt"
	case actionMFAIfConfigured, actionMFARequired:
		tmpl = n.MfaEmail
	}
	body := "We noticed a sign-in to your account from {ip-address} ({device-name}) at {login-time}. Event {event-id}."
	if tmpl != nil {
		subject = deref(tmpl.Subject)
		body = firstNonEmpty(deref(tmpl.HtmlBody), deref(tmpl.TextBody), body)
	}
	r := strings.NewReplacer("{ip-address}", ec.ip, "{city}", "", "{country}", "", "{login-time}", at.UTC().Format(time.RFC1123),
		"{device-name}", ec.device, "{event-id}", id, "{feedback-token}", token, "{username}", rec.Username,
		"{one-click-link-valid}", valid, "{one-click-link-invalid}", invalid)
	return outgoing{purpose: "AccountTakeoverNotification", medium: messaging.Email, attr: "email", to: to,
		subject: r.Replace(subject), body: r.Replace(body), username: rec.Username, from: deref(n.From)}, true
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// passwordEvent judges a new password of a public operation (SignUp,
// ConfirmForgotPassword, ChangePassword) and starts its event; a
// compromised password that ENFORCED blocks is the error. nil without
// threat protection.
func (s *Service) passwordEvent(ctx context.Context, p *poolView, client *api.UserPoolClientType, uc *api.UserContextDataType, typ, response, filter, password string) (*pendingEvent, error) {
	if p.threatMode() == "" {
		return nil, nil
	}
	ec, err := clientContext(ctx, client, uc)
	if err != nil {
		return nil, err
	}
	clientID := deref(client.ClientId)
	rc, err := s.riskConfig(ctx, p, clientID)
	if err != nil {
		return nil, err
	}
	v := judgePassword(p, rc, filter, password)
	if v.refuse != nil {
		return nil, v.refuse
	}
	return s.newEvent(ctx, p, authEvent{typ: typ, response: response, v: v, ec: ec, clientID: clientID}), nil
}

// plainEvent starts the event of an operation threat protection records
// without judging (ForgotPassword, ResendConfirmationCode): no risk.
func (s *Service) plainEvent(ctx context.Context, p *poolView, client *api.UserPoolClientType, uc *api.UserContextDataType, typ string) (*pendingEvent, error) {
	if p.threatMode() == "" {
		return nil, nil
	}
	ec, err := clientContext(ctx, client, uc)
	if err != nil {
		return nil, err
	}
	return s.newEvent(ctx, p, authEvent{typ: typ, response: responsePass, v: verdict{decision: decisionNoRisk}, ec: ec,
		clientID: deref(client.ClientId)}), nil
}

// callerIP is the address the request came from.
func callerIP(ctx context.Context) string {
	c, _ := api.CallerFrom(ctx)
	return c.SourceIP
}
