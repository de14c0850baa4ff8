package userpool

import (
	"context"
	"slices"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/messaging"
	"github.com/cognate/cognate/internal/storage"
)

// Choice-based sign-in (AuthFlow USER_AUTH) and email MFA
// (docs/research/userauth-facts.md, cited as userauth-facts).
//
// USER_AUTH takes USERNAME and an optional PREFERRED_CHALLENGE [DOC model
// AuthParameters]. Without one, or with one the user cannot do, the
// answer is SELECT_CHALLENGE with AvailableChallenges, answered with
// ANSWER and the chosen challenge's own parameters (PASSWORD with
// PASSWORD, PASSWORD_SRP with SRP_A, EMAIL_OTP and SMS_OTP with nothing:
// the code is sent) [DOC model ChallengeResponses]. The offered
// challenges come from the pool's SignInPolicy.AllowedFirstAuthFactors
// (PASSWORD gives PASSWORD and PASSWORD_SRP). A one-time code is answered
// with EMAIL_OTP_CODE or SMS_OTP_CODE and issues tokens: the code is the
// sign-in's factor, and no MFA follows it [INF userauth-facts §2].
// Passkeys (WEB_AUTHN) are not implemented and answer
// NotImplementedException.
//
// Email MFA is the EMAIL_OTP challenge after a password, its code sent by
// email with the pool's EmailMfaConfiguration message; the same code path
// serves both (mfa.go startMFA, respondMFA).

const (
	flowUserAuth = "USER_AUTH"

	challengeSelectChallenge = "SELECT_CHALLENGE"
	challengePassword        = "PASSWORD"
	challengePasswordSRP     = "PASSWORD_SRP"
	challengeWebAuthn        = "WEB_AUTHN"

	// purposeEmailMFA is the outbox purpose of a sign-in code by email.
	purposeEmailMFA = "Authentication"

	// defaultEmailMFASubject is the subject of a sign-in code email when
	// the pool sets none (AWS's default is not quoted; inferred).
	defaultEmailMFASubject = "Your authentication code"
)

// Texts (userauth-facts §1). AWS's are not quoted in public sources for
// these refusals; all are inferred.
const (
	errEmailMFANeedsSES = "Email MFA requires the user pool's EmailConfiguration to use EmailSendingAccount DEVELOPER (Amazon SES)." // [INF]
	errEmailMFAMessage  = "EmailMfaConfiguration Message must contain the {####} placeholder."                                       // [INF]
	errEmailNoAddress   = "User does not have delivery config set to turn on EMAIL_OTP"                                              // [INF, the form of errSMSNoPhone]
	errUserAuthFlow     = "USER_AUTH flow not enabled for this client"                                                               // [INF, the form of USER_PASSWORD_AUTH's]
)

// errEmailMFAOff answers EmailMfaSettings Enabled for a pool without email
// MFA [INF].
func errEmailMFAOff() error {
	return api.InvalidParameter("Email MFA is not enabled for the user pool.")
}

func errNoWebAuthn() error {
	return &api.Error{Code: "NotImplementedException", Message: "Cognate does not implement passkey sign-in (WEB_AUTHN) yet."}
}

// emailMFA reports whether the pool has email MFA on.
func (p *poolView) emailMFA() bool {
	m := storedPoolMFA(p.rec.Config)
	return m != nil && m.Email
}

// emailMFAConfigOut is EmailMfaConfiguration as Get/SetUserPoolMfaConfig
// return it, nil while email MFA is off.
func (p *poolView) emailMFAConfigOut() *api.EmailMfaConfigType {
	m := storedPoolMFA(p.rec.Config)
	if m == nil || !m.Email {
		return nil
	}
	out := &api.EmailMfaConfigType{}
	if m.EmailMessage != "" {
		out.Message = new(m.EmailMessage)
	}
	if m.EmailSubject != "" {
		out.Subject = new(m.EmailSubject)
	}
	return out
}

// checkEmailMFAMessage checks EmailMfaConfiguration's own members: the
// message "must contain the {####} placeholder" [DOC model
// EmailMfaConfigType].
func checkEmailMFAMessage(em *api.EmailMfaConfigType) error {
	if em.Message != nil && !containsPlaceholder(*em.Message) {
		return api.InvalidParameter(errEmailMFAMessage)
	}
	return nil
}

func containsPlaceholder(s string) bool {
	for i := 0; i+6 <= len(s); i++ {
		if s[i:i+6] == "{####}" {
			return true
		}
	}
	return false
}

// checkEmailMFAPool checks the pool for email MFA: the Essentials tier or
// higher [DOC model EmailMfaConfigType: "your user pool must be in the
// Essentials tier or higher"], and email sent through the developer's
// Amazon SES identity, not Cognito's default email [DOC email MFA guide,
// OBS hashicorp/terraform-provider-aws#41049]. The texts are inferred.
func checkEmailMFAPool(cfg *api.UserPoolType) error {
	if tier := orDefault(cfg.UserPoolTier, TierEssentials); tier == TierLite {
		return api.FeatureUnavailableInTier("The following features need to be disabled for the %s pricing tier configured: EmailMfa", tier) // the form of checkTier's text [INF]
	}
	if e := cfg.EmailConfiguration; e == nil || deref(e.EmailSendingAccount) != "DEVELOPER" {
		return api.InvalidParameter(errEmailMFANeedsSES)
	}
	return nil
}

