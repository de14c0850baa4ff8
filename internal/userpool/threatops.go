package userpool

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/cognate/cognate/internal/api"
	awsarn "github.com/cognate/cognate/internal/arn"
	"github.com/cognate/cognate/internal/risk"
	"github.com/cognate/cognate/internal/storage"
)

// The threat-protection operations: risk configurations, the users' event
// history and feedback on it (threat.go has the evaluation).

// errAddOnOff answers threat-protection operations on a pool without it
// [DOC model: "This exception is thrown when user pool add-ons aren't
// enabled"; the text is inferred, AWS's is unknown].
func errAddOnOff() error {
	return api.UserPoolAddOnNotEnabled("Threat protection is not enabled for this user pool.")
}

// allEventFilters is what an absent EventFilter means ("Defaults to all
// events" [DOC]); Cognate stores it filled in, as Terraform's computed
// attribute suggests AWS does [INF].
var allEventFilters = []string{filterSignIn, filterPasswordChange, filterSignUp}

// SetRiskConfiguration stores the threat-protection settings of a pool or,
// with ClientId, of one app client, which then replace the pool's for it.
// With nothing but the IDs it resets them: the pool's to the defaults,
// the client's to the pool's [DOC].
func (s *Service) SetRiskConfiguration(ctx context.Context, in *api.SetRiskConfigurationRequest) (*api.SetRiskConfigurationResponse, error) {
	p, clientID, err := s.riskTarget(ctx, in.UserPoolId, in.ClientId)
	if err != nil {
		return nil, err
	}
	cfg := api.RiskConfigurationType{
		CompromisedCredentialsRiskConfiguration: in.CompromisedCredentialsRiskConfiguration,
		AccountTakeoverRiskConfiguration:        in.AccountTakeoverRiskConfiguration,
		RiskExceptionConfiguration:              in.RiskExceptionConfiguration,
	}
	out := cfg
	out.UserPoolId, out.ClientId = new(p.rec.ID), in.ClientId
	if cfg.CompromisedCredentialsRiskConfiguration == nil && cfg.AccountTakeoverRiskConfiguration == nil && cfg.RiskExceptionConfiguration == nil {
		if err := s.store.DeleteRiskConfiguration(ctx, p.rec.Key(), clientID); err != nil {
			return nil, err
		}
		return &api.SetRiskConfigurationResponse{RiskConfiguration: &out}, nil
	}
	if err := checkRiskConfiguration(&cfg); err != nil {
		return nil, err
	}
	if cc := cfg.CompromisedCredentialsRiskConfiguration; cc != nil && len(cc.EventFilter) == 0 {
		filled := *cc
		filled.EventFilter = allEventFilters
		cfg.CompromisedCredentialsRiskConfiguration = &filled
		out.CompromisedCredentialsRiskConfiguration = &filled
	}
	data, err := json.Marshal(&cfg)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	err = s.store.PutRiskConfiguration(ctx, &storage.RiskConfiguration{AccountID: p.rec.AccountID, Region: p.rec.Region,
		PoolID: p.rec.ID, ClientID: clientID, UpdatedAt: now, Data: data})
	if errors.Is(err, storage.ErrNotFound) { // deleted meanwhile
		if clientID != "" {
			return nil, clientNotFound(clientID)
		}
		return nil, storeError(p.rec.ID, err)
	}
	if err != nil {
		return nil, err
	}
	out.LastModifiedDate = api.NewTime(now)
	return &api.SetRiskConfigurationResponse{RiskConfiguration: &out}, nil
}

// DescribeRiskConfiguration returns the settings that apply to the pool
// or, with ClientId, to the client (its own, else the pool's [INF]).
// Nothing set is the IDs alone [INF].
func (s *Service) DescribeRiskConfiguration(ctx context.Context, in *api.DescribeRiskConfigurationRequest) (*api.DescribeRiskConfigurationResponse, error) {
	p, clientID, err := s.riskTarget(ctx, in.UserPoolId, in.ClientId)
	if err != nil {
		return nil, err
	}
	c, err := s.riskConfig(ctx, p, clientID)
	if err != nil {
		return nil, err
	}
	if c == nil {
		c = &api.RiskConfigurationType{}
	}
	c.UserPoolId, c.ClientId = new(p.rec.ID), in.ClientId
	return &api.DescribeRiskConfigurationResponse{RiskConfiguration: c}, nil
}

