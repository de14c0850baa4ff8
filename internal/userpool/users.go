package userpool

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/messaging"
	"github.com/cognate/cognate/internal/storage"
)

// User statuses (UserStatusType).
const (
	statusUnconfirmed         = "UNCONFIRMED"
	statusConfirmed           = "CONFIRMED"
	statusForceChangePassword = "FORCE_CHANGE_PASSWORD"
	statusResetRequired       = "RESET_REQUIRED"
)

// userData is what the domain keeps of a user in storage.User.Data.
// Passwords are kept only as argon2id hashes; codes are kept as sent
// (they are in the message outbox anyway).
type userData struct {
	Attrs    []attr `json:"a"`
	Status   string `json:"s"`
	Disabled bool   `json:"d,omitempty"`
	// Hash is the argon2id hash of the password; "" means no password
	// (none matches).
	Hash string `json:"h,omitempty"`
	// TempExpires is when a temporary password stops working (unix ms).
	TempExpires int64 `json:"t,omitempty"`
	// Codes are the pending codes by purpose (codes.go).
	Codes map[string]*pendingCode `json:"c,omitempty"`
	// SignedOut is when the user last signed out everywhere or was
	// disabled (unix ms): tokens issued up to then are revoked (tokens.go).
	SignedOut int64 `json:"so,omitempty"`
	// SignInFailures counts wrong passwords in a row, the last at
	// LastSignInFailure (unix ms), for the sign-in lockout (auth.go).
	SignInFailures    int   `json:"sf,omitempty"`
	LastSignInFailure int64 `json:"sl,omitempty"`
	// Requests counts code requests per operation for the hourly
	// per-user quotas (codes.go).
	Requests map[string]*requestWindow `json:"r,omitempty"`
	// KnownIPs and KnownDevices are those of the user's passed sign-ins
	// (and events given valid feedback), DistrustedIPs those of events
	// given invalid feedback: threat protection's history (threat.go).
	KnownIPs []string `json:"ki,omitempty"`
	// SRPSalt and SRPVerifier (hex) are the password's SRP-6a salt and
	// verifier, for USER_SRP_AUTH (srp.go).
	SRPSalt       string   `json:"ss,omitempty"`
	SRPVerifier   string   `json:"sv,omitempty"`
	KnownDevices  []string `json:"kd,omitempty"`
	DistrustedIPs []string `json:"di,omitempty"`
	// MFA is the user's MFA factors, TOTP secret and preference (mfa.go).
	MFA *userMFA `json:"m,omitempty"`
	// Devices are the user's confirmed devices, ForgottenDevices the keys
	// of the last ones forgotten (devices.go).
	Devices          []device `json:"dv,omitempty"`
	ForgottenDevices []string `json:"fd,omitempty"`
}

// attr is one attribute, kept in the order it was first set (sub first).
type attr struct {
	N string `json:"n"`
	V string `json:"v"`
}

func (u *userData) get(name string) (string, bool) {
	for _, a := range u.Attrs {
		if a.N == name {
			return a.V, true
		}
	}
	return "", false
}

func (u *userData) set(name, value string) {
	for i := range u.Attrs {
		if u.Attrs[i].N == name {
			u.Attrs[i].V = value
			return
		}
	}
	u.Attrs = append(u.Attrs, attr{name, value})
}

func (u *userData) unset(name string) {
	for i := range u.Attrs {
		if u.Attrs[i].N == name {
			u.Attrs = append(u.Attrs[:i], u.Attrs[i+1:]...)
			return
		}
	}
}

func (u *userData) verified(attrName string) bool {
	v, _ := u.get(attrName + "_verified")
	return v == "true"
}

func decodeUser(rec *storage.User) (*userData, error) {
	var u userData
	if err := json.Unmarshal(rec.Data, &u); err != nil {
		return nil, fmt.Errorf("decode user %s: %w", rec.Key, err)
	}
	return &u, nil
}

func encodeUser(u *userData) []byte {
	b, _ := json.Marshal(u) // plain strings and numbers always marshal
	return b
}

// poolView is a pool with its decoded settings and schema.
type poolView struct {
	rec    *storage.UserPool
	cfg    *api.UserPoolType
	schema map[string]*api.SchemaAttributeType
}

// loadPool reads a pool for a user operation.
func (s *Service) loadPool(ctx context.Context, key storage.PoolKey) (*poolView, error) {
	rec, err := s.store.GetUserPool(ctx, key)
	if err != nil {
		return nil, storeError(key.ID, err)
	}
	cfg, err := s.reads.settings(rec)
	if err != nil {
		return nil, err
	}
	p := &poolView{rec: rec, cfg: cfg, schema: make(map[string]*api.SchemaAttributeType, len(cfg.SchemaAttributes))}
	for i := range cfg.SchemaAttributes {
		a := &cfg.SchemaAttributes[i]
		p.schema[deref(a.Name)] = a
	}
	return p, nil
}

