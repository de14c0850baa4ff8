package userpool

import (
	"time"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/messaging"
)

// Pending codes are kept in the user's record under their purpose.
const (
	codeSignUp         = "signup"
	codeForgotPassword = "forgot"
	codeVerifyPrefix   = "verify:" // + the attribute name
)

// How long codes are valid [DOC code security quotas, issue4-facts §6].
const (
	codeSignUpTTL = 24 * time.Hour
	codeForgotTTL = time.Hour
	codeVerifyTTL = 24 * time.Hour
)

// Purposes of messages, as the outbox records them.
const (
	purposeSignUp          = "SignUp"
	purposeResendCode      = "ResendCode"
	purposeForgotPassword  = "ForgotPassword"
	purposeInvitation      = "AdminCreateUser"
	purposeVerifyAttribute = "VerifyUserAttribute"
)

// maxCodeFailures is how many wrong entries a code takes: after that
// every entry, even the right code, is refused with AWS's
// LimitExceededException text until a new code is sent. AWS's count and
// the length of its block are not public (issue4-facts §6; another
// emulator uses 5) [INF]; ending the block with a new code is Cognate's
// choice. It bounds guessing a 6-digit code.
const maxCodeFailures = 5

// errAttemptLimit is AWS's text for too many code entries or requests
// [OBS aws-sdk-android#627; amazon-cognito-identity-js#376].
const errAttemptLimit = "Attempt limit exceeded, please try after some time."

// pendingCode is a code sent and not yet used.
type pendingCode struct {
	Code     string `json:"c"`
	Expires  int64  `json:"e"` // unix ms
	Failures int    `json:"f,omitempty"`
	// Attr is the attribute the code was sent to (email or phone_number).
	Attr string `json:"a,omitempty"`
	// Value is the new value of Attr that the code verifies, kept pending
	// until then (AttributesRequireVerificationBeforeUpdate,
	// attributes.go); "" when the code verifies the current value.
	Value string `json:"v,omitempty"`
}

func newPendingCode(now time.Time, ttl time.Duration) *pendingCode {
	return &pendingCode{Code: newCode(), Expires: now.Add(ttl).UnixMilli()}
}

func (u *userData) setCode(purpose string, c *pendingCode) {
	if u.Codes == nil {
		u.Codes = map[string]*pendingCode{}
	}
	u.Codes[purpose] = c
}

// checkCode compares a code with the one pending for purpose, with AWS's
// texts: a wrong code (or none pending) is CodeMismatchException [OBS
// amplify-js#11738], the right one past its time ExpiredCodeException [OBS
// aws-sdk-ios-samples#144]. A wrong entry against a pending code is
// counted: the error asks updateUser to store that (keepChange); after
// maxCodeFailures wrong entries the code is blocked and every entry gets
// LimitExceededException "Attempt limit exceeded, please try after some
// time." [OBS issue4-facts §4.1, §6]. The hourly per-user attempt quotas
// themselves are not enforced.
func (u *userData) checkCode(purpose, given string, now time.Time) (*pendingCode, error) {
	c := u.Codes[purpose]
	mismatch := api.CodeMismatch("Invalid verification code provided, please try again.")
	if c == nil {
		return nil, mismatch
	}
	if c.Failures >= maxCodeFailures {
		return nil, api.LimitExceeded(errAttemptLimit)
	}
	if c.Code != given {
		c.Failures++
		return nil, &keepChange{mismatch}
	}
	if now.UnixMilli() > c.Expires {
		return nil, api.ExpiredCode("Invalid code provided, please request a code again.")
	}
	return c, nil
}

// verificationMessage is the code message to an attribute, from the
// pool's VerificationMessageTemplate (or the legacy members, which the
// pool's settings merge into it) or AWS's defaults.
func (p *poolView) verificationMessage(attrName, to, code, username, purpose string) outgoing {
	t := api.VerificationMessageTemplateType{}
	if p.cfg.VerificationMessageTemplate != nil {
		t = *p.cfg.VerificationMessageTemplate
	}
	m := outgoing{purpose: purpose, attr: attrName, to: to, username: username}
	if attrName == "phone_number" {
		m.medium = messaging.SMS
		m.body = render(orDefault(t.SmsMessage, defaultVerificationMessage), code, username)
	} else {
		m.medium = messaging.Email
		m.subject = orDefault(t.EmailSubject, defaultVerificationSubject)
		m.body = render(orDefault(t.EmailMessage, defaultVerificationMessage), code, username)
	}
	return m
}