// riskTarget loads the pool of a risk-configuration call (Plus tier only
// [DOC model: "your user pool must be on the Plus tier"]) and checks its
// client.
func (s *Service) riskTarget(ctx context.Context, poolID, clientID *string) (*poolView, string, error) {
	key, err := poolKey(ctx, poolID)
	if err != nil {
		return nil, "", err
	}
	p, err := s.loadPool(ctx, key)
	if err != nil {
		return nil, "", err
	}
	if deref(p.cfg.UserPoolTier) != TierPlus {
		return nil, "", errAddOnOff()
	}
	if clientID != nil {
		if _, _, err := s.getClient(ctx, poolID, clientID); err != nil {
			return nil, "", err
		}
	}
	return p, deref(clientID), nil
}

// checkRiskConfiguration checks what the model cannot. Texts inferred.
func checkRiskConfiguration(c *api.RiskConfigurationType) error {
	if e := c.RiskExceptionConfiguration; e != nil {
		for _, list := range [][]string{e.BlockedIPRangeList, e.SkippedIPRangeList} {
			if _, err := risk.ParseRanges(list); err != nil {
				return api.InvalidParameter("Invalid IP range in RiskExceptionConfiguration: %v.", err)
			}
		}
	}
	if a := c.AccountTakeoverRiskConfiguration; a != nil {
		notify := false
		if acts := a.Actions; acts != nil {
			for _, act := range []*api.AccountTakeoverActionType{acts.LowAction, acts.MediumAction, acts.HighAction} {
				notify = notify || (act != nil && deref(act.Notify))
			}
		}
		n := a.NotifyConfiguration
		if notify && n == nil {
			return api.InvalidParameter("NotifyConfiguration is required when an account takeover action has Notify set to true.")
		}
		if n != nil {
			if arn, ok := awsarn.Parse(deref(n.SourceArn)); !ok || arn.Service != "ses" || !strings.HasPrefix(arn.Resource, "identity/") {
				return api.InvalidParameter("NotifyConfiguration.SourceArn must be the ARN of an Amazon SES verified identity.")
			}
		}
	}
	return nil
}

// eventsUser loads the pool and user of an event operation; the pool must
// have threat protection on [OBS ministack PR #1538].
func (s *Service) eventsUser(ctx context.Context, poolID, username *string) (*poolView, *storage.User, *userData, error) {
	p, rec, u, err := s.adminUser(ctx, poolID, username)
	if err != nil {
		return nil, nil, nil, err
	}
	if p.threatMode() == "" {
		return nil, nil, nil, errAddOnOff()
	}
	return p, rec, u, nil
}

// eventTokenTime is the time in a NextToken: "<EventId>#<ISO-8601 UTC
// with milliseconds>" [DOC AdminListUserAuthEvents examples].
const eventTokenTime = "2006-01-02T15:04:05.000Z"

