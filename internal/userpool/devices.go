package userpool

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/srp"
	"github.com/cognate/cognate/internal/storage"
)

// Device tracking and remembered devices (docs/research/devices-facts.md,
// cited as devices-facts). A pool with a DeviceConfiguration tracks
// devices: a sign-in that presents no device key gets NewDeviceMetadata
// (a new device key and the user's device group key) and an access token
// carrying that device_key; ConfirmDevice registers the device's SRP
// verifier; a sign-in that presents a remembered device's DEVICE_KEY ends
// with device SRP (DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER) instead of,
// or after, MFA [DOC amazon-cognito-user-pools-device-tracking].
//
// Devices live in the user's stored data (userData.Devices): only
// confirmed devices are kept. A device key handed out but never confirmed
// is known only from the access token that carries it, which is what
// ConfirmDevice checks: no record per sign-in. The device group key is the
// same for all of a user's devices and derived from the pool and the
// user's sub, so it needs no record either [INF].

// Device challenges and statuses.
const (
	challengeDeviceSRP      = "DEVICE_SRP_AUTH"
	challengeDevicePassword = "DEVICE_PASSWORD_VERIFIER"

	deviceRemembered    = "remembered"
	deviceNotRemembered = "not_remembered"

	// forgottenKept is how many forgotten device keys a user keeps, so
	// that refresh tokens issued to them stay refused (ForgetDevice "is
	// the only way to invalidate the refresh token of another device"
	// [OBS amazon-cognito-identity-js#200]). Older ones are dropped [INF].
	forgottenKept = 20
	// maxDevicesPage is the largest Limit of ListDevices (QueryLimitType
	// max 60 [DOC model]); it is also the default [INF].
	maxDevicesPage = 60
)

// errNoDevice is AWS's refusal of a device key that is not (or no longer)
// the user's: ResourceNotFoundException "Device does not exist." [OBS
// amazon-cognito-identity-js#200, amplify-android#2605; the library retries
// PASSWORD_VERIFIER without DEVICE_KEY on it].
func errNoDevice() error { return api.ResourceNotFound("Device does not exist.") }

// device is a confirmed device of a user (userData.Devices).
type device struct {
	Key   string `json:"k"`
	Group string `json:"g"`
	// Salt and Verifier (hex) are the device's SRP salt and verifier, as
	// ConfirmDevice sent them.
	Salt     string `json:"s"`
	Verifier string `json:"v"`
	Name     string `json:"n,omitempty"`
	Status   string `json:"st"`
	// Created, Modified and LastAuth are unix ms; LastIP the address of
	// the last sign-in with the device.
	Created  int64  `json:"c"`
	Modified int64  `json:"m"`
	LastAuth int64  `json:"la"`
	LastIP   string `json:"ip,omitempty"`
	// Done is the last DEVICE_PASSWORD_VERIFIER session answered: a
	// session issues tokens once.
	Done string `json:"ds,omitempty"`
}

// device returns the user's confirmed device key, nil when none.
func (u *userData) device(key string) *device {
	for i := range u.Devices {
		if u.Devices[i].Key == key {
			return &u.Devices[i]
		}
	}
	return nil
}

// forgetDevice removes a device and remembers its key as forgotten.
func (u *userData) forgetDevice(key string) {
	u.Devices = slices.DeleteFunc(u.Devices, func(d device) bool { return d.Key == key })
	u.ForgottenDevices = append(u.ForgottenDevices, key)
	if n := len(u.ForgottenDevices); n > forgottenKept {
		u.ForgottenDevices = u.ForgottenDevices[n-forgottenKept:]
	}
}

// tracksDevices: "When you provide a value for any property of
// DeviceConfiguration, you activate the device remembering for the user
// pool" [DOC model DeviceConfigurationType]. An empty DeviceConfiguration
// activates it too, as SDKs that leave false booleans out (the Go SDK v2)
// send {} for "always remember, MFA still asked" [INF].
func (p *poolView) tracksDevices() bool { return p.cfg.DeviceConfiguration != nil }

// rememberedSkipsMFA: with ChallengeRequiredOnNewDevice "a remembered
// device can sign in with device authentication instead of SMS and TOTP
// factors" [DOC model]; without it MFA is asked first.
func (p *poolView) rememberedSkipsMFA() bool {
	return p.tracksDevices() && deref(p.cfg.DeviceConfiguration.ChallengeRequiredOnNewDevice)
}