// passwordPolicy is the pool's password policy, nil if it has none.
func (p *poolView) passwordPolicy() *api.PasswordPolicyType {
	if p.cfg.Policies == nil {
		return nil
	}
	return p.cfg.Policies.PasswordPolicy
}

// caseSensitive: pools created through the API without
// UsernameConfiguration compare usernames case-sensitively [DOC
// UsernameConfigurationType: "the default … is case sensitive" for the API].
func (p *poolView) caseSensitive() bool {
	uc := p.cfg.UsernameConfiguration
	return uc == nil || uc.CaseSensitive == nil || *uc.CaseSensitive
}

func (p *poolView) usernameKey(name string) string {
	if p.caseSensitive() {
		return name
	}
	return strings.ToLower(name)
}

func (p *poolView) userKey(key string) storage.UserKey {
	return storage.UserKey{PoolKey: p.rec.Key(), Key: key}
}

// aliasesOf returns the lookup keys a user holds besides its username:
// email and phone_number when they are username attributes (held from the
// start), or alias attributes once verified; preferred_username as soon as
// it is set [DOC idp model AliasAttributes; issue4-facts §4.1 notes].
func (p *poolView) aliasesOf(u *userData) []string {
	var out []string
	for _, name := range []string{"email", "phone_number"} {
		v, ok := u.get(name)
		if !ok || v == "" {
			continue
		}
		if contains(p.cfg.UsernameAttributes, name) || (contains(p.cfg.AliasAttributes, name) && u.verified(name)) {
			out = append(out, aliasKey(name, v))
		}
	}
	if contains(p.cfg.AliasAttributes, "preferred_username") {
		if v, ok := u.get("preferred_username"); ok && v != "" {
			out = append(out, "preferred_username:"+p.usernameKey(v))
		}
	}
	return out
}

// aliasKey is the store's alias for an attribute value: emails compare
// case-insensitively (inferred), phone numbers exactly.
func aliasKey(name, value string) string {
	if name == "email" {
		value = strings.ToLower(value)
	}
	return name + ":" + value
}

// findUser returns the user name designates: its username, or an alias
// the pool signs in with [DOC AdminGetUser "Username … can also be an
// alias"]. It returns nil when there is none.
func (s *Service) findUser(ctx context.Context, p *poolView, name string) (*storage.User, error) {
	rec, err := s.store.GetUser(ctx, p.userKey(p.usernameKey(name)))
	if err == nil || !errors.Is(err, storage.ErrNotFound) {
		return rec, err
	}
	var aliases []string
	if isEmail(name) && (contains(p.cfg.UsernameAttributes, "email") || contains(p.cfg.AliasAttributes, "email")) {
		aliases = append(aliases, aliasKey("email", name))
	}
	if messaging.ValidPhone(name) && (contains(p.cfg.UsernameAttributes, "phone_number") || contains(p.cfg.AliasAttributes, "phone_number")) {
		aliases = append(aliases, aliasKey("phone_number", name))
	}
	if contains(p.cfg.AliasAttributes, "preferred_username") {
		aliases = append(aliases, "preferred_username:"+p.usernameKey(name))
	}
	if len(p.cfg.UsernameAttributes) > 0 {
		aliases = append(aliases, "sub:"+name)
	}
	for _, a := range aliases {
		rec, err := s.store.FindUser(ctx, p.rec.Key(), a)
		if err == nil {
			return rec, nil
		}
		if !errors.Is(err, storage.ErrNotFound) {
			return nil, err
		}
	}
	return nil, nil
}

// userNotFound is AWS's text for admin operations [OBS aws-sdk-js#1357].
func userNotFound() error { return api.UserNotFound("User does not exist.") }

// mustFindUser is findUser for admin operations.
func (s *Service) mustFindUser(ctx context.Context, p *poolView, name string) (*storage.User, error) {
	rec, err := s.findUser(ctx, p, name)
	if err != nil {
		return nil, err
	}
	if rec == nil {
		return nil, userNotFound()
	}
	return rec, nil
}

func isEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == "" && strings.Contains(s[strings.LastIndexByte(s, '@'):], ".")
}

// schemaError is AWS's text for attributes that do not fit the schema: one
// "name: reason" line per attribute [OBS amplify-flutter#509; the
// capitalisation of "The attribute is required" is inferred,
// issue4-facts §4.1].
func schemaError(lines []string) error {
	return api.InvalidParameter("Attributes did not conform to the schema: %s", strings.Join(lines, "\n"))
}