// AdminListUserAuthEvents lists a user's events, newest first, 60 a page
// unless MaxResults says fewer (0 means 60) [DOC].
func (s *Service) AdminListUserAuthEvents(ctx context.Context, in *api.AdminListUserAuthEventsRequest) (*api.AdminListUserAuthEventsResponse, error) {
	_, rec, _, err := s.eventsUser(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	limit := int(deref(in.MaxResults))
	if limit == 0 {
		limit = 60
	}
	var after *storage.AuthEventCursor
	if tok := deref(in.NextToken); tok != "" {
		i := strings.LastIndexByte(tok, '#')
		at, err := time.Parse(eventTokenTime, tok[i+1:])
		if i <= 0 || err != nil {
			return nil, api.InvalidParameter("Invalid NextToken.") // inferred text
		}
		after = &storage.AuthEventCursor{EventID: tok[:i], CreatedAt: at}
	}
	events, err := s.store.ListAuthEvents(ctx, rec.UserKey(), after, limit+1)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, userNotFound()
	}
	if err != nil {
		return nil, err
	}
	out := &api.AdminListUserAuthEventsResponse{AuthEvents: []api.AuthEventType{}}
	for i, e := range events {
		if i == limit {
			last := events[limit-1]
			out.NextToken = new(last.EventID + "#" + last.CreatedAt.UTC().Format(eventTokenTime))
			break
		}
		var d eventData
		if err := json.Unmarshal(e.Data, &d); err != nil {
			return nil, err
		}
		out.AuthEvents = append(out.AuthEvents, d.api(e))
	}
	return out, nil
}

// api is the event as AdminListUserAuthEvents returns it: RiskLevel
// absent for no risk, no EventFeedback without feedback, no Timezone,
// City or Country (Cognate has no geolocation) [OBS threat-facts §2].
func (d eventData) api(e *storage.AuthEvent) api.AuthEventType {
	t := api.AuthEventType{
		EventId: new(e.EventID), EventType: new(d.Type), CreationDate: api.NewTime(e.CreatedAt), EventResponse: new(d.Response),
		EventRisk:        &api.EventRiskType{RiskDecision: new(d.Decision), CompromisedCredentialsDetected: new(d.Compromised)},
		EventContextData: &api.EventContextDataType{},
	}
	if d.Level != "" {
		t.EventRisk.RiskLevel = new(d.Level)
	}
	for _, c := range d.Challenges {
		t.ChallengeResponses = append(t.ChallengeResponses, api.ChallengeResponseType{ChallengeName: new(c.Name), ChallengeResponse: new(c.Response)})
	}
	if d.IP != "" {
		t.EventContextData.IpAddress = new(d.IP)
	}
	if d.Device != "" {
		t.EventContextData.DeviceName = new(d.Device)
	}
	if f := d.Feedback; f != nil {
		t.EventFeedback = &api.EventFeedbackType{FeedbackValue: new(f.Value), Provider: new(f.Provider), FeedbackDate: api.NewTime(time.UnixMilli(f.At))}
	}
	return t
}

