package userpool

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/storage"
)

// Sign-in: InitiateAuth and AdminInitiateAuth with the password and
// refresh flows, SRP (srp.go), the NEW_PASSWORD_REQUIRED challenge, MFA
// (mfa.go) and remembered devices (devices.go).
// Choice-based sign-in (USER_AUTH) is in userauth.go. Custom auth is not
// implemented yet and answers NotImplementedException naming the flow.

// Auth flows and challenges (AuthFlowType, ChallengeNameType).
const (
	flowUserPassword      = "USER_PASSWORD_AUTH"
	flowAdminUserPassword = "ADMIN_USER_PASSWORD_AUTH"
	flowAdminNoSRP        = "ADMIN_NO_SRP_AUTH"
	flowRefreshToken      = "REFRESH_TOKEN_AUTH"
	flowRefresh           = "REFRESH_TOKEN"
	flowUserSRP           = "USER_SRP_AUTH"

	challengeNewPassword      = "NEW_PASSWORD_REQUIRED"
	challengePasswordVerifier = "PASSWORD_VERIFIER"
)

// errIncorrect is AWS's text for a wrong password, and for an unknown user
// when the client prevents user-existence errors [DOC, OBS
// amazon-cognito-identity-js#506].
const errIncorrect = "Incorrect username or password."

// notImplementedFlow answers a flow Cognate does not implement, in the
// form the server gives operations it does not implement.
func notImplementedFlow(flow string) error {
	return &api.Error{Code: "NotImplementedException", Message: "Cognate does not implement the " + flow + " auth flow yet."}
}

// flowAllowed reports whether the client's ExplicitAuthFlows enable a
// flow, in the ALLOW_ form or the legacy one [DOC ExplicitAuthFlowsType].
// A client with none set has AWS's defaults: ALLOW_USER_SRP_AUTH,
// ALLOW_CUSTOM_AUTH and ALLOW_REFRESH_TOKEN_AUTH [DOC]. Refresh is allowed
// to clients that list only legacy flows, which predate
// ALLOW_REFRESH_TOKEN_AUTH [INF].
func flowAllowed(c *api.UserPoolClientType, flow string) bool {
	flows := c.ExplicitAuthFlows
	switch flow {
	case flowUserPassword:
		return contains(flows, "ALLOW_USER_PASSWORD_AUTH") || contains(flows, "USER_PASSWORD_AUTH")
	case flowAdminUserPassword, flowAdminNoSRP:
		return contains(flows, "ALLOW_ADMIN_USER_PASSWORD_AUTH") || contains(flows, "ADMIN_NO_SRP_AUTH")
	case flowUserSRP:
		// Legacy flows allow SRP unless the client is custom-auth only.
		if len(flows) == 0 || contains(flows, "ALLOW_USER_SRP_AUTH") {
			return true
		}
		for _, f := range flows {
			if strings.HasPrefix(f, "ALLOW_") {
				return false
			}
		}
		return !contains(flows, "CUSTOM_AUTH_FLOW_ONLY")
	case flowUserAuth:
		// Choice-based sign-in has no legacy form [DOC ExplicitAuthFlowsType].
		return contains(flows, "ALLOW_USER_AUTH")
	case flowRefreshToken, flowRefresh:
		if len(flows) == 0 || contains(flows, "ALLOW_REFRESH_TOKEN_AUTH") {
			return true
		}
		for _, f := range flows {
			if strings.HasPrefix(f, "ALLOW_") {
				return false
			}
		}
		return true
	}
	return false
}

// signIn is one sign-in attempt: the client and pool it is made through.
type signIn struct {
	p      *poolView
	client *api.UserPoolClientType
	admin  bool
	// ec is where the sign-in comes from, for threat protection.
	ec eventContext
	// deviceKey is the DEVICE_KEY the sign-in presented (devices.go);
	// deviceAuth that DEVICE_SRP_AUTH follows its MFA step.
	deviceKey  string
	deviceAuth bool
}

func missing(name string) error {
	return api.InvalidParameter("Missing required parameter %s", name) // inferred text [INF]
}

