#!/usr/bin/env node
// Remembers a device with amazon-cognito-identity-js and signs in with it,
// against a pool that tracks devices (DeviceOnlyRememberedOnUserPrompt):
//   1. authenticateUser (USER_SRP_AUTH) gets tokens with NewDeviceMetadata;
//      the library computes the device verifier and calls ConfirmDevice,
//      then onSuccess(session, userConfirmationNecessary);
//      setDeviceStatusRemembered remembers the device.
//   2. A second authenticateUser with the same storage sends the cached
//      DEVICE_KEY with the password claim; the server answers
//      DEVICE_SRP_AUTH, which the library answers itself
//      (DEVICE_PASSWORD_VERIFIER) and gets tokens.
//   3. forgetSpecificDevice forgets the device on the server but leaves
//      the cache; a third authenticateUser gets "Device does not exist.",
//      on which the library retries without the device and gets tokens
//      and a new device.
// Every request the library makes is recorded in steps (operation and
// challenge name).
//
//   node devices.js <endpoint> <userPoolId> <clientId> <username> <password>
//
// It prints exactly one JSON line and exits 0:
//   {"ok":true,"steps":[...],"deviceKey":...,"accessTokens":[...]}
//   {"ok":false,"steps":[...],"code":...,"message":...}
// e2e/devices_test.go drives it.
'use strict';

const { endpoint, userPoolId, clientId, username, password, finish, failure, steps, MemoryStorage, lib } = require('./harness').start('devices.js', true);

const { CognitoUserPool, CognitoUser, AuthenticationDetails } = lib;

// One storage for all three sign-ins: the library caches the device key,
// group key and random password there, as a browser's localStorage would.
const storage = new MemoryStorage();
const pool = new CognitoUserPool({ UserPoolId: userPoolId, ClientId: clientId, endpoint, Storage: storage });
const request = pool.client.request.bind(pool.client);
pool.client.request = (operation, params, callback) => {
  steps.push(params && params.ChallengeName ? operation + ' ' + params.ChallengeName : operation);
  return request(operation, params, (err, data) => {
    if (err) {
      steps.push('error ' + (err.code || err.name) + ': ' + err.message);
    }
    callback(err, data);
  });
};

const details = new AuthenticationDetails({ Username: username, Password: password });
const unexpected = (name) => () => finish({ ok: false, code: name, message: 'unexpected challenge ' + name });
const onFailure = (err) => finish(failure(err));
const accessTokens = [];

function signIn(then) {
  const user = new CognitoUser({ Username: username, Pool: pool, Storage: storage });
  user.authenticateUser(details, {
    onSuccess(session, userConfirmationNecessary) {
      steps.push('tokens' + (userConfirmationNecessary ? ' userConfirmationNecessary' : ''));
      accessTokens.push(session.getAccessToken().getJwtToken());
      then(user, userConfirmationNecessary);
    },
    onFailure,
    newPasswordRequired: unexpected('newPasswordRequired'),
    mfaRequired: unexpected('mfaRequired'),
    totpRequired: unexpected('totpRequired'),
    selectMFAType: unexpected('selectMFAType'),
    mfaSetup: unexpected('mfaSetup'),
    customChallenge: unexpected('customChallenge'),
  });
}

try {
  signIn((first) => {
    first.setDeviceStatusRemembered({
      onSuccess() {
        const deviceKey = first.deviceKey;
        signIn((second) => {
          // Forget the device on the server only: the cache keeps it.
          second.forgetSpecificDevice(deviceKey, {
            onSuccess() {
              signIn((third) => finish({ ok: true, deviceKey, newDeviceKey: third.deviceKey, accessTokens }));
            },
            onFailure,
          });
        });
      },
      onFailure,
    });
  });
} catch (err) {
  finish(failure(err));
}
