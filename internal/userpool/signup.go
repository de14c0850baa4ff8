package userpool

import (
	"context"
	"errors"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/messaging"
	"github.com/cognate/cognate/internal/storage"
)

// The client-side flows of sign-up and password recovery, and their admin
// counterparts.

// clientUserNotFound is AWS's text for an unknown user in client flows
// with PreventUserExistenceErrors off [OBS aws-sdk-ios#4837].
func clientUserNotFound() error {
	return api.UserNotFound("Username/client id combination not found.")
}

// hidesUsers reports whether a client has PreventUserExistenceErrors
// ENABLED: then account confirmation and password recovery do not tell
// whether a user exists [DOC cognito-user-pool-managing-errors].
func hidesUsers(c *api.UserPoolClientType) bool {
	return c != nil && deref(c.PreventUserExistenceErrors) == "ENABLED"
}

// simulatedDelivery is the CodeDeliveryDetails ForgotPassword and
// ResendConfirmationCode return, sending nothing, for a user who does not
// exist (or, for ForgotPassword, is disabled or has nowhere to receive a
// code) when the client hides users. AWS derives the "simulated delivery
// medium" from the username's format and the pool's verification settings
// [DOC cognito-user-pool-managing-errors]; the exact rule is inferred: a
// phone number goes by SMS, an email by email, and any other name by the
// medium the pool verifies (email first), to a made-up address [OBS
// aws-sdk-ios#4837 shows a fake "u***@y***"].
func (p *poolView) simulatedDelivery(username string) *api.CodeDeliveryDetailsType {
	attrName, medium, to := "email", messaging.Email, username
	switch {
	case messaging.ValidPhone(username):
		attrName, medium = "phone_number", messaging.SMS
	case isEmail(username):
	case contains(p.cfg.AutoVerifiedAttributes, "phone_number") && !contains(p.cfg.AutoVerifiedAttributes, "email"):
		attrName, medium, to = "phone_number", messaging.SMS, "+10000000000"
	default:
		to = username + "@example.com"
	}
	return &api.CodeDeliveryDetailsType{AttributeName: new(attrName), DeliveryMedium: new(medium), Destination: new(messaging.MaskDestination(medium, to))}
}