// InitiateAuth starts a client-side sign-in.
func (s *Service) InitiateAuth(ctx context.Context, in *api.InitiateAuthRequest) (*api.InitiateAuthResponse, error) {
	flow := deref(in.AuthFlow)
	params := in.AuthParameters
	var (
		res *authResult
		err error
	)
	switch flow {
	case flowUserPassword:
		username := params["USERNAME"]
		p, c, err := s.clientPool(ctx, in.ClientId, secretParam(params), username)
		if err != nil {
			return nil, err
		}
		if !flowAllowed(c, flow) {
			return nil, api.InvalidParameter("USER_PASSWORD_AUTH flow not enabled for this client") // [OBS, widely quoted]
		}
		si := signIn{p: p, client: c, deviceKey: params["DEVICE_KEY"]}
		if p.threatMode() != "" {
			if si.ec, err = clientContext(ctx, c, in.UserContextData); err != nil {
				return nil, err
			}
		}
		res, err = s.passwordSignIn(ctx, si, username, params["PASSWORD"])
		if err != nil {
			return nil, err
		}
	case flowUserSRP:
		username := params["USERNAME"]
		p, c, err := s.clientPool(ctx, in.ClientId, secretParam(params), username)
		if err != nil {
			return nil, err
		}
		if !flowAllowed(c, flow) {
			return nil, api.InvalidParameter("USER_SRP_AUTH flow not enabled for this client") // inferred, as USER_PASSWORD_AUTH's
		}
		if res, err = s.srpStart(ctx, signIn{p: p, client: c, deviceKey: params["DEVICE_KEY"]}, username, params["SRP_A"]); err != nil {
			return nil, err
		}
	case flowUserAuth:
		p, c, err := s.clientPool(ctx, in.ClientId, secretParam(params), params["USERNAME"])
		if err != nil {
			return nil, err
		}
		si := signIn{p: p, client: c, deviceKey: params["DEVICE_KEY"]}
		if p.threatMode() != "" {
			if si.ec, err = clientContext(ctx, c, in.UserContextData); err != nil {
				return nil, err
			}
		}
		if res, err = s.userAuthStart(ctx, si, params); err != nil {
			return nil, err
		}
	case flowRefreshToken, flowRefresh:
		if res, err = s.refreshSignIn(ctx, in.ClientId, nil, params); err != nil {
			return nil, err
		}
	case "":
		return nil, api.InvalidParameter("Missing required parameter AuthFlow") // inferred
	case flowAdminUserPassword, flowAdminNoSRP:
		return nil, api.InvalidParameter("Initiate Auth method not supported.") // [OBS awsdocs/aws-doc-sdk-examples#5289]
	default:
		return nil, notImplementedFlow(flow)
	}
	return &api.InitiateAuthResponse{AuthenticationResult: res.tokens, ChallengeName: res.challenge,
		ChallengeParameters: res.params, Session: res.session, AvailableChallenges: res.available}, nil
}