// verifyTarget is the attribute a sign-up code goes to: of the attributes
// the pool verifies automatically, the phone number first, then the email
// (inferred: Cognito prefers SMS when both are set), or "" when there is
// none to verify.
func (p *poolView) verifyTarget(u *userData) string {
	for _, name := range []string{"phone_number", "email"} {
		if v, ok := u.get(name); ok && v != "" && contains(p.cfg.AutoVerifiedAttributes, name) {
			return name
		}
	}
	return ""
}

// recoveryTarget is where a forgot-password code goes: the first verified
// attribute in the pool's AccountRecoverySetting, or, without one, a
// verified phone number, then a verified email [DOC
// AccountRecoverySettingType: the legacy default prefers SMS]. "" means
// none, and admin means the pool allows only administrators to reset.
func (p *poolView) recoveryTarget(u *userData) (name string, adminOnly bool) {
	order := []string{"verified_phone_number", "verified_email"}
	if r := p.cfg.AccountRecoverySetting; r != nil && len(r.RecoveryMechanisms) > 0 {
		order = order[:0]
		best := map[int32]string{}
		var prios []int32
		for _, m := range r.RecoveryMechanisms {
			best[deref(m.Priority)] = deref(m.Name)
			prios = append(prios, deref(m.Priority))
		}
		for i := 0; i < len(prios); i++ {
			for j := i + 1; j < len(prios); j++ {
				if prios[j] < prios[i] {
					prios[i], prios[j] = prios[j], prios[i]
				}
			}
		}
		for _, pr := range prios {
			order = append(order, best[pr])
		}
	}
	for _, mech := range order {
		switch mech {
		case "admin_only":
			return "", true
		case "verified_phone_number":
			if v, ok := u.get("phone_number"); ok && v != "" && u.verified("phone_number") {
				return "phone_number", false
			}
		case "verified_email":
			if v, ok := u.get("email"); ok && v != "" && u.verified("email") {
				return "email", false
			}
		}
	}
	return "", false
}

// keepChange is an error of a user update whose change is stored all the
// same (a counted failed attempt) without changing UserLastModifiedDate;
// updateUser returns the error it wraps, nil for none.
type keepChange struct{ err error }

func (k *keepChange) Error() string {
	if k.err == nil {
		return "bookkeeping change"
	}
	return k.err.Error()
}
func (k *keepChange) Unwrap() error { return k.err }

// Hourly per-user quotas on code requests: ResendConfirmationCode and
// GetUserAttributeVerificationCode "5 per hour" [DOC code security
// resource quotas, issue4-facts §6]; the next request in the hour is
// LimitExceededException "Attempt limit exceeded, please try after some
// time." [OBS]. AWS does not say whether the hour is a fixed or a sliding
// window; a fixed window from the first request is inferred.
const (
	quotaResendCode = "ResendConfirmationCode"
	quotaAttrCode   = "GetUserAttributeVerificationCode"
)

var hourlyQuotas = map[string]int{quotaResendCode: 5, quotaAttrCode: 5}

// requestWindow is one operation's count of requests in the hour from
// Start (unix ms).
type requestWindow struct {
	Start int64 `json:"s"`
	N     int   `json:"n"`
}

// overQuota reports whether another op request at now is refused.
func (u *userData) overQuota(op string, now time.Time) error {
	w := u.Requests[op]
	if w != nil && now.UnixMilli()-w.Start < time.Hour.Milliseconds() && w.N >= hourlyQuotas[op] {
		return api.LimitExceeded(errAttemptLimit)
	}
	return nil
}

// countRequest counts an op request at now.
func (u *userData) countRequest(op string, now time.Time) {
	if u.Requests == nil {
		u.Requests = map[string]*requestWindow{}
	}
	w := u.Requests[op]
	if w == nil || now.UnixMilli()-w.Start >= time.Hour.Milliseconds() {
		w = &requestWindow{Start: now.UnixMilli()}
		u.Requests[op] = w
	}
	w.N++
}
