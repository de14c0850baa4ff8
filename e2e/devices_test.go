package e2e

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestDevicesWithAmazonCognitoIdentityJS: the official JS library
// remembers a device and signs in with it (e2e/srpjs/devices.js) in a pool
// the AWS CLI made with device tracking on user prompt: the first sign-in
// confirms the device (UserConfirmationNecessary) and remembers it; the
// second ends with DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER, which the
// library answers itself; after the device is forgotten, the third gets
// "Device does not exist.", on which the library retries without the
// device and confirms a new one. The AWS CLI then lists the new device.
func TestDevicesWithAmazonCognitoIdentityJS(t *testing.T) {
	c := start(t, "--in-memory")
	var pool struct{ UserPool struct{ Id string } }
	if err := json.Unmarshal([]byte(mustAWSCLI(t, c, "cognito-idp", "create-user-pool", "--pool-name", "devicesjs",
		"--device-configuration", "ChallengeRequiredOnNewDevice=true,DeviceOnlyRememberedOnUserPrompt=true")), &pool); err != nil {
		t.Fatal(err)
	}
	id := pool.UserPool.Id
	client := clientCLI(t, c, id, "ALLOW_USER_SRP_AUTH")
	userCLI(t, c, id, "dee", "Str0ng!Passw0rd-x")

	var got struct {
		OK                      bool
		Steps                   []string
		Code, Message           string
		DeviceKey, NewDeviceKey string
		AccessTokens            []string
	}
	runJS(t, "devices.js", &got, c.endpoint, id, client, "dee", "Str0ng!Passw0rd-x")
	want := []string{
		"InitiateAuth", "RespondToAuthChallenge PASSWORD_VERIFIER", "ConfirmDevice", "tokens userConfirmationNecessary", "UpdateDeviceStatus",
		"InitiateAuth", "RespondToAuthChallenge PASSWORD_VERIFIER", "RespondToAuthChallenge DEVICE_SRP_AUTH",
		"RespondToAuthChallenge DEVICE_PASSWORD_VERIFIER", "tokens",
		"ForgetDevice",
		"InitiateAuth", "RespondToAuthChallenge PASSWORD_VERIFIER", "error ResourceNotFoundException: Device does not exist.",
		"RespondToAuthChallenge PASSWORD_VERIFIER", "ConfirmDevice", "tokens userConfirmationNecessary",
	}
	if !got.OK || strings.Join(got.Steps, "|") != strings.Join(want, "|") {
		t.Fatalf("amazon-cognito-identity-js devices: %+v\nwant steps %q", got, want)
	}
	if len(got.AccessTokens) != 3 {
		t.Fatalf("access tokens %d", len(got.AccessTokens))
	}
	for i, want := range []string{got.DeviceKey, got.DeviceKey, got.NewDeviceKey} {
		if claims := jwtClaims(t, got.AccessTokens[i]); claims["device_key"] != want || claims["username"] != "dee" {
			t.Errorf("sign-in %d: access token claims %v, want device_key %s", i+1, claims, want)
		}
	}
	if got.NewDeviceKey == got.DeviceKey || !strings.HasPrefix(got.DeviceKey, id[:strings.IndexByte(id, '_')+1]) {
		t.Errorf("device keys %q, %q", got.DeviceKey, got.NewDeviceKey)
	}

	var list struct {
		Devices []struct {
			DeviceKey        string
			DeviceAttributes []struct{ Name, Value string }
		}
	}
	if err := json.Unmarshal([]byte(mustAWSCLI(t, c, "cognito-idp", "admin-list-devices", "--user-pool-id", id, "--username", "dee")), &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Devices) != 1 || list.Devices[0].DeviceKey != got.NewDeviceKey {
		t.Fatalf("admin-list-devices = %+v, want only %s", list, got.NewDeviceKey)
	}
	attrs := map[string]string{}
	for _, a := range list.Devices[0].DeviceAttributes {
		attrs[a.Name] = a.Value
	}
	// The library names the device by its platform ("nodejs") and never
	// remembered the new one.
	if attrs["device_name"] != "nodejs" || attrs["dev:device_remembered_status"] != "not_remembered" || attrs["device_status"] != "valid" {
		t.Errorf("device attributes %v", attrs)
	}
}