// AdminInitiateAuth starts a server-side sign-in.
func (s *Service) AdminInitiateAuth(ctx context.Context, in *api.AdminInitiateAuthRequest) (*api.AdminInitiateAuthResponse, error) {
	flow := deref(in.AuthFlow)
	params := in.AuthParameters
	var (
		res *authResult
		err error
	)
	switch flow {
	case flowAdminUserPassword, flowAdminNoSRP:
		username := params["USERNAME"]
		p, c, err := s.adminClientPool(ctx, in.UserPoolId, in.ClientId, secretParam(params), username)
		if err != nil {
			return nil, err
		}
		if !flowAllowed(c, flow) {
			return nil, api.InvalidParameter("Auth flow not enabled for this client") // [OBS, widely quoted; INF for this flow]
		}
		si := signIn{p: p, client: c, admin: true, deviceKey: params["DEVICE_KEY"]}
		if p.threatMode() != "" {
			if si.ec, err = adminContext(ctx, in.ContextData); err != nil {
				return nil, err
			}
		}
		if res, err = s.passwordSignIn(ctx, si, username, params["PASSWORD"]); err != nil {
			return nil, err
		}
	case flowUserSRP:
		username := params["USERNAME"]
		p, c, err := s.adminClientPool(ctx, in.UserPoolId, in.ClientId, secretParam(params), username)
		if err != nil {
			return nil, err
		}
		if !flowAllowed(c, flow) {
			return nil, api.InvalidParameter("USER_SRP_AUTH flow not enabled for this client") // inferred
		}
		if res, err = s.srpStart(ctx, signIn{p: p, client: c, admin: true, deviceKey: params["DEVICE_KEY"]}, username, params["SRP_A"]); err != nil {
			return nil, err
		}
	case flowUserAuth:
		p, c, err := s.adminClientPool(ctx, in.UserPoolId, in.ClientId, secretParam(params), params["USERNAME"])
		if err != nil {
			return nil, err
		}
		si := signIn{p: p, client: c, admin: true, deviceKey: params["DEVICE_KEY"]}
		if p.threatMode() != "" {
			if si.ec, err = adminContext(ctx, in.ContextData); err != nil {
				return nil, err
			}
		}
		if res, err = s.userAuthStart(ctx, si, params); err != nil {
			return nil, err
		}
	case flowRefreshToken, flowRefresh:
		if res, err = s.refreshSignIn(ctx, in.ClientId, in.UserPoolId, params); err != nil {
			return nil, err
		}
	case "":
		return nil, api.InvalidParameter("Missing required parameter AuthFlow") // inferred
	case flowUserPassword:
		return nil, api.InvalidParameter("Initiate Auth method not supported.") // [OBS awsdocs/aws-doc-sdk-examples#5289]
	default:
		return nil, notImplementedFlow(flow)
	}
	return &api.AdminInitiateAuthResponse{AuthenticationResult: res.tokens, ChallengeName: res.challenge,
		ChallengeParameters: res.params, Session: res.session, AvailableChallenges: res.available}, nil
}

func secretParam(m map[string]string) *string {
	if v, ok := m["SECRET_HASH"]; ok {
		return &v
	}
	return nil
}

// adminClientPool is clientPool for admin operations, which name the pool
// too: the client must be the pool's.
func (s *Service) adminClientPool(ctx context.Context, poolID, clientID, hash *string, username string) (*poolView, *api.UserPoolClientType, error) {
	key, rec, err := s.getClient(ctx, poolID, clientID)
	if err != nil {
		return nil, nil, err
	}
	c, err := decodeClient(rec)
	if err != nil {
		return nil, nil, err
	}
	if err := checkSecretHash(c, hash, username); err != nil {
		return nil, nil, err
	}
	p, err := s.loadPool(ctx, key.PoolKey)
	if err != nil {
		return nil, nil, err
	}
	return p, c, nil
}

// checkSecretHash checks the SECRET_HASH of a client with a secret, with
// AWS's texts (see clientPool).
func checkSecretHash(c *api.UserPoolClientType, hash *string, username string) error {
	secret := deref(c.ClientSecret)
	if secret == "" {
		return nil
	}
	id := deref(c.ClientId)
	if hash == nil {
		return api.NotAuthorized("Client %s is configured with secret but SECRET_HASH was not received", id)
	}
	if !validSecretHash(*hash, secret, username, id) {
		return api.NotAuthorized("Unable to verify secret hash for client %s", id)
	}
	return nil
}

// authResult is either tokens or a challenge.
type authResult struct {
	tokens    *api.AuthenticationResultType
	challenge *string
	params    map[string]string
	session   *string
	// available is AvailableChallenges of SELECT_CHALLENGE (userauth.go).
	available []string
}

// passwordSignIn checks a username (or alias) and password and issues
// tokens, or the NEW_PASSWORD_REQUIRED challenge for a user with a
// temporary password. Refusals are AWS's (issue4-facts §8; the sources
// of each text are at its line):
// unknown users are UserNotFoundException "User does not exist." unless
// the client prevents user-existence errors, when they read as a wrong
// password.
func (s *Service) passwordSignIn(ctx context.Context, si signIn, username, password string) (*authResult, error) {
	if username == "" {
		return nil, missing("USERNAME")
	}
	if password == "" {
		return nil, missing("PASSWORD")
	}
	rec, u, rc, err := s.signInUser(ctx, si, username)
	if err != nil {
		return nil, err
	}
	ok, err := VerifyPassword(u.Hash, password)
	if err != nil && !errors.Is(err, errBadHash) {
		return nil, err
	}
	return s.passwordChecked(ctx, si, rec, u, rc, password, ok)
}