// sendSignInCode sends the code of an EMAIL_OTP or SMS_OTP challenge
// through the usual messaging path (outbox; a failure gives a
// userNotification record and CodeDeliveryFailureException), keeps it
// as the user's pending MFA code and fills the challenge parameters
// CODE_DELIVERY_DELIVERY_MEDIUM and CODE_DELIVERY_DESTINATION (masked) [DOC
// choice-based authentication guide; as SMS_MFA's, mfa.go].
func (s *Service) sendSignInCode(ctx context.Context, si signIn, rec *storage.User, u *userData, challenge string, params map[string]string) error {
	code := newCode()
	var m outgoing
	if challenge == challengeSMSOTP {
		phone, _ := u.get("phone_number")
		if phone == "" {
			return api.InvalidParameter(errSMSNoPhone)
		}
		m = outgoing{purpose: purposeMFA, medium: messaging.SMS, attr: "phone_number", to: phone,
			body: render(orDefault(si.p.cfg.SmsAuthenticationMessage, defaultAuthMessage), code, rec.Username), username: rec.Username}
	} else {
		email, _ := u.get("email")
		if email == "" {
			return api.InvalidParameter(errEmailNoAddress)
		}
		msg, subject := defaultAuthMessage, defaultEmailMFASubject
		if pm := storedPoolMFA(si.p.rec.Config); pm != nil {
			msg, subject = orDefault(new(pm.EmailMessage), msg), orDefault(new(pm.EmailSubject), subject)
		}
		m = outgoing{purpose: purposeEmailMFA, medium: messaging.Email, attr: "email", to: email, subject: subject,
			body: render(msg, code, rec.Username), username: rec.Username}
	}
	var d storage.Deliveries
	details, err := s.send(ctx, si.p, m, &d)
	if err != nil {
		_ = s.appendOnly(ctx, d) // the failed message and its userNotification record
		return err
	}
	expires := s.now().Add(srpChallengeTTL(si.client)).UnixMilli()
	if _, _, err := s.updateUser(ctx, si.p, rec, func(_ *storage.User, u *userData, dd *storage.Deliveries) error {
		*dd = d
		u.setCode(codeMFA, &pendingCode{Code: code, Expires: expires, Attr: m.attr})
		return &keepChange{} // sign-in bookkeeping, not a change of the user
	}); err != nil {
		_ = s.appendOnly(ctx, d) // the message was sent
		return err
	}
	params["CODE_DELIVERY_DELIVERY_MEDIUM"] = deref(details.DeliveryMedium)
	params["CODE_DELIVERY_DESTINATION"] = deref(details.Destination)
	return nil
}

// firstFactors are the pool's SignInPolicy.AllowedFirstAuthFactors
// (PASSWORD when it sets none, as CreateUserPool fills it, pools.go).
func (p *poolView) firstFactors() []string {
	if pol := p.cfg.Policies; pol != nil && pol.SignInPolicy != nil && len(pol.SignInPolicy.AllowedFirstAuthFactors) > 0 {
		return pol.SignInPolicy.AllowedFirstAuthFactors
	}
	return []string{challengePassword}
}

// availableChallenges are the USER_AUTH challenges user u can do: the
// pool's first factors, EMAIL_OTP for a user with a verified email and
// SMS_OTP for one with a verified phone number [INF userauth-facts §2].
// WEB_AUTHN is never offered: Cognate registers no passkeys.
func (p *poolView) availableChallenges(u *userData) []string {
	var out []string
	factors := p.firstFactors()
	if slices.Contains(factors, challengePassword) {
		out = append(out, challengePassword, challengePasswordSRP)
	}
	if slices.Contains(factors, challengeEmailOTP) {
		if v, _ := u.get("email"); v != "" && u.verified("email") {
			out = append(out, challengeEmailOTP)
		}
	}
	if slices.Contains(factors, challengeSMSOTP) {
		if v, _ := u.get("phone_number"); v != "" && u.verified("phone_number") {
			out = append(out, challengeSMSOTP)
		}
	}
	return out
}