// SignUp registers a user (UNCONFIRMED) and sends a confirmation code to
// the attribute the pool verifies automatically. When the code cannot be
// delivered the user is kept and the call fails with the delivery error,
// as AWS does (issue4-facts §4/§7): ResendConfirmationCode can follow.
func (s *Service) SignUp(ctx context.Context, in *api.SignUpRequest) (*api.SignUpResponse, error) {
	name := deref(in.Username)
	p, client, err := s.clientPool(ctx, in.ClientId, in.SecretHash, name)
	if err != nil {
		return nil, err
	}
	if c := p.cfg.AdminCreateUserConfig; c != nil && deref(c.AllowAdminCreateUserOnly) {
		return nil, api.NotAuthorized("SignUp is not permitted for this user pool") // [OBS, widely quoted]
	}
	if err := p.checkAttributes(in.UserAttributes, attrsSignUp); err != nil {
		return nil, err
	}
	password := deref(in.Password)
	if password == "" {
		// Passwordless sign-up (USER_AUTH) is not supported; inferred text.
		return nil, api.InvalidParameter("Password is required.")
	}
	if err := passwordPolicyError(p.passwordPolicy(), password, false); err != nil {
		return nil, err
	}
	// Threat protection refuses a compromised password before anything
	// exists (so there is no user to record the event for).
	ev, err := s.passwordEvent(ctx, p, client, in.UserContextData, eventSignUp, responseInProgress, filterSignUp, password)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	u := &userData{Status: statusUnconfirmed}
	sub := newSub()
	u.set("sub", sub)
	for _, a := range in.UserAttributes {
		u.set(deref(a.Name), deref(a.Value))
	}
	username, key, err := p.newUsername(name, sub, u)
	if err != nil {
		return nil, err
	}
	if err := p.checkRequired(u); err != nil {
		return nil, err
	}
	// Free before a code goes out [OBS amplify-js#6238 for the text].
	if _, err := s.store.GetUser(ctx, p.userKey(key)); err == nil {
		return nil, api.UsernameExists("User already exists")
	}
	aliases := p.aliasesOf(u)
	for _, a := range aliases {
		if _, err := s.store.FindUser(ctx, p.rec.Key(), a); err == nil {
			return nil, p.aliasError(&storage.AliasTakenError{Alias: a})
		}
	}
	if u.Hash, err = HashPassword(password, s.hash); err != nil {
		return nil, err
	}
	u.setPassword(u.Hash, newSRPSecret(p, username, password))
	var (
		d       storage.Deliveries
		details *api.CodeDeliveryDetailsType
		sendErr error
	)
	if target := p.verifyTarget(u); target != "" {
		c := newPendingCode(now, codeSignUpTTL)
		c.Attr = target
		to, _ := u.get(target)
		details, sendErr = s.send(ctx, p, p.verificationMessage(target, to, c.Code, username, purposeSignUp), &d)
		u.setCode(codeSignUp, c)
	}
	rec := &storage.User{
		AccountID: p.rec.AccountID, Region: p.rec.Region, PoolID: p.rec.ID, Key: key, Username: username, Sub: sub,
		CreatedAt: now, UpdatedAt: now, Data: encodeUser(u), Aliases: aliases,
	}
	ev.appendTo(p, rec, &d)
	err = s.store.CreateUser(ctx, rec, d)
	s.users.changed(p.rec.Key())
	if err != nil {
		if errors.Is(err, storage.ErrAlreadyExists) {
			err = api.UsernameExists("User already exists")
		}
		_ = s.appendOnly(ctx, d)
		return nil, userStoreError(p, err)
	}
	s.stored(d)
	if sendErr != nil {
		return nil, sendErr
	}
	return &api.SignUpResponse{UserConfirmed: new(false), UserSub: new(sub), CodeDeliveryDetails: details}, nil
}

// clientUser authenticates a client call and finds its user.
func (s *Service) clientUser(ctx context.Context, clientID, hash, username *string) (*poolView, *api.UserPoolClientType, *storage.User, error) {
	p, c, err := s.clientPool(ctx, clientID, hash, deref(username))
	if err != nil {
		return nil, nil, nil, err
	}
	rec, err := s.findUser(ctx, p, deref(username))
	if err != nil {
		return nil, nil, nil, err
	}
	return p, c, rec, nil
}

// notConfirmable is AWS's text for confirming a user who is not
// UNCONFIRMED [OBS furaiev/amazon-cognito-identity-dart-2#80].
func notConfirmable(status string) error {
	return api.NotAuthorized("User cannot be confirmed. Current status is %s", status)
}

// ConfirmSignUp confirms a user with the code sent at sign-up; the
// attribute the code went to becomes verified.
func (s *Service) ConfirmSignUp(ctx context.Context, in *api.ConfirmSignUpRequest) (*api.ConfirmSignUpResponse, error) {
	p, _, rec, err := s.clientUser(ctx, in.ClientId, in.SecretHash, in.Username)
	if err != nil {
		return nil, err
	}
	if rec == nil {
		return nil, clientUserNotFound()
	}
	now := s.now()
	confirm := func(_ *storage.User, u *userData, _ *storage.Deliveries) error {
		if u.Status != statusUnconfirmed {
			return notConfirmable(u.Status)
		}
		c, err := u.checkCode(codeSignUp, deref(in.ConfirmationCode), now)
		if err != nil {
			return err
		}
		u.Status = statusConfirmed
		if c.Attr != "" {
			u.set(c.Attr+"_verified", "true")
		}
		delete(u.Codes, codeSignUp)
		return nil
	}
	_, _, err = s.updateUser(ctx, p, rec, confirm)
	if errors.Is(err, api.ErrAliasExists) && deref(in.ForceAliasCreation) {
		u, derr := decodeUser(rec)
		if derr != nil {
			return nil, derr
		}
		if c := u.Codes[codeSignUp]; c != nil && c.Attr != "" {
			if v, ok := u.get(c.Attr); ok {
				if err = s.releaseAliases(ctx, p, []string{aliasKey(c.Attr, v)}); err == nil {
					_, _, err = s.updateUser(ctx, p, rec, confirm)
				}
			}
		}
	}
	if err != nil {
		return nil, err
	}
	return &api.ConfirmSignUpResponse{}, nil
}