// passwordChecked finishes a sign-in whose password (or SRP password
// claim, with password "") was checked: ok or not. It counts a failure,
// or lets threat protection judge the sign-in, and issues tokens or the
// NEW_PASSWORD_REQUIRED challenge.
func (s *Service) passwordChecked(ctx context.Context, si signIn, rec *storage.User, u *userData, rc *api.RiskConfigurationType, password string, ok bool) (*authResult, error) {
	now := s.now()
	clientID := deref(si.client.ClientId)
	var err error
	if !ok {
		var ev *pendingEvent
		if si.p.threatMode() != "" {
			ev = s.newEvent(ctx, si.p, authEvent{typ: eventSignIn, response: responseFail, v: s.judgeSignIn(si.p, rc, u, si.ec, password, false),
				ec: si.ec, clientID: clientID, challenge: &eventChallenge{Name: "Password", Response: "Failure"}})
		}
		if err := s.countSignInFailure(ctx, si.p, rec, now, ev); err != nil {
			return nil, err
		}
		// With PreventUserExistenceErrors ENABLED, "if a user is disabled
		// and the password is incorrect, the error will also indicate
		// that either the username or password is incorrect" [DOC
		// cognito-user-pool-managing-errors, archived 2020 version].
		return nil, api.NotAuthorized(errIncorrect)
	}
	if u.Disabled {
		return nil, api.NotAuthorized("User is disabled.") // [EMU moto; widely seen, INF] issue4-facts §8
	}
	// The device the sign-in presented must be the user's (devices.go).
	dev, err := signInDevice(si, u)
	if err != nil {
		return nil, err
	}
	// Threat protection judges the sign-in now that the password is known
	// to be right, and its event is written with the sign-in's change.
	var (
		v  verdict
		ev *pendingEvent
		d  storage.Deliveries
	)
	if si.p.threatMode() != "" {
		v = s.judgeSignIn(si.p, rc, u, si.ec, password, true)
	}
	// The MFA step (mfa.go) of a user who needs no new password; a user
	// with a temporary password gets it after the new password.
	var plan mfaPlan
	if v.refuse == nil && u.Status == statusConfirmed {
		plan, _ = si.p.mfaPlan(u, v.mfa)
	}
	// A remembered device ends the sign-in with device authentication,
	// instead of MFA when the pool says so (devices.go); threat
	// protection's demand for MFA still stands [INF].
	remembered := dev != nil && dev.Status == deviceRemembered && u.Status == statusConfirmed
	if remembered && v.mfa == "" && si.p.rememberedSkipsMFA() {
		plan = mfaPlan{}
	}
	if si.p.threatMode() != "" {
		response := responsePass
		switch {
		case v.refuse != nil:
			response = responseFail
		case u.Status == statusForceChangePassword, plan.challenge != "", remembered:
			response = responseInProgress // a challenge follows
		}
		ev = s.newEvent(ctx, si.p, authEvent{typ: eventSignIn, response: response, v: v, ec: si.ec, clientID: clientID,
			challenge: &eventChallenge{Name: "Password", Response: "Success"}})
		if v.notify != "" {
			valid, invalid := s.feedbackLinks(ctx, si.p, rec, ev.id, ev.data.Token)
			if m, ok := notifyMessage(si.p, rc, rec, u, v.notify, ev.id, ev.data.Token, si.ec, ev.at, valid, invalid); ok {
				// A failed notification is logged as userNotification
				// (send) and does not stop the sign-in [INF].
				_, _ = s.send(ctx, si.p, m, &d)
			}
		}
	}
	// A user whose password was set before Cognate kept SRP verifiers gets
	// one now, from the password just checked, so that USER_SRP_AUTH works
	// for them from here on.
	var verifier *srpSecret
	if password != "" && u.SRPVerifier == "" {
		verifier = new(newSRPSecret(si.p, rec.Username, password))
	}
	if ev != nil || u.SignInFailures > 0 || verifier != nil {
		if _, u, err = s.updateUser(ctx, si.p, rec, func(r *storage.User, u *userData, dd *storage.Deliveries) error {
			*dd = d
			u.SignInFailures, u.LastSignInFailure = 0, 0 // a success ends the count [DOC via re:Post]
			if verifier != nil && u.SRPVerifier == "" {
				u.SRPSalt, u.SRPVerifier = verifier.salt, verifier.verifier
			}
			switch {
			case v.resetRequired:
				// Compromised credentials at sign-in: "Amazon Cognito sets
				// the user's UserStatus to RESET_REQUIRED" [DOC].
				u.Status = statusResetRequired
			case v.refuse == nil && ev != nil:
				u.remember(si.ec)
			}
			ev.appendTo(si.p, r, dd)
			return &keepChange{}
		}); err != nil {
			_ = s.appendOnly(ctx, d) // the notification went out all the same
			return nil, err
		}
	}
	if v.refuse != nil {
		return nil, v.refuse
	}
	switch u.Status {
	case statusUnconfirmed: // a disabled unconfirmed user with a hiding client
		return nil, api.UserNotConfirmed("User is not confirmed.") // [INF, widely quoted]
	case statusForceChangePassword:
		if u.TempExpires != 0 && s.now().UnixMilli() > u.TempExpires {
			return nil, api.NotAuthorized("Temporary password has expired and must be reset by an administrator.") // [INF] issue4-facts §8
		}
		return s.newPasswordChallenge(ctx, si, rec, u)
	}
	var eventID string
	if ev != nil {
		eventID = ev.id
	}
	si.deviceKey, si.deviceAuth = "", remembered
	if dev != nil {
		si.deviceKey = dev.Key
	}
	if plan.challenge != "" {
		return s.startMFA(ctx, si, rec, u, plan, eventID) // tokens come after the MFA answer
	}
	if remembered {
		return s.startDeviceAuth(ctx, si, rec, dev.Key, eventID)
	}
	return s.finishSignIn(ctx, si, rec, u, eventID, si.deviceKey)
}