// userAuthStart answers InitiateAuth and AdminInitiateAuth USER_AUTH.
func (s *Service) userAuthStart(ctx context.Context, si signIn, params map[string]string) (*authResult, error) {
	if !flowAllowed(si.client, flowUserAuth) {
		return nil, api.InvalidParameter(errUserAuthFlow)
	}
	username := params["USERNAME"]
	if username == "" {
		return nil, missing("USERNAME")
	}
	preferred := params["PREFERRED_CHALLENGE"]
	if preferred == challengeWebAuthn {
		return nil, errNoWebAuthn()
	}
	rec, u, _, err := s.signInUser(ctx, si, username)
	if err != nil {
		return nil, err
	}
	avail := si.p.availableChallenges(u)
	if preferred != "" && slices.Contains(avail, preferred) {
		return s.userAuthChoose(ctx, si, rec, u, preferred, params)
	}
	// No preferred challenge, or one the user cannot do: the choice
	// [DOC model AuthParameters; INF for an unavailable one].
	session, err := s.newMFASession(ctx, si.p, si.client, rec, mfaClaims{challenge: challengeSelectChallenge, options: avail, device: si.deviceKey})
	if err != nil {
		return nil, err
	}
	return &authResult{challenge: new(challengeSelectChallenge), params: map[string]string{}, session: new(session), available: avail}, nil
}

// userAuthChoose goes on with the chosen challenge; r holds its
// parameters (AuthParameters, or the SELECT_CHALLENGE answer).
func (s *Service) userAuthChoose(ctx context.Context, si signIn, rec *storage.User, u *userData, choice string, r map[string]string) (*authResult, error) {
	switch choice {
	case challengePassword:
		return s.passwordSignIn(ctx, si, rec.Username, r["PASSWORD"])
	case challengePasswordSRP:
		return s.srpStart(ctx, si, rec.Username, r["SRP_A"])
	case challengeEmailOTP, challengeSMSOTP:
		// The device the sign-in presented must be the user's; the code
		// stands for device authentication too [INF] (devices.go).
		dev, err := signInDevice(si, u)
		if err != nil {
			return nil, err
		}
		si.deviceKey, si.deviceAuth = "", false
		if dev != nil {
			si.deviceKey = dev.Key
		}
		eventID, err := s.otpSignInEvent(ctx, si, rec, u)
		if err != nil {
			return nil, err
		}
		return s.startMFA(ctx, si, rec, u, mfaPlan{challenge: choice, firstFactor: true}, eventID)
	case challengeWebAuthn:
		return nil, errNoWebAuthn()
	}
	return nil, api.InvalidParameter("Invalid ANSWER: %s is not an available challenge.", choice) // inferred text
}

// otpSignInEvent lets threat protection judge a one-time-code sign-in
// (no password: compromised credentials do not apply) and records its
// auth event, InProgress until the code is answered (recordMFAOutcome)
// [INF threat-facts §3]. It returns the event's ID ("" without threat
// protection), or the refusal of a blocked sign-in.
func (s *Service) otpSignInEvent(ctx context.Context, si signIn, rec *storage.User, u *userData) (string, error) {
	if si.p.threatMode() == "" {
		return "", nil
	}
	rc, err := s.riskConfig(ctx, si.p, deref(si.client.ClientId))
	if err != nil {
		return "", err
	}
	v := s.judgeSignIn(si.p, rc, u, si.ec, "", true)
	response := responseInProgress
	if v.refuse != nil {
		response = responseFail
	}
	ev := s.newEvent(ctx, si.p, authEvent{typ: eventSignIn, response: response, v: v, ec: si.ec, clientID: deref(si.client.ClientId)})
	if _, _, err := s.updateUser(ctx, si.p, rec, func(r *storage.User, _ *userData, d *storage.Deliveries) error {
		ev.appendTo(si.p, r, d)
		return &keepChange{}
	}); err != nil {
		return "", err
	}
	if v.refuse != nil {
		return "", v.refuse
	}
	return ev.id, nil
}

// respondSelectChallenge answers SELECT_CHALLENGE: ANSWER names one of the
// offered challenges. PASSWORD and PASSWORD_SRP may also be answered by
// their own name with the SELECT_CHALLENGE session [DOC model
// ChallengeResponses lists both forms].
func (s *Service) respondSelectChallenge(ctx context.Context, si signIn, challenge, session string, r map[string]string) (*authResult, error) {
	if session == "" {
		return nil, missing("Session") // inferred text
	}
	username := r["USERNAME"]
	if username == "" {
		return nil, missing("USERNAME")
	}
	choice := challenge
	if challenge == challengeSelectChallenge {
		if choice = r["ANSWER"]; choice == "" {
			return nil, missing("ANSWER")
		}
	}
	if choice == challengeWebAuthn {
		return nil, errNoWebAuthn()
	}
	ms, err := s.openUserSession(ctx, session, &si, challengeSelectChallenge, username)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(splitOptions(ms.claims.String("opts")), choice) {
		return nil, api.InvalidParameter("Invalid ANSWER: %s is not an available challenge.", choice) // inferred text
	}
	// The DEVICE_KEY of the sign-in, unless the answer names one.
	if si.deviceKey = r["DEVICE_KEY"]; si.deviceKey == "" {
		si.deviceKey = ms.claims.String("dk")
	}
	return s.userAuthChoose(ctx, si, ms.rec, ms.u, choice, r)
}
