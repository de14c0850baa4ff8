package userpool

import (
	"context"
	"crypto/subtle"
	"errors"
	"time"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/storage"
)

// The operations a signed-in user makes with an access token, and the
// sign-outs and revocations that end tokens.

// GetUser returns the user an access token belongs to.
func (s *Service) GetUser(ctx context.Context, in *api.GetUserRequest) (*api.GetUserResponse, error) {
	_, rec, u, _, err := s.accessUser(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	mfaList, preferred := u.mfaSettings()
	return &api.GetUserResponse{Username: new(rec.Username), UserAttributes: apiAttributes(u), UserMFASettingList: mfaList, PreferredMfaSetting: preferred}, nil
}

// verifiable reports whether name is an attribute a code can verify.
func verifiable(name string) bool { return name == "email" || name == "phone_number" }

// GetUserAttributeVerificationCode sends a code that verifies the user's
// email or phone number, as AdminUpdateUserAttributes does when it
// changes one (the message, its outbox record and, on failure, the
// userNotification record) [DOC].
func (s *Service) GetUserAttributeVerificationCode(ctx context.Context, in *api.GetUserAttributeVerificationCodeRequest) (*api.GetUserAttributeVerificationCodeResponse, error) {
	p, rec, u0, _, err := s.accessUser(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	name := deref(in.AttributeName)
	value, _ := u0.get(name)
	if !verifiable(name) || value == "" {
		return nil, api.InvalidParameter("Invalid attribute name") // inferred text [INF]
	}
	now := s.now()
	if err := u0.overQuota(quotaAttrCode, now); err != nil {
		return nil, err
	}
	c := newPendingCode(now, codeVerifyTTL)
	c.Attr = name
	if old := u0.Codes[codeVerifyPrefix+name]; old != nil && old.Value != "" {
		// A change waiting for verification (attributes.go): the new code
		// goes to the pending value and keeps it pending (inferred [INF]).
		value, c.Value = old.Value, old.Value
	}
	var d storage.Deliveries
	details, err := s.send(ctx, p, p.verificationMessage(name, value, c.Code, rec.Username, purposeVerifyAttribute), &d)
	if err != nil {
		_ = s.appendOnly(ctx, d) // the failed message and its userNotification record
		return nil, err
	}
	_, _, err = s.updateUser(ctx, p, rec, func(_ *storage.User, u *userData, dd *storage.Deliveries) error {
		*dd = d
		u.setCode(codeVerifyPrefix+name, c)
		u.countRequest(quotaAttrCode, now)
		return nil
	})
	if err != nil {
		_ = s.appendOnly(ctx, d) // nothing was stored; the message was sent
		return nil, err
	}
	return &api.GetUserAttributeVerificationCodeResponse{CodeDeliveryDetails: details}, nil
}

// VerifyUserAttribute marks the email or phone number verified with the
// code sent for it. The code's texts and failure counting are
// checkCode's; a verified alias attribute becomes a sign-in alias.
func (s *Service) VerifyUserAttribute(ctx context.Context, in *api.VerifyUserAttributeRequest) (*api.VerifyUserAttributeResponse, error) {
	p, rec, _, _, err := s.accessUser(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	name := deref(in.AttributeName)
	if !verifiable(name) {
		return nil, api.InvalidParameter("Invalid attribute name") // inferred text [INF]
	}
	now := s.now()
	_, _, err = s.updateUser(ctx, p, rec, func(_ *storage.User, u *userData, _ *storage.Deliveries) error {
		c, err := u.checkCode(codeVerifyPrefix+name, deref(in.Code), now)
		if err != nil {
			return err
		}
		delete(u.Codes, codeVerifyPrefix+name)
		if c.Value != "" {
			// A pending change takes effect: "this operation updates the
			// affected attribute to its pending value" [DOC
			// VerifyUserAttribute]; attributes.go.
			u.set(name, c.Value)
		}
		u.set(name+"_verified", "true")
		return nil
	})
	if err != nil {
		return nil, updateAliasError(err)
	}
	return &api.VerifyUserAttributeResponse{}, nil
}

// signOut revokes every token of the user issued up to now.
func (s *Service) signOut(ctx context.Context, p *poolView, rec *storage.User) error {
	now := s.now().UnixMilli()
	_, _, err := s.updateUser(ctx, p, rec, func(_ *storage.User, u *userData, _ *storage.Deliveries) error {
		u.SignedOut = now
		return nil
	})
	return err
}

// GlobalSignOut revokes the user's ID, access and refresh tokens [DOC].
func (s *Service) GlobalSignOut(ctx context.Context, in *api.GlobalSignOutRequest) (*api.GlobalSignOutResponse, error) {
	p, rec, _, _, err := s.accessUser(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	if err := s.signOut(ctx, p, rec); err != nil {
		return nil, err
	}
	return &api.GlobalSignOutResponse{}, nil
}

// AdminUserGlobalSignOut revokes a user's tokens [DOC].
func (s *Service) AdminUserGlobalSignOut(ctx context.Context, in *api.AdminUserGlobalSignOutRequest) (*api.AdminUserGlobalSignOutResponse, error) {
	p, rec, _, err := s.adminUser(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	if err := s.signOut(ctx, p, rec); err != nil {
		return nil, err
	}
	return &api.AdminUserGlobalSignOutResponse{}, nil
}

// RevokeToken revokes a refresh token and the access and ID tokens issued
// with it (its origin_jti family) [DOC RevokeToken], durably.
func (s *Service) RevokeToken(ctx context.Context, in *api.RevokeTokenRequest) (*api.RevokeTokenResponse, error) {
	v, err := s.verifyToken(ctx, deref(in.Token), useRefresh, refreshTokenErrors)
	if err != nil {
		var ae *api.Error
		if !errors.As(err, &ae) {
			return nil, err
		}
		switch ae.Message {
		case refreshTokenErrors.revoked:
			return &api.RevokeTokenResponse{}, nil // revoking twice is not an error [INF]
		case refreshTokenErrors.invalid:
			return nil, api.UnsupportedTokenType("Unsupported token type") // inferred text [INF]
		}
		return nil, err
	}
	id := deref(in.ClientId)
	c, err := s.tokenClient(ctx, storage.AppClientKey{PoolKey: v.rec.Key(), ClientID: id})
	if err != nil {
		return nil, err
	}
	if secret := deref(c.ClientSecret); secret != "" && subtle.ConstantTimeCompare([]byte(secret), []byte(deref(in.ClientSecret))) != 1 {
		return nil, api.NotAuthorized("Unable to verify secret for client %s", id) // inferred text [INF]
	}
	if !deref(c.EnableTokenRevocation) {
		return nil, api.UnsupportedOperation("Token revocation is not enabled for this app client.") // inferred text [INF]
	}
	if v.p.String("client_id") != id {
		return nil, api.Unauthorized("The token was not issued to this client.") // inferred text [INF]
	}
	if err := s.store.RevokeToken(ctx, v.rec.Key(), v.p.String("origin_jti"), time.Unix(v.p.Int("exp"), 0)); err != nil {
		return nil, storeError(v.rec.ID, err)
	}
	return &api.RevokeTokenResponse{}, nil
}

// ChangePassword changes the signed-in user's password after checking
// the previous one; the user's tokens stay valid [DOC ChangePassword].
func (s *Service) ChangePassword(ctx context.Context, in *api.ChangePasswordRequest) (*api.ChangePasswordResponse, error) {
	p, rec, u, v, err := s.accessUser(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	ok, err := VerifyPassword(u.Hash, deref(in.PreviousPassword))
	if err != nil && !errors.Is(err, errBadHash) {
		return nil, err
	}
	if !ok {
		return nil, api.NotAuthorized(errIncorrect) // [OBS, widely quoted for ChangePassword]
	}
	proposed := deref(in.ProposedPassword)
	if err := passwordPolicyError(p.passwordPolicy(), proposed, false); err != nil {
		return nil, err
	}
	clientID, _ := v.p.Claims["client_id"].(string)
	client := &api.UserPoolClientType{ClientId: &clientID}
	ev, err := s.passwordEvent(ctx, p, client, nil, eventPasswordChange, responsePass, filterPasswordChange, proposed)
	var refused *api.Error
	if errors.As(err, &refused) && p.threatMode() != "" {
		// The refused change is recorded: the user exists [INF].
		_ = s.recordEvent(ctx, p, rec, authEvent{typ: eventPasswordChange, response: responseFail,
			v: verdict{decision: decisionBlock, compromised: true}, ec: eventContext{ip: callerIP(ctx)}, clientID: clientID})
	}
	if err != nil {
		return nil, err
	}
	hash, err := HashPassword(proposed, s.hash)
	if err != nil {
		return nil, err
	}
	verifier := newSRPSecret(p, rec.Username, proposed)
	_, _, err = s.updateUser(ctx, p, rec, func(r *storage.User, u *userData, dd *storage.Deliveries) error {
		u.setPassword(hash, verifier)
		ev.appendTo(p, r, dd)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &api.ChangePasswordResponse{}, nil
}

// DeleteUser deletes the signed-in user [DOC DeleteUser]; its tokens stop
// working with it.
func (s *Service) DeleteUser(ctx context.Context, in *api.DeleteUserRequest) (*api.Empty, error) {
	p, rec, _, _, err := s.accessUser(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	if err := s.deleteUser(ctx, p, rec); err != nil {
		return nil, err
	}
	return &api.Empty{}, nil
}
