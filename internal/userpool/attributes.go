package userpool

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/storage"
)

// This file changes users' attributes: UpdateUserAttributes and
// DeleteUserAttributes (the signed-in user, with an access token),
// AdminUpdateUserAttributes and AdminDeleteUserAttributes (an
// administrator), and the pending changes of the pool's
// UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate.
// Facts and their tags: docs/research/attributes-facts.md.
//
// A pending change is kept in the verification code sent for it
// (pendingCode.Value): the user keeps the old value, its verified flag and
// its alias until VerifyUserAttribute accepts the code, which then sets the
// new value, verified (selfservice.go) [DOC UpdateUserAttributes
// UserAttributes; VerifyUserAttribute]. GetUser and AdminGetUser show only
// the old value and its flag while the change is pending [OBS
// amplify-js#10967, attributes-facts §3].

// attrWriter is who writes attributes: the signed-in user may not set the
// *_verified flags or developer-only attributes, and only the attributes
// its app client may write; an administrator may.
type attrWriter int

const (
	byAdmin attrWriter = iota
	byUser
)

// errUnauthorizedAttribute is AWS's text for an attribute the user's app
// client may not write [OBS widely quoted for SignUp and
// UpdateUserAttributes, attributes-facts §2].
const errUnauthorizedAttribute = "A client attempted to write unauthorized attribute"

// requireSignInScope refuses an access token without the
// aws.cognito.signin.user.admin scope, which the user-attribute
// operations need [DOC UpdateUserAttributes; the text OBS
// amplify-js#6444]. Cognate's own sign-in tokens always carry it; a token
// of another scope can only come from elsewhere.
func requireSignInScope(v *verified) error {
	for _, sc := range strings.Fields(v.p.String("scope")) {
		if sc == adminScope {
			return nil
		}
	}
	return api.NotAuthorized("Access Token does not have required scopes")
}

// signedInUser is accessUser for the attribute operations: the token's
// scope is checked, and the app client's WriteAttributes are returned
// (nil: every attribute may be written).
func (s *Service) signedInUser(ctx context.Context, raw *string) (*poolView, *storage.User, *userData, []string, error) {
	p, rec, u, v, err := s.accessUser(ctx, raw)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	if err := requireSignInScope(v); err != nil {
		return nil, nil, nil, nil, err
	}
	c, err := s.tokenClient(ctx, storage.AppClientKey{PoolKey: p.rec.Key(), ClientID: v.p.String("client_id")})
	if errors.Is(err, api.ErrResourceNotFound) {
		// A deleted client writes as any client does (inferred [INF]).
		return p, rec, u, nil, nil
	}
	if err != nil {
		return nil, nil, nil, nil, err
	}
	return p, rec, u, c.WriteAttributes, nil
}

// checkWriter refuses, for a user, the attributes only an administrator
// writes: the *_verified flags (no client can be given them, inferred
// [INF]) and those outside the client's WriteAttributes [OBS]; and reports
// developer-only attributes as unknown, as SignUp does.
func checkWriter(names []string, who attrWriter, writable []string) error {
	if who != byUser {
		return nil
	}
	var lines []string
	for _, name := range names {
		if name == "email_verified" || name == "phone_number_verified" {
			return api.NotAuthorized(errUnauthorizedAttribute)
		}
		if len(writable) > 0 && !contains(writable, name) && !strings.HasPrefix(name, "dev:") {
			return api.NotAuthorized(errUnauthorizedAttribute)
		}
		if strings.HasPrefix(name, "dev:") {
			lines = append(lines, name+": Attribute does not exist in the schema.")
		}
	}
	if len(lines) > 0 {
		return schemaError(lines)
	}
	return nil
}