// newDeviceKey is "<region>_<UUID>" [DOC device-tracking guide: the device
// key is in the format Region_UUID].
func newDeviceKey(p *poolView) string { return p.rec.Region + "_" + newSub() }

// groupAlphabet is the device group key's characters: AWS's examples are
// "-" and 8 letters and digits ("-wt2ha1Zd", "-v7w9UcY6") [DOC aws-cli
// examples].
const groupAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// deviceGroupKey is the user's device group key, derived from the pool
// and the user's sub: stable for the user, different for a user deleted
// and made again. It is no secret (it goes to the client), only a name in
// the device's SRP identity.
func deviceGroupKey(p *poolView, u *userData) string {
	sub, _ := u.get("sub")
	sum := sha256.Sum256([]byte("cognate device group\x00" + p.rec.ID + "\x00" + sub))
	b := []byte{'-'}
	for _, c := range sum[:8] {
		b = append(b, groupAlphabet[int(c)%len(groupAlphabet)])
	}
	return string(b)
}

// finishSignIn issues the tokens of a sign-in that passed all its
// challenges. deviceKey is the device it was made with ("" none): in a
// pool that tracks devices a sign-in without one gets NewDeviceMetadata
// ("Amazon Cognito includes a device key in the response to any sign-in
// that doesn't already include device information" [DOC]), and the
// access token carries the device key either way [DOC access token
// example "device_key"; INF when].
func (s *Service) finishSignIn(ctx context.Context, si signIn, rec *storage.User, u *userData, eventID, deviceKey string) (*authResult, error) {
	g := grant{p: si.p, client: si.client, rec: rec, u: u, authTime: s.now().Unix(), withRefresh: true, eventID: eventID}
	var meta *api.NewDeviceMetadataType
	if si.p.tracksDevices() {
		if deviceKey == "" {
			deviceKey = newDeviceKey(si.p)
			meta = &api.NewDeviceMetadataType{DeviceKey: new(deviceKey), DeviceGroupKey: new(deviceGroupKey(si.p, u))}
		}
		g.deviceKey = deviceKey
	}
	t, err := s.issueTokens(ctx, g)
	if err != nil {
		return nil, err
	}
	res := t.result()
	res.NewDeviceMetadata = meta
	return &authResult{tokens: res, params: map[string]string{}}, nil
}

// signInDevice is the device a sign-in presented, checked once its
// password is right: nil when it presented none or the pool does not
// track devices; ResourceNotFoundException when it is not the user's.
func signInDevice(si signIn, u *userData) (*device, error) {
	if si.deviceKey == "" || !si.p.tracksDevices() {
		return nil, nil
	}
	d := u.device(si.deviceKey)
	if d == nil {
		return nil, errNoDevice()
	}
	return d, nil
}

// startDeviceAuth answers a sign-in with DEVICE_SRP_AUTH for its
// remembered device, and a session for it. The challenge has no
// parameters the clients read [OBS amazon-cognito-identity-js
// getDeviceResponse]; it is sent empty [INF].
func (s *Service) startDeviceAuth(ctx context.Context, si signIn, rec *storage.User, deviceKey, eventID string) (*authResult, error) {
	session, err := s.newMFASession(ctx, si.p, si.client, rec, mfaClaims{challenge: challengeDeviceSRP, event: eventID, device: deviceKey})
	if err != nil {
		return nil, err
	}
	return &authResult{challenge: new(challengeDeviceSRP), params: map[string]string{}, session: new(session)}, nil
}

// deviceSession opens the session of a device challenge and checks that
// the response names its user and device.
func (s *Service) deviceSession(ctx context.Context, si signIn, challenge, session string, r map[string]string) (*mfaSession, error) {
	if session == "" {
		return nil, missing("Session")
	}
	for _, name := range []string{"USERNAME", "DEVICE_KEY"} {
		if r[name] == "" {
			return nil, missing(name)
		}
	}
	ms, err := s.openUserSession(ctx, session, &si, challenge, r["USERNAME"])
	if err != nil {
		return nil, err
	}
	if ms.claims.String("dk") != r["DEVICE_KEY"] {
		return nil, api.NotAuthorized("%s", sessionErrors.invalid) // another device than the sign-in's [INF]
	}
	return ms, nil
}

