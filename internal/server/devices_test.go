package server

import (
	"encoding/base64"
	"encoding/hex"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognate/cognate/internal/srp"
)

// testDevice is a device as a client library keeps it: its key, group
// key and random password (amazon-cognito-identity-js generateHashDevice).
type testDevice struct{ key, group, password string }

// devicePool creates a pool with device tracking dc, optional TOTP MFA
// (OPTIONAL), and a client allowing the password, SRP and refresh flows.
func devicePool(t *testing.T, s *userServer, dc *types.DeviceConfigurationType, totp bool) (pool, client string) {
	t.Helper()
	c := s.client("us-east-1")
	pool = mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("devices"), DeviceConfiguration: dc})
	if totp {
		if _, err := c.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(pool), MfaConfiguration: "OPTIONAL",
			SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}}); err != nil {
			t.Fatalf("SetUserPoolMfaConfig: %v", err)
		}
	}
	out, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("app"),
		ExplicitAuthFlows: append(slices.Clone(authFlows), "ALLOW_USER_SRP_AUTH")})
	if err != nil {
		t.Fatal(err)
	}
	return pool, *out.UserPoolClient.ClientId
}

// b64Hex is what the libraries send of a hex number: the bytes of its
// padded hex, base64.
func b64Hex(v string) string {
	b, err := hex.DecodeString(v)
	if err != nil {
		panic(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

// confirmDevice computes a device's verifier from NewDeviceMetadata as
// the libraries do and confirms it.
func confirmDevice(t *testing.T, c *cip.Client, res *types.AuthenticationResultType, name string) (testDevice, *cip.ConfirmDeviceOutput) {
	t.Helper()
	m := res.NewDeviceMetadata
	if m == nil {
		t.Fatalf("no NewDeviceMetadata in %+v", res)
	}
	d := testDevice{key: *m.DeviceKey, group: *m.DeviceGroupKey, password: base64.StdEncoding.EncodeToString(srp.NewSalt().Bytes())}
	salt := srp.NewSalt()
	v := srp.Verifier(d.group, d.key, d.password, salt)
	out, err := c.ConfirmDevice(ctx, &cip.ConfirmDeviceInput{AccessToken: res.AccessToken, DeviceKey: m.DeviceKey, DeviceName: aws.String(name),
		DeviceSecretVerifierConfig: &types.DeviceSecretVerifierConfigType{Salt: aws.String(b64Hex(srp.PadHex(salt))), PasswordVerifier: aws.String(b64Hex(srp.PadHex(v)))}})
	if err != nil {
		t.Fatalf("ConfirmDevice: %v", err)
	}
	return d, out
}

// deviceAuth answers DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER with the
// client side of SRP, the device group key in place of the pool name;
// tamper may change the last responses.
func deviceAuth(c *cip.Client, client, user string, d testDevice, session *string, tamper func(map[string]string)) (*cip.RespondToAuthChallengeOutput, *cip.RespondToAuthChallengeOutput, error) {
	cl := srp.NewClient()
	start, err := respond(c, client, "DEVICE_SRP_AUTH", session, map[string]string{"USERNAME": user, "DEVICE_KEY": d.key, "SRP_A": cl.AHex()})
	if err != nil {
		return nil, nil, err
	}
	p := start.ChallengeParameters
	key, err := cl.Key(d.group, d.key, d.password, p["SALT"], p["SRP_B"])
	if err != nil {
		return nil, start, err
	}
	block, _ := base64.StdEncoding.DecodeString(p["SECRET_BLOCK"])
	ts := time.Now().UTC().Format(srp.TimestampLayout)
	r := map[string]string{"USERNAME": user, "DEVICE_KEY": d.key, "PASSWORD_CLAIM_SECRET_BLOCK": p["SECRET_BLOCK"], "TIMESTAMP": ts,
		"PASSWORD_CLAIM_SIGNATURE": base64.StdEncoding.EncodeToString(srp.Signature(key, d.group, d.key, block, ts))}
	if tamper != nil {
		tamper(r)
	}
	out, err := respond(c, client, "DEVICE_PASSWORD_VERIFIER", start.Session, r)
	return out, start, err
}

// deviceSignIn is USER_PASSWORD_AUTH with DEVICE_KEY.
func deviceSignIn(c *cip.Client, client, user, password, deviceKey string) (*cip.InitiateAuthOutput, error) {
	return c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: aws.String(client), AuthFlow: "USER_PASSWORD_AUTH",
		AuthParameters: map[string]string{"USERNAME": user, "PASSWORD": password, "DEVICE_KEY": deviceKey}})
}

func deviceAttrs(d *types.DeviceType) map[string]string { return attrMap(d.DeviceAttributes) }

// TestDevices: device tracking end to end with the Go SDK and a device
// SRP client computed here: NewDeviceMetadata and the device_key claim,
// ConfirmDevice, the device operations and their admin twins,
// DEVICE_SRP_AUTH for a remembered device (password and SRP sign-ins),
// refusals of a wrong signature, another user's device and a forgotten
// one (AWS's ResourceNotFoundException "Device does not exist."), and
// refresh with DEVICE_KEY.
func TestDevices(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool, client := devicePool(t, s, &types.DeviceConfigurationType{ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false}, false)
	mustUser(t, c, pool, "dora", "Passw0rd!")
	mustUser(t, c, pool, "otto", "Passw0rd!")

	// A sign-in without a device gets a new device key, in the access
	// token too.
	res := mustSignIn(t, c, client, "dora", "Passw0rd!")
	m := res.NewDeviceMetadata
	if m == nil || !regexp.MustCompile(`^us-east-1_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(aws.ToString(m.DeviceKey)) ||
		!regexp.MustCompile(`^-[A-Za-z0-9]{8}$`).MatchString(aws.ToString(m.DeviceGroupKey)) {
		t.Fatalf("NewDeviceMetadata = %+v", m)
	}
	if got := unverifiedClaims(t, *res.AccessToken)["device_key"]; got != *m.DeviceKey {
		t.Errorf("access token device_key = %v, want %s", got, *m.DeviceKey)
	}
	if _, ok := unverifiedClaims(t, *res.IdToken)["device_key"]; ok {
		t.Errorf("ID token has device_key")
	}
	// The same user's devices share a group key; another sign-in gets
	// another device key.
	res2 := mustSignIn(t, c, client, "dora", "Passw0rd!")
	if *res2.NewDeviceMetadata.DeviceGroupKey != *m.DeviceGroupKey || *res2.NewDeviceMetadata.DeviceKey == *m.DeviceKey {
		t.Errorf("second NewDeviceMetadata = %+v, first %+v", res2.NewDeviceMetadata, m)
	}

	// ConfirmDevice: bad verifier configurations, another sign-in's key.
	_, err := c.ConfirmDevice(ctx, &cip.ConfirmDeviceInput{AccessToken: res.AccessToken, DeviceKey: m.DeviceKey,
		DeviceSecretVerifierConfig: &types.DeviceSecretVerifierConfigType{Salt: aws.String("!!"), PasswordVerifier: aws.String("AQ==")}})
	apiError(t, err, "InvalidParameterException", "")
	_, err = c.ConfirmDevice(ctx, &cip.ConfirmDeviceInput{AccessToken: res.AccessToken, DeviceKey: m.DeviceKey})
	apiError(t, err, "InvalidParameterException", "")
	_, err = c.ConfirmDevice(ctx, &cip.ConfirmDeviceInput{AccessToken: res.AccessToken, DeviceKey: res2.NewDeviceMetadata.DeviceKey,
		DeviceSecretVerifierConfig: &types.DeviceSecretVerifierConfigType{Salt: aws.String("AQ=="), PasswordVerifier: aws.String("Ag==")}})
	apiError(t, err, "ResourceNotFoundException", "Device does not exist.")

	before, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("dora")})
	if err != nil {
		t.Fatal(err)
	}
	s.clock.Add(time.Second)
	dev, conf := confirmDevice(t, c, res, "dora's laptop")
	if after, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("dora")}); err != nil ||
		!after.UserLastModifiedDate.Equal(*before.UserLastModifiedDate) {
		t.Errorf("ConfirmDevice changed UserLastModifiedDate: %v, %v", after.UserLastModifiedDate, err)
	}
	if conf.UserConfirmationNecessary {
		t.Errorf("UserConfirmationNecessary with DeviceOnlyRememberedOnUserPrompt false")
	}
	_, err = c.ConfirmDevice(ctx, &cip.ConfirmDeviceInput{AccessToken: res.AccessToken, DeviceKey: m.DeviceKey,
		DeviceSecretVerifierConfig: &types.DeviceSecretVerifierConfigType{Salt: aws.String("AQ=="), PasswordVerifier: aws.String("Ag==")}})
	apiError(t, err, "DeviceKeyExistsException", "")

	// The device, by the user and by an administrator.
	l, err := c.ListDevices(ctx, &cip.ListDevicesInput{AccessToken: res.AccessToken})
	if err != nil || len(l.Devices) != 1 || *l.Devices[0].DeviceKey != dev.key || l.PaginationToken != nil {
		t.Fatalf("ListDevices = %+v, %v", l, err)
	}
	a := deviceAttrs(&l.Devices[0])
	if a["device_status"] != "valid" || a["device_name"] != "dora's laptop" || a["dev:device_remembered_status"] != "remembered" ||
		a["last_ip_used"] == "" || a["dev:device_owner"] != "dora."+pool || l.Devices[0].DeviceCreateDate == nil || l.Devices[0].DeviceLastAuthenticatedDate == nil {
		t.Errorf("device = %+v (attributes %v)", l.Devices[0], a)
	}
	g, err := c.GetDevice(ctx, &cip.GetDeviceInput{AccessToken: res.AccessToken, DeviceKey: aws.String(dev.key)})
	if err != nil || *g.Device.DeviceKey != dev.key {
		t.Errorf("GetDevice = %+v, %v", g, err)
	}
	ag, err := c.AdminGetDevice(ctx, &cip.AdminGetDeviceInput{UserPoolId: aws.String(pool), Username: aws.String("dora"), DeviceKey: aws.String(dev.key)})
	if err != nil || deviceAttrs(ag.Device)["device_name"] != "dora's laptop" {
		t.Errorf("AdminGetDevice = %+v, %v", ag, err)
	}
	_, err = c.AdminGetDevice(ctx, &cip.AdminGetDeviceInput{UserPoolId: aws.String(pool), Username: aws.String("otto"), DeviceKey: aws.String(dev.key)})
	apiError(t, err, "ResourceNotFoundException", "Device does not exist.")

	// The remembered device: the password step is followed by
	// DEVICE_SRP_AUTH; the device's SRP issues tokens, without new
	// metadata, with the device's key.
	start, err := deviceSignIn(c, client, "dora", "Passw0rd!", dev.key)
	if err != nil || start.ChallengeName != "DEVICE_SRP_AUTH" || start.Session == nil || start.AuthenticationResult != nil {
		t.Fatalf("sign-in with the device = %+v, %v", start, err)
	}
	var sent map[string]string
	out, verifier, err := deviceAuth(c, client, "dora", dev, start.Session, func(r map[string]string) { sent = r })
	if err != nil {
		t.Fatalf("device SRP: %v", err)
	}
	if verifier.ChallengeName != "DEVICE_PASSWORD_VERIFIER" || verifier.ChallengeParameters["SRP_B"] == "" || verifier.ChallengeParameters["SALT"] == "" {
		t.Errorf("DEVICE_SRP_AUTH answer = %+v", verifier)
	}
	if out.AuthenticationResult == nil || out.AuthenticationResult.NewDeviceMetadata != nil || out.AuthenticationResult.RefreshToken == nil {
		t.Fatalf("DEVICE_PASSWORD_VERIFIER answer = %+v", out)
	}
	if got := unverifiedClaims(t, *out.AuthenticationResult.AccessToken)["device_key"]; got != dev.key {
		t.Errorf("device sign-in device_key = %v", got)
	}
	// The device's password claim is good once.
	_, err = respond(c, client, "DEVICE_PASSWORD_VERIFIER", verifier.Session, sent)
	apiError(t, err, "NotAuthorizedException", "Invalid session for the user.")

	// A wrong device signature, or the password claim of another device
	// password, is refused as a wrong password.
	start, _ = deviceSignIn(c, client, "dora", "Passw0rd!", dev.key)
	_, _, err = deviceAuth(c, client, "dora", dev, start.Session, func(r map[string]string) {
		r["PASSWORD_CLAIM_SIGNATURE"] = base64.StdEncoding.EncodeToString(make([]byte, 32))
	})
	apiError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	start, _ = deviceSignIn(c, client, "dora", "Passw0rd!", dev.key)
	_, _, err = deviceAuth(c, client, "dora", testDevice{key: dev.key, group: dev.group, password: "not the device's"}, start.Session, nil)
	apiError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	// Another device than the sign-in's is refused.
	start, _ = deviceSignIn(c, client, "dora", "Passw0rd!", dev.key)
	_, _, err = deviceAuth(c, client, "dora", dev, start.Session, func(r map[string]string) { r["DEVICE_KEY"] = *res2.NewDeviceMetadata.DeviceKey })
	apiError(t, err, "NotAuthorizedException", "")

	// The admin flow too.
	adm, err := c.AdminInitiateAuth(ctx, &cip.AdminInitiateAuthInput{UserPoolId: aws.String(pool), ClientId: aws.String(client), AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
		AuthParameters: map[string]string{"USERNAME": "dora", "PASSWORD": "Passw0rd!", "DEVICE_KEY": dev.key}})
	if err != nil || adm.ChallengeName != "DEVICE_SRP_AUTH" {
		t.Errorf("AdminInitiateAuth with the device = %+v, %v", adm, err)
	}

	// Another user's device is not theirs.
	_, err = deviceSignIn(c, client, "otto", "Passw0rd!", dev.key)
	apiError(t, err, "ResourceNotFoundException", "Device does not exist.")
	_, err = c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: aws.String(client), AuthFlow: "REFRESH_TOKEN_AUTH",
		AuthParameters: map[string]string{"REFRESH_TOKEN": *res2.RefreshToken, "DEVICE_KEY": dev.key + "0"}})
	apiError(t, err, "NotAuthorizedException", "Invalid Refresh Token")

	// USER_SRP_AUTH with DEVICE_KEY in the password claim, as the
	// libraries send it, also ends with the device's SRP.
	srpOut, _, err := srpSignIn(c, pool, client, "dora", "Passw0rd!", func(r map[string]string) { r["DEVICE_KEY"] = dev.key })
	if err != nil || srpOut.ChallengeName != "DEVICE_SRP_AUTH" {
		t.Fatalf("SRP sign-in with the device = %+v, %v", srpOut, err)
	}
	if out, _, err = deviceAuth(c, client, "dora", dev, srpOut.Session, nil); err != nil || out.AuthenticationResult == nil {
		t.Fatalf("device SRP after USER_SRP_AUTH = %+v, %v", out, err)
	}
	devTokens := out.AuthenticationResult

	// A refresh names the device; the new access token carries it.
	ref, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: aws.String(client), AuthFlow: "REFRESH_TOKEN_AUTH",
		AuthParameters: map[string]string{"REFRESH_TOKEN": *devTokens.RefreshToken, "DEVICE_KEY": dev.key}})
	if err != nil || unverifiedClaims(t, *ref.AuthenticationResult.AccessToken)["device_key"] != dev.key {
		t.Fatalf("refresh with DEVICE_KEY = %+v, %v", ref, err)
	}

	// Not remembered: the device's sign-in ends at the password; the
	// tokens name it, with no new metadata.
	if _, err := c.UpdateDeviceStatus(ctx, &cip.UpdateDeviceStatusInput{AccessToken: devTokens.AccessToken, DeviceKey: aws.String(dev.key),
		DeviceRememberedStatus: "not_remembered"}); err != nil {
		t.Fatalf("UpdateDeviceStatus: %v", err)
	}
	nr, err := deviceSignIn(c, client, "dora", "Passw0rd!", dev.key)
	if err != nil || nr.AuthenticationResult == nil || nr.AuthenticationResult.NewDeviceMetadata != nil ||
		unverifiedClaims(t, *nr.AuthenticationResult.AccessToken)["device_key"] != dev.key {
		t.Fatalf("sign-in with a device not remembered = %+v, %v", nr, err)
	}
	if g, _ := c.GetDevice(ctx, &cip.GetDeviceInput{AccessToken: devTokens.AccessToken, DeviceKey: aws.String(dev.key)}); deviceAttrs(g.Device)["dev:device_remembered_status"] != "not_remembered" {
		t.Errorf("status after UpdateDeviceStatus = %v", deviceAttrs(g.Device))
	}
	if _, err := c.AdminUpdateDeviceStatus(ctx, &cip.AdminUpdateDeviceStatusInput{UserPoolId: aws.String(pool), Username: aws.String("dora"),
		DeviceKey: aws.String(dev.key), DeviceRememberedStatus: "remembered"}); err != nil {
		t.Fatalf("AdminUpdateDeviceStatus: %v", err)
	}
	if again, err := deviceSignIn(c, client, "dora", "Passw0rd!", dev.key); err != nil || again.ChallengeName != "DEVICE_SRP_AUTH" {
		t.Errorf("sign-in after remembering again = %+v, %v", again, err)
	}
	_, err = c.UpdateDeviceStatus(ctx, &cip.UpdateDeviceStatusInput{AccessToken: devTokens.AccessToken, DeviceKey: res2.NewDeviceMetadata.DeviceKey, DeviceRememberedStatus: "remembered"})
	apiError(t, err, "ResourceNotFoundException", "Device does not exist.")

	// A second device, and pages of one.
	dev2, _ := confirmDevice(t, c, res2, "dora's phone")
	p1, err := c.ListDevices(ctx, &cip.ListDevicesInput{AccessToken: res.AccessToken, Limit: aws.Int32(1)})
	if err != nil || len(p1.Devices) != 1 || p1.PaginationToken == nil {
		t.Fatalf("ListDevices page 1 = %+v, %v", p1, err)
	}
	p2, err := c.AdminListDevices(ctx, &cip.AdminListDevicesInput{UserPoolId: aws.String(pool), Username: aws.String("dora"), Limit: aws.Int32(1), PaginationToken: p1.PaginationToken})
	if err != nil || len(p2.Devices) != 1 || p2.PaginationToken != nil || *p2.Devices[0].DeviceKey == *p1.Devices[0].DeviceKey {
		t.Fatalf("AdminListDevices page 2 = %+v, %v", p2, err)
	}
	_, err = c.ListDevices(ctx, &cip.ListDevicesInput{AccessToken: res.AccessToken, PaginationToken: aws.String("nonsense")})
	apiError(t, err, "InvalidParameterException", "")
	if o, err := c.AdminListDevices(ctx, &cip.AdminListDevicesInput{UserPoolId: aws.String(pool), Username: aws.String("otto")}); err != nil || len(o.Devices) != 0 {
		t.Errorf("otto's devices = %+v, %v", o, err)
	}

	// Forgetting: the device's sign-in is refused with AWS's answer (on
	// which the libraries retry without it), its refresh tokens revoked.
	if _, err := c.ForgetDevice(ctx, &cip.ForgetDeviceInput{AccessToken: res.AccessToken, DeviceKey: aws.String(dev2.key)}); err != nil {
		t.Fatalf("ForgetDevice: %v", err)
	}
	if _, err := c.AdminForgetDevice(ctx, &cip.AdminForgetDeviceInput{UserPoolId: aws.String(pool), Username: aws.String("dora"), DeviceKey: aws.String(dev.key)}); err != nil {
		t.Fatalf("AdminForgetDevice: %v", err)
	}
	_, err = c.ForgetDevice(ctx, &cip.ForgetDeviceInput{AccessToken: res.AccessToken, DeviceKey: aws.String(dev.key)})
	apiError(t, err, "ResourceNotFoundException", "Device does not exist.")
	_, err = deviceSignIn(c, client, "dora", "Passw0rd!", dev.key)
	apiError(t, err, "ResourceNotFoundException", "Device does not exist.")
	_, _, err = srpSignIn(c, pool, client, "dora", "Passw0rd!", func(r map[string]string) { r["DEVICE_KEY"] = dev.key })
	apiError(t, err, "ResourceNotFoundException", "Device does not exist.")
	_, err = c.GetDevice(ctx, &cip.GetDeviceInput{AccessToken: res.AccessToken, DeviceKey: aws.String(dev.key)})
	apiError(t, err, "ResourceNotFoundException", "Device does not exist.")
	_, err = c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: aws.String(client), AuthFlow: "REFRESH_TOKEN_AUTH",
		AuthParameters: map[string]string{"REFRESH_TOKEN": *devTokens.RefreshToken}})
	apiError(t, err, "NotAuthorizedException", "Refresh Token has been revoked")
	// A DEVICE_SRP_AUTH started before the device was forgotten fails.
	_, _, err = deviceAuth(c, client, "dora", dev, start.Session, nil)
	apiError(t, err, "ResourceNotFoundException", "Device does not exist.")
	if l, err := c.ListDevices(ctx, &cip.ListDevicesInput{AccessToken: res.AccessToken}); err != nil || len(l.Devices) != 0 {
		t.Errorf("ListDevices after forgetting = %+v, %v", l, err)
	}
	// A forgotten key cannot be confirmed again.
	_, err = c.ConfirmDevice(ctx, &cip.ConfirmDeviceInput{AccessToken: res.AccessToken, DeviceKey: m.DeviceKey,
		DeviceSecretVerifierConfig: &types.DeviceSecretVerifierConfigType{Salt: aws.String("AQ=="), PasswordVerifier: aws.String("Ag==")}})
	apiError(t, err, "ResourceNotFoundException", "Device does not exist.")
}

// TestDevicesUserPrompt: with DeviceOnlyRememberedOnUserPrompt a confirmed
// device needs the user's yes (UserConfirmationNecessary, then
// not_remembered until UpdateDeviceStatus); a pool without device tracking
// issues no device key and refuses ConfirmDevice.
func TestDevicesUserPrompt(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool, client := devicePool(t, s, &types.DeviceConfigurationType{DeviceOnlyRememberedOnUserPrompt: true}, false)
	mustUser(t, c, pool, "una", "Passw0rd!")
	res := mustSignIn(t, c, client, "una", "Passw0rd!")
	dev, conf := confirmDevice(t, c, res, "una's tablet")
	if !conf.UserConfirmationNecessary {
		t.Errorf("UserConfirmationNecessary false with DeviceOnlyRememberedOnUserPrompt")
	}
	g, err := c.GetDevice(ctx, &cip.GetDeviceInput{AccessToken: res.AccessToken, DeviceKey: aws.String(dev.key)})
	if err != nil || deviceAttrs(g.Device)["dev:device_remembered_status"] != "not_remembered" {
		t.Fatalf("GetDevice = %+v, %v", g, err)
	}
	if out, err := deviceSignIn(c, client, "una", "Passw0rd!", dev.key); err != nil || out.AuthenticationResult == nil {
		t.Errorf("sign-in with the unremembered device = %+v, %v", out, err)
	}
	if _, err := c.UpdateDeviceStatus(ctx, &cip.UpdateDeviceStatusInput{AccessToken: res.AccessToken, DeviceKey: aws.String(dev.key), DeviceRememberedStatus: "remembered"}); err != nil {
		t.Fatal(err)
	}
	if out, err := deviceSignIn(c, client, "una", "Passw0rd!", dev.key); err != nil || out.ChallengeName != "DEVICE_SRP_AUTH" {
		t.Errorf("sign-in with the remembered device = %+v, %v", out, err)
	}

	plain, plainClient := devicePool(t, s, nil, false)
	mustUser(t, c, plain, "pia", "Passw0rd!")
	r := mustSignIn(t, c, plainClient, "pia", "Passw0rd!")
	if r.NewDeviceMetadata != nil || unverifiedClaims(t, *r.AccessToken)["device_key"] != nil {
		t.Errorf("a pool without device tracking issued %+v", r.NewDeviceMetadata)
	}
	_, err = c.ConfirmDevice(ctx, &cip.ConfirmDeviceInput{AccessToken: r.AccessToken, DeviceKey: aws.String("us-east-1_00000000-0000-4000-8000-000000000000"),
		DeviceSecretVerifierConfig: &types.DeviceSecretVerifierConfigType{Salt: aws.String("AQ=="), PasswordVerifier: aws.String("Ag==")}})
	apiError(t, err, "InvalidUserPoolConfigurationException", "")
}

// TestDevicesMFA: a remembered device stands in for MFA when the pool's
// ChallengeRequiredOnNewDevice says so, and comes after MFA otherwise; a
// device not remembered, or none, still gets MFA.
func TestDevicesMFA(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	for _, skip := range []bool{true, false} {
		pool, client := devicePool(t, s, &types.DeviceConfigurationType{ChallengeRequiredOnNewDevice: skip}, true)
		mustUser(t, c, pool, "max", "Passw0rd!")
		res := mustSignIn(t, c, client, "max", "Passw0rd!")
		dev, _ := confirmDevice(t, c, res, "max's laptop")
		secret := enrolTOTP(t, s, res.AccessToken)
		if _, err := c.SetUserMFAPreference(ctx, &cip.SetUserMFAPreferenceInput{AccessToken: res.AccessToken,
			SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true}}); err != nil {
			t.Fatal(err)
		}
		totp := func(session *string) *cip.RespondToAuthChallengeOutput {
			t.Helper()
			s.clock.Add(30 * time.Second) // a code is good once
			out, err := respond(c, client, "SOFTWARE_TOKEN_MFA", session, map[string]string{"USERNAME": "max", "SOFTWARE_TOKEN_MFA_CODE": totpAt(t, secret, s.clock.Now())})
			if err != nil {
				t.Fatalf("SOFTWARE_TOKEN_MFA: %v", err)
			}
			return out
		}
		// Without the device: MFA, then tokens with a new device key.
		out, err := passwordAuth(c, client, "max", "Passw0rd!")
		if err != nil || out.ChallengeName != "SOFTWARE_TOKEN_MFA" {
			t.Fatalf("skip=%v: sign-in without the device = %+v, %v", skip, out, err)
		}
		if r := totp(out.Session); r.AuthenticationResult == nil || r.AuthenticationResult.NewDeviceMetadata == nil {
			t.Errorf("skip=%v: tokens after MFA = %+v", skip, r)
		}
		// With the remembered device.
		out, err = deviceSignIn(c, client, "max", "Passw0rd!", dev.key)
		if err != nil {
			t.Fatal(err)
		}
		session := out.Session
		if skip {
			if out.ChallengeName != "DEVICE_SRP_AUTH" {
				t.Fatalf("MFA not skipped for a remembered device: %+v", out)
			}
		} else {
			if out.ChallengeName != "SOFTWARE_TOKEN_MFA" {
				t.Fatalf("MFA skipped without ChallengeRequiredOnNewDevice: %+v", out)
			}
			r := totp(out.Session)
			if r.ChallengeName != "DEVICE_SRP_AUTH" || r.AuthenticationResult != nil {
				t.Fatalf("after MFA with a remembered device = %+v", r)
			}
			session = r.Session
		}
		fin, _, err := deviceAuth(c, client, "max", dev, session, nil)
		if err != nil || fin.AuthenticationResult == nil || fin.AuthenticationResult.NewDeviceMetadata != nil ||
			unverifiedClaims(t, *fin.AuthenticationResult.AccessToken)["device_key"] != dev.key {
			t.Fatalf("skip=%v: device SRP = %+v, %v", skip, fin, err)
		}
		// Not remembered: MFA, then tokens naming the device.
		if _, err := c.AdminUpdateDeviceStatus(ctx, &cip.AdminUpdateDeviceStatusInput{UserPoolId: aws.String(pool), Username: aws.String("max"),
			DeviceKey: aws.String(dev.key), DeviceRememberedStatus: "not_remembered"}); err != nil {
			t.Fatal(err)
		}
		out, err = deviceSignIn(c, client, "max", "Passw0rd!", dev.key)
		if err != nil || out.ChallengeName != "SOFTWARE_TOKEN_MFA" {
			t.Fatalf("skip=%v: device not remembered = %+v, %v", skip, out, err)
		}
		if r := totp(out.Session); r.AuthenticationResult == nil || r.AuthenticationResult.NewDeviceMetadata != nil ||
			unverifiedClaims(t, *r.AuthenticationResult.AccessToken)["device_key"] != dev.key {
			t.Errorf("skip=%v: tokens after MFA for a device not remembered = %+v", skip, r)
		}
	}
}

// TestDevicesThreatProtection: with threat protection (AUDIT) a sign-in
// ending with the device's SRP is recorded InProgress at the password and
// Pass once the device authenticated.
func TestDevicesThreatProtection(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool := mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("threat-devices"), UserPoolTier: types.UserPoolTierTypePlus,
		UserPoolAddOns:      &types.UserPoolAddOnsType{AdvancedSecurityMode: types.AdvancedSecurityModeTypeAudit},
		DeviceConfiguration: &types.DeviceConfigurationType{ChallengeRequiredOnNewDevice: true}})
	out, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("app"), ExplicitAuthFlows: authFlows})
	if err != nil {
		t.Fatal(err)
	}
	client := *out.UserPoolClient.ClientId
	mustUser(t, c, pool, "tia", "Passw0rd!")
	dev, _ := confirmDevice(t, c, mustSignIn(t, c, client, "tia", "Passw0rd!"), "tia's laptop")
	s.clock.Add(time.Second) // events are listed newest first
	start, err := deviceSignIn(c, client, "tia", "Passw0rd!", dev.key)
	if err != nil || start.ChallengeName != "DEVICE_SRP_AUTH" {
		t.Fatalf("sign-in with the device = %+v, %v", start, err)
	}
	events := func() []types.AuthEventType {
		t.Helper()
		ev, err := c.AdminListUserAuthEvents(ctx, &cip.AdminListUserAuthEventsInput{UserPoolId: aws.String(pool), Username: aws.String("tia")})
		if err != nil {
			t.Fatal(err)
		}
		return ev.AuthEvents
	}
	if ev := events(); len(ev) != 2 || ev[0].EventResponse != types.EventResponseTypeInProgress {
		t.Fatalf("events before the device's SRP = %+v", ev)
	}
	fin, _, err := deviceAuth(c, client, "tia", dev, start.Session, nil)
	if err != nil || fin.AuthenticationResult == nil {
		t.Fatalf("device SRP = %+v, %v", fin, err)
	}
	ev := events()
	if ev[0].EventResponse != types.EventResponseTypePass || unverifiedClaims(t, *fin.AuthenticationResult.AccessToken)["event_id"] != aws.ToString(ev[0].EventId) {
		t.Errorf("event after the device's SRP = %+v", ev[0])
	}
}