// checkDeletable checks attributes to delete (named in a Delete*
// operation, or given a blank value in an Update* one): they must exist,
// be mutable, not be sub, and not be required. The texts follow the
// schema family's (inferred [INF]).
func (p *poolView) checkDeletable(names []string) error {
	var lines []string
	for _, name := range names {
		def, ok := p.schema[name]
		switch {
		case !ok:
			lines = append(lines, name+": Attribute does not exist in the schema.")
		case name == "sub":
			lines = append(lines, "sub: Attribute cannot be updated.")
		case !deref(def.Mutable):
			lines = append(lines, name+": Attribute cannot be updated. (changing an immutable attribute)")
		case deref(def.Required):
			lines = append(lines, name+": The attribute is required")
		}
	}
	if len(lines) > 0 {
		return schemaError(lines)
	}
	return nil
}

// keepsOriginal reports whether a change of name (email or phone_number)
// waits for verification: the pool lists it in
// AttributesRequireVerificationBeforeUpdate, which CreateUserPool and
// UpdateUserPool only accept for auto-verified attributes [DOC].
func (p *poolView) keepsOriginal(name string) bool {
	s := p.cfg.UserAttributeUpdateSettings
	return s != nil && contains(s.AttributesRequireVerificationBeforeUpdate, name) && contains(p.cfg.AutoVerifiedAttributes, name)
}

// attrUpdate is a decided change of a user's attributes, applied the same
// way to a copy (to check aliases before anything is sent) and to the
// stored user inside the write.
type attrUpdate struct {
	in []api.AttributeType
	// given is the request's values by name (the last one wins).
	given map[string]string
	// pending are the email/phone values kept pending, by attribute.
	pending map[string]string
	// codes are the verification codes to store, by attribute.
	codes map[string]*pendingCode
	// changed are the verifiable attributes whose value changes now.
	changed map[string]bool
	// promote are the attributes whose pending value an administrator
	// marks verified.
	promote map[string]bool
	// cancel are the attributes set back to their value, which ends a
	// pending change.
	cancel map[string]bool
}

// apply makes the change to u.
func (c *attrUpdate) apply(u *userData) {
	for _, a := range c.in {
		name, value := deref(a.Name), deref(a.Value)
		if _, ok := c.pending[name]; ok {
			continue // the old value stays until the new one is verified
		}
		if value == "" {
			u.unset(name)
			if verifiable(name) {
				// Without its attribute, the flag and a code for it mean
				// nothing (inferred [INF]).
				u.unset(name + "_verified")
				delete(u.Codes, codeVerifyPrefix+name)
			}
			continue
		}
		u.set(name, value)
	}
	for name := range c.changed {
		delete(u.Codes, codeVerifyPrefix+name) // a code for the old value
		if _, flag := c.given[name+"_verified"]; !flag {
			u.set(name+"_verified", "false")
		}
	}
	for name := range c.cancel {
		if pc := u.Codes[codeVerifyPrefix+name]; pc != nil && pc.Value != "" {
			delete(u.Codes, codeVerifyPrefix+name)
		}
	}
	for name := range c.promote {
		if pc := u.Codes[codeVerifyPrefix+name]; pc != nil && pc.Value != "" {
			u.set(name, pc.Value)
			u.set(name+"_verified", "true")
			delete(u.Codes, codeVerifyPrefix+name)
		}
	}
	for name, pc := range c.codes {
		u.setCode(codeVerifyPrefix+name, pc)
	}
}

// cloneUser returns a deep copy of u.
func cloneUser(u *userData) *userData {
	var out userData
	_ = json.Unmarshal(encodeUser(u), &out) // encodeUser's output always decodes
	return &out
}