// respondDeviceSRP answers DEVICE_SRP_AUTH (SRP_A) with
// DEVICE_PASSWORD_VERIFIER: SRP-6a as USER_SRP_AUTH's, with the device
// group key in place of the pool name and the device key in place of the
// user, against the verifier ConfirmDevice stored [OBS
// amazon-cognito-identity-js getDeviceResponse, generateHashDevice].
func (s *Service) respondDeviceSRP(ctx context.Context, si signIn, session string, r map[string]string) (*authResult, error) {
	ms, err := s.deviceSession(ctx, si, challengeDeviceSRP, session, r)
	if err != nil {
		return nil, err
	}
	if r["SRP_A"] == "" {
		return nil, missing("SRP_A")
	}
	A, err := srp.ParseA(r["SRP_A"])
	if err != nil {
		return nil, api.InvalidParameter("SRP_A is not a valid SRP value.") // inferred text, as USER_SRP_AUTH's
	}
	d := ms.u.device(r["DEVICE_KEY"])
	if d == nil {
		return nil, errNoDevice() // forgotten meanwhile
	}
	salt, ok1 := new(big.Int).SetString(d.Salt, 16)
	v, ok2 := new(big.Int).SetString(d.Verifier, 16)
	if !ok1 || !ok2 {
		return nil, errNoDevice() // cannot happen: ConfirmDevice checked them
	}
	k, err := s.signingKey(ctx, si.p.rec)
	if err != nil {
		return nil, err
	}
	b, B := srp.ServerStart(v)
	st := srpState{Pool: si.p.rec.ID, Client: deref(si.client.ClientId), User: ms.rec.Key, UserID: d.Key, Device: d.Key, DeviceAuth: true,
		A: A.Text(16), B: B.Text(16), Bsec: b.Text(16), Expires: s.now().Add(srpChallengeTTL(si.client)).Unix()}
	plain, _ := json.Marshal(st) // strings and ints always marshal
	next, err := s.newMFASession(ctx, si.p, si.client, ms.rec, mfaClaims{challenge: challengeDevicePassword, event: ms.claims.String("ev"), device: d.Key})
	if err != nil {
		return nil, err
	}
	return &authResult{
		challenge: new(challengeDevicePassword),
		params: map[string]string{"SRP_B": B.Text(16), "SALT": salt.Text(16), "SECRET_BLOCK": base64.StdEncoding.EncodeToString(k.Seal(plain)),
			"USERNAME": ms.rec.Username, "DEVICE_KEY": d.Key},
		session: new(next),
	}, nil
}

// respondDevicePassword answers DEVICE_PASSWORD_VERIFIER: the signature
// is HMAC-SHA256 under the SRP key of deviceGroupKey | deviceKey |
// secretBlock | timestamp [OBS amazon-cognito-identity-js]. A wrong one is
// refused as a wrong password is [INF: AWS's text for devices is not
// public].
func (s *Service) respondDevicePassword(ctx context.Context, si signIn, session string, r map[string]string) (*authResult, error) {
	ms, err := s.deviceSession(ctx, si, challengeDevicePassword, session, r)
	if err != nil {
		return nil, err
	}
	block, st, err := s.openPasswordClaim(ctx, si, r)
	if err != nil {
		return nil, err
	}
	incorrect := api.NotAuthorized(errIncorrect)
	if st.User != ms.rec.Key || !st.DeviceAuth || st.Device != r["DEVICE_KEY"] {
		return nil, incorrect
	}
	if s.now().Unix() > st.Expires {
		return nil, api.NotAuthorized("%s", sessionErrors.expired)
	}
	d := ms.u.device(st.Device)
	if d == nil {
		return nil, errNoDevice()
	}
	if !claimSignatureOK(st, d.Verifier, d.Group, d.Key, block, r) {
		return nil, incorrect
	}
	jti := ms.claims.String("jti")
	now := s.now()
	caller, _ := api.CallerFrom(ctx)
	stored, u, err := s.updateUser(ctx, si.p, ms.rec, func(_ *storage.User, u *userData, _ *storage.Deliveries) error {
		d := u.device(st.Device)
		if d == nil {
			return errNoDevice()
		}
		if d.Done == jti {
			return api.NotAuthorized("%s", sessionErrors.invalid) // the session was used [INF]
		}
		d.Done, d.LastAuth = jti, now.UnixMilli()
		if ip := si.ec.ip; ip != "" {
			d.LastIP = ip
		} else if caller.SourceIP != "" {
			d.LastIP = caller.SourceIP
		}
		return &keepChange{} // sign-in bookkeeping, not a change of the user
	})
	if err != nil {
		return nil, err
	}
	if err := s.recordDeviceOutcome(ctx, si.p, stored, ms.claims.String("ev")); err != nil {
		return nil, err
	}
	return s.finishSignIn(ctx, si, stored, u, ms.claims.String("ev"), st.Device)
}