// signInUser finds the user of a sign-in and refuses those who may not
// sign in before any password is looked at, with AWS's answers (see
// passwordSignIn); it also reads the risk configuration when threat
// protection is on.
func (s *Service) signInUser(ctx context.Context, si signIn, username string) (*storage.User, *userData, *api.RiskConfigurationType, error) {
	rec, err := s.findUser(ctx, si.p, username)
	if err != nil {
		return nil, nil, nil, err
	}
	if rec == nil {
		if deref(si.client.PreventUserExistenceErrors) == "ENABLED" {
			return nil, nil, nil, api.NotAuthorized(errIncorrect)
		}
		return nil, nil, nil, userNotFound()
	}
	u, err := decodeUser(rec)
	if err != nil {
		return nil, nil, nil, err
	}
	hide := deref(si.client.PreventUserExistenceErrors) == "ENABLED"
	if u.Disabled && !hide {
		return nil, nil, nil, api.NotAuthorized("User is disabled.") // [EMU moto; widely seen, INF] issue4-facts §8
	}
	if u.Status == statusResetRequired && !u.Disabled {
		// Checked before the password: the old one is void [INF].
		return nil, nil, nil, api.PasswordResetRequired("Password reset required for the user") // [INF, widely quoted]
	}
	if u.Status == statusUnconfirmed && !u.Disabled {
		// Also before the password: AWS answers an unconfirmed user's
		// sign-in with UserNotConfirmedException "regardless of whether
		// the supplied password is correct", by design [OBS
		// amazon-cognito-identity-js#288 (maintainer), aws-sdk-js#4608,
		// amplify-js#11209]; the text is inferred, widely quoted.
		return nil, nil, nil, api.UserNotConfirmed("User is not confirmed.")
	}
	now := s.now()
	if u.lockedOut(now) {
		return nil, nil, nil, api.NotAuthorized(errLockedOut)
	}
	var rc *api.RiskConfigurationType
	if si.p.threatMode() != "" {
		if rc, err = s.riskConfig(ctx, si.p, deref(si.client.ClientId)); err != nil {
			return nil, nil, nil, err
		}
	}
	return rec, u, rc, nil
}