// updateAttributes is UpdateUserAttributes and AdminUpdateUserAttributes:
// it checks every attribute before it sends anything or changes anything,
// so that a refused request changes nothing. A changed email or phone
// number that the pool verifies automatically gets a code (and the
// message's outbox record, and on failure the userNotification record and
// the API error, as GetUserAttributeVerificationCode's) and becomes
// unverified, unless an administrator marks it verified in the same call;
// in a pool that keeps the original value, the change waits for the code
// instead [DOC AdminUpdateUserAttributes, UpdateUserAttributes,
// UserAttributeUpdateSettingsType].
func (s *Service) updateAttributes(ctx context.Context, p *poolView, rec *storage.User, u0 *userData, in []api.AttributeType, who attrWriter, writable []string) ([]api.CodeDeliveryDetailsType, error) {
	var names, deleted []string
	var sets []api.AttributeType
	for _, a := range in {
		names = append(names, deref(a.Name))
		if deref(a.Value) == "" {
			// "To delete an attribute from the user, submit the attribute
			// in your API request with a blank value" [DOC].
			deleted = append(deleted, deref(a.Name))
		} else {
			sets = append(sets, a)
		}
	}
	if err := checkWriter(names, who, writable); err != nil {
		return nil, err
	}
	if err := p.checkAttributes(sets, attrsUpdate); err != nil {
		return nil, err
	}
	if err := p.checkDeletable(deleted); err != nil {
		return nil, err
	}
	c := &attrUpdate{in: in, given: map[string]string{}, pending: map[string]string{}, codes: map[string]*pendingCode{},
		changed: map[string]bool{}, promote: map[string]bool{}, cancel: map[string]bool{}}
	for _, a := range in {
		c.given[deref(a.Name)] = deref(a.Value)
	}
	now := s.now()
	type send struct{ name, to string }
	var sends []send
	for _, name := range []string{"phone_number", "email"} {
		v, inRequest := c.given[name]
		old, _ := u0.get(name)
		markedVerified := who == byAdmin && c.given[name+"_verified"] == "true"
		if !inRequest || v == old {
			if inRequest {
				c.cancel[name] = true // [INF] setting the value back ends a pending change
			}
			if markedVerified {
				// "You can verify an updated email address or phone number
				// with a VerifyUserAttribute API request. You can also call
				// the AdminUpdateUserAttributes API and set email_verified
				// or phone_number_verified to true." [DOC
				// UserAttributeUpdateSettingsType]
				delete(c.cancel, name)
				c.promote[name] = true
			}
			continue
		}
		if v == "" {
			continue // deleted: apply handles it
		}
		if markedVerified {
			// Marked verified in the same request: set at once, no
			// message [DOC AdminUpdateUserAttributes UserAttributes].
			c.changed[name] = true
			continue
		}
		if p.keepsOriginal(name) && old != "" {
			// The old value stays active until the new one is verified.
			// With no old value there is nothing to keep: the new value
			// is set, unverified (inferred [INF]).
			c.pending[name] = v
		} else {
			c.changed[name] = true
		}
		if contains(p.cfg.AutoVerifiedAttributes, name) {
			pc := newPendingCode(now, codeVerifyTTL)
			pc.Attr = name
			if _, ok := c.pending[name]; ok {
				pc.Value = v
			}
			c.codes[name] = pc
			sends = append(sends, send{name, v})
		}
	}
	if err := s.checkNewAliases(ctx, p, rec, u0, c); err != nil {
		return nil, err
	}
	var (
		d       storage.Deliveries
		details []api.CodeDeliveryDetailsType
	)
	for _, m := range sends {
		out, err := s.send(ctx, p, p.verificationMessage(m.name, m.to, c.codes[m.name].Code, rec.Username, purposeVerifyAttribute), &d)
		if err != nil {
			_ = s.appendOnly(ctx, d) // the failed message and its userNotification record
			return nil, err
		}
		details = append(details, *out)
	}
	_, _, err := s.updateUser(ctx, p, rec, func(_ *storage.User, u *userData, dd *storage.Deliveries) error {
		*dd = d
		c.apply(u)
		return nil
	})
	if err != nil {
		_ = s.appendOnly(ctx, d) // nothing was stored; the messages were sent
		return nil, updateAliasError(err)
	}
	return details, nil
}

// checkNewAliases checks that the aliases change c gives the user are
// free, so that no message goes out for a change the write would refuse
// (the write checks them again). Pools without aliases skip the work.
func (s *Service) checkNewAliases(ctx context.Context, p *poolView, rec *storage.User, u0 *userData, c *attrUpdate) error {
	if len(p.cfg.UsernameAttributes) == 0 && len(p.cfg.AliasAttributes) == 0 {
		return nil
	}
	after := cloneUser(u0)
	c.apply(after)
	held := map[string]bool{}
	for _, a := range p.aliasesOf(u0) {
		held[a] = true
	}
	for _, a := range p.aliasesOf(after) {
		if held[a] {
			continue
		}
		holder, err := s.store.FindUser(ctx, p.rec.Key(), a)
		if err == nil && holder.Key != rec.Key {
			return updateAliasError(p.aliasError(&storage.AliasTakenError{Alias: a, Holder: holder.Key}))
		}
		if err != nil && !errors.Is(err, storage.ErrNotFound) {
			return err
		}
	}
	return nil
}