// AdminUpdateAuthEventFeedback records an administrator's feedback on an
// event (Provider "Admin", as for the console [DOC; INF for the API]).
func (s *Service) AdminUpdateAuthEventFeedback(ctx context.Context, in *api.AdminUpdateAuthEventFeedbackRequest) (*api.AdminUpdateAuthEventFeedbackResponse, error) {
	p, rec, _, err := s.eventsUser(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	if err := s.feedback(ctx, p, rec, deref(in.EventId), deref(in.FeedbackValue), "Admin", nil); err != nil {
		return nil, err
	}
	return &api.AdminUpdateAuthEventFeedbackResponse{}, nil
}

// UpdateAuthEventFeedback records a user's feedback on an event, with the
// token of the event's notification email [DOC].
func (s *Service) UpdateAuthEventFeedback(ctx context.Context, in *api.UpdateAuthEventFeedbackRequest) (*api.UpdateAuthEventFeedbackResponse, error) {
	p, rec, _, err := s.eventsUser(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	token := deref(in.FeedbackToken)
	if err := s.feedback(ctx, p, rec, deref(in.EventId), deref(in.FeedbackValue), "User", &token); err != nil {
		return nil, err
	}
	return &api.UpdateAuthEventFeedbackResponse{}, nil
}

// feedback stores the feedback on the event, then teaches the user's
// history: valid feedback makes the event's address and device known
// (similar sessions become lower risk [DOC]), invalid feedback makes its
// address distrusted (rated High, risk.Assess). A token, when given, must
// be the event's.
func (s *Service) feedback(ctx context.Context, p *poolView, rec *storage.User, eventID, value, provider string, token *string) error {
	var data eventData
	_, err := s.store.UpdateAuthEvent(ctx, rec.UserKey(), eventID, func(e *storage.AuthEvent) error {
		if err := json.Unmarshal(e.Data, &data); err != nil {
			return err
		}
		if token != nil && subtle.ConstantTimeCompare([]byte(*token), []byte(data.Token)) != 1 {
			return api.NotAuthorized("Invalid feedback token.") // inferred text
		}
		data.Feedback = &eventFeedback{Value: value, Provider: provider, At: s.now().UnixMilli()}
		b, err := json.Marshal(data)
		e.Data = b
		return err
	})
	if errors.Is(err, storage.ErrNotFound) {
		return api.ResourceNotFound("Auth event %s not found.", eventID) // inferred text
	}
	if err != nil {
		return err
	}
	_, _, err = s.updateUser(ctx, p, rec, func(_ *storage.User, u *userData, _ *storage.Deliveries) error {
		ec := eventContext{ip: data.IP, device: data.Device}
		if value == feedbackValid {
			u.remember(ec)
			u.DistrustedIPs = slices.DeleteFunc(u.DistrustedIPs, func(ip string) bool { return ip == data.IP })
		} else {
			u.KnownIPs = slices.DeleteFunc(u.KnownIPs, func(ip string) bool { return ip == data.IP })
			u.DistrustedIPs = risk.Remember(u.DistrustedIPs, data.IP, historyLength)
		}
		return &keepChange{} // history is bookkeeping, not a change of the user
	})
	return err
}

// The two feedback values [DOC model FeedbackValueType].
const (
	feedbackValid   = "Valid"
	feedbackInvalid = "Invalid"
)

// feedbackLinks are the one-click links of an account-takeover email,
// which need a user-pool domain [DOC message templates]: the domain's
// feedback page with the event and its feedback token, answered Valid or
// Invalid. AWS does not publish the links' form; this one is Cognate's
// [INF]: <base>/_domain/<domain>/feedback?user_pool_id=…&username=…&
// event_id=…&feedback_token=…&feedback_value=Valid|Invalid, on the URL the
// sign-in reached the server by. Without a domain both are empty.
func (s *Service) feedbackLinks(ctx context.Context, p *poolView, rec *storage.User, eventID, token string) (valid, invalid string) {
	prefix, custom, err := s.poolDomainNames(ctx, p.rec.Key())
	domain := firstNonEmpty(prefix, custom)
	if err != nil || domain == "" {
		return "", ""
	}
	base, _ := ctx.Value(baseURLKey{}).(string)
	if base == "" {
		base = "http://localhost"
	}
	link := func(value string) string {
		q := url.Values{"user_pool_id": {p.rec.ID}, "username": {rec.Username}, "event_id": {eventID},
			"feedback_token": {token}, "feedback_value": {value}}
		return base + "/_domain/" + url.PathEscape(domain) + "/feedback?" + q.Encode()
	}
	return link(feedbackValid), link(feedbackInvalid)
}

// DomainFeedback records the answer of a one-click feedback link on
// domain d: as UpdateAuthEventFeedback with the email's token, for the
// domain's own pool only.
func (s *Service) DomainFeedback(ctx context.Context, d *storage.Domain, poolID, username, eventID, token, value string) error {
	if poolID != d.PoolID {
		return api.ResourceNotFound("User pool %s does not exist.", poolID)
	}
	if value != feedbackValid && value != feedbackInvalid {
		return api.InvalidParameter("1 validation error detected: Value '%s' at 'feedbackValue' failed to satisfy constraint: Member must satisfy enum value set: [Valid, Invalid]", value)
	}
	caller, _ := api.CallerFrom(ctx)
	caller.AccountID, caller.Region = d.AccountID, d.Region
	ctx = api.WithCaller(ctx, caller)
	_, err := s.UpdateAuthEventFeedback(ctx, &api.UpdateAuthEventFeedbackRequest{UserPoolId: &poolID, Username: &username,
		EventId: &eventID, FeedbackToken: &token, FeedbackValue: &value})
	return err
}