// attrMode says who writes attributes: admin operations may set the
// *_verified flags and developer-only attributes; SignUp may not.
type attrMode int

const (
	attrsSignUp attrMode = iota
	attrsAdminCreate
	attrsUpdate
)

// checkAttributes checks attributes against the pool's schema and AWS's
// formats. The model's own limits (a value of at most 2048 characters, a
// name of at most 32) are checked by the wire layer first.
func (p *poolView) checkAttributes(in []api.AttributeType, mode attrMode) error {
	var lines []string
	for _, a := range in {
		name, value := deref(a.Name), deref(a.Value)
		def, ok := p.schema[name]
		if !ok {
			lines = append(lines, name+": Attribute does not exist in the schema.")
			continue
		}
		if name == "sub" {
			// sub is Cognito's to set (inferred text, in the schema
			// family's words).
			lines = append(lines, "sub: Attribute cannot be updated.")
			continue
		}
		if mode == attrsUpdate && !deref(def.Mutable) {
			// Inferred text.
			lines = append(lines, name+": Attribute cannot be updated. (changing an immutable attribute)")
			continue
		}
		if strings.HasPrefix(name, "dev:") && mode == attrsSignUp {
			lines = append(lines, name+": Attribute does not exist in the schema.")
			continue
		}
		switch deref(def.AttributeDataType) {
		case "Boolean":
			if value != "true" && value != "false" {
				lines = append(lines, name+": Attribute value must be true or false.") // inferred text
				continue
			}
		case "Number":
			if _, err := parseNumber(value); err != nil {
				lines = append(lines, name+": Number is not valid.") // inferred text
				continue
			}
		case "String":
			if c := def.StringAttributeConstraints; c != nil {
				n := len([]rune(value))
				if maxLen, ok := parseConstraint(c.MaxLength); ok && c.MaxLength != nil && int64(n) > maxLen {
					lines = append(lines, fmt.Sprintf("%s: String must be no longer than %d characters", name, maxLen)) // inferred text
					continue
				}
				if minLen, ok := parseConstraint(c.MinLength); ok && c.MinLength != nil && int64(n) < minLen && value != "" {
					lines = append(lines, fmt.Sprintf("%s: String must be at least %d characters", name, minLen)) // inferred text
					continue
				}
			}
		}
		if mode == attrsSignUp && (name == "email_verified" || name == "phone_number_verified") {
			// Only an administrator marks an attribute verified (inferred
			// text; AWS ignores or refuses it).
			lines = append(lines, name+": Attribute cannot be set by the user.")
		}
	}
	if len(lines) > 0 {
		return schemaError(lines)
	}
	// Formats come after the schema [OBS amplify-js#8274 for the phone
	// text; the email text is inferred, issue4-facts §4.1].
	for _, a := range in {
		switch deref(a.Name) {
		case "email":
			if !isEmail(deref(a.Value)) {
				return api.InvalidParameter("Invalid email address format.")
			}
		case "phone_number":
			if !messaging.ValidPhone(deref(a.Value)) {
				return api.InvalidParameter("Invalid phone number format.")
			}
		}
	}
	return nil
}

func parseNumber(s string) (float64, error) { return strconv.ParseFloat(s, 64) }

// checkRequired reports required schema attributes the user lacks.
func (p *poolView) checkRequired(u *userData) error {
	var lines []string
	for _, a := range p.cfg.SchemaAttributes {
		name := deref(a.Name)
		if name == "sub" || !deref(a.Required) {
			continue
		}
		if v, ok := u.get(name); !ok || v == "" {
			lines = append(lines, name+": The attribute is required")
		}
	}
	if len(lines) > 0 {
		return schemaError(lines)
	}
	return nil
}