// updateAliasError: the attribute operations answer a taken alias with
// AliasExistsException, the only one of the two their models list, also
// in a pool that signs in with email or phone (inferred [INF]).
func updateAliasError(err error) error {
	var ae *api.Error
	if errors.As(err, &ae) && ae.Code == api.ErrUsernameExists.Code {
		return api.AliasExists("%s", ae.Message)
	}
	return err
}

// deleteAttributes is DeleteUserAttributes and AdminDeleteUserAttributes.
// A deleted email or phone number loses its verified flag, its pending
// change and so its alias (aliasesOf) [DOC AdminDeleteUserAttributes;
// INF for the flag].
func (s *Service) deleteAttributes(ctx context.Context, p *poolView, rec *storage.User, names []string, who attrWriter, writable []string) error {
	if err := checkWriter(names, who, writable); err != nil {
		return err
	}
	if err := p.checkDeletable(names); err != nil {
		return err
	}
	in := make([]api.AttributeType, 0, len(names))
	for _, name := range names {
		in = append(in, api.AttributeType{Name: new(name), Value: new("")})
	}
	c := &attrUpdate{in: in}
	_, _, err := s.updateUser(ctx, p, rec, func(_ *storage.User, u *userData, _ *storage.Deliveries) error {
		c.apply(u)
		return nil
	})
	return err
}

// UpdateUserAttributes changes the signed-in user's attributes and
// returns where the verification codes went [DOC]. ClientMetadata is
// accepted and, without Lambda triggers, serves no purpose [DOC].
func (s *Service) UpdateUserAttributes(ctx context.Context, in *api.UpdateUserAttributesRequest) (*api.UpdateUserAttributesResponse, error) {
	p, rec, u, writable, err := s.signedInUser(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	details, err := s.updateAttributes(ctx, p, rec, u, in.UserAttributes, byUser, writable)
	if err != nil {
		return nil, err
	}
	return &api.UpdateUserAttributesResponse{CodeDeliveryDetailsList: details}, nil
}

// AdminUpdateUserAttributes changes a user's attributes; the request may
// mark email or phone_number verified [DOC].
func (s *Service) AdminUpdateUserAttributes(ctx context.Context, in *api.AdminUpdateUserAttributesRequest) (*api.AdminUpdateUserAttributesResponse, error) {
	p, rec, u, err := s.adminUser(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	if _, err := s.updateAttributes(ctx, p, rec, u, in.UserAttributes, byAdmin, nil); err != nil {
		return nil, err
	}
	return &api.AdminUpdateUserAttributesResponse{}, nil
}

// DeleteUserAttributes deletes attributes of the signed-in user [DOC].
func (s *Service) DeleteUserAttributes(ctx context.Context, in *api.DeleteUserAttributesRequest) (*api.DeleteUserAttributesResponse, error) {
	p, rec, _, writable, err := s.signedInUser(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	if err := s.deleteAttributes(ctx, p, rec, in.UserAttributeNames, byUser, writable); err != nil {
		return nil, err
	}
	return &api.DeleteUserAttributesResponse{}, nil
}

// AdminDeleteUserAttributes deletes attributes of a user; the user's
// tokens keep the claims they were issued with [DOC].
func (s *Service) AdminDeleteUserAttributes(ctx context.Context, in *api.AdminDeleteUserAttributesRequest) (*api.AdminDeleteUserAttributesResponse, error) {
	p, rec, _, err := s.adminUser(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	if err := s.deleteAttributes(ctx, p, rec, in.UserAttributeNames, byAdmin, nil); err != nil {
		return nil, err
	}
	return &api.AdminDeleteUserAttributesResponse{}, nil
}