// recordDeviceOutcome marks the sign-in's auth event passed once the
// device authenticated. ChallengeResponseType names only Password and Mfa
// [DOC model], so no challenge is added for the device [INF].
func (s *Service) recordDeviceOutcome(ctx context.Context, p *poolView, rec *storage.User, eventID string) error {
	if eventID == "" || p.threatMode() == "" {
		return nil
	}
	_, err := s.store.UpdateAuthEvent(ctx, rec.UserKey(), eventID, func(e *storage.AuthEvent) error {
		var data eventData
		if err := json.Unmarshal(e.Data, &data); err != nil {
			return fmt.Errorf("decode auth event: %w", err)
		}
		data.Response = responsePass
		b, err := json.Marshal(data)
		e.Data = b
		return err
	})
	if errors.Is(err, storage.ErrNotFound) {
		return nil // the user was deleted meanwhile
	}
	return err
}

// deviceVerifier is a DeviceSecretVerifierConfig read: the salt and
// verifier, base64 of the big-endian bytes the libraries send [OBS
// amazon-cognito-identity-js: Buffer.from(hex, 'hex').toString('base64')].
type deviceVerifier struct{ salt, verifier *big.Int }

// parseDeviceVerifier reads a DeviceSecretVerifierConfig: both members
// base64, the verifier a number in 1..N-1. The texts are inferred.
func parseDeviceVerifier(c *api.DeviceSecretVerifierConfigType) (deviceVerifier, error) {
	if c == nil || deref(c.PasswordVerifier) == "" || deref(c.Salt) == "" {
		return deviceVerifier{}, api.InvalidParameter("DeviceSecretVerifierConfig must have a PasswordVerifier and a Salt.")
	}
	vb, err1 := decodeBase64(deref(c.PasswordVerifier))
	sb, err2 := decodeBase64(deref(c.Salt))
	if err1 != nil || err2 != nil || len(vb) == 0 || len(sb) == 0 || len(sb) > 1024 {
		return deviceVerifier{}, api.InvalidParameter("DeviceSecretVerifierConfig is not valid base64.")
	}
	v := new(big.Int).SetBytes(vb)
	if v.Sign() == 0 || v.Cmp(srp.N) >= 0 {
		return deviceVerifier{}, api.InvalidParameter("DeviceSecretVerifierConfig.PasswordVerifier is not a valid SRP verifier.")
	}
	return deviceVerifier{salt: new(big.Int).SetBytes(sb), verifier: v}, nil
}

// decodeBase64 accepts standard base64 with or without padding (the AWS
// CLI examples send it without).
func decodeBase64(s string) ([]byte, error) {
	return base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
}

// deviceKeyPattern is DeviceKeyType's pattern [DOC model].
var deviceKeyPattern = regexp.MustCompile(`^[\w-]+_[0-9a-f-]+$`)

// encodeDevicesToken and parseDevicesToken are ListDevices'
// PaginationToken: the key of the first device of the next page, base64.
func encodeDevicesToken(key string) string { return base64.RawURLEncoding.EncodeToString([]byte(key)) }

func parseDevicesToken(tok string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(b) > 55 || !deviceKeyPattern.Match(b) {
		return "", api.InvalidParameter("Invalid pagination token.") // inferred text
	}
	return string(b), nil
}

// deviceOut is a device as DeviceType, with AWS's attributes [DOC aws-cli
// get-device example: device_status "valid", device_name, dev:device_arn,
// dev:device_owner, last_ip_used, dev:device_remembered_status,
// dev:device_sdk]. DeviceLastAuthenticatedDate is in whole seconds there.
func deviceOut(p *poolView, rec *storage.User, d *device) api.DeviceType {
	owner := rec.Username + "." + p.rec.ID
	attrs := []api.AttributeType{{Name: new("device_status"), Value: new("valid")}}
	if d.Name != "" {
		attrs = append(attrs, api.AttributeType{Name: new("device_name"), Value: new(d.Name)})
	}
	attrs = append(attrs,
		api.AttributeType{Name: new("dev:device_arn"), Value: new("arn:aws:cognito-idp:" + p.rec.Region + ":" + p.rec.AccountID + ":owner/" + owner + "/device/" + d.Key)},
		api.AttributeType{Name: new("dev:device_owner"), Value: new(owner)})
	if d.LastIP != "" {
		attrs = append(attrs, api.AttributeType{Name: new("last_ip_used"), Value: new(d.LastIP)})
	}
	attrs = append(attrs, api.AttributeType{Name: new("dev:device_remembered_status"), Value: new(d.Status)},
		api.AttributeType{Name: new("dev:device_sdk"), Value: new("aws-sdk")})
	return api.DeviceType{
		DeviceKey: new(d.Key), DeviceAttributes: attrs,
		DeviceCreateDate:            api.NewTime(time.UnixMilli(d.Created)),
		DeviceLastModifiedDate:      api.NewTime(time.UnixMilli(d.Modified)),
		DeviceLastAuthenticatedDate: api.NewTime(time.Unix(d.LastAuth/1000, 0)),
	}
}