// newSub returns a UUID v4, the form of every sub [DOC].
func newSub() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// newUsername decides the stored username and key of a new user named
// name, and fills the username attribute it stands for. In a pool with
// UsernameAttributes the name must be an email or phone number, which
// becomes that attribute, and the username is the sub [DOC
// UsernameAttributes]; in a pool with AliasAttributes it must not look
// like an alias [OBS amazon-archives/aws-cognito-angular-quickstart#17].
func (p *poolView) newUsername(name, sub string, u *userData) (username, key string, err error) {
	if len(p.cfg.UsernameAttributes) > 0 {
		email, phone := contains(p.cfg.UsernameAttributes, "email"), contains(p.cfg.UsernameAttributes, "phone_number")
		switch {
		case email && isEmail(name):
			u.set("email", name)
		case phone && messaging.ValidPhone(name):
			u.set("phone_number", name)
		case email && phone:
			return "", "", api.InvalidParameter("Username should be either an email or a phone number.") // [OBS, widely quoted]
		case email:
			return "", "", api.InvalidParameter("Username should be an email.") // inferred, same family
		default:
			return "", "", api.InvalidParameter("Username should be a phone number.") // inferred, same family
		}
		return sub, sub, nil
	}
	if contains(p.cfg.AliasAttributes, "email") && isEmail(name) {
		return "", "", api.InvalidParameter("Username cannot be of email format, since user pool is configured for email alias.")
	}
	if contains(p.cfg.AliasAttributes, "phone_number") && messaging.ValidPhone(name) {
		return "", "", api.InvalidParameter("Username cannot be of phone number format, since user pool is configured for phone number alias.") // inferred, same family
	}
	return name, p.usernameKey(name), nil
}

// aliasError turns a taken alias into AWS's error: in a pool that signs in
// with email or phone, the username is taken [OBS
// jonsaw/amazon-cognito-identity-dart#73]; otherwise the alias is
// [EMU moto; inferred for phone].
func (p *poolView) aliasError(err error) error {
	var taken *storage.AliasTakenError
	if !errors.As(err, &taken) {
		return err
	}
	name, _, _ := strings.Cut(taken.Alias, ":")
	if contains(p.cfg.UsernameAttributes, name) {
		return api.UsernameExists("An account with the given %s already exists.", name)
	}
	return api.AliasExists("An account with the given %s already exists.", name)
}

// userType returns the UserType AWS returns for a user.
func userType(rec *storage.User, u *userData, attrs []api.AttributeType) api.UserType {
	return api.UserType{
		Username: new(rec.Username), Attributes: attrs, Enabled: new(!u.Disabled), UserStatus: new(u.Status),
		UserCreateDate: api.NewTime(rec.CreatedAt), UserLastModifiedDate: api.NewTime(rec.UpdatedAt),
	}
}

func apiAttributes(u *userData) []api.AttributeType {
	out := make([]api.AttributeType, 0, len(u.Attrs))
	for _, a := range u.Attrs {
		out = append(out, api.AttributeType{Name: new(a.N), Value: new(a.V)})
	}
	return out
}

// userStoreError maps a storage error of a user operation.
func userStoreError(p *poolView, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, storage.ErrNotFound):
		return userNotFound()
	case errors.Is(err, storage.ErrAliasTaken):
		return p.aliasError(err)
	}
	var ae *api.Error
	if errors.As(err, &ae) {
		return err
	}
	return fmt.Errorf("user pool %s: %w", p.rec.ID, err)
}

// updateUser runs change on a stored user inside the store's transaction;
// the Deliveries change returns are stored with it.
func (s *Service) updateUser(ctx context.Context, p *poolView, rec *storage.User, change func(rec *storage.User, u *userData, d *storage.Deliveries) error) (*storage.User, *userData, error) {
	var (
		out  *userData
		sent storage.Deliveries
		kept error
	)
	now := s.now().UTC()
	// The store runs the function below on its single writer goroutine,
	// which every write waits for. Decode the user read before here, in
	// parallel with other requests; the writer uses that decoding when
	// the stored user is still the same (nearly always), else decodes.
	pre, preErr := decodeUser(rec)
	stored, err := s.store.UpdateUser(ctx, rec.UserKey(), func(r *storage.User) (*storage.Deliveries, error) {
		var u *userData
		if preErr == nil && pre != nil && bytes.Equal(r.Data, rec.Data) {
			u, pre = pre, nil // used once: the function runs once per call
		} else {
			var err error
			if u, err = decodeUser(r); err != nil {
				return nil, err
			}
		}
		var d storage.Deliveries
		kept = nil
		touch := true
		if err := change(r, u, &d); err != nil {
			var keep *keepChange
			if !errors.As(err, &keep) {
				if d.Empty() {
					return nil, err
				}
				sent = d
				return &d, err
			}
			// Counted failures are bookkeeping, not a change of the
			// user: UserLastModifiedDate stays (inferred).
			kept, touch = keep.err, false
		}
		r.Data = encodeUser(u)
		if touch {
			r.UpdatedAt = now
		}
		r.Aliases = p.aliasesOf(u)
		out, sent = u, d
		return &d, nil
	})
	if !sent.Empty() && (err == nil || !errors.Is(err, storage.ErrAliasTaken)) {
		s.stored(sent)
	}
	if err != nil {
		return nil, nil, userStoreError(p, err)
	}
	if kept != nil {
		return nil, nil, kept
	}
	return stored, out, nil
}

