package userpool

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/messaging"
	"github.com/cognate/cognate/internal/storage"
	"github.com/cognate/cognate/internal/token"
)

// Multi-factor authentication (docs/research/mfa-facts.md, cited as
// mfa-facts): the pool's MfaConfiguration (OFF, ON, OPTIONAL) and factors
// (SMS, TOTP, email), the users' factors and preference, and the
// challenges of a sign-in after its password: SMS_MFA, EMAIL_OTP (email
// MFA, userauth.go), SOFTWARE_TOKEN_MFA, SELECT_MFA_TYPE and MFA_SETUP [DOC
// InitiateAuth ChallengeName]. Passkeys are not implemented and are
// refused with a clear error.
//
// The pool's factors live in its stored settings under poolMFAKey (api.
// UserPoolType has no member for them); a user's in userData.MFA. TOTP is
// RFC 6238 with HMAC-SHA-1, 6 digits and 30-second steps, the adjacent
// steps accepted [DOC user-pool-settings-mfa-totp; mfa-facts §3].

// MFA modes and challenges.
const (
	mfaOff      = "OFF"
	mfaOn       = "ON"
	mfaOptional = "OPTIONAL"

	challengeSMSMFA    = "SMS_MFA"
	challengeTOTPMFA   = "SOFTWARE_TOKEN_MFA"
	challengeSelectMFA = "SELECT_MFA_TYPE"
	challengeMFASetup  = "MFA_SETUP"
	// challengeEmailOTP is email MFA and the email one-time-password
	// sign-in (userauth.go); challengeSMSOTP the SMS one.
	challengeEmailOTP = "EMAIL_OTP"
	challengeSMSOTP   = "SMS_OTP"

	// codeMFA is the purpose of a pending SMS MFA code (userData.Codes).
	codeMFA = "mfa"
	// purposeMFA is the outbox purpose of an SMS MFA message.
	purposeMFA = "Authentication"

	// poolMFAKey holds the pool's factors in its stored settings.
	poolMFAKey = "CognateMfa"

	// maxMFAFailures is how many wrong codes one challenge session takes;
	// then the session is void (AWS's count is not public [INF]).
	maxMFAFailures = 5
)

// AWS's texts (mfa-facts §2, §4; the source is at each).
const (
	// [OBS amplify-js#3066, #11069: wrong SMS_MFA code]
	errMFACode = "Invalid code or auth state for the user."
	// [OBS aws-samples/aws-amplify-auth-starters#15]
	errTOTPVerify = "Code mismatch and fail enable Software Token MFA"
	// [OBS aws-sdk-js#4186, anomalyco/sst#5177]
	errNoFactor = "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration."
	// [OBS lgallard/terraform-aws-cognito-user-pool#74]
	errOffWithFactor = "Invalid MFA configuration given, can't turn off MFA and configure an MFA together."
	// [OBS aws-cdk#12075, cloudformation-coverage-roadmap#2221]
	errMFANeedsSMS = "SMS configuration and Auto verification for phone_number are required when MFA is required/optional"
	// [OBS amplify-js#7016, SetUserMFAPreference]
	errTOTPNotVerified = "User has not verified software token mfa"
	// [OBS aws-sdk-js-v3#4645, AdminSetUserMFAPreference]
	errAdminTOTPNotVerified = "User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA"
	// The same form for SMS without a phone number [INF from the above;
	// amplify-js#618 (2018) quotes an older "User does not have a
	// phone_number set to turn on SMS MFA"].
	errSMSNoPhone = "User does not have delivery config set to turn on SMS_MFA"
	// [INF, widely quoted for a reused TOTP code]
	errTOTPReused = "Your software token has already been used once."
)

// poolMFA is the pool's factors as SetUserPoolMfaConfig set them.
type poolMFA struct {
	SMS  bool `json:"sms,omitempty"`
	TOTP bool `json:"totp,omitempty"`
	// Email is email MFA (userauth.go), with its message and subject as
	// EmailMfaConfiguration set them ("" AWS's defaults).
	Email        bool   `json:"email,omitempty"`
	EmailMessage string `json:"emsg,omitempty"`
	EmailSubject string `json:"esub,omitempty"`
}

// storedPoolMFA reads the factors from a pool's stored settings; nil when
// SetUserPoolMfaConfig never set them.
func storedPoolMFA(config []byte) *poolMFA {
	var w struct {
		M *poolMFA `json:"CognateMfa"`
	}
	if json.Unmarshal(config, &w) != nil {
		return nil
	}
	return w.M
}