// newPasswordChallenge asks a user with a temporary password for a new
// one. Its parameters are AWS's: USER_ID_FOR_SRP, userAttributes (the
// user's attributes as a JSON object, without sub; email_verified is in
// it, which clients are told to delete before answering [OBS
// amazon-cognito-identity-js README use case 23]) and requiredAttributes
// (a JSON array of the required attributes the user lacks, as
// "userAttributes.<name>", the prefix the library strips [OBS
// amazon-cognito-identity-js CognitoUser.js]).
func (s *Service) newPasswordChallenge(ctx context.Context, si signIn, rec *storage.User, u *userData) (*authResult, error) {
	attrs := map[string]string{}
	for _, a := range u.Attrs {
		if a.N == "sub" {
			continue
		}
		attrs[a.N] = a.V
	}
	required := []string{}
	for _, a := range si.p.cfg.SchemaAttributes {
		name := deref(a.Name)
		if name == "sub" || !deref(a.Required) {
			continue
		}
		if v, ok := u.get(name); !ok || v == "" {
			required = append(required, "userAttributes."+name)
		}
	}
	ab, _ := json.Marshal(attrs)    // strings always marshal
	rb, _ := json.Marshal(required) // strings always marshal
	session, err := s.newSession(ctx, si.p, si.client, rec, challengeNewPassword)
	if err != nil {
		return nil, err
	}
	return &authResult{
		challenge: new(challengeNewPassword),
		params:    map[string]string{"USER_ID_FOR_SRP": rec.Username, "userAttributes": string(ab), "requiredAttributes": string(rb)},
		session:   new(session),
	}, nil
}

// refreshSignIn issues new ID and access tokens for a refresh token of
// the client, in the refresh token's family (origin_jti, auth_time).
func (s *Service) refreshSignIn(ctx context.Context, clientID, poolID *string, params map[string]string) (*authResult, error) {
	raw, ok := params["REFRESH_TOKEN"]
	if !ok || raw == "" {
		return nil, missing("REFRESH_TOKEN")
	}
	v, err := s.verifyToken(ctx, raw, useRefresh, refreshTokenErrors)
	if err != nil {
		return nil, err
	}
	id := deref(clientID)
	if v.p.String("client_id") != id || (poolID != nil && *poolID != v.rec.ID) {
		return nil, api.NotAuthorized("%s", refreshTokenErrors.invalid)
	}
	c, err := s.tokenClient(ctx, storage.AppClientKey{PoolKey: v.rec.Key(), ClientID: id})
	if err != nil {
		return nil, err
	}
	if !flowAllowed(c, flowRefreshToken) {
		return nil, api.InvalidParameter("Refresh Token flow not enabled for this client") // inferred text
	}
	p, rec, u, err := s.tokenUser(ctx, v, refreshTokenErrors)
	if err != nil {
		return nil, err
	}
	// SDKs compute a refresh's SECRET_HASH with the username or the sub
	// [OBS aws-sdk-js#2880]; either is accepted.
	if err := checkSecretHash(c, secretParam(params), rec.Username); err != nil {
		if sub, _ := u.get("sub"); checkSecretHash(c, secretParam(params), sub) != nil {
			return nil, err
		}
	}
	// A refresh with DEVICE_KEY names a device of the user; a refresh
	// token of a forgotten device is revoked [OBS
	// amazon-cognito-identity-js#200; texts INF].
	var deviceKey string
	if p.tracksDevices() {
		deviceKey = v.p.String("device_key")
		if dk := params["DEVICE_KEY"]; dk != "" {
			if deviceKey != "" && dk != deviceKey {
				return nil, api.NotAuthorized("%s", refreshTokenErrors.invalid)
			}
			if u.device(dk) == nil {
				return nil, errNoDevice()
			}
			deviceKey = dk
		}
		if deviceKey != "" && slices.Contains(u.ForgottenDevices, deviceKey) {
			return nil, api.NotAuthorized("%s", refreshTokenErrors.revoked)
		}
	}
	// A refresh token from the hosted sign-in keeps the scopes it was
	// granted: it must not come back with aws.cognito.signin.user.admin.
	t, err := s.issueTokens(ctx, grant{p: p, client: c, rec: rec, u: u, authTime: v.p.Int("auth_time"), originJTI: v.p.String("origin_jti"), deviceKey: deviceKey, oauth: refreshOAuth(v.p)})
	if err != nil {
		return nil, err
	}
	return &authResult{tokens: t.result(), params: map[string]string{}}, nil
}