// ConfirmDevice registers the device of the signed-in user's sign-in.
// The device key must be the one the access token was issued with
// (NewDeviceMetadata of that sign-in) [INF]; a device confirmed already is
// DeviceKeyExistsException [DOC model: "a device key that already
// exists"]. UserConfirmationNecessary is DeviceOnlyRememberedOnUserPrompt:
// with it the device stays not remembered until UpdateDeviceStatus [DOC].
func (s *Service) ConfirmDevice(ctx context.Context, in *api.ConfirmDeviceRequest) (*api.ConfirmDeviceResponse, error) {
	p, rec, _, v, err := s.accessUser(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	if !p.tracksDevices() {
		return nil, api.InvalidUserPoolConfiguration("Device tracking is not enabled for this user pool.") // inferred text
	}
	key := deref(in.DeviceKey)
	dv, err := parseDeviceVerifier(in.DeviceSecretVerifierConfig)
	if err != nil {
		return nil, err
	}
	onPrompt := deref(p.cfg.DeviceConfiguration.DeviceOnlyRememberedOnUserPrompt)
	status := deviceRemembered
	if onPrompt {
		status = deviceNotRemembered
	}
	now := s.now().UnixMilli()
	caller, _ := api.CallerFrom(ctx)
	_, _, err = s.updateUser(ctx, p, rec, func(_ *storage.User, u *userData, _ *storage.Deliveries) error {
		if u.device(key) != nil {
			return api.DeviceKeyExists("Device key already exists.") // inferred text
		}
		if key != v.p.String("device_key") || slices.Contains(u.ForgottenDevices, key) {
			return errNoDevice()
		}
		u.Devices = append(u.Devices, device{Key: key, Group: deviceGroupKey(p, u), Salt: dv.salt.Text(16), Verifier: dv.verifier.Text(16),
			Name: deref(in.DeviceName), Status: status, Created: now, Modified: now, LastAuth: now, LastIP: caller.SourceIP})
		return &keepChange{} // devices are no attributes: UserLastModifiedDate stays [INF]
	})
	if err != nil {
		return nil, err
	}
	return &api.ConfirmDeviceResponse{UserConfirmationNecessary: new(onPrompt)}, nil
}

// GetDevice returns a device of the signed-in user.
func (s *Service) GetDevice(ctx context.Context, in *api.GetDeviceRequest) (*api.GetDeviceResponse, error) {
	p, rec, u, _, err := s.accessUser(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	d := u.device(deref(in.DeviceKey))
	if d == nil {
		return nil, errNoDevice()
	}
	return &api.GetDeviceResponse{Device: new(deviceOut(p, rec, d))}, nil
}

// AdminGetDevice returns a device of a user.
func (s *Service) AdminGetDevice(ctx context.Context, in *api.AdminGetDeviceRequest) (*api.AdminGetDeviceResponse, error) {
	p, rec, u, err := s.adminUser(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	d := u.device(deref(in.DeviceKey))
	if d == nil {
		return nil, errNoDevice()
	}
	return &api.AdminGetDeviceResponse{Device: new(deviceOut(p, rec, d))}, nil
}

// listDevices is a page of the user's devices, oldest first.
func listDevices(p *poolView, rec *storage.User, u *userData, limit *int32, token *string) ([]api.DeviceType, *string, error) {
	n := maxDevicesPage
	if l := int(deref(limit)); l > 0 && l < n {
		n = l
	}
	ds := slices.Clone(u.Devices)
	slices.SortStableFunc(ds, func(a, b device) int {
		return cmp.Or(cmp.Compare(a.Created, b.Created), strings.Compare(a.Key, b.Key))
	})
	start := 0
	if token != nil {
		key, err := parseDevicesToken(*token)
		if err != nil {
			return nil, nil, err
		}
		start = slices.IndexFunc(ds, func(d device) bool { return d.Key == key })
		if start < 0 {
			return nil, nil, api.InvalidParameter("Invalid pagination token.") // inferred text
		}
	}
	out := []api.DeviceType{}
	for i := start; i < len(ds) && len(out) < n; i++ {
		out = append(out, deviceOut(p, rec, &ds[i]))
	}
	var next *string
	if start+len(out) < len(ds) {
		next = new(encodeDevicesToken(ds[start+len(out)].Key))
	}
	return out, next, nil
}

// ListDevices lists the signed-in user's devices.
func (s *Service) ListDevices(ctx context.Context, in *api.ListDevicesRequest) (*api.ListDevicesResponse, error) {
	p, rec, u, _, err := s.accessUser(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	ds, next, err := listDevices(p, rec, u, in.Limit, in.PaginationToken)
	if err != nil {
		return nil, err
	}
	return &api.ListDevicesResponse{Devices: ds, PaginationToken: next}, nil
}

// AdminListDevices lists a user's devices.
func (s *Service) AdminListDevices(ctx context.Context, in *api.AdminListDevicesRequest) (*api.AdminListDevicesResponse, error) {
	p, rec, u, err := s.adminUser(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	ds, next, err := listDevices(p, rec, u, in.Limit, in.PaginationToken)
	if err != nil {
		return nil, err
	}
	return &api.AdminListDevicesResponse{Devices: ds, PaginationToken: next}, nil
}

// forget deletes a device of a user: its device authentication and its
// refresh tokens stop working.
func (s *Service) forget(ctx context.Context, p *poolView, rec *storage.User, key string) error {
	_, _, err := s.updateUser(ctx, p, rec, func(_ *storage.User, u *userData, _ *storage.Deliveries) error {
		if u.device(key) == nil {
			return errNoDevice()
		}
		u.forgetDevice(key)
		return &keepChange{} // as ConfirmDevice
	})
	return err
}

// ForgetDevice deletes a device of the signed-in user.
func (s *Service) ForgetDevice(ctx context.Context, in *api.ForgetDeviceRequest) (*api.Empty, error) {
	p, rec, _, _, err := s.accessUser(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	if err := s.forget(ctx, p, rec, deref(in.DeviceKey)); err != nil {
		return nil, err
	}
	return &api.Empty{}, nil
}

// AdminForgetDevice deletes a device of a user.
func (s *Service) AdminForgetDevice(ctx context.Context, in *api.AdminForgetDeviceRequest) (*api.Empty, error) {
	p, rec, _, err := s.adminUser(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	if err := s.forget(ctx, p, rec, deref(in.DeviceKey)); err != nil {
		return nil, err
	}
	return &api.Empty{}, nil
}

// setDeviceStatus sets a device remembered or not remembered.
func (s *Service) setDeviceStatus(ctx context.Context, p *poolView, rec *storage.User, key string, status *string) error {
	st := deref(status)
	if st == "" {
		return missing("DeviceRememberedStatus") // inferred: the model leaves it optional
	}
	now := s.now().UnixMilli()
	_, _, err := s.updateUser(ctx, p, rec, func(_ *storage.User, u *userData, _ *storage.Deliveries) error {
		d := u.device(key)
		if d == nil {
			return errNoDevice()
		}
		d.Status, d.Modified = st, now
		return &keepChange{} // as ConfirmDevice
	})
	return err
}

// UpdateDeviceStatus sets a device of the signed-in user remembered or
// not remembered.
func (s *Service) UpdateDeviceStatus(ctx context.Context, in *api.UpdateDeviceStatusRequest) (*api.UpdateDeviceStatusResponse, error) {
	p, rec, _, _, err := s.accessUser(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	if err := s.setDeviceStatus(ctx, p, rec, deref(in.DeviceKey), in.DeviceRememberedStatus); err != nil {
		return nil, err
	}
	return &api.UpdateDeviceStatusResponse{}, nil
}

// AdminUpdateDeviceStatus sets a device of a user remembered or not
// remembered.
func (s *Service) AdminUpdateDeviceStatus(ctx context.Context, in *api.AdminUpdateDeviceStatusRequest) (*api.AdminUpdateDeviceStatusResponse, error) {
	p, rec, _, err := s.adminUser(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	if err := s.setDeviceStatus(ctx, p, rec, deref(in.DeviceKey), in.DeviceRememberedStatus); err != nil {
		return nil, err
	}
	return &api.AdminUpdateDeviceStatusResponse{}, nil
}