// AdminConfirmSignUp confirms a user without a code; it verifies no
// attribute [DOC].
func (s *Service) AdminConfirmSignUp(ctx context.Context, in *api.AdminConfirmSignUpRequest) (*api.AdminConfirmSignUpResponse, error) {
	p, rec, _, err := s.adminUser(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	_, _, err = s.updateUser(ctx, p, rec, func(_ *storage.User, u *userData, _ *storage.Deliveries) error {
		if u.Status != statusUnconfirmed {
			return notConfirmable(u.Status)
		}
		u.Status = statusConfirmed
		delete(u.Codes, codeSignUp)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &api.AdminConfirmSignUpResponse{}, nil
}

// ResendConfirmationCode sends a new sign-up code; the old one stops
// working.
func (s *Service) ResendConfirmationCode(ctx context.Context, in *api.ResendConfirmationCodeRequest) (*api.ResendConfirmationCodeResponse, error) {
	p, client, rec, err := s.clientUser(ctx, in.ClientId, in.SecretHash, in.Username)
	if err != nil {
		return nil, err
	}
	if rec == nil {
		if hidesUsers(client) {
			// "Amazon Cognito returns CodeDeliveryDetails for a disabled
			// user or a user that doesn't exist" [DOC managing-errors].
			return &api.ResendConfirmationCodeResponse{CodeDeliveryDetails: p.simulatedDelivery(deref(in.Username))}, nil
		}
		return nil, clientUserNotFound()
	}
	u0, err := decodeUser(rec)
	if err != nil {
		return nil, err
	}
	if u0.Disabled && hidesUsers(client) {
		return &api.ResendConfirmationCodeResponse{CodeDeliveryDetails: p.simulatedDelivery(deref(in.Username))}, nil
	}
	if u0.Status != statusUnconfirmed {
		return nil, api.InvalidParameter("User is already confirmed.") // [OBS amazon-cognito-identity-js#525]
	}
	target := p.verifyTarget(u0)
	if target == "" {
		// Inferred text (AWS's is remembered, not sourced).
		return nil, api.InvalidParameter("Cannot resend codes. Auto verification not turned on.")
	}
	now := s.now()
	if err := u0.overQuota(quotaResendCode, now); err != nil {
		return nil, err
	}
	c := newPendingCode(now, codeSignUpTTL)
	c.Attr = target
	to, _ := u0.get(target)
	ev, err := s.plainEvent(ctx, p, client, in.UserContextData, eventResendCode)
	if err != nil {
		return nil, err
	}
	var d storage.Deliveries
	details, err := s.send(ctx, p, p.verificationMessage(target, to, c.Code, rec.Username, purposeResendCode), &d)
	if err != nil {
		_ = s.appendOnly(ctx, d)
		return nil, err
	}
	_, _, err = s.updateUser(ctx, p, rec, func(r *storage.User, u *userData, dd *storage.Deliveries) error {
		*dd = d
		u.setCode(codeSignUp, c)
		u.countRequest(quotaResendCode, now)
		ev.appendTo(p, r, dd)
		return nil
	})
	if err != nil {
		// Nothing was stored (the user went meanwhile): keep the record
		// of the message that was sent.
		_ = s.appendOnly(ctx, d)
		return nil, err
	}
	return &api.ResendConfirmationCodeResponse{CodeDeliveryDetails: details}, nil
}

// ForgotPassword sends a password-reset code to the user's verified email
// or phone number.
func (s *Service) ForgotPassword(ctx context.Context, in *api.ForgotPasswordRequest) (*api.ForgotPasswordResponse, error) {
	p, client, rec, err := s.clientUser(ctx, in.ClientId, in.SecretHash, in.Username)
	if err != nil {
		return nil, err
	}
	if rec == nil {
		if hidesUsers(client) {
			// A plausible answer for a user who does not exist [DOC
			// managing-errors; OBS aws-sdk-ios#4837]; nothing is sent.
			return &api.ForgotPasswordResponse{CodeDeliveryDetails: p.simulatedDelivery(deref(in.Username))}, nil
		}
		return nil, clientUserNotFound()
	}
	ev, err := s.plainEvent(ctx, p, client, in.UserContextData, eventForgotPassword)
	if err != nil {
		return nil, err
	}
	details, err := s.sendResetCode(ctx, p, rec, purposeForgotPassword, false, ev)
	var ae *api.Error
	if err != nil && hidesUsers(client) && errors.As(err, &ae) && (ae.Message == errUserDisabled || ae.Message == errNoRecovery) {
		// "When a user isn't found, is deactivated, or doesn't have a
		// verified delivery mechanism to recover their password, Amazon
		// Cognito returns CodeDeliveryDetails with a simulated delivery
		// medium" [DOC managing-errors].
		return &api.ForgotPasswordResponse{CodeDeliveryDetails: p.simulatedDelivery(deref(in.Username))}, nil
	}
	if err != nil {
		return nil, err
	}
	return &api.ForgotPasswordResponse{CodeDeliveryDetails: details}, nil
}

// errNoRecovery is AWS's text when a user has nowhere to receive a reset
// code [OBS aws-sdk-js-v3#7101].
const errNoRecovery = "Cannot reset password for the user as there is no registered/verified email or phone_number"

// errUserDisabled is the text for a disabled user [EMU moto; widely seen,
// INF].
const errUserDisabled = "User is disabled."

// sendResetCode sends a forgot-password code (valid 1 hour) to the user's
// recovery destination; admin resets also put the user in RESET_REQUIRED.
func (s *Service) sendResetCode(ctx context.Context, p *poolView, rec *storage.User, purpose string, admin bool, ev *pendingEvent) (*api.CodeDeliveryDetailsType, error) {
	u0, err := decodeUser(rec)
	if err != nil {
		return nil, err
	}
	if u0.Disabled && !admin {
		return nil, api.NotAuthorized(errUserDisabled)
	}
	switch {
	case admin && u0.Status != statusConfirmed && u0.Status != statusResetRequired:
		return nil, api.NotAuthorized("User password cannot be reset in the current state.") // [EMU moto]
	case !admin && u0.Status == statusForceChangePassword:
		// Users with a temporary password cannot use ForgotPassword [DOC
		// re:Post]; the text is moto's [EMU].
		return nil, api.NotAuthorized("User password cannot be reset in the current state.")
	}
	target, adminOnly := p.recoveryTarget(u0)
	if adminOnly && !admin {
		return nil, api.NotAuthorized("Contact administrator to reset password.") // inferred text
	}
	if target == "" {
		if !admin && u0.Status == statusUnconfirmed {
			// An UNCONFIRMED user gets a 200 and no message [OBS
			// aws-aspnet-cognito-identity-provider#179].
			for _, name := range []string{"phone_number", "email"} {
				if v, ok := u0.get(name); ok && v != "" {
					medium := messaging.Email
					if name == "phone_number" {
						medium = messaging.SMS
					}
					return &api.CodeDeliveryDetailsType{AttributeName: new(name), DeliveryMedium: new(medium), Destination: new(messaging.MaskDestination(medium, v))}, nil
				}
			}
		}
		return nil, api.InvalidParameter(errNoRecovery)
	}
	c := newPendingCode(s.now(), codeForgotTTL)
	c.Attr = target
	to, _ := u0.get(target)
	var d storage.Deliveries
	details, err := s.send(ctx, p, p.verificationMessage(target, to, c.Code, rec.Username, purpose), &d)
	if err != nil {
		_ = s.appendOnly(ctx, d)
		return nil, err
	}
	_, _, err = s.updateUser(ctx, p, rec, func(r *storage.User, u *userData, dd *storage.Deliveries) error {
		*dd = d
		u.setCode(codeForgotPassword, c)
		if admin {
			u.Status = statusResetRequired
		}
		ev.appendTo(p, r, dd)
		return nil
	})
	if err != nil {
		_ = s.appendOnly(ctx, d) // nothing was stored; the message was sent
		return nil, err
	}
	return details, nil
}

// ConfirmForgotPassword sets a new password with a forgot-password code.
func (s *Service) ConfirmForgotPassword(ctx context.Context, in *api.ConfirmForgotPasswordRequest) (*api.ConfirmForgotPasswordResponse, error) {
	p, client, rec, err := s.clientUser(ctx, in.ClientId, in.SecretHash, in.Username)
	if err != nil {
		return nil, err
	}
	// With PreventUserExistenceErrors ENABLED, "Amazon Cognito returns the
	// CodeMismatchException error for users that don't exist or are
	// disabled. If a code isn't requested when using ForgotPassword,
	// Amazon Cognito returns the ExpiredCodeException error" [DOC
	// managing-errors].
	hide := hidesUsers(client)
	mismatch := api.CodeMismatch("Invalid verification code provided, please try again.")
	if rec == nil {
		if hide {
			return nil, mismatch
		}
		return nil, clientUserNotFound()
	}
	password := deref(in.Password)
	if err := passwordPolicyError(p.passwordPolicy(), password, false); err != nil {
		return nil, err
	}
	now := s.now()
	// The code is checked before the (slow) hash, on the stored user, and
	// again inside the update.
	u0, err := decodeUser(rec)
	if err != nil {
		return nil, err
	}
	if u0.Disabled {
		if hide {
			return nil, mismatch
		}
		// A disabled user cannot use a code sent before (inferred; the
		// text is ForgotPassword's [EMU moto]).
		return nil, api.NotAuthorized(errUserDisabled)
	}
	if hide && u0.Codes[codeForgotPassword] == nil {
		return nil, api.ExpiredCode("Invalid code provided, please request a code again.")
	}
	if _, err := u0.checkCode(codeForgotPassword, deref(in.ConfirmationCode), now); err != nil {
		var keep *keepChange
		if !errors.As(err, &keep) {
			return nil, err
		}
		// Count the wrong entry on the stored user.
		_, _, err = s.updateUser(ctx, p, rec, func(_ *storage.User, u *userData, _ *storage.Deliveries) error {
			if _, err := u.checkCode(codeForgotPassword, deref(in.ConfirmationCode), now); err != nil {
				return err
			}
			return keep // the code matched meanwhile: still refuse this call, change nothing
		})
		if err == nil {
			err = keep.err
		}
		return nil, err
	}
	// A reset is a password change to threat protection [INF: the
	// PASSWORD_CHANGE filter; a compromised password is refused here
	// too, OBS threat-facts §3].
	ev, err := s.passwordEvent(ctx, p, client, in.UserContextData, eventPasswordChange, responsePass, filterPasswordChange, password)
	if err != nil {
		return nil, err
	}
	hash, err := HashPassword(password, s.hash)
	if err != nil {
		return nil, err
	}
	verifier := newSRPSecret(p, rec.Username, password)
	_, _, err = s.updateUser(ctx, p, rec, func(r *storage.User, u *userData, dd *storage.Deliveries) error {
		if _, err := u.checkCode(codeForgotPassword, deref(in.ConfirmationCode), now); err != nil {
			return err
		}
		ev.appendTo(p, r, dd)
		delete(u.Codes, codeForgotPassword)
		u.setPassword(hash, verifier)
		u.TempExpires = 0
		if u.Status == statusResetRequired || u.Status == statusForceChangePassword {
			u.Status = statusConfirmed
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &api.ConfirmForgotPasswordResponse{}, nil
}

// AdminResetUserPassword sends the user a reset code and requires a new
// password (RESET_REQUIRED) [DOC].
func (s *Service) AdminResetUserPassword(ctx context.Context, in *api.AdminResetUserPasswordRequest) (*api.AdminResetUserPasswordResponse, error) {
	p, rec, _, err := s.adminUser(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	if _, err := s.sendResetCode(ctx, p, rec, purposeForgotPassword, true, nil); err != nil {
		return nil, err
	}
	return &api.AdminResetUserPasswordResponse{}, nil
}