// RespondToAuthChallenge answers a client-side challenge.
func (s *Service) RespondToAuthChallenge(ctx context.Context, in *api.RespondToAuthChallengeRequest) (*api.RespondToAuthChallengeResponse, error) {
	r := in.ChallengeResponses
	p, c, err := s.clientPool(ctx, in.ClientId, secretParam(r), r["USERNAME"])
	if err != nil {
		return nil, err
	}
	si := signIn{p: p, client: c}
	if p.threatMode() != "" {
		if si.ec, err = clientContext(ctx, c, in.UserContextData); err != nil {
			return nil, err
		}
	}
	res, err := s.respond(ctx, si, deref(in.ChallengeName), deref(in.Session), r)
	if err != nil {
		return nil, err
	}
	return &api.RespondToAuthChallengeResponse{AuthenticationResult: res.tokens, ChallengeName: res.challenge,
		ChallengeParameters: res.params, Session: res.session}, nil
}

// AdminRespondToAuthChallenge answers a server-side challenge.
func (s *Service) AdminRespondToAuthChallenge(ctx context.Context, in *api.AdminRespondToAuthChallengeRequest) (*api.AdminRespondToAuthChallengeResponse, error) {
	r := in.ChallengeResponses
	p, c, err := s.adminClientPool(ctx, in.UserPoolId, in.ClientId, secretParam(r), r["USERNAME"])
	if err != nil {
		return nil, err
	}
	si := signIn{p: p, client: c, admin: true}
	if p.threatMode() != "" {
		if si.ec, err = adminContext(ctx, in.ContextData); err != nil {
			return nil, err
		}
	}
	res, err := s.respond(ctx, si, deref(in.ChallengeName), deref(in.Session), r)
	if err != nil {
		return nil, err
	}
	return &api.AdminRespondToAuthChallengeResponse{AuthenticationResult: res.tokens, ChallengeName: res.challenge,
		ChallengeParameters: res.params, Session: res.session}, nil
}