// AdminGetUser returns a user.
func (s *Service) AdminGetUser(ctx context.Context, in *api.AdminGetUserRequest) (*api.AdminGetUserResponse, error) {
	_, rec, u, err := s.adminUser(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	mfaList, preferred := u.mfaSettings()
	return &api.AdminGetUserResponse{
		Username: new(rec.Username), UserAttributes: apiAttributes(u), Enabled: new(!u.Disabled), UserStatus: new(u.Status),
		UserCreateDate: api.NewTime(rec.CreatedAt), UserLastModifiedDate: api.NewTime(rec.UpdatedAt),
		UserMFASettingList: mfaList, PreferredMfaSetting: preferred,
	}, nil
}

// adminUser loads the pool and the user an admin operation names.
func (s *Service) adminUser(ctx context.Context, poolID, username *string) (*poolView, *storage.User, *userData, error) {
	key, err := poolKey(ctx, poolID)
	if err != nil {
		return nil, nil, nil, err
	}
	p, err := s.loadPool(ctx, key)
	if err != nil {
		return nil, nil, nil, err
	}
	rec, err := s.mustFindUser(ctx, p, deref(username))
	if err != nil {
		return nil, nil, nil, err
	}
	u, err := decodeUser(rec)
	if err != nil {
		return nil, nil, nil, err
	}
	return p, rec, u, nil
}

// deleteUser deletes a user of p (DeleteUser, AdminDeleteUser) and marks
// the pool's user count changed.
func (s *Service) deleteUser(ctx context.Context, p *poolView, rec *storage.User) error {
	err := s.store.DeleteUser(ctx, rec.UserKey(), storage.Deliveries{})
	s.users.changed(p.rec.Key())
	return userStoreError(p, err)
}

// AdminDeleteUser deletes a user.
func (s *Service) AdminDeleteUser(ctx context.Context, in *api.AdminDeleteUserRequest) (*api.Empty, error) {
	p, rec, _, err := s.adminUser(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	if err := s.deleteUser(ctx, p, rec); err != nil {
		return nil, err
	}
	return &api.Empty{}, nil
}

// AdminDisableUser disables a user.
func (s *Service) AdminDisableUser(ctx context.Context, in *api.AdminDisableUserRequest) (*api.AdminDisableUserResponse, error) {
	if err := s.setEnabled(ctx, in.UserPoolId, in.Username, false); err != nil {
		return nil, err
	}
	return &api.AdminDisableUserResponse{}, nil
}

// AdminEnableUser enables a user.
func (s *Service) AdminEnableUser(ctx context.Context, in *api.AdminEnableUserRequest) (*api.AdminEnableUserResponse, error) {
	if err := s.setEnabled(ctx, in.UserPoolId, in.Username, true); err != nil {
		return nil, err
	}
	return &api.AdminEnableUserResponse{}, nil
}

func (s *Service) setEnabled(ctx context.Context, poolID, username *string, enabled bool) error {
	p, rec, _, err := s.adminUser(ctx, poolID, username)
	if err != nil {
		return err
	}
	now := s.now().UnixMilli()
	_, _, err = s.updateUser(ctx, p, rec, func(_ *storage.User, u *userData, _ *storage.Deliveries) error {
		u.Disabled = !enabled
		if !enabled {
			// Disabling "revokes all access tokens" [DOC AdminDisableUser]:
			// they stay refused after the user is enabled again.
			u.SignedOut = now
		}
		return nil
	})
	return err
}

// AdminSetUserPassword sets a user's password: permanent (CONFIRMED) or
// temporary (FORCE_CHANGE_PASSWORD) [DOC].
func (s *Service) AdminSetUserPassword(ctx context.Context, in *api.AdminSetUserPasswordRequest) (*api.AdminSetUserPasswordResponse, error) {
	p, rec, _, err := s.adminUser(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	password := deref(in.Password)
	if err := passwordPolicyError(p.passwordPolicy(), password, false); err != nil {
		return nil, err
	}
	hash, err := HashPassword(password, s.hash)
	if err != nil {
		return nil, err
	}
	verifier := newSRPSecret(p, rec.Username, password)
	now := s.now()
	_, _, err = s.updateUser(ctx, p, rec, func(_ *storage.User, u *userData, _ *storage.Deliveries) error {
		u.setPassword(hash, verifier)
		delete(u.Codes, codeForgotPassword)
		if deref(in.Permanent) {
			u.Status, u.TempExpires = statusConfirmed, 0
		} else {
			u.Status, u.TempExpires = statusForceChangePassword, p.tempPasswordExpiry(now)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &api.AdminSetUserPasswordResponse{}, nil
}

// tempPasswordExpiry is when a temporary password set now expires:
// TemporaryPasswordValidityDays, default 7 [DOC].
func (p *poolView) tempPasswordExpiry(now time.Time) int64 {
	days := int32(7)
	if pw := p.passwordPolicy(); pw != nil && deref(pw.TemporaryPasswordValidityDays) > 0 {
		days = *pw.TemporaryPasswordValidityDays
	}
	return now.Add(time.Duration(days) * 24 * time.Hour).UnixMilli()
}

// AdminUpdateUserAttributes is in attributes.go.

// AdminCreateUser creates a user with a temporary password and sends the
// invitation (or, with MessageAction RESEND, sends it again with a new
// temporary password) [DOC AdminCreateUser].
func (s *Service) AdminCreateUser(ctx context.Context, in *api.AdminCreateUserRequest) (*api.AdminCreateUserResponse, error) {
	key, err := poolKey(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	p, err := s.loadPool(ctx, key)
	if err != nil {
		return nil, err
	}
	action := deref(in.MessageAction)
	password := deref(in.TemporaryPassword)
	if password != "" {
		// The temporary password meets the policy, with the admin text
		// [OBS data-dot-all/dataall#690].
		if err := passwordPolicyError(p.passwordPolicy(), password, true); err != nil {
			return nil, err
		}
	}
	now := s.now().UTC()
	if action == "RESEND" {
		return s.resendInvitation(ctx, p, in, password, now)
	}
	if err := p.checkAttributes(in.UserAttributes, attrsAdminCreate); err != nil {
		return nil, err
	}
	u := &userData{Status: statusForceChangePassword, TempExpires: p.tempPasswordExpiry(now)}
	sub := newSub()
	u.set("sub", sub)
	for _, a := range in.UserAttributes {
		u.set(deref(a.Name), deref(a.Value))
	}
	username, ukey, err := p.newUsername(deref(in.Username), sub, u)
	if err != nil {
		return nil, err
	}
	if err := p.checkRequired(u); err != nil {
		return nil, err
	}
	if password, u.Hash, err = s.temporaryPassword(p, password, action != "SUPPRESS" && invitable(in.DesiredDeliveryMediums, u)); err != nil {
		return nil, err
	}
	if password != "" {
		u.setPassword(u.Hash, newSRPSecret(p, username, password))
	}
	rec := &storage.User{
		AccountID: key.AccountID, Region: key.Region, PoolID: key.ID, Key: ukey, Username: username, Sub: sub,
		CreatedAt: now, UpdatedAt: now,
	}
	var d storage.Deliveries
	if action != "SUPPRESS" {
		// The username must be free before an invitation goes out.
		if existing, err := s.store.GetUser(ctx, p.userKey(ukey)); err == nil && existing != nil {
			return nil, api.UsernameExists("User account already exists")
		}
		if !deref(in.ForceAliasCreation) {
			for _, a := range p.aliasesOf(u) {
				if _, err := s.store.FindUser(ctx, p.rec.Key(), a); err == nil {
					return nil, p.aliasError(&storage.AliasTakenError{Alias: a})
				}
			}
		}
		if err := s.invite(ctx, p, in.DesiredDeliveryMediums, username, password, u, &d); err != nil {
			// The user is not created (Cognate's choice: the call can be
			// repeated); the failure is still logged.
			_ = s.appendOnly(ctx, d)
			return nil, err
		}
	}
	rec.Data = encodeUser(u)
	rec.Aliases = p.aliasesOf(u)
	err = s.store.CreateUser(ctx, rec, d)
	if errors.Is(err, storage.ErrAliasTaken) && deref(in.ForceAliasCreation) {
		if err = s.releaseAliases(ctx, p, rec.Aliases); err == nil {
			err = s.store.CreateUser(ctx, rec, d)
		}
	}
	s.users.changed(p.rec.Key())
	switch {
	case errors.Is(err, storage.ErrAlreadyExists):
		return nil, api.UsernameExists("User account already exists") // [OBS localstack#4465]
	case err != nil:
		return nil, userStoreError(p, err)
	}
	s.stored(d)
	out := userType(rec, u, apiAttributes(u))
	return &api.AdminCreateUserResponse{User: &out}, nil
}

// releaseAliases takes aliases away from the users that hold them
// (ForceAliasCreation): their attribute becomes unverified [DOC idp model
// ForceAliasCreation].
func (s *Service) releaseAliases(ctx context.Context, p *poolView, aliases []string) error {
	for _, a := range aliases {
		holder, err := s.store.FindUser(ctx, p.rec.Key(), a)
		if errors.Is(err, storage.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		name, _, _ := strings.Cut(a, ":")
		if _, _, err := s.updateUser(ctx, p, holder, func(_ *storage.User, u *userData, _ *storage.Deliveries) error {
			if contains(p.cfg.UsernameAttributes, name) {
				return p.aliasError(&storage.AliasTakenError{Alias: a, Holder: holder.Key})
			}
			if name == "preferred_username" {
				u.unset(name)
			} else {
				u.set(name+"_verified", "false")
			}
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}

// resendInvitation is AdminCreateUser with MessageAction RESEND: only for
// a user still in FORCE_CHANGE_PASSWORD, with a new temporary password
// [DOC idp model MessageAction].
func (s *Service) resendInvitation(ctx context.Context, p *poolView, in *api.AdminCreateUserRequest, password string, now time.Time) (*api.AdminCreateUserResponse, error) {
	rec, err := s.mustFindUser(ctx, p, deref(in.Username))
	if err != nil {
		return nil, err
	}
	u0, err := decodeUser(rec)
	if err != nil {
		return nil, err
	}
	if u0.Status != statusForceChangePassword {
		// AWS's text is not public; the emulator text of floci [EMU].
		return nil, api.UnsupportedUserState("User is in %s state and cannot be resent an invitation.", u0.Status)
	}
	password, hash, err := s.temporaryPassword(p, password, invitable(in.DesiredDeliveryMediums, u0))
	if err != nil {
		return nil, err
	}
	var verifier srpSecret
	if password != "" {
		verifier = newSRPSecret(p, rec.Username, password)
	}
	var d storage.Deliveries
	if err := s.invite(ctx, p, in.DesiredDeliveryMediums, rec.Username, password, u0, &d); err != nil {
		_ = s.appendOnly(ctx, d)
		return nil, err
	}
	stored, u, err := s.updateUser(ctx, p, rec, func(_ *storage.User, u *userData, dd *storage.Deliveries) error {
		*dd = d // stored even if the call fails: the invitation went out
		if u.Status != statusForceChangePassword {
			return api.UnsupportedUserState("User is in %s state and cannot be resent an invitation.", u.Status)
		}
		u.setPassword(hash, verifier)
		u.TempExpires = p.tempPasswordExpiry(now)
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := userType(stored, u, apiAttributes(u))
	return &api.AdminCreateUserResponse{User: &out}, nil
}

// temporaryPassword returns the temporary password of a new or
// re-invited user and its hash. A given password is always kept. A
// generated one that no invitation will carry (SUPPRESS, or no destination
// for the desired mediums) is never revealed to anyone, so it is not
// generated at all: the user gets no password hash, which no password
// matches, exactly as an unknown random one would (and the cost of a
// slow hash is saved).
func (s *Service) temporaryPassword(p *poolView, given string, revealed bool) (password, hash string, err error) {
	params := s.hash
	switch {
	case given != "":
		password = given
	case revealed:
		// A generated password is a random secret of at least 126 bits:
		// the light preset guards it as well as any (password.go,
		// generatedPasswordLength).
		password, params = TemporaryPassword(p.passwordPolicy()), generatedHash
	default:
		return "", "", nil
	}
	hash, err = HashPassword(password, params)
	return password, hash, err
}

// invitable reports whether an invitation by mediums reaches the user.
func invitable(mediums []string, u *userData) bool {
	if len(mediums) == 0 {
		mediums = []string{messaging.SMS}
	}
	for _, m := range mediums {
		attrName := map[string]string{messaging.Email: "email", messaging.SMS: "phone_number"}[m]
		if v, ok := u.get(attrName); ok && v != "" && attrName != "" {
			return true
		}
	}
	return false
}

// invite sends the invitation by each desired medium (default SMS [DOC])
// for which the user has a destination; a medium without one is skipped
// (inferred).
func (s *Service) invite(ctx context.Context, p *poolView, mediums []string, username, password string, u *userData, d *storage.Deliveries) error {
	if len(mediums) == 0 {
		mediums = []string{messaging.SMS}
	}
	tmpl := api.MessageTemplateType{}
	if c := p.cfg.AdminCreateUserConfig; c != nil && c.InviteMessageTemplate != nil {
		tmpl = *c.InviteMessageTemplate
	}
	for _, medium := range mediums {
		m := outgoing{purpose: purposeInvitation, medium: medium, username: username}
		if password != "" {
			tmplText := orDefault(tmpl.EmailMessage, defaultInvitationMessage)
			if medium == messaging.SMS {
				tmplText = orDefault(tmpl.SMSMessage, defaultInvitationMessage)
			}
			if !strings.Contains(tmplText, "{####}") {
				// "If your template doesn't have this placeholder, Amazon
				// Cognito doesn't deliver the invitation message. In this
				// case, you must update your message template and resend
				// the password with … RESEND" [DOC idp model
				// AdminCreateUser]: the user is created (or the RESEND
				// succeeds) and nothing is sent. Whether AWS logs a
				// userNotification record for it is unknown; Cognate
				// does not [INF].
				continue
			}
		}
		switch medium {
		case messaging.Email:
			m.attr = "email"
			m.subject = orDefault(tmpl.EmailSubject, defaultInvitationSubject)
			m.body = render(orDefault(tmpl.EmailMessage, defaultInvitationMessage), password, username)
		case messaging.SMS:
			m.attr = "phone_number"
			m.body = render(orDefault(tmpl.SMSMessage, defaultInvitationMessage), password, username)
		default:
			continue
		}
		to, ok := u.get(m.attr)
		if !ok || to == "" {
			continue
		}
		m.to = to
		if _, err := s.send(ctx, p, m, d); err != nil {
			return err
		}
	}
	return nil
}

// ListUsers lists a pool's users in username-key order, Limit (0: 60) at a
// time, filtered by Filter [DOC ListUsers, issue4-facts §5].
func (s *Service) ListUsers(ctx context.Context, in *api.ListUsersRequest) (*api.ListUsersResponse, error) {
	key, err := poolKey(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	if _, err := s.store.GetUserPool(ctx, key); err != nil {
		return nil, storeError(key.ID, err)
	}
	filter, err := parseUserFilter(deref(in.Filter))
	if err != nil {
		return nil, err
	}
	for _, name := range in.AttributesToGet {
		if name == "sub" {
			// [OBS issue4-facts §4.1]
			return nil, api.InvalidParameter("Input fails to satisfy the constraints.")
		}
	}
	limit := int(deref(in.Limit))
	if limit <= 0 {
		limit = 60
	}
	after := ""
	if tok := deref(in.PaginationToken); tok != "" {
		after, err = decodeUserToken(tok)
		if err != nil {
			c, _ := api.CallerFrom(ctx)
			// [OBS aws-sdk-js#3705]; the exception type is inferred.
			return nil, api.InvalidParameter("Paging marker %s is invalid for request %s", tok, c.RequestID)
		}
	}
	out := &api.ListUsersResponse{Users: []api.UserType{}}
	var (
		last     string
		more     bool
		scanErr  error
		missing  bool
		selected = in.AttributesToGet
	)
	err = s.store.ScanUsers(ctx, key, after, func(rec *storage.User) bool {
		if len(out.Users) == limit {
			more = true
			return false
		}
		u, err := decodeUser(rec)
		if err != nil {
			scanErr = err
			return false
		}
		last = rec.Key
		if filter != nil && !filter.matches(filterValue(filter.attribute, rec, u)) {
			return true
		}
		attrs := apiAttributes(u)
		if selected != nil {
			attrs = []api.AttributeType{}
			for _, name := range selected {
				v, ok := u.get(name)
				if !ok {
					missing = true
					continue
				}
				attrs = append(attrs, api.AttributeType{Name: new(name), Value: new(v)})
			}
		}
		out.Users = append(out.Users, userType(rec, u, attrs))
		return true
	})
	if err != nil {
		return nil, storeError(key.ID, err)
	}
	if scanErr != nil {
		return nil, scanErr
	}
	if missing {
		// [OBS aws-sdk-js#2570; DOC idp model]
		return nil, api.InvalidParameter("One or more requested attributes do not exist.")
	}
	if more {
		out.PaginationToken = new(encodeUserToken(last))
	}
	return out, nil
}

// filterValue is a user's value of a searchable attribute.
func filterValue(name string, rec *storage.User, u *userData) string {
	switch name {
	case "username":
		return rec.Username
	case "cognito:user_status":
		return u.Status
	case "status":
		if u.Disabled {
			return "Disabled"
		}
		return "Enabled"
	}
	v, _ := u.get(name)
	return v
}

const userTokenPrefix = "u1:"

func encodeUserToken(after string) string {
	return b64.EncodeToString([]byte(userTokenPrefix + after))
}

func decodeUserToken(tok string) (string, error) {
	raw, err := b64.DecodeString(tok)
	if err != nil || !strings.HasPrefix(string(raw), userTokenPrefix) {
		return "", errors.New("bad token")
	}
	return strings.TrimPrefix(string(raw), userTokenPrefix), nil
}