// withPoolMFA returns the stored settings config carrying factors m.
func withPoolMFA(config []byte, m *poolMFA) ([]byte, error) {
	if m == nil {
		return config, nil
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(config, &raw); err != nil {
		return nil, fmt.Errorf("decode pool settings: %w", err)
	}
	b, _ := json.Marshal(m) // booleans and strings always marshal
	raw[poolMFAKey] = b
	out, err := json.Marshal(raw)
	if err != nil {
		return nil, fmt.Errorf("encode pool settings: %w", err)
	}
	return out, nil
}

// keepPoolMFA carries the factors of the settings old into new, for
// UpdateUserPool, which rewrites the settings from api.UserPoolType.
func keepPoolMFA(old, new []byte) ([]byte, error) {
	return withPoolMFA(new, storedPoolMFA(old))
}

// checkPoolMFA refuses MFA ON or OPTIONAL in CreateUserPool and
// UpdateUserPool for a pool that has no factor: no SMS configuration and
// no TOTP or email MFA [OBS errMFANeedsSMS]. config is the stored settings before the
// change (nil for a new pool). Auto-verification of phone_number, which
// the text names too, is not required (lenient, INF).
func checkPoolMFA(cfg *api.UserPoolType, config []byte) error {
	mode := orDefault(cfg.MfaConfiguration, mfaOff)
	if mode == mfaOff || cfg.SmsConfiguration != nil {
		return nil
	}
	if m := storedPoolMFA(config); m != nil && (m.TOTP || m.Email) {
		return nil
	}
	return api.InvalidParameter(errMFANeedsSMS)
}

func (p *poolView) mfaMode() string { return orDefault(p.cfg.MfaConfiguration, mfaOff) }

// mfaFactors are the factors the pool offers. A pool whose factors were
// never set with SetUserPoolMfaConfig offers SMS when its MFA is on or
// optional and it has an SMS configuration, as CreateUserPool's MFA was
// SMS MFA before TOTP existed [INF].
func (p *poolView) mfaFactors() (sms, totp bool) {
	m := storedPoolMFA(p.rec.Config)
	if m == nil {
		return p.mfaMode() != mfaOff && p.cfg.SmsConfiguration != nil, false
	}
	return m.SMS && p.cfg.SmsConfiguration != nil, m.TOTP
}

// GetUserPoolMfaConfig returns the pool's MFA configuration.
func (s *Service) GetUserPoolMfaConfig(ctx context.Context, in *api.GetUserPoolMfaConfigRequest) (*api.GetUserPoolMfaConfigResponse, error) {
	key, err := poolKey(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	p, err := s.loadPool(ctx, key)
	if err != nil {
		return nil, err
	}
	sms, email, totp := p.mfaConfigOut()
	return &api.GetUserPoolMfaConfigResponse{MfaConfiguration: new(p.mfaMode()), SmsMfaConfiguration: sms, SoftwareTokenMfaConfiguration: totp, EmailMfaConfiguration: email}, nil
}

// mfaConfigOut is the pool's MFA configuration as AWS returns it: the SMS
// configuration when SMS MFA is on, the TOTP state always [DOC aws-cli
// get-user-pool-mfa-config example], and the email MFA configuration when
// email MFA is on (userauth.go).
func (p *poolView) mfaConfigOut() (*api.SmsMfaConfigType, *api.EmailMfaConfigType, *api.SoftwareTokenMfaConfigType) {
	smsOn, totpOn := p.mfaFactors()
	var sms *api.SmsMfaConfigType
	if smsOn {
		sms = &api.SmsMfaConfigType{SmsAuthenticationMessage: p.cfg.SmsAuthenticationMessage, SmsConfiguration: p.cfg.SmsConfiguration}
	}
	return sms, p.emailMFAConfigOut(), &api.SoftwareTokenMfaConfigType{Enabled: new(totpOn)}
}

// SetUserPoolMfaConfig sets the pool's MFA mode and factors. The request
// replaces them all: a factor left out is off (mfa-facts §1: a request
// with only MfaConfiguration ON is refused for having no factor).
func (s *Service) SetUserPoolMfaConfig(ctx context.Context, in *api.SetUserPoolMfaConfigRequest) (*api.SetUserPoolMfaConfigResponse, error) {
	key, err := poolKey(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	if in.WebAuthnConfiguration != nil {
		return nil, &api.Error{Code: "NotImplementedException", Message: "Cognate does not implement passkeys (WebAuthnConfiguration) yet."}
	}
	mode := orDefault(in.MfaConfiguration, mfaOff) // absent: OFF [INF]
	factors := poolMFA{SMS: in.SmsMfaConfiguration != nil,
		TOTP: in.SoftwareTokenMfaConfiguration != nil && deref(in.SoftwareTokenMfaConfiguration.Enabled)}
	if em := in.EmailMfaConfiguration; em != nil {
		if err := checkEmailMFAMessage(em); err != nil {
			return nil, err
		}
		factors.Email, factors.EmailMessage, factors.EmailSubject = true, deref(em.Message), deref(em.Subject)
	}
	switch {
	case mode == mfaOff && (factors.SMS || factors.TOTP || factors.Email):
		// The same text for email MFA [OBS go-to-k/cdkd#1923].
		return nil, api.InvalidParameter(errOffWithFactor)
	case mode != mfaOff && !factors.SMS && !factors.TOTP && !factors.Email:
		return nil, api.InvalidParameter(errNoFactor)
	}
	now := s.now().UTC()
	var out *api.SetUserPoolMfaConfigResponse
	_, err = s.store.UpdateUserPool(ctx, key, func(rec *storage.UserPool) error {
		cfg, err := decodeConfig(rec)
		if err != nil {
			return err
		}
		cfg.MfaConfiguration = new(mode)
		if sm := in.SmsMfaConfiguration; sm != nil {
			if sm.SmsConfiguration != nil {
				sms := *sm.SmsConfiguration
				sms.SnsRegion = new(orDefault(sms.SnsRegion, key.Region)) // as CreateUserPool fills it [OBS]
				cfg.SmsConfiguration = &sms
			}
			if cfg.SmsConfiguration == nil {
				// SMS MFA needs a way to send SMS; the text is inferred.
				return api.InvalidParameter("SmsConfiguration is required to enable SMS MFA.")
			}
			if sm.SmsAuthenticationMessage != nil {
				cfg.SmsAuthenticationMessage = sm.SmsAuthenticationMessage
			}
		}
		if factors.Email {
			if err := checkEmailMFAPool(cfg); err != nil {
				return err
			}
		}
		b, err := encodeConfig(cfg)
		if err != nil {
			return err
		}
		if rec.Config, err = withPoolMFA(b, &factors); err != nil {
			return err
		}
		rec.UpdatedAt = now
		p := &poolView{rec: rec, cfg: cfg}
		sms, email, totp := p.mfaConfigOut()
		out = &api.SetUserPoolMfaConfigResponse{MfaConfiguration: new(mode), SmsMfaConfiguration: sms, EmailMfaConfiguration: email, SoftwareTokenMfaConfiguration: totp}
		return nil
	})
	if err != nil {
		return nil, storeError(key.ID, err)
	}
	return out, nil
}

// userMFA is a user's MFA state (userData.MFA).
type userMFA struct {
	// Secret is the verified TOTP secret (base32), Pending one associated
	// and not yet verified, Device the verified one's friendly name.
	Secret  string `json:"s,omitempty"`
	Pending string `json:"p,omitempty"`
	Device  string `json:"d,omitempty"`
	// SMS, TOTP and Email are the enabled factors, Preferred the
	// preferred one.
	SMS       bool   `json:"sm,omitempty"`
	TOTP      bool   `json:"to,omitempty"`
	Email     bool   `json:"em,omitempty"`
	Preferred string `json:"pr,omitempty"`
	// LastStep is the TOTP step last accepted: a code is good once.
	LastStep int64 `json:"ls,omitempty"`
	// Failures counts wrong codes in the challenge session FailSession.
	Failures    int    `json:"f,omitempty"`
	FailSession string `json:"fs,omitempty"`
	// DoneSession is the last challenge session answered: a session
	// issues tokens once.
	DoneSession string `json:"ds,omitempty"`
}

// mfa returns the user's MFA state, made if it has none.
func (u *userData) mfa() *userMFA {
	if u.MFA == nil {
		u.MFA = &userMFA{}
	}
	return u.MFA
}

// mfaSettings are UserMFASettingList and PreferredMfaSetting of
// AdminGetUser and GetUser, nil when empty (AWS leaves them out [OBS]).
func (u *userData) mfaSettings() ([]string, *string) {
	m := u.MFA
	if m == nil {
		return nil, nil
	}
	var list []string
	if m.SMS {
		list = append(list, challengeSMSMFA)
	}
	if m.TOTP {
		list = append(list, challengeTOTPMFA)
	}
	if m.Email {
		list = append(list, challengeEmailOTP)
	}
	var preferred *string
	if m.Preferred != "" {
		preferred = new(m.Preferred)
	}
	return list, preferred
}

// mfaPlan is the MFA step of a sign-in: the challenge ("" none) and the
// factors it offers (SELECT_MFA_TYPE, MFA_SETUP).
type mfaPlan struct {
	challenge string
	options   []string
	// firstFactor is a one-time-password sign-in (userauth.go).
	firstFactor bool
}

// mfaPlan decides the MFA step after a right password. riskAction is the
// account-takeover action of threat protection asking for MFA ("" none):
// it challenges a user who has a factor configured (a verified TOTP, or a
// phone number where the pool offers SMS) even when the user enabled none
// [DOC model AccountTakeoverActionType]. blocked reports MFA_REQUIRED for a
// user who cannot do MFA, whom it blocks [DOC old guide, threat-facts §3].
//
// With MFA ON a user without an enabled factor gets SMS_MFA if the pool
// offers SMS and the user has a phone number (the model: "To set up SMS
// … MFA, collect a phone_number … Then restart the authentication flow"),
// else MFA_SETUP with the pool's factors [DOC]. Several enabled factors
// and none preferred give SELECT_MFA_TYPE [DOC SetUserMFAPreference].
func (p *poolView) mfaPlan(u *userData, riskAction string) (plan mfaPlan, blocked bool) {
	mode := p.mfaMode()
	if mode == mfaOff {
		// A pool without MFA offers no factor: nothing to challenge with
		// (AWS asks pools with adaptive authentication for OPTIONAL [DOC]).
		return mfaPlan{}, riskAction == actionMFARequired
	}
	smsPool, totpPool := p.mfaFactors()
	emailPool := p.emailMFA()
	phone, _ := u.get("phone_number")
	email, _ := u.get("email")
	m := u.MFA
	if m == nil {
		m = &userMFA{}
	}
	var enabled []string
	if smsPool && m.SMS && phone != "" {
		enabled = append(enabled, challengeSMSMFA)
	}
	if totpPool && m.TOTP && m.Secret != "" {
		enabled = append(enabled, challengeTOTPMFA)
	}
	if emailPool && m.Email && email != "" {
		enabled = append(enabled, challengeEmailOTP)
	}
	if len(enabled) == 0 && (mode == mfaOn || riskAction != "") {
		// With email MFA a user's email is the factor, as a phone number
		// is with SMS [INF].
		switch {
		case totpPool && m.Secret != "":
			enabled = []string{challengeTOTPMFA}
		case smsPool && phone != "":
			enabled = []string{challengeSMSMFA}
		case emailPool && email != "":
			enabled = []string{challengeEmailOTP}
		}
	}
	switch {
	case len(enabled) == 0 && mode == mfaOn:
		var opts []string
		if smsPool {
			opts = append(opts, challengeSMSMFA)
		}
		if totpPool {
			opts = append(opts, challengeTOTPMFA)
		}
		return mfaPlan{challenge: challengeMFASetup, options: opts}, false
	case len(enabled) == 0:
		return mfaPlan{}, riskAction == actionMFARequired
	case len(enabled) == 1:
		return mfaPlan{challenge: enabled[0]}, false
	case slices.Contains(enabled, m.Preferred):
		return mfaPlan{challenge: m.Preferred}, false
	}
	return mfaPlan{challenge: challengeSelectMFA, options: enabled}, false
}

// startMFA answers a sign-in with its MFA challenge and a session for it;
// SMS_MFA sends the code first, through the usual messaging path (outbox,
// and a userNotification record and CodeDeliveryFailureException when it
// fails). eventID is the sign-in's auth event ("" without one).
func (s *Service) startMFA(ctx context.Context, si signIn, rec *storage.User, u *userData, plan mfaPlan, eventID string) (*authResult, error) {
	params := map[string]string{}
	switch plan.challenge {
	case challengeSMSMFA:
		phone, _ := u.get("phone_number")
		if phone == "" { // removed since the plan (SELECT_MFA_TYPE)
			return nil, api.InvalidParameter(errSMSNoPhone)
		}
		code := newCode()
		var d storage.Deliveries
		details, err := s.send(ctx, si.p, outgoing{purpose: purposeMFA, medium: messaging.SMS, attr: "phone_number", to: phone,
			body: render(orDefault(si.p.cfg.SmsAuthenticationMessage, defaultAuthMessage), code, rec.Username), username: rec.Username}, &d)
		if err != nil {
			_ = s.appendOnly(ctx, d) // the failed message and its userNotification record
			return nil, err
		}
		expires := s.now().Add(srpChallengeTTL(si.client)).UnixMilli()
		if _, _, err := s.updateUser(ctx, si.p, rec, func(_ *storage.User, u *userData, dd *storage.Deliveries) error {
			*dd = d
			u.setCode(codeMFA, &pendingCode{Code: code, Expires: expires, Attr: "phone_number"})
			return &keepChange{} // sign-in bookkeeping, not a change of the user
		}); err != nil {
			_ = s.appendOnly(ctx, d) // the message was sent
			return nil, err
		}
		// [OBS amazon-cognito-identity-js#236: SMS and "+*******0008"]
		params["CODE_DELIVERY_DELIVERY_MEDIUM"] = deref(details.DeliveryMedium)
		params["CODE_DELIVERY_DESTINATION"] = deref(details.Destination)
	case challengeEmailOTP, challengeSMSOTP:
		// A code by email (email MFA, or a one-time-password sign-in) or
		// by SMS (SMS_OTP sign-in), userauth.go.
		if err := s.sendSignInCode(ctx, si, rec, u, plan.challenge, params); err != nil {
			return nil, err
		}
	case challengeSelectMFA:
		b, _ := json.Marshal(plan.options) // strings always marshal
		params["MFAS_CAN_CHOOSE"] = string(b)
	case challengeMFASetup:
		b, _ := json.Marshal(plan.options)
		params["MFAS_CAN_SETUP"] = string(b) // [OBS amplify-js#6461; DOC]
	}
	session, err := s.newMFASession(ctx, si.p, si.client, rec, mfaClaims{challenge: plan.challenge, event: eventID, options: plan.options,
		device: si.deviceKey, deviceAuth: si.deviceAuth, firstFactor: plan.firstFactor})
	if err != nil {
		return nil, err
	}
	return &authResult{challenge: new(plan.challenge), params: params, session: new(session)}, nil
}

// mfaClaims is what an MFA challenge session carries beyond a session's
// claims: the sign-in's auth event, the factors offered, and, for
// MFA_SETUP, whether VerifySoftwareToken verified a token in it.
type mfaClaims struct {
	challenge string
	event     string
	options   []string
	verified  bool
	// device is the sign-in's device key (devices.go), deviceAuth whether
	// DEVICE_SRP_AUTH follows the MFA answer (a remembered device).
	device     string
	deviceAuth bool
	// firstFactor is a one-time-password sign-in of USER_AUTH
	// (userauth.go): its code is the sign-in's first factor.
	firstFactor bool
}

// newMFASession signs the session of an MFA challenge, valid the client's
// AuthSessionValidity (3 minutes by default) [DOC], like newSession's.
func (s *Service) newMFASession(ctx context.Context, p *poolView, c *api.UserPoolClientType, rec *storage.User, mc mfaClaims) (string, error) {
	k, err := s.signingKey(ctx, p.rec)
	if err != nil {
		return "", err
	}
	now := s.now()
	var nonce [16]byte
	_, _ = rand.Read(nonce[:])
	claims := map[string]any{
		"iss": s.Issuer(ctx, p.rec.ID), "token_use": useSession, "client_id": deref(c.ClientId), "username": rec.Key,
		"challenge": mc.challenge, "iat": now.Unix(), "exp": now.Add(srpChallengeTTL(c)).Unix(), "jti": fmt.Sprintf("%x", nonce),
	}
	if mc.event != "" {
		claims["ev"] = mc.event
	}
	if len(mc.options) > 0 {
		claims["opts"] = strings.Join(mc.options, ",")
	}
	if mc.verified {
		claims["tv"] = "1"
	}
	if mc.device != "" {
		claims["dk"] = mc.device
	}
	if mc.deviceAuth {
		claims["da"] = "1"
	}
	if mc.firstFactor {
		claims["ff"] = "1"
	}
	return token.SignOpaque(k, claims)
}

// mfaSession is an MFA challenge session that checked out, with its pool,
// client and user.
type mfaSession struct {
	claims *token.Parsed
	p      *poolView
	client *api.UserPoolClientType
	rec    *storage.User
	u      *userData
}

// openUserSession is openMFASession for an answer naming its user
// (USERNAME, by name or alias): the session must be that user's.
func (s *Service) openUserSession(ctx context.Context, raw string, si *signIn, challenge, username string) (*mfaSession, error) {
	ms, err := s.openMFASession(ctx, raw, si, challenge)
	if err != nil {
		return nil, err
	}
	named, err := s.findUser(ctx, si.p, username)
	if err != nil {
		return nil, err
	}
	if named == nil || named.Key != ms.rec.Key {
		return nil, api.NotAuthorized("%s", sessionErrors.invalid)
	}
	return ms, nil
}

// openMFASession checks a session of one of the challenges. The session
// names its pool, client and user; nil si means the caller named neither
// (AssociateSoftwareToken, VerifySoftwareToken).
func (s *Service) openMFASession(ctx context.Context, raw string, si *signIn, challenges ...string) (*mfaSession, error) {
	v, err := s.verifyToken(ctx, raw, useSession, sessionErrors)
	if err != nil {
		return nil, err
	}
	invalid := api.NotAuthorized("%s", sessionErrors.invalid)
	if !slices.Contains(challenges, v.p.String("challenge")) {
		return nil, invalid
	}
	ms := &mfaSession{claims: v.p}
	clientID := v.p.String("client_id")
	if si != nil {
		if v.rec.ID != si.p.rec.ID || clientID != deref(si.client.ClientId) {
			return nil, invalid
		}
		ms.p, ms.client = si.p, si.client
	} else {
		if ms.p, err = s.loadPool(ctx, v.rec.Key()); err != nil {
			return nil, err
		}
		if ms.client, err = s.tokenClient(ctx, storage.AppClientKey{PoolKey: v.rec.Key(), ClientID: clientID}); err != nil {
			return nil, err
		}
	}
	rec, err := s.store.GetUser(ctx, ms.p.userKey(v.p.String("username")))
	if errors.Is(err, storage.ErrNotFound) {
		return nil, invalid
	}
	if err != nil {
		return nil, err
	}
	if ms.u, err = decodeUser(rec); err != nil {
		return nil, err
	}
	if ms.u.Disabled {
		return nil, api.NotAuthorized("User is disabled.") // as at sign-in
	}
	ms.rec = rec
	return ms, nil
}

// respondMFA answers SMS_MFA, SOFTWARE_TOKEN_MFA, SELECT_MFA_TYPE and
// MFA_SETUP, and issues tokens when the answer is right. A wrong code is
// CodeMismatchException "Invalid code or auth state for the user." [OBS];
// an expired session "Invalid session for the user, session is expired."
// (verifyToken).
func (s *Service) respondMFA(ctx context.Context, si signIn, challenge, session string, r map[string]string) (*authResult, error) {
	if session == "" {
		return nil, missing("Session") // [OBS amazon-cognito-identity-js#627]
	}
	username := r["USERNAME"]
	if username == "" {
		return nil, missing("USERNAME")
	}
	ms, err := s.openUserSession(ctx, session, &si, challenge, username)
	if err != nil {
		return nil, err
	}
	eventID := ms.claims.String("ev")
	jti := ms.claims.String("jti")
	now := s.now()
	var answer func(u *userData) (bool, error) // reports whether the user changed
	switch challenge {
	case challengeSelectMFA:
		choice := r["ANSWER"]
		if choice == "" {
			return nil, missing("ANSWER")
		}
		if !slices.Contains(splitOptions(ms.claims.String("opts")), choice) {
			return nil, api.InvalidParameter("Invalid ANSWER: %s is not an MFA type offered to the user.", choice) // inferred text
		}
		si.deviceKey, si.deviceAuth = ms.claims.String("dk"), ms.claims.String("da") == "1"
		return s.startMFA(ctx, si, ms.rec, ms.u, mfaPlan{challenge: choice}, eventID)
	case challengeSMSMFA, challengeEmailOTP, challengeSMSOTP:
		name := map[string]string{challengeSMSMFA: "SMS_MFA_CODE", challengeEmailOTP: "EMAIL_OTP_CODE", challengeSMSOTP: "SMS_OTP_CODE"}[challenge]
		code := r[name]
		if code == "" {
			return nil, missing(name)
		}
		answer = func(u *userData) (bool, error) {
			c := u.Codes[codeMFA]
			if c == nil || now.UnixMilli() > c.Expires || subtle.ConstantTimeCompare([]byte(c.Code), []byte(code)) != 1 {
				return false, api.CodeMismatch(errMFACode)
			}
			delete(u.Codes, codeMFA) // a code is good once
			return false, nil
		}
	case challengeTOTPMFA:
		code := r["SOFTWARE_TOKEN_MFA_CODE"]
		if code == "" {
			return nil, missing("SOFTWARE_TOKEN_MFA_CODE")
		}
		answer = func(u *userData) (bool, error) {
			m := u.mfa()
			if m.Secret == "" {
				return false, api.SoftwareTokenMFANotFound("Software Token MFA has not been enabled by the user.") // inferred text
			}
			step, ok := checkTOTP(m.Secret, code, now)
			if !ok {
				return false, api.CodeMismatch(errMFACode)
			}
			if step <= m.LastStep {
				return false, api.ExpiredCode(errTOTPReused)
			}
			m.LastStep = step
			return false, nil
		}
	case challengeMFASetup:
		if ms.claims.String("tv") != "1" {
			// No token was verified in this session [INF].
			return nil, api.NotAuthorized("%s", sessionErrors.invalid)
		}
		answer = func(u *userData) (bool, error) {
			m := u.mfa()
			if m.Secret == "" {
				return false, api.NotAuthorized("%s", sessionErrors.invalid)
			}
			// Setting up TOTP at sign-in enables it, preferred unless
			// another factor is [INF: the next sign-in asks for it].
			m.TOTP = true
			if m.Preferred == "" {
				m.Preferred = challengeTOTPMFA
			}
			return true, nil
		}
	}
	stored, u, err := s.updateUser(ctx, si.p, ms.rec, func(_ *storage.User, u *userData, _ *storage.Deliveries) error {
		m := u.mfa()
		if m.FailSession != jti {
			m.FailSession, m.Failures = jti, 0
		}
		if m.Failures >= maxMFAFailures || m.DoneSession == jti {
			return api.NotAuthorized("%s", sessionErrors.invalid) // the session is void or used [INF]
		}
		changed, err := answer(u)
		if err != nil {
			if errors.Is(err, api.ErrCodeMismatch) || errors.Is(err, api.ErrExpiredCode) {
				m.Failures++
				return &keepChange{err}
			}
			return err
		}
		m.Failures, m.FailSession, m.DoneSession = 0, "", jti
		if !changed {
			return &keepChange{}
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, api.ErrCodeMismatch) || errors.Is(err, api.ErrExpiredCode) {
			if rerr := s.recordMFAOutcome(ctx, si.p, ms.rec, eventID, false); rerr != nil {
				return nil, rerr
			}
		}
		return nil, err
	}
	if err := s.recordMFAOutcome(ctx, si.p, stored, eventID, true); err != nil {
		return nil, err
	}
	// A remembered device's sign-in goes on to device authentication
	// (devices.go).
	if ms.claims.String("da") == "1" {
		return s.startDeviceAuth(ctx, si, stored, ms.claims.String("dk"), eventID)
	}
	return s.finishSignIn(ctx, si, stored, u, eventID, ms.claims.String("dk"))
}

// recordMFAOutcome adds the MFA answer to the sign-in's auth event:
// ChallengeResponses gets {Mfa, Success|Failure} and the event's response
// becomes Pass or Fail [DOC ChallengeResponseType names Password and Mfa;
// threat-facts §3]. The event's userAuthEvents record was exported when
// the challenge was issued (InProgress) and is not exported again [INF].
func (s *Service) recordMFAOutcome(ctx context.Context, p *poolView, rec *storage.User, eventID string, ok bool) error {
	if eventID == "" || p.threatMode() == "" {
		return nil
	}
	_, err := s.store.UpdateAuthEvent(ctx, rec.UserKey(), eventID, func(e *storage.AuthEvent) error {
		var data eventData
		if err := json.Unmarshal(e.Data, &data); err != nil {
			return err
		}
		ch := eventChallenge{Name: "Mfa", Response: "Success"}
		data.Response = responsePass
		if !ok {
			ch.Response, data.Response = "Failure", responseFail
		}
		data.Challenges = append(data.Challenges, ch)
		b, err := json.Marshal(data)
		e.Data = b
		return err
	})
	if errors.Is(err, storage.ErrNotFound) {
		return nil // the user was deleted meanwhile
	}
	return err
}

// secretEncoding is the SecretCode's alphabet: base32 without padding,
// what authenticator apps read [DOC TOTP: base32 secret].
var secretEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newTOTPSecret is a 160-bit random secret, the size RFC 4226 recommends,
// base32 (32 characters; the model wants at least 16 of [A-Za-z0-9]).
func newTOTPSecret() string {
	var b [20]byte
	_, _ = rand.Read(b[:])
	return secretEncoding.EncodeToString(b[:])
}

// totpStep is RFC 6238's time step: 30 seconds from the Unix epoch.
const totpStep = 30

// totpCode is the RFC 6238 code of key at step: HOTP (RFC 4226) with
// HMAC-SHA-1 and dynamic truncation, 6 digits.
func totpCode(key []byte, step int64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(step))
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", v%1000000)
}

// parseTOTPCode accepts exactly six ASCII digits.
func parseTOTPCode(s string) (string, bool) {
	if len(s) != 6 {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return "", false
		}
	}
	return s, true
}

// checkTOTP reports whether code is the code of secret at now's step or
// an adjacent one (clock skew), and which step it matched.
func checkTOTP(secret, code string, now time.Time) (int64, bool) {
	code, ok := parseTOTPCode(code)
	if !ok {
		return 0, false
	}
	key, err := secretEncoding.DecodeString(strings.ToUpper(strings.TrimRight(secret, "=")))
	if err != nil {
		return 0, false
	}
	step := now.Unix() / totpStep
	for _, st := range []int64{step, step - 1, step + 1} {
		if subtle.ConstantTimeCompare([]byte(totpCode(key, st)), []byte(code)) == 1 {
			return st, true
		}
	}
	return 0, false
}

// tokenOrSession is the user of AssociateSoftwareToken and
// VerifySoftwareToken: by access token, or by the session of an MFA_SETUP
// challenge; exactly one of them [DOC "takes an access token or a session
// string, but not both"].
func (s *Service) tokenOrSession(ctx context.Context, accessToken, session *string) (*poolView, *storage.User, *mfaSession, error) {
	at, ss := deref(accessToken), deref(session)
	switch {
	case at != "" && ss != "":
		return nil, nil, nil, api.InvalidParameter("Only one of AccessToken or Session can be provided.") // inferred text
	case at == "" && ss == "":
		return nil, nil, nil, api.InvalidParameter("Either AccessToken or Session must be provided.") // inferred text
	case at != "":
		p, rec, _, _, err := s.accessUser(ctx, accessToken)
		return p, rec, nil, err
	}
	ms, err := s.openMFASession(ctx, ss, nil, challengeMFASetup)
	if err != nil {
		return nil, nil, nil, err
	}
	return ms.p, ms.rec, ms, nil
}

// errNoTOTP answers TOTP operations of a pool without TOTP MFA [DOC
// SoftwareTokenMFANotFoundException "isn't activated for the user pool";
// the text is inferred].
func errNoTOTP() error {
	return api.SoftwareTokenMFANotFound("Software Token MFA is not enabled for the user pool.")
}

// AssociateSoftwareToken gives the user a new TOTP secret to verify.
func (s *Service) AssociateSoftwareToken(ctx context.Context, in *api.AssociateSoftwareTokenRequest) (*api.AssociateSoftwareTokenResponse, error) {
	p, rec, ms, err := s.tokenOrSession(ctx, in.AccessToken, in.Session)
	if err != nil {
		return nil, err
	}
	if _, totp := p.mfaFactors(); !totp {
		return nil, errNoTOTP()
	}
	secret := newTOTPSecret()
	stored, _, err := s.updateUser(ctx, p, rec, func(_ *storage.User, u *userData, _ *storage.Deliveries) error {
		u.mfa().Pending = secret
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := &api.AssociateSoftwareTokenResponse{SecretCode: new(secret)}
	if ms != nil {
		// A new session for VerifySoftwareToken [DOC].
		next, err := s.newMFASession(ctx, p, ms.client, stored, mfaClaims{challenge: challengeMFASetup, event: ms.claims.String("ev"),
			device: ms.claims.String("dk"), deviceAuth: ms.claims.String("da") == "1", options: splitOptions(ms.claims.String("opts"))})
		if err != nil {
			return nil, err
		}
		out.Session = new(next)
	}
	return out, nil
}

// VerifySoftwareToken verifies the associated secret with a code from the
// authenticator. A wrong code is EnableSoftwareTokenMFAException "Code
// mismatch and fail enable Software Token MFA" [OBS]. Verifying does not
// enable TOTP MFA (SetUserMFAPreference does) except through MFA_SETUP
// [INF, mfa-facts §3].
func (s *Service) VerifySoftwareToken(ctx context.Context, in *api.VerifySoftwareTokenRequest) (*api.VerifySoftwareTokenResponse, error) {
	p, rec, ms, err := s.tokenOrSession(ctx, in.AccessToken, in.Session)
	if err != nil {
		return nil, err
	}
	if _, totp := p.mfaFactors(); !totp {
		return nil, errNoTOTP()
	}
	now := s.now()
	code := deref(in.UserCode)
	stored, _, err := s.updateUser(ctx, p, rec, func(_ *storage.User, u *userData, _ *storage.Deliveries) error {
		m := u.mfa()
		if m.Pending == "" {
			return api.SoftwareTokenMFANotFound("Software Token MFA has not been associated for the user.") // inferred text
		}
		step, ok := checkTOTP(m.Pending, code, now)
		if !ok {
			return api.EnableSoftwareTokenMFA(errTOTPVerify)
		}
		m.Secret, m.Pending, m.Device, m.LastStep = m.Pending, "", deref(in.FriendlyDeviceName), step
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := &api.VerifySoftwareTokenResponse{Status: new("SUCCESS")}
	if ms != nil {
		// "This session ID satisfies an MFA_SETUP challenge" [DOC].
		next, err := s.newMFASession(ctx, p, ms.client, stored, mfaClaims{challenge: challengeMFASetup, event: ms.claims.String("ev"),
			device: ms.claims.String("dk"), deviceAuth: ms.claims.String("da") == "1", options: splitOptions(ms.claims.String("opts")), verified: true})
		if err != nil {
			return nil, err
		}
		out.Session = new(next)
	}
	return out, nil
}

// SetUserMFAPreference sets the signed-in user's MFA factors.
func (s *Service) SetUserMFAPreference(ctx context.Context, in *api.SetUserMFAPreferenceRequest) (*api.SetUserMFAPreferenceResponse, error) {
	p, rec, _, _, err := s.accessUser(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	if err := s.setMFAPreference(ctx, p, rec, mfaPrefs{in.SMSMfaSettings, (*api.SMSMfaSettingsType)(in.SoftwareTokenMfaSettings), (*api.SMSMfaSettingsType)(in.EmailMfaSettings), in.WebAuthnMfaSettings != nil}, false); err != nil {
		return nil, err
	}
	return &api.SetUserMFAPreferenceResponse{}, nil
}

// AdminSetUserMFAPreference sets a user's MFA factors.
func (s *Service) AdminSetUserMFAPreference(ctx context.Context, in *api.AdminSetUserMFAPreferenceRequest) (*api.AdminSetUserMFAPreferenceResponse, error) {
	p, rec, _, err := s.adminUser(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	if err := s.setMFAPreference(ctx, p, rec, mfaPrefs{in.SMSMfaSettings, (*api.SMSMfaSettingsType)(in.SoftwareTokenMfaSettings), (*api.SMSMfaSettingsType)(in.EmailMfaSettings), in.WebAuthnMfaSettings != nil}, true); err != nil {
		return nil, err
	}
	return &api.AdminSetUserMFAPreferenceResponse{}, nil
}

// mfaPrefs is a preference request: the settings of each factor (nil:
// unchanged; SoftwareTokenMfaSettingsType converted to its twin
// SMSMfaSettingsType, as is EmailMfaSettingsType) and whether passkey MFA
// was named.
type mfaPrefs struct {
	sms, totp, email *api.SMSMfaSettingsType
	webAu            bool
}

// setMFAPreference applies a preference request. Enabling TOTP needs a
// verified token and enabling SMS a phone number (errors at the texts);
// only one factor may be preferred (the model: "Only one factor can be
// set as preferred"; the text of the refusal is inferred).
func (s *Service) setMFAPreference(ctx context.Context, p *poolView, rec *storage.User, in mfaPrefs, admin bool) error {
	if in.webAu {
		return &api.Error{Code: "NotImplementedException", Message: "Cognate does not implement passkey MFA yet."}
	}
	preferred := 0
	for _, st := range []*api.SMSMfaSettingsType{in.sms, in.totp, in.email} {
		if st != nil && deref(st.PreferredMfa) {
			preferred++
		}
	}
	if in.email != nil && deref(in.email.Enabled) && !p.emailMFA() {
		return errEmailMFAOff()
	}
	if preferred > 1 {
		return api.InvalidParameter("Only one MFA method can be set as preferred.") // inferred text
	}
	_, _, err := s.updateUser(ctx, p, rec, func(_ *storage.User, u *userData, _ *storage.Deliveries) error {
		m := u.mfa()
		if st := in.sms; st != nil {
			if deref(st.Enabled) {
				if phone, _ := u.get("phone_number"); phone == "" {
					return api.InvalidParameter(errSMSNoPhone)
				}
			}
			m.SMS = deref(st.Enabled)
			m.prefer(challengeSMSMFA, m.SMS, deref(st.PreferredMfa))
		}
		if st := in.totp; st != nil {
			if deref(st.Enabled) && m.Secret == "" {
				if admin {
					return api.InvalidParameter(errAdminTOTPNotVerified)
				}
				return api.InvalidParameter(errTOTPNotVerified)
			}
			m.TOTP = deref(st.Enabled)
			m.prefer(challengeTOTPMFA, m.TOTP, deref(st.PreferredMfa))
		}
		if st := in.email; st != nil {
			if deref(st.Enabled) {
				if email, _ := u.get("email"); email == "" {
					return api.InvalidParameter(errEmailNoAddress)
				}
			}
			m.Email = deref(st.Enabled)
			m.prefer(challengeEmailOTP, m.Email, deref(st.PreferredMfa))
		}
		return nil
	})
	return err
}

// prefer applies one factor's PreferredMfa: a factor is preferred only
// while enabled.
func (m *userMFA) prefer(factor string, enabled, preferred bool) {
	switch {
	case enabled && preferred:
		m.Preferred = factor
	case m.Preferred == factor:
		m.Preferred = ""
	}
}

// splitOptions reads the "opts" claim of an MFA session.
func splitOptions(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}