// respond checks the session of a challenge and answers it:
// PASSWORD_VERIFIER (srp.go), the MFA challenges (mfa.go) and
// NEW_PASSWORD_REQUIRED.
func (s *Service) respond(ctx context.Context, si signIn, challenge, session string, r map[string]string) (*authResult, error) {
	switch challenge {
	case challengePasswordVerifier:
		return s.srpVerify(ctx, si, r)
	case challengeSMSMFA, challengeTOTPMFA, challengeSelectMFA, challengeMFASetup, challengeEmailOTP, challengeSMSOTP:
		return s.respondMFA(ctx, si, challenge, session, r)
	case challengeSelectChallenge, challengePassword, challengePasswordSRP, challengeWebAuthn:
		return s.respondSelectChallenge(ctx, si, challenge, session, r)
	case challengeDeviceSRP:
		return s.respondDeviceSRP(ctx, si, session, r)
	case challengeDevicePassword:
		return s.respondDevicePassword(ctx, si, session, r)
	}
	if challenge != challengeNewPassword {
		return nil, &api.Error{Code: "NotImplementedException", Message: "Cognate does not implement the " + challenge + " challenge yet."}
	}
	if session == "" {
		return nil, missing("Session") // inferred text
	}
	v, err := s.verifyToken(ctx, session, useSession, sessionErrors)
	if err != nil {
		return nil, err
	}
	invalidSession := api.NotAuthorized("%s", sessionErrors.invalid)
	if v.rec.ID != si.p.rec.ID || v.p.String("client_id") != deref(si.client.ClientId) || v.p.String("challenge") != challenge {
		return nil, invalidSession
	}
	username := r["USERNAME"]
	if username == "" {
		return nil, missing("USERNAME")
	}
	rec, err := s.findUser(ctx, si.p, username)
	if err != nil {
		return nil, err
	}
	if rec == nil || rec.Key != v.p.String("username") {
		return nil, invalidSession
	}
	password, ok := r["NEW_PASSWORD"]
	if !ok {
		return nil, missing("NEW_PASSWORD")
	}
	if err := passwordPolicyError(si.p.passwordPolicy(), password, false); err != nil {
		return nil, err
	}
	var attrs []api.AttributeType
	for k, val := range r {
		if name, ok := strings.CutPrefix(k, "userAttributes."); ok {
			attrs = append(attrs, api.AttributeType{Name: new(name), Value: new(val)})
		}
	}
	if err := si.p.checkAttributes(attrs, attrsUpdate); err != nil {
		return nil, err
	}
	hash, err := HashPassword(password, s.hash)
	if err != nil {
		return nil, err
	}
	verifier := newSRPSecret(si.p, rec.Username, password)
	stored, u, err := s.updateUser(ctx, si.p, rec, func(_ *storage.User, u *userData, _ *storage.Deliveries) error {
		if u.Status != statusForceChangePassword {
			return invalidSession // the challenge was answered meanwhile
		}
		for _, a := range attrs {
			u.set(deref(a.Name), deref(a.Value))
		}
		if err := si.p.checkRequired(u); err != nil {
			return err
		}
		u.setPassword(hash, verifier)
		u.TempExpires, u.Status = 0, statusConfirmed
		return nil
	})
	if err != nil {
		return nil, err
	}
	// The new password done, the sign-in goes on to its MFA step.
	if plan, _ := si.p.mfaPlan(u, ""); plan.challenge != "" {
		return s.startMFA(ctx, si, stored, u, plan, "")
	}
	return s.finishSignIn(ctx, si, stored, u, "", "")
}

// The sign-in lockout: "after 5 failed sign-in attempts" a user is locked
// out for 2^(n-5) seconds, n the number of failures, up to about 15
// minutes; the count resets after a success or after 15 minutes without
// attempts [DOC authentication guide, via re:Post; issue4-facts §6]. The
// refusal is NotAuthorizedException "Password attempts exceeded" [OBS
// amazon-cognito-identity-js#506]. Attempts refused during a lockout are
// not counted (inferred).
const (
	lockoutAfter = 5
	lockoutMax   = 15 * time.Minute
	lockoutReset = 15 * time.Minute
	errLockedOut = "Password attempts exceeded"
)

// failures is the user's count of wrong passwords still in force at now.
func (u *userData) failures(now time.Time) int {
	if u.SignInFailures == 0 || now.UnixMilli()-u.LastSignInFailure >= lockoutReset.Milliseconds() {
		return 0
	}
	return u.SignInFailures
}

// lockedOut reports whether the user may not try a password at now.
func (u *userData) lockedOut(now time.Time) bool {
	n := u.failures(now)
	if n < lockoutAfter {
		return false
	}
	lock := lockoutMax
	if n-lockoutAfter < 10 {
		lock = min(time.Duration(1<<(n-lockoutAfter))*time.Second, lockoutMax)
	}
	return now.UnixMilli() < u.LastSignInFailure+lock.Milliseconds()
}

// countSignInFailure records a wrong password, with its auth event ev
// when threat protection recorded one.
func (s *Service) countSignInFailure(ctx context.Context, p *poolView, rec *storage.User, now time.Time, ev *pendingEvent) error {
	_, _, err := s.updateUser(ctx, p, rec, func(r *storage.User, u *userData, d *storage.Deliveries) error {
		u.SignInFailures = u.failures(now) + 1
		u.LastSignInFailure = now.UnixMilli()
		ev.appendTo(p, r, d)
		return &keepChange{}
	})
	if errors.Is(err, api.ErrUserNotFound) {
		return nil // deleted meanwhile: the sign-in fails all the same
	}
	return err
}
